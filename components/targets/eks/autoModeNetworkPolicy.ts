import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../naming";

/**
 * Turns on NetworkPolicy enforcement in EKS Auto Mode. Auto Mode's nodes can enforce policies (its default
 * NodeClass has networkPolicy: DefaultAllow, so unselected pods stay reachable), but the controller that
 * turns NetworkPolicy objects into node rules is off until this ConfigMap says otherwise
 * (docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html). With managed nodes the VPC CNI add-on's
 * enableNetworkPolicy does the same job.
 *
 * The ConfigMap may already exist: the VPC CNI makes one of this name, so a cluster that ran it before Auto
 * Mode has it. Server-side apply refuses to create an object that exists, so this one object goes through a
 * provider of its own with upsertExistingObjects, which adopts it. The app's objects keep the target's
 * provider, where a renamed resource fails instead of deleting the object it adopted.
 */
export function enableAutoModeNetworkPolicies(
    name: string,
    kubeconfig: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMap {
    const adopting = new k8s.Provider(
        childName(name, "k8s"),
        { kubeconfig, enableServerSideApply: true, upsertExistingObjects: true },
        { parent: opts.parent },
    );
    return new k8s.core.v1.ConfigMap(
        name,
        {
            metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
            data: { "enable-network-policy-controller": "true" },
        },
        { ...opts, provider: adopting },
    );
}
