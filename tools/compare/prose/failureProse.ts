import { StackFacts } from "../../../components/facts";
import { ControlPlaneOutcome, ScenarioId, ScenarioOutcome } from "../../../components/report/failureAnalysis";
import {
    FailureReason,
    NodeLossBound,
    PlacementBound,
    SystemPodLoss,
    ZoneReplacement,
} from "../../../components/report/failureReasons";
import { withoutSystemPodText } from "./clusterProse";
import { perTierText, plural } from "./words";

/** The failure analysis in words: one function per reason kind, each sentence written once. */

export const SCENARIO_TITLES: Readonly<Record<ScenarioId, string>> = {
    pod: "a pod dies",
    node: "a node dies",
    zone: "a zone dies",
    "control-plane-node": "the control plane loses a node",
};

function controlPlaneText(outcome: ControlPlaneOutcome): string {
    return (
        `${outcome.apiServersLeft} of ${plural(outcome.apiServers, "API server")} and ` +
        `${outcome.etcdMembersLeft} of ${plural(outcome.etcdMembers, "etcd member")} left (quorum ${outcome.etcdQuorum})`
    );
}

export function placementText(bound: PlacementBound): string {
    switch (bound.kind) {
        case "onlyDomain":
            return `the only ${bound.domain} holds all ${bound.replicas} pods`;
        case "unspread": {
            const rule =
                bound.spread === "none"
                    ? `no ${bound.domain} spread`
                    : `${bound.domain} spread is ScheduleAnyway, a preference`;
            return `${rule}: all ${bound.replicas} pods may share one ${bound.domain}`;
        }
        case "spreadBound":
            return `DoNotSchedule (maxSkew ${bound.maxSkew}) over ${bound.domains} ${bound.domain}s puts at most ${bound.most} of ${bound.replicas} pods in one`;
    }
}

export function nodeLossText(bound: NodeLossBound): string {
    if (bound.kind !== "zoneShare") {
        return placementText(bound);
    }
    const nodeRule =
        bound.nodes === "pickedByCluster" ? "the cluster picks the nodes" : `node spread is ${bound.nodes}`;
    return `${placementText(bound.zone)}, and ${nodeRule}, so one node may hold a zone's share`;
}

function systemPodText(pod: SystemPodLoss, domain: string, facts: StackFacts): string {
    if (pod.lost < pod.replicas) {
        return `${pod.name}: ${pod.replicas - pod.lost} of ${pod.replicas} pods left`;
    }
    const which =
        pod.replicas === 1 ? "its one pod" : pod.replicas === 2 ? "both its pods" : `all ${pod.replicas} of its pods`;
    const why = pod.replicas === 1 ? "" : `, its ${domain} spread being a preference`;
    const systemPod = facts.cluster.systemPods.find((candidate) => candidate.name === pod.name);
    const withoutIt = systemPod ? withoutSystemPodText(systemPod.withoutIt) : "?";
    return `${pod.name}: ${which} may be on the lost ${domain}${why}: ${withoutIt}, until a replacement is Ready`;
}

export function zoneReplacementText(replacement: ZoneReplacement): string {
    switch (replacement.kind) {
        case "evictedAndReplaced":
            return (
                `the lost pods are evicted when their toleration of the unreachable nodes ends (${replacement.tolerationSeconds} s by default) and ` +
                "their replacements start in the zones left"
            );
        case "deadZoneCounted":
            return "the replacements stay Pending while the dead zone's nodes exist, as DoNotSchedule still counts that zone (nodeTaintsPolicy Ignore)";
        case "minDomainsHold":
            return (
                `the replacements stay Pending until the zone is back: with minDomains ${replacement.minDomains} and ${plural(replacement.zonesLeft, "zone")} left ` +
                `the scheduler counts the emptiest zone as 0, so a zone takes a pod only while it holds fewer than ${replacement.maxSkew} (maxSkew), ` +
                "and each zone left already holds its share"
            );
    }
}

const CAPACITY: Readonly<Record<"node" | "zone", string>> = {
    node: "replacements that find no room on the nodes left make the Cluster Autoscaler add nodes in the zones where they fit, up to each zone group's maximum",
    zone: "the lost zone's node group cannot launch in another zone (one group per zone); replacements that find no room in the zones left make the Cluster Autoscaler grow those zones' groups, up to their maximum",
};

