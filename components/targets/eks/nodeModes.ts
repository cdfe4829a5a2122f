import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { TrafficEntry } from "../../capabilities";
import type { EksNodes, NodeMode } from "../../config";
import type {
    LoadBalancerDescription,
    NodeCostInputs,
    NodeFacts,
    NodeUpgrade,
    RebuildStepId,
    SystemPodFacts,
} from "../../facts";
import type { ClusterAddonName } from "./addons";
import { AutoModeNodeRefs, enableAutoModeNetworkPolicies, networkPolicyNodePool } from "./autoModeNetworkPolicy";
import { CLUSTER_AUTOSCALER_CHART, ClusterAutoscaler, ClusterAutoscalerArgs } from "./clusterAutoscaler";
import { CLUSTER_DNS_ADDRESS } from "./controlPlane";
import { autoModeTrafficEntry, controllerTrafficEntry, READINESS_GATE_NAMESPACE_LABEL } from "./frontendLoadBalancer";
import { LoadBalancerController, LoadBalancerControllerArgs } from "./loadBalancerController";
import { ManagedNodes, ManagedNodesArgs, NODE_ROOT_VOLUME } from "./managedNodes";
import { zoneScaling } from "./nodeScaling";
import {
    CLUSTER_AUTOSCALER_PODS,
    COREDNS_ADDON,
    LOAD_BALANCER_CONTROLLER_PODS,
    METRICS_SERVER_ADDON,
} from "./systemPods";

/** Who enforces NetworkPolicies: the VPC CNI's policy agent (managed nodes) or Auto Mode's controller. */
export type EksNetworkPolicyEnforcer = "vpc-cni" | "auto-mode" | null;

/**
 * Everything that differs between the two ways an EKS cluster gets its worker nodes, in one object per way:
 * what the control plane is told, which nodes the stack makes, how Services get a load balancer, who enforces
 * NetworkPolicies, and what the comparison says of the nodes. The rest of the target never asks which it is.
 */
export interface EksNodeMode {
    readonly mode: NodeMode;
    /** The eks.Cluster arguments that depend on the mode. */
    readonly clusterArgs: Pick<eks.ClusterArgs, "autoMode">;
    /** The frontend Service as the mode's load balancer controller reads it, before TLS (frontendLoadBalancer.ts). */
    readonly trafficEntry: TrafficEntry & { readonly kind: "LoadBalancer" };
    /** Labels of the app's namespace for the mode's controllers (TargetCapabilities.namespaceLabels). */
    readonly namespaceLabels: Readonly<Record<string, string>> | undefined;
    readonly networkPolicyEnforcer: EksNetworkPolicyEnforcer;
    /** The EKS add-ons the stack installs once there are nodes. */
    readonly clusterAddons: readonly ClusterAddonName[];
    /** Cluster DNS's address where it is served by the nodes rather than by pods (TargetCapabilities). */
    readonly dnsServiceAddress: string | undefined;
    /** Whether nodes are launched for pending pods, so a required zone spread must count every zone (minDomains). */
    readonly nodesFollowPods: boolean;
    /** The node group the stack makes; undefined where EKS launches nodes for pending pods. */
    createNodes(
        name: string,
        args: Omit<ManagedNodesArgs, "instanceTypes" | "scaling">,
        opts: pulumi.ComponentResourceOptions,
    ): ManagedNodes | undefined;
    /** The load balancer controller the stack installs, after `nodes`; undefined where EKS brings its own. */
    createLoadBalancerController(
        name: string,
        nodes: ManagedNodes | undefined,
        args: Omit<LoadBalancerControllerArgs, "runsAfter">,
        opts: pulumi.ComponentResourceOptions,
    ): LoadBalancerController | undefined;
    /** What adds and removes the stack's nodes, after `nodes`; undefined where EKS scales the nodes itself. */
    createNodeAutoscaler(
        name: string,
        nodes: ManagedNodes | undefined,
        args: Omit<ClusterAutoscalerArgs, "runsAfter">,
        opts: pulumi.ComponentResourceOptions,
    ): ClusterAutoscaler | undefined;
    /** The cluster's own pods on the nodes, as the report counts them (systemPods.ts). */
    readonly systemPods: readonly SystemPodFacts[];
    /**
     * Kubernetes objects the mode needs before the workloads run, in the cluster `kubeconfig` reaches (opts
     * carries the target's provider; `refs`, what Auto Mode's NodeClass names).
     */
    createClusterObjects(
        name: string,
        kubeconfig: pulumi.Input<string>,
        refs: AutoModeNodeRefs,
        opts: pulumi.CustomResourceOptions,
    ): pulumi.Resource[];
    nodeFacts(zones: number): NodeFacts;
    /** How the nodes follow a control plane upgrade. */
    readonly nodeUpgrades: NodeUpgrade;
    /** Who turns a LoadBalancer Service into an NLB. */
    readonly loadBalancerMadeBy: LoadBalancerDescription["madeBy"];
    /** The nodes on the bill, as far as the stack decides them. */
    readonly nodeCost: NodeCostInputs;
    /**
     * The steps of a fresh `pulumi up` between the VPC and the NLB that each wait for the one before: the
     * dependencies this mode's resources are made with (tests/unit/recoveryPath.test.ts finds the same chain as the
     * critical path of the eks stack's resource graph).
     */
    readonly rebuildPath: readonly RebuildStepId[];
}

