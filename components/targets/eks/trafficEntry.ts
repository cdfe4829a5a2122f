import { NodeMode } from "../../config";
import { TrafficEntry } from "../../capabilities";

/** EKS Auto Mode's load balancing capability: it claims Services of this class and creates NLBs for them. */
const AUTO_MODE_LOAD_BALANCER_CLASS = "eks.amazonaws.com/nlb";

/**
 * How the frontend Service gets an internet-facing Network Load Balancer, with no controller to install:
 *
 * - managed nodes: the AWS cloud provider's service controller, which EKS runs in the control plane, handles
 *   every LoadBalancer Service without a loadBalancerClass. It honours `aws-load-balancer-type: nlb` (an NLB
 *   with instance targets, i.e. every node's NodePort) and is internet-facing unless told `internal`. The
 *   `external`/`nlb-ip` types and the `aws-load-balancer-scheme` annotation belong to the AWS Load Balancer
 *   Controller, which this stack does not install: with them the Service would stay <pending> forever.
 * - Auto Mode: its built-in controller takes Services of class eks.amazonaws.com/nlb and reads the scheme
 *   annotation, which defaults to internal.
 *
 * Either way the NLB goes in the public subnets, found by their kubernetes.io/role/elb tag.
 */
export function eksTrafficEntry(nodeMode: NodeMode): TrafficEntry {
    if (nodeMode === "auto") {
        return {
            kind: "LoadBalancer",
            loadBalancerClass: AUTO_MODE_LOAD_BALANCER_CLASS,
            annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
        };
    }
    return { kind: "LoadBalancer", annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } };
}
