import * as k8s from "@pulumi/kubernetes";
import { createdObject, KubernetesObject } from "../kubernetesObjects";
import { ServiceMocks } from "./context";
import { hex } from "./ids";
import { MockValue } from "./mockOutputs";

/**
 * A LoadBalancer Service as the cluster reports it once AWS made its load balancer: the object as the default table
 * makes it, with the load balancer's DNS name in its status (AWS gives names, not IPs), which the frontend URL is.
 */
export const elbMocks: ServiceMocks = ({ regionOf }) => {
    const loadBalancerStatus = (service: KubernetesObject) => {
        const name = service.metadata?.name ?? "";
        const namespace = service.metadata?.namespace ?? "";
        const region = regionOf(undefined, `Service ${namespace}/${name}`);
        const seed = `lb/${namespace}/${name}`;
        const { loadBalancerClass } = (service.spec ?? {}) as MockValue<k8s.types.output.core.v1.ServiceSpec>;
        // Auto Mode names its NLBs k8s-<namespace>-<service>-<hash>; the cloud provider's are a<hash>.
        const lbName =
            loadBalancerClass === "eks.amazonaws.com/nlb"
                ? `k8s-${namespace.slice(0, 8)}-${name.slice(0, 8)}-mock${hex(seed, 6)}`
                : `amock${hex(seed, 27)}`;
        return {
            ingress: [{ hostname: `${lbName}-${hex(`${seed}/dns`, 16)}.elb.${region}.amazonaws.com` }],
        } satisfies MockValue<k8s.types.output.core.v1.LoadBalancerStatus>;
    };
    return {
        resources: {
            "kubernetes:core/v1:Service": (args) => createdObject(args.inputs as KubernetesObject, loadBalancerStatus),
        },
    };
};