/**
 * A managed node group this stack sizes. Load balancing by the AWS Load Balancer Controller, which the stack
 * installs on the nodes (loadBalancerController.ts): the frontend Service names its class, so the cloud provider's
 * legacy controller in the control plane (NLBs with instance targets, TCP health checks on node ports) leaves it
 * alone, and gets an NLB with IP targets, an HTTP health check on the readiness path and the settings in
 * frontendLoadBalancer.ts. Pods of the app's namespace get the controller's readiness gate: a rollout waits until
 * the NLB sends to each new pod before the next old one goes.
 */
function managedNodeMode(nodes: Extract<EksNodes, { mode: "managed" }>): EksNodeMode {
    const { min, desired, max } = nodes.scaling;
    return {
        mode: "managed",
        // The VPC CNI's network policy agent enforces the app's NetworkPolicies (its add-on: nodeNetworking.ts).
        clusterArgs: { autoMode: undefined },
        trafficEntry: controllerTrafficEntry(),
        namespaceLabels: READINESS_GATE_NAMESPACE_LABEL,
        networkPolicyEnforcer: "vpc-cni",
        clusterAddons: ["coredns", "metrics-server"],
        // CoreDNS runs as kube-system pods labelled k8s-app=kube-dns, which the DNS egress policy selects.
        dnsServiceAddress: undefined,
        // The group keeps a node in every zone (nodeMinSize >= zoneCount), so the spread always sees every zone.
        nodesFollowPods: false,
        createNodes: (name, args, opts) =>
            new ManagedNodes(name, { ...args, instanceTypes: nodes.instanceTypes, scaling: nodes.scaling }, opts),
        createLoadBalancerController: (name, nodes, args, opts) =>
            new LoadBalancerController(
                name,
                // Its pods need nodes, and the Pod Identity Agent for their credentials.
                { ...args, runsAfter: nodes ? [...nodes.nodeGroups, nodes.networking.podIdentityAgent] : [] },
                opts,
            ),
        createNodeAutoscaler: (name, nodes, args, opts) =>
            new ClusterAutoscaler(
                name,
                // It scales the groups and runs on them, with credentials from the Pod Identity Agent.
                { ...args, runsAfter: nodes ? [...nodes.nodeGroups, nodes.networking.podIdentityAgent] : [] },
                opts,
            ),
        systemPods: [COREDNS_ADDON, METRICS_SERVER_ADDON, LOAD_BALANCER_CONTROLLER_PODS, CLUSTER_AUTOSCALER_PODS],
        createClusterObjects: () => [],
        nodeFacts: (zones) => ({
            zones,
            machine: { kind: "instanceTypes", types: [...nodes.instanceTypes] },
            autoscaling: {
                kind: "clusterAutoscaler",
                chartVersion: CLUSTER_AUTOSCALER_CHART.version,
                zones: zoneScaling(nodes.scaling, zones).map((zone) => ({ min: zone.min, max: zone.max })),
                min,
                max,
                desired,
            },
            scaledBy: "cluster-autoscaler",
            patchedBy: "you",
            // A new AMI release or kubernetesVersion: EKS replaces the nodes one at a time, within the budgets.
            patching: { kind: "nodeGroupRollout" },
        }),
        nodeUpgrades: { kind: "nodeGroupRollout" },
        loadBalancerMadeBy: "loadBalancerController",
        nodeCost: {
            kind: "instances",
            count: desired,
            // A group with several types is priced at its first.
            instanceType: nodes.instanceTypes[0],
            rootVolume: { gib: NODE_ROOT_VOLUME.ebs.volumeSize, type: NODE_ROOT_VOLUME.ebs.volumeType },
        },
        // The add-ons a node needs to turn Ready (Pod Identity Agent, VPC CNI: nodeNetworking.ts) come before the
        // node group; CoreDNS and metrics-server, whose pods need the nodes, after it.
        rebuildPath: ["controlPlane", "podIdentityAgent", "vpcCni", "nodeGroup", "podAddons"],
    };
}

