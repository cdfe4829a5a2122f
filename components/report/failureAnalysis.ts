import { ControlPlaneFacts, NodeFacts, SpreadFacts, StackFacts, TierFacts } from "../facts";
import {
    egressClause,
    groupedByText,
    heldByDeadZone,
    nodeCapacityClause,
    scaleDownClause,
    systemPodsClause,
} from "./failureClauses";
import { fewestNodes, lostWithNode, lostWithZone, maxPodsPerDomain, zonesWithNodes } from "./placement";

export { maxPodsPerDomain } from "./placement";

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

export interface Scenario {
    readonly id: ScenarioId;
    readonly title: string;
}

export const SCENARIOS: readonly Scenario[] = [
    { id: "pod", title: "a pod dies" },
    { id: "node", title: "a node dies" },
    { id: "zone", title: "a zone dies" },
    { id: "control-plane-node", title: "the control plane loses a node" },
];

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
    readonly title: string;
    readonly tiers: readonly TierOutcome[];
    readonly controlPlane: ControlPlaneOutcome;
    /** Every tier keeps at least one pod, so requests are still answered. */
    readonly appUp: boolean;
    /** Why, in one line. */
    readonly reasoning: string;
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

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function describeControlPlane(outcome: ControlPlaneOutcome): string {
    return (
        `${outcome.apiServersLeft} of ${plural(outcome.apiServers, "API server")} and ` +
        `${outcome.etcdMembersLeft} of ${plural(outcome.etcdMembers, "etcd member")} left (quorum ${outcome.etcdQuorum})`
    );
}

/** Why a domain holds at most this many pods: the spread rule in words. */
function placementReason(
    replicas: number,
    domains: number,
    spread: SpreadFacts | null,
    domain: "node" | "zone",
): string {
    if (domains <= 1) {
        return `the only ${domain} holds all ${replicas} pods`;
    }
    if (spread === null || spread.whenUnsatisfiable === "ScheduleAnyway") {
        const rule = spread === null ? `no ${domain} spread` : `${domain} spread is ScheduleAnyway, a preference`;
        return `${rule}: all ${replicas} pods may share one ${domain}`;
    }
    const most = maxPodsPerDomain(replicas, domains, spread);
    return `DoNotSchedule (maxSkew ${spread.maxSkew}) over ${domains} ${domain}s puts at most ${most} of ${replicas} pods in one`;
}

function nodeLossReason(tier: TierFacts, nodes: NodeFacts): string {
    const fewest = fewestNodes(nodes);
    if (fewest === 1) {
        return placementReason(tier.minReplicas, 1, tier.nodeSpread, "node");
    }
    const zones = zonesWithNodes(nodes);
    const zoneBound = podsLostWithZone(tier, nodes);
    const nodeBound = fewest === null ? tier.minReplicas : maxPodsPerDomain(tier.minReplicas, fewest, tier.nodeSpread);
    if (nodeBound <= zoneBound && fewest !== null) {
        return placementReason(tier.minReplicas, fewest, tier.nodeSpread, "node");
    }
    const nodeRule =
        fewest === null
            ? "the cluster picks the nodes"
            : `node spread is ${tier.nodeSpread?.whenUnsatisfiable ?? "absent"}`;
    return `${placementReason(tier.minReplicas, zones, tier.zoneSpread, "zone")}, and ${nodeRule}, so one node may hold a zone's share`;
}

/** Tiers with the same reason share one clause: "frontend, backend: ...". */
const groupedReasons = (tiers: readonly TierFacts[], reason: (tier: TierFacts) => string) =>
    groupedByText(tiers, reason);

/** The clauses that apply, in order, as one reasoning. */
const clauses = (...parts: (string | undefined)[]) => parts.filter((part) => part !== undefined).join("; ");

function tierOutcomes(tiers: readonly TierFacts[], lost: (tier: TierFacts) => number): TierOutcome[] {
    return tiers.map((tier) => {
        const count = Math.min(tier.minReplicas, lost(tier));
        return { tier: tier.name, replicas: tier.minReplicas, lost: count, survivors: tier.minReplicas - count };
    });
}

function outcome(
    scenario: Scenario,
    tiers: TierOutcome[],
    controlPlane: ControlPlaneOutcome,
    reasoning: string,
): ScenarioOutcome {
    return {
        scenario: scenario.id,
        title: scenario.title,
        tiers,
        controlPlane,
        appUp: tiers.length > 0 && tiers.every((tier) => tier.survivors >= 1),
        reasoning,
    };
}

function podDies(facts: StackFacts, scenario: Scenario): ScenarioOutcome {
    const tiers = tierOutcomes(facts.app.tiers, () => 1);
    const fewest = Math.min(...facts.app.tiers.map((tier) => tier.minReplicas));
    const others =
        fewest > 1
            ? `every tier runs at least ${fewest} pods, so the others answer while readiness takes the dead one out of its Service and the ReplicaSet controller starts a replacement`
            : "a tier with 1 pod has none until the ReplicaSet controller's replacement is ready";
    return outcome(scenario, tiers, controlPlaneAfter(facts.cluster.controlPlane, NOTHING), others);
}

