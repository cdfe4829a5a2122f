import { ControlPlaneFacts, NodeFacts, SpreadFacts, StackFacts, TierFacts } from "../facts";
import {
    egressReason,
    heldByDeadZone,
    nodeCapacityReason,
    scaleDownReason,
    systemPodsReason,
    zoneReplacementsReason,
} from "./clusterReasons";
import { Domain, FailureReason, NodeLossBound, PerTier, PlacementBound } from "./failureReasons";
import { fewestNodes, isSingleNode, lostWithNode, lostWithZone, maxPodsPerDomain, zonesWithNodes } from "./placement";

/*
 * Worst-case model. Each tier runs at its HPA minimum (the fewest pods it can have when the failure hits), on the
 * fewest nodes the cluster can scale down to (the node groups' minimum: every zone keeps a node). Pods sit wherever
 * the spread constraints allow the scheduler to put them, and the failure strikes the domain (node or zone) that
 * holds the most:
 * - DoNotSchedule with maxSkew k over d domains: no domain may exceed the emptiest by more than k, so one holds
 *   at most floor((replicas + (d - 1) * k) / d) pods; for k = 1 that is ceil(replicas / d).
 * - ScheduleAnyway, a preferred anti-affinity, or no constraint: a preference the scheduler may ignore, so every
 *   pod may share one domain.
 * - A node lies inside one zone, so it never holds more than its zone's share.
 * Spread is enforced when a pod is scheduled only: no descheduler runs, and a ReplicaSet scaling down picks the
 * pods to remove without looking at zones, so after an HPA scale-down one zone can hold more than this until its
 * pods are replaced (the zone row says how many). The control plane keeps serving the API while at least one API
 * server is left and etcd keeps quorum (a majority of its members). Running pods do not need the API to serve, but
 * nothing can be changed, scaled or rescheduled without it. The cluster's own pods on the nodes (cluster DNS,
 * metrics-server, controllers) are counted the same way; the app is "up" while every tier keeps a pod.
 */

export type ScenarioId = "pod" | "node" | "zone" | "control-plane-node";

/** The scenarios, in the order the comparison lists them. */
export const SCENARIOS: readonly ScenarioId[] = ["pod", "node", "zone", "control-plane-node"];

export interface TierOutcome {
    readonly tier: string;
    readonly replicas: number;
    readonly lost: number;
    readonly survivors: number;
}

export interface ControlPlaneOutcome {
    readonly apiServers: number;
    readonly apiServersLeft: number;
    readonly etcdMembers: number;
    readonly etcdMembersLeft: number;
    readonly etcdQuorum: number;
    /** The API answers: an API server is left and etcd has quorum. */
    readonly available: boolean;
}

export interface ScenarioOutcome {
    readonly scenario: ScenarioId;
    readonly tiers: readonly TierOutcome[];
    readonly controlPlane: ControlPlaneOutcome;
    /** Every tier keeps at least one pod, so requests are still answered. */
    readonly appUp: boolean;
    /** Why, in the order the comparison states them. */
    readonly reasons: readonly FailureReason[];
}

/** Pods of `tier` a zone outage takes, worst case. */
export function podsLostWithZone(tier: TierFacts, nodes: NodeFacts): number {
    return lostWithZone(tier.minReplicas, tier.zoneSpread, nodes);
}

/** Pods of `tier` a node outage takes, worst case. */
export function podsLostWithNode(tier: TierFacts, nodes: NodeFacts): number {
    return lostWithNode(tier.minReplicas, tier.zoneSpread, tier.nodeSpread, nodes);
}

/** Members etcd needs to keep answering: a majority. */
export function etcdQuorum(members: number): number {
    return Math.floor(members / 2) + 1;
}