function pullText(policy: string): string {
    return policy === "Always"
        ? "imagePullPolicy Always asks the registry at every start, so no replacement starts"
        : `imagePullPolicy ${policy}, so replacements start on nodes that already hold the image (those that ran the tier), not on new ones`;
}

/** One reason as a clause; `outcome` supplies the control plane's figures. */
export function failureReasonText(reason: FailureReason, outcome: ScenarioOutcome, facts: StackFacts): string {
    switch (reason.kind) {
        case "podReplaced":
            return reason.fewestReplicas > 1
                ? `every tier runs at least ${reason.fewestReplicas} pods, so the others answer while readiness takes the dead one out of its Service and the ReplicaSet controller starts a replacement`
                : "a tier with 1 pod has none until the ReplicaSet controller's replacement is ready";
        case "nodePlacement":
            return perTierText(reason.tiers, nodeLossText);
        case "zonePlacement":
            return perTierText(reason.tiers, placementText);
        case "nodeRunsControlPlane":
            return reason.runs === "no"
                ? "the control plane does not run on your nodes"
                : `${reason.runs === "only" ? "it is the control plane too" : "it may be a control plane node too"}: ${controlPlaneText(outcome.controlPlane)}`;
        case "nodeCapacity":
            switch (reason.scaledBy) {
                case "cluster-autoscaler":
                    return CAPACITY[reason.domain];
                case "cluster":
                    return "EKS Auto Mode launches nodes for replacements that find no room";
                case "nothing":
                    return "nothing adds nodes: replacements that find no room on the nodes left stay Pending";
            }
            break;
        case "systemPods":
            return `the cluster's own pods: ${reason.pods.map((pod) => systemPodText(pod, reason.domain, facts)).join("; ")}`;
        case "scaleDownSkew":
            return (
                "counted as the scheduler places pods; an HPA scale-down removes pods without looking at zones, so until they " +
                `are replaced one zone can hold more: ${reason.tiers.map((tier) => `${tier.tier} ${tier.most} of ${tier.replicas} (from ${tier.maxReplicas})`).join(", ")}`
            );
        case "zoneReplacements":
            return perTierText(reason.tiers, zoneReplacementText);
        case "natPerZone":
            return "each zone has its own NAT gateway, so the zones left keep their way out (image pulls, AWS APIs)";
        case "sharedNat":
            return (
                `${reason.natGateways === 1 ? "one NAT gateway" : `${reason.natGateways} NAT gateways`} for ${reason.zones} zones: if the lost zone held it, ` +
                "the zones left lose their way out too: no image pull from outside the VPC (ECR included: no VPC endpoints), no AWS API " +
                "call (a new node cannot turn Ready, the controllers' calls fail); a pod's start needs nothing from outside the VPC " +
                `but its image, and that only where its node lacks it or the pull policy is Always; ${perTierText(reason.pulls, pullText)}`
            );
        case "controlPlaneZones":
            return `the control plane spans ${plural(reason.zones, "zone")}: ${controlPlaneText(outcome.controlPlane)}`;
        case "controlPlaneNodeLost": {
            const state = outcome.controlPlane.available ? "the API keeps answering" : "the API is down";
            const repair =
                reason.repairedBy === "you"
                    ? "bringing it back is your job"
                    : `${reason.repairedBy} replaces the instance`;
            const pods =
                reason.pods.kind === "onlyWorker"
                    ? "that node is also the only worker, so every pod goes with it (had only the control plane's processes died, the running pods would keep serving, but nothing could be scheduled, scaled or changed)"
                    : reason.pods.kind === "noPods"
                      ? "no pod runs there, so the app is untouched"
                      : `it runs pods too: ${perTierText(reason.pods.tiers, nodeLossText)}`;
            return `${controlPlaneText(outcome.controlPlane)}: ${state}, and ${repair}; ${pods}`;
        }
    }
}

/** Why a scenario ends as it does, in one line. */
export function failureReasoning(outcome: ScenarioOutcome, facts: StackFacts): string {
    return outcome.reasons.map((reason) => failureReasonText(reason, outcome, facts)).join("; ");
}