function nodeDies(facts: StackFacts, scenario: Scenario): ScenarioOutcome {
    const { nodes, controlPlane } = facts.cluster;
    const tiers = tierOutcomes(facts.app.tiers, (tier) => podsLostWithNode(tier, nodes));
    const shared = controlPlane.sharesNodesWithWorkloads;
    const after = controlPlaneAfter(controlPlane, shared ? ONE_CONTROL_PLANE_NODE : NOTHING);
    const controlPlaneText = !shared
        ? "the control plane does not run on your nodes"
        : nodes.count === 1
          ? `it is the control plane too: ${describeControlPlane(after)}`
          : `it may be a control plane node too: ${describeControlPlane(after)}`;
    return outcome(
        scenario,
        tiers,
        after,
        clauses(
            groupedReasons(facts.app.tiers, (tier) => nodeLossReason(tier, nodes)),
            controlPlaneText,
            nodeCapacityClause(nodes, "node"),
            systemPodsClause(facts.cluster, "node"),
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

/**
 * What happens to the lost pods, as the node lifecycle controller and the scheduler handle it: the dead zone's
 * nodes turn NotReady and get the unreachable taint, the pods are evicted when their toleration of it ends,
 * and the ReplicaSets' replacements are placed by the spread rules, which may still count the dead zone.
 */
function zoneRecovery(tiers: readonly TierFacts[], nodes: NodeFacts): string {
    return groupedReasons(
        tiers,
        (tier) =>
            heldByDeadZone(tier, nodes) ??
            "the lost pods are evicted when their toleration of the unreachable nodes ends (300 s by default) and " +
                "their replacements start in the zones left",
    );
}

function zoneDies(facts: StackFacts, scenario: Scenario): ScenarioOutcome {
    const { nodes, controlPlane } = facts.cluster;
    const tiers = tierOutcomes(facts.app.tiers, (tier) => podsLostWithZone(tier, nodes));
    const after = controlPlaneAfter(controlPlane, controlPlaneLostWithZone(controlPlane));
    const placement = groupedReasons(facts.app.tiers, (tier) =>
        placementReason(tier.minReplicas, zonesWithNodes(nodes), tier.zoneSpread, "zone"),
    );
    const controlPlaneText = `the control plane spans ${plural(controlPlane.zones, "zone")}: ${describeControlPlane(after)}`;
    const zones = zonesWithNodes(nodes) > 1;
    return outcome(
        scenario,
        tiers,
        after,
        clauses(
            placement,
            scaleDownClause(facts.app.tiers, nodes),
            zones ? zoneRecovery(facts.app.tiers, nodes) : undefined,
            zones ? nodeCapacityClause(nodes, "zone") : undefined,
            egressClause(facts.cluster, facts.app.tiers),
            zones ? systemPodsClause(facts.cluster, "zone") : undefined,
            controlPlaneText,
        ),
    );
}

function controlPlaneNodeDies(facts: StackFacts, scenario: Scenario): ScenarioOutcome {
    const { nodes, controlPlane } = facts.cluster;
    const shared = controlPlane.sharesNodesWithWorkloads;
    const tiers = tierOutcomes(facts.app.tiers, (tier) => (shared ? podsLostWithNode(tier, nodes) : 0));
    const after = controlPlaneAfter(controlPlane, ONE_CONTROL_PLANE_NODE);
    const state = after.available ? "the API keeps answering" : "the API is down";
    const pods = shared
        ? nodes.count === 1
            ? "that node is also the only worker, so every pod goes with it (had only the control plane's processes died, the running pods would keep serving, but nothing could be scheduled, scaled or changed)"
            : `it runs pods too: ${groupedReasons(facts.app.tiers, (tier) => nodeLossReason(tier, nodes))}`
        : "no pod runs there, so the app is untouched";
    const repair =
        controlPlane.managedBy === "you"
            ? "bringing it back is your job"
            : `${controlPlane.managedBy} replaces the instance`;
    return outcome(scenario, tiers, after, `${describeControlPlane(after)}: ${state}, and ${repair}; ${pods}`);
}

const ANALYSES: Record<ScenarioId, (facts: StackFacts, scenario: Scenario) => ScenarioOutcome> = {
    pod: podDies,
    node: nodeDies,
    zone: zoneDies,
    "control-plane-node": controlPlaneNodeDies,
};

/** Every scenario, in SCENARIOS order. */
export function analyseFailures(facts: StackFacts): ScenarioOutcome[] {
    return SCENARIOS.map((scenario) => ANALYSES[scenario.id](facts, scenario));
}