/** The control plane after losing `apiServers` API servers and `etcdMembers` etcd members. */
export function controlPlaneAfter(
    controlPlane: ControlPlaneFacts,
    lost: { readonly apiServers: number; readonly etcdMembers: number },
): ControlPlaneOutcome {
    const apiServersLeft = Math.max(0, controlPlane.apiServers - lost.apiServers);
    const etcdMembersLeft = Math.max(0, controlPlane.etcdMembers - lost.etcdMembers);
    const quorum = etcdQuorum(controlPlane.etcdMembers);
    return {
        apiServers: controlPlane.apiServers,
        apiServersLeft,
        etcdMembers: controlPlane.etcdMembers,
        etcdMembersLeft,
        etcdQuorum: quorum,
        available: apiServersLeft >= 1 && etcdMembersLeft >= quorum,
    };
}

/** One control plane machine: worst case it runs an API server and an etcd member (stacked, as kubeadm does). */
const ONE_CONTROL_PLANE_NODE = { apiServers: 1, etcdMembers: 1 } as const;
const NOTHING = { apiServers: 0, etcdMembers: 0 } as const;

/** What a zone outage takes from the control plane: an even spread over its zones, or everything in one. */
function controlPlaneLostWithZone(controlPlane: ControlPlaneFacts): { apiServers: number; etcdMembers: number } {
    const share = (count: number) => (controlPlane.zones <= 1 ? count : Math.ceil(count / controlPlane.zones));
    return { apiServers: share(controlPlane.apiServers), etcdMembers: share(controlPlane.etcdMembers) };
}

/** Why a domain holds at most this many pods: the spread rule, with its figures. */
function placementBound(replicas: number, domains: number, spread: SpreadFacts | null, domain: Domain): PlacementBound {
    if (domains <= 1) {
        return { kind: "onlyDomain", domain, replicas };
    }
    if (spread === null || spread.whenUnsatisfiable === "ScheduleAnyway") {
        return { kind: "unspread", domain, replicas, spread: spread === null ? "none" : "ScheduleAnyway" };
    }
    const most = maxPodsPerDomain(replicas, domains, spread);
    return { kind: "spreadBound", domain, replicas, maxSkew: spread.maxSkew, domains, most };
}

function nodeLossBound(tier: TierFacts, nodes: NodeFacts): NodeLossBound {
    const fewest = fewestNodes(nodes);
    if (fewest === 1) {
        return placementBound(tier.minReplicas, 1, tier.nodeSpread, "node");
    }
    const zoneBound = podsLostWithZone(tier, nodes);
    const nodeBound = fewest === null ? tier.minReplicas : maxPodsPerDomain(tier.minReplicas, fewest, tier.nodeSpread);
    if (nodeBound <= zoneBound && fewest !== null) {
        return placementBound(tier.minReplicas, fewest, tier.nodeSpread, "node");
    }
    return {
        kind: "zoneShare",
        zone: placementBound(tier.minReplicas, zonesWithNodes(nodes), tier.zoneSpread, "zone"),
        nodes: fewest === null ? "pickedByCluster" : (tier.nodeSpread?.whenUnsatisfiable ?? "absent"),
    };
}

const perTier = <T>(tiers: readonly TierFacts[], reason: (tier: TierFacts) => T): PerTier<T>[] =>
    tiers.map((tier) => ({ tier: tier.name, reason: reason(tier) }));

/** The reasons that apply, in order. */
const reasons = (...parts: (FailureReason | undefined)[]) =>
    parts.filter((part): part is FailureReason => part !== undefined);

function tierOutcomes(tiers: readonly TierFacts[], lost: (tier: TierFacts) => number): TierOutcome[] {
    return tiers.map((tier) => {
        const count = Math.min(tier.minReplicas, lost(tier));
        return { tier: tier.name, replicas: tier.minReplicas, lost: count, survivors: tier.minReplicas - count };
    });
}

function outcome(
    scenario: ScenarioId,
    tiers: TierOutcome[],
    controlPlane: ControlPlaneOutcome,
    why: FailureReason[],
): ScenarioOutcome {
    return {
        scenario,
        tiers,
        controlPlane,
        appUp: tiers.length > 0 && tiers.every((tier) => tier.survivors >= 1),
        reasons: why,
    };
}

