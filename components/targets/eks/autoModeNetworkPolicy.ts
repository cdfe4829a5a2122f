import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../naming";

/**
 * Turns on NetworkPolicy enforcement in EKS Auto Mode, step 1 of AWS's two: the controller that turns
 * NetworkPolicy objects into node rules is off until this ConfigMap says otherwise; step 2 is nodes of a NodeClass
 * with networkPolicy set (networkPolicyNodePool, below), since the ConfigMap alone enforces nothing on nodes whose
 * NodeClass does not ask for it (docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html). With managed nodes
 * the VPC CNI add-on's enableNetworkPolicy does the same job.
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

/** The name of the NodeClass and NodePool the app's nodes come from in Auto Mode. */
export const AUTO_MODE_NODE_POOL = "first-k8s";

/** What the NodeClass names in the cluster: the Auto Mode node role, the subnets and the security group. */
export interface AutoModeNodeRefs {
    /** The IAM role (by name) of Auto Mode's nodes, which EKS already gave an EC2 access entry (computeConfig). */
    readonly nodeRoleName: pulumi.Input<string>;
    /** The private subnets, where the nodes go (as for the built-in pools). */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The cluster security group EKS made, which the nodes and the control plane share. */
    readonly securityGroupId: pulumi.Input<string>;
}

/**
 * The nodes the app runs on in Auto Mode, made from a NodeClass with networkPolicy set. AWS's page on network
 * policies in Auto Mode asks for both steps: the ConfigMap above turns the controller on, and only nodes of a
 * NodeClass with networkPolicy enforce the policies ("As long as your nodes use this node class, network
 * policies are enforced", docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html). DefaultAllow: pods no
 * policy selects stay reachable, as Kubernetes defines it; the app's own default-deny policy does the rest.
 *
 * The NodePool is the built-in general-purpose pool's twin (on-demand c, m and r instances of generation 5 on,
 * amd64 as the backend image, Linux; consolidation when empty or underused; nodes replaced after 14 days) on this
 * NodeClass, and the cluster runs only the built-in system pool beside it (nodeModes.ts), so no app pod can land
 * on a node that does not enforce its policies.
 */
export function networkPolicyNodePool(
    name: string,
    refs: AutoModeNodeRefs,
    opts: pulumi.CustomResourceOptions,
): [k8s.apiextensions.CustomResource, k8s.apiextensions.CustomResource] {
    const nodeClass = new k8s.apiextensions.CustomResource(
        childName(name, "node-class"),
        {
            apiVersion: "eks.amazonaws.com/v1",
            kind: "NodeClass",
            metadata: { name: AUTO_MODE_NODE_POOL },
            spec: {
                role: refs.nodeRoleName,
                subnetSelectorTerms: pulumi.output(refs.subnetIds).apply((ids) => ids.map((id) => ({ id }))),
                securityGroupSelectorTerms: [{ id: refs.securityGroupId }],
                networkPolicy: "DefaultAllow",
                networkPolicyEventLogs: "Disabled",
            },
        },
        opts,
    );
    const nodePool = new k8s.apiextensions.CustomResource(
        childName(name, "node-pool"),
        {
            apiVersion: "karpenter.sh/v1",
            kind: "NodePool",
            metadata: { name: AUTO_MODE_NODE_POOL },
            spec: {
                template: {
                    spec: {
                        nodeClassRef: { group: "eks.amazonaws.com", kind: "NodeClass", name: AUTO_MODE_NODE_POOL },
                        requirements: [
                            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
                            { key: "eks.amazonaws.com/instance-category", operator: "In", values: ["c", "m", "r"] },
                            { key: "eks.amazonaws.com/instance-generation", operator: "Gt", values: ["4"] },
                            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                        ],
                        expireAfter: "336h",
                        terminationGracePeriod: "24h0m0s",
                    },
                },
                disruption: {
                    consolidationPolicy: "WhenEmptyOrUnderutilized",
                    consolidateAfter: "30s",
                    budgets: [{ nodes: "10%" }],
                },
            },
        },
        { ...opts, dependsOn: [nodeClass] },
    );
    return [nodeClass, nodePool];
}