/** Auto Mode's longest node lifetime: it replaces every node, patched, within this many days. */
const AUTO_MODE_MAX_NODE_AGE_DAYS = 21;

/**
 * EKS Auto Mode: EKS picks, launches, patches and removes the nodes. Its built-in load balancing takes Services
 * of class eks.amazonaws.com/nlb and reads the scheme annotation, which defaults to internal. It has its own pod
 * networking and no VPC CNI add-on, so the stack switches its network policy controller on.
 */
const AUTO_NODE_MODE: EksNodeMode = {
    mode: "auto",
    // Only the built-in system pool (CriticalAddonsOnly): the app's pods go to networkPolicyNodePool's nodes.
    clusterArgs: { autoMode: { enabled: true, computeConfig: { nodePools: ["system"] } } },
    trafficEntry: autoModeTrafficEntry(),
    namespaceLabels: undefined,
    networkPolicyEnforcer: "auto-mode",
    // Cluster DNS is built into Auto Mode: it is no add-on (pulumi/pulumi-eks#1726: the CoreDNS add-on fails on an
    // Auto Mode cluster), and it runs on each node, not as pods a NetworkPolicy's pod selector could name. Pods
    // still resolve through the kube-dns address, so the DNS egress rule allows that address
    // (aws/containers-roadmap#2552: a selector for k8s-app=kube-dns lets no DNS through in Auto Mode).
    clusterAddons: ["metrics-server"],
    dnsServiceAddress: CLUSTER_DNS_ADDRESS,
    // Auto Mode starts nodes for pending pods, one zone's node possibly long before the next.
    nodesFollowPods: true,
    createNodes: () => undefined,
    createLoadBalancerController: () => undefined,
    createNodeAutoscaler: () => undefined,
    // Cluster DNS is part of each node: no CoreDNS pods to lose.
    systemPods: [METRICS_SERVER_ADDON],
    createClusterObjects: (name, kubeconfig, refs, opts) => [
        enableAutoModeNetworkPolicies(name, kubeconfig, opts),
        ...networkPolicyNodePool(name, refs, opts),
    ],
    nodeFacts: (zones) => ({
        zones,
        machine: { kind: "autoMode" },
        autoscaling: { kind: "autoMode" },
        scaledBy: "cluster",
        patchedBy: "AWS",
        patching: { kind: "autoModeReplacement", maxNodeAgeDays: AUTO_MODE_MAX_NODE_AGE_DAYS },
    }),
    nodeUpgrades: { kind: "autoMode" },
    loadBalancerMadeBy: "autoMode",
    nodeCost: { kind: "chosenByCluster" },
    // No node group comes first: the add-ons' pods make Auto Mode launch a node. Auto Mode has cluster DNS built
    // in, so metrics-server is the only add-on to wait for.
    rebuildPath: ["autoModeControlPlane", "autoModeAddons"],
};

/** The strategy object of the configured node mode. */
export function eksNodeMode(nodes: EksNodes): EksNodeMode {
    return nodes.mode === "managed" ? managedNodeMode(nodes) : AUTO_NODE_MODE;
}