function podDies(facts: StackFacts): ScenarioOutcome {
    const tiers = tierOutcomes(facts.app.tiers, () => 1);
    const fewestReplicas = Math.min(...facts.app.tiers.map((tier) => tier.minReplicas));
    return outcome("pod", tiers, controlPlaneAfter(facts.cluster.controlPlane, NOTHING), [
        { kind: "podReplaced", fewestReplicas },
    ]);
}

function nodeDies(facts: StackFacts): ScenarioOutcome {
    const { nodes, controlPlane } = facts.cluster;
    const tiers = tierOutcomes(facts.app.tiers, (tier) => podsLostWithNode(tier, nodes));
    const shared = controlPlane.sharesNodesWithWorkloads;
    const after = controlPlaneAfter(controlPlane, shared ? ONE_CONTROL_PLANE_NODE : NOTHING);
    return outcome(
        "node",
        tiers,
        after,
        reasons(
            { kind: "nodePlacement", tiers: perTier(facts.app.tiers, (tier) => nodeLossBound(tier, nodes)) },
            { kind: "nodeRunsControlPlane", runs: !shared ? "no" : isSingleNode(nodes) ? "only" : "maybe" },
            nodeCapacityReason(nodes, "node"),
            systemPodsReason(facts.cluster, "node"),
        ),
    );
}

/**
 * Tiers whose replacements cannot leave a dead zone: a required zone spread that still counts its NotReady nodes,
 * or one whose minDomains makes the scheduler count the lost zone as empty.
 */
export function tiersHeldByDeadZone(tiers: readonly TierFacts[], nodes: NodeFacts): TierFacts[] {
    return tiers.filter((tier) => heldByDeadZone(tier, nodes) !== undefined);
}

function zoneDies(facts: StackFacts): ScenarioOutcome {
    const { nodes, controlPlane } = facts.cluster;
    const tiers = tierOutcomes(facts.app.tiers, (tier) => podsLostWithZone(tier, nodes));
    const after = controlPlaneAfter(controlPlane, controlPlaneLostWithZone(controlPlane));
    const zones = zonesWithNodes(nodes) > 1;
    return outcome(
        "zone",
        tiers,
        after,
        reasons(
            {
                kind: "zonePlacement",
                tiers: perTier(facts.app.tiers, (tier) =>
                    placementBound(tier.minReplicas, zonesWithNodes(nodes), tier.zoneSpread, "zone"),
                ),
            },
            scaleDownReason(facts.app.tiers, nodes),
            zones ? zoneReplacementsReason(facts.app.tiers, nodes) : undefined,
            zones ? nodeCapacityReason(nodes, "zone") : undefined,
            egressReason(facts.cluster, facts.app.tiers),
            zones ? systemPodsReason(facts.cluster, "zone") : undefined,
            { kind: "controlPlaneZones", zones: controlPlane.zones },
        ),
    );
}

function controlPlaneNodeDies(facts: StackFacts): ScenarioOutcome {
    const { nodes, controlPlane } = facts.cluster;
    const shared = controlPlane.sharesNodesWithWorkloads;
    const tiers = tierOutcomes(facts.app.tiers, (tier) => (shared ? podsLostWithNode(tier, nodes) : 0));
    const pods = !shared
        ? ({ kind: "noPods" } as const)
        : isSingleNode(nodes)
          ? ({ kind: "onlyWorker" } as const)
          : ({ kind: "sharedNodes", tiers: perTier(facts.app.tiers, (tier) => nodeLossBound(tier, nodes)) } as const);
    return outcome("control-plane-node", tiers, controlPlaneAfter(controlPlane, ONE_CONTROL_PLANE_NODE), [
        { kind: "controlPlaneNodeLost", repairedBy: controlPlane.managedBy, pods },
    ]);
}

const ANALYSES: Record<ScenarioId, (facts: StackFacts) => ScenarioOutcome> = {
    pod: podDies,
    node: nodeDies,
    zone: zoneDies,
    "control-plane-node": controlPlaneNodeDies,
};

/** Every scenario, in SCENARIOS order. */
export function analyseFailures(facts: StackFacts): ScenarioOutcome[] {
    return SCENARIOS.map((scenario) => ANALYSES[scenario](facts));
}
