import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * Turns on NetworkPolicy enforcement in EKS Auto Mode. Auto Mode's nodes can enforce policies (its default
 * NodeClass has networkPolicy: DefaultAllow, so unselected pods stay reachable), but the controller that
 * turns NetworkPolicy objects into node rules is off until this ConfigMap says otherwise
 * (docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html). With managed nodes the VPC CNI add-on's
 * enableNetworkPolicy does the same job.
 */
export function enableAutoModeNetworkPolicies(name: string, opts: pulumi.CustomResourceOptions): k8s.core.v1.ConfigMap {
    return new k8s.core.v1.ConfigMap(
        name,
        {
            metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
            data: { "enable-network-policy-controller": "true" },
        },
        opts,
    );
}
