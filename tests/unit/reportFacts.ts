import {
    ClusterFacts,
    LoadBalancerFacts,
    NodeScaler,
    SpreadFacts,
    StackFacts,
    SystemPodFacts,
    TierFacts,
    TierProbeFacts,
} from "../../components/facts";
import { unbilledCost } from "../../components/targets/unbilledCost";

/** Small hand-made facts for the analysis and cost tests; only what a test names differs from these. */

export const REQUIRED: SpreadFacts = {
    whenUnsatisfiable: "DoNotSchedule",
    maxSkew: 1,
    nodeTaintsPolicy: "Honor",
    minDomains: null,
};
export const PREFERRED: SpreadFacts = {
    whenUnsatisfiable: "ScheduleAnyway",
    maxSkew: 1,
    nodeTaintsPolicy: "Honor",
    minDomains: null,
};

/** The probes every tier of the app has (components/app/tier.ts). */
export const PROBES: TierProbeFacts = {
    readiness: { periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
    liveness: { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    startup: { periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
};

export function tier(
    name: string,
    replicas: number,
    spread: { zone?: SpreadFacts | null; node?: SpreadFacts | null } = {},
): TierFacts {
    return {
        name,
        minReplicas: replicas,
        maxReplicas: replicas * 2,
        cpuTargetUtilization: 70,
        zoneSpread: spread.zone === undefined ? REQUIRED : spread.zone,
        nodeSpread: spread.node === undefined ? PREFERRED : spread.node,
        disruptionBudget: { maxUnavailable: 1, minAvailable: null },
        serviceType: "ClusterIP",
        probes: PROBES,
        imagePullPolicy: "IfNotPresent",
    };
}

export interface ClusterShape {
    readonly nodes: number | null;
    readonly zones: number;
    readonly apiServers: number;
    readonly etcdMembers: number;
    readonly controlPlaneZones: number;
    readonly sharesNodesWithWorkloads: boolean;
    readonly managedBy: "you" | "AWS";
    /** Default: nothing adds nodes. */
    readonly scaledBy?: NodeScaler;
    /** Default: none. */
    readonly systemPods?: readonly SystemPodFacts[];
}

export function cluster(shape: ClusterShape): ClusterFacts {
    return {
        kind: "test cluster",
        region: null,
        runsOn: { kind: "yourMachine" },
        controlPlane: {
            managedBy: shape.managedBy,
            location: { kind: "unseenCluster", kubeContext: "test" },
            apiServers: shape.apiServers,
            etcdMembers: shape.etcdMembers,
            zones: shape.controlPlaneZones,
            etcdBackup: shape.managedBy,
            etcdBackupHow: { kind: "clusterTool" },
            sharesNodesWithWorkloads: shape.sharesNodesWithWorkloads,
            source: "https://example.com/",
        },
        nodes: {
            zones: shape.zones,
            machine: { kind: "clusterOwn" },
            // A count the shape gives is fixed; none: the stack does not decide it.
            autoscaling: shape.nodes === null ? { kind: "notManaged" } : { kind: "fixed", nodes: shape.nodes },
            scaledBy: shape.scaledBy ?? "nothing",
            patchedBy: "you",
            patching: { kind: "clusterTool" },
        },
        systemPods: shape.systemPods ?? [],
        security: {
            networkPolicies: { enforced: "yes", by: { kind: "unseenCni" } },
            secretsEncryption: null,
            controlPlaneLogs: [],
            controlPlaneLogDestination: null,
            authentication: { kind: "kubeContextCredentials", kubeContext: "test" },
        },
        upgrades: { kubernetesVersion: null, controlPlane: { kind: "clusterTool" }, nodes: { kind: "clusterTool" } },
        loadBalancer: null,
        cost: { ...unbilledCost("ownMachine"), zones: shape.zones },
    };
}

/** An NLB in three zones, as the AWS Load Balancer Controller makes it for eks. */
export const THREE_ZONE_NLB: LoadBalancerFacts = {
    product: "network-load-balancer",
    description: { kind: "awsNetworkLoadBalancer", scheme: "internet-facing", madeBy: "loadBalancerController" },
    zones: 3,
};

/** One node that is also the whole control plane, as minikube is. */
export const ONE_NODE: ClusterShape = {
    nodes: 1,
    zones: 1,
    apiServers: 1,
    etcdMembers: 1,
    controlPlaneZones: 1,
    sharesNodesWithWorkloads: true,
    managedBy: "you",
};

/** Three nodes in three zones under a managed control plane of 2 API servers and 3 etcd members in 3 zones, as EKS is. */
export const THREE_ZONES: ClusterShape = {
    nodes: 3,
    zones: 3,
    apiServers: 2,
    etcdMembers: 3,
    controlPlaneZones: 3,
    sharesNodesWithWorkloads: false,
    managedBy: "AWS",
};

export function stack(shape: ClusterShape, tiers: TierFacts[]): StackFacts {
    return {
        stack: "test",
        target: "test",
        cluster: cluster(shape),
        app: { tiers, trafficEntry: null, loadBalancerServices: 0, networkPolicies: 0, durableVolumes: 0 },
    };
}

/** A reason that holds alike for the app's two tiers, as the analysis lists it: frontend first. */
export function bothTiers<T>(reason: T): { tier: string; reason: T }[] {
    return ["frontend", "backend"].map((name) => ({ tier: name, reason }));
}

/** Per-tier reasons in the analysis' order: frontend, then backend. */
export function byTier<T>(frontend: T, backend: T): { tier: string; reason: T }[] {
    return [
        { tier: "frontend", reason: frontend },
        { tier: "backend", reason: backend },
    ];
}

/** 3 pods over 3 zones under a DoNotSchedule spread of maxSkew 1: a zone holds at most 1. */
export const ONE_PER_ZONE = {
    kind: "spreadBound",
    domain: "zone",
    replicas: 3,
    maxSkew: 1,
    domains: 3,
    most: 1,
} as const;
