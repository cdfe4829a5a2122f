import { ClusterFacts, NodeFacts, SystemPodFacts, TierFacts } from "../facts";
import { Domain, FailureReason, PerTier, ZoneReplacement } from "./failureReasons";
import { isSingleNode, lostWithNode, lostWithZone, maxPodsPerDomain, zonesWithNodes } from "./placement";
import { UNREACHABLE_TOLERATION } from "./recoveryTimings";

/*
 * The parts of a node or zone failure that are not the app's pods: the cluster's own pods on the nodes, what adds
 * nodes for the replacements, the way out of the VPC, and where the spread rules cannot hold. Each function gives
 * one reason, or undefined where it has nothing to add.
 */

function systemPodLoss(pod: SystemPodFacts, nodes: NodeFacts, domain: Domain) {
    const lost =
        domain === "zone"
            ? lostWithZone(pod.replicas, pod.zoneSpread, nodes)
            : lostWithNode(pod.replicas, pod.zoneSpread, pod.nodeSpread, nodes);
    return { name: pod.name, replicas: pod.replicas, lost };
}

/** What the loss does to the cluster's own pods (CoreDNS, metrics-server, the controllers). */
export function systemPodsReason(cluster: ClusterFacts, domain: Domain): FailureReason | undefined {
    if (cluster.systemPods.length === 0) {
        return undefined;
    }
    return {
        kind: "systemPods",
        domain,
        pods: cluster.systemPods.map((pod) => systemPodLoss(pod, cluster.nodes, domain)),
    };
}

/** Who adds nodes when the replacements find no room on the nodes left; undefined on one node, or unknown. */
export function nodeCapacityReason(nodes: NodeFacts, domain: Domain): FailureReason | undefined {
    if (isSingleNode(nodes) || nodes.scaledBy === "unknown") {
        return undefined;
    }
    return { kind: "nodeCapacity", domain, scaledBy: nodes.scaledBy };
}

/**
 * The zones left and their way out of the VPC. With one NAT gateway for every zone, losing its zone cuts the
 * others off too: a pod then starts only where nothing must be fetched from outside the VPC.
 */
export function egressReason(cluster: ClusterFacts, tiers: readonly TierFacts[]): FailureReason | undefined {
    const { natGateways } = cluster.cost;
    if (natGateways === 0) {
        return undefined;
    }
    if (natGateways >= cluster.nodes.zones) {
        return { kind: "natPerZone" };
    }
    return {
        kind: "sharedNat",
        natGateways,
        zones: cluster.nodes.zones,
        pulls: tiers.map((tier) => ({ tier: tier.name, reason: tier.imagePullPolicy })),
    };
}

/**
 * After an HPA scale-down the ReplicaSet removes pods without looking at zones, so until they are replaced one zone
 * can hold more of a tier than the spread lets the scheduler put there: up to its share of the tier's maximum.
 */
export function scaleDownReason(tiers: readonly TierFacts[], nodes: NodeFacts): FailureReason | undefined {
    const zones = zonesWithNodes(nodes);
    const fuller = tiers.flatMap((tier) => {
        const placed = maxPodsPerDomain(tier.minReplicas, zones, tier.zoneSpread);
        const most = Math.min(tier.minReplicas, maxPodsPerDomain(tier.maxReplicas, zones, tier.zoneSpread));
        return most > placed
            ? [{ tier: tier.name, most, replicas: tier.minReplicas, maxReplicas: tier.maxReplicas }]
            : [];
    });
    return zones <= 1 || fuller.length === 0 ? undefined : { kind: "scaleDownSkew", tiers: fuller };
}

/** Why a tier's replacements cannot leave a dead zone, or undefined when they can. */
export function heldByDeadZone(
    tier: TierFacts,
    nodes: NodeFacts,
): Exclude<ZoneReplacement, { kind: "evictedAndReplaced" }> | undefined {
    const spread = tier.zoneSpread;
    if (spread?.whenUnsatisfiable !== "DoNotSchedule") {
        return undefined;
    }
    if (spread.nodeTaintsPolicy === "Ignore") {
        return { kind: "deadZoneCounted" };
    }
    const zonesLeft = zonesWithNodes(nodes) - 1;
    const podsLeft = tier.minReplicas - lostWithZone(tier.minReplicas, spread, nodes);
    if (spread.minDomains !== null && spread.minDomains > zonesLeft && podsLeft >= zonesLeft * spread.maxSkew) {
        return { kind: "minDomainsHold", minDomains: spread.minDomains, zonesLeft, maxSkew: spread.maxSkew };
    }
    return undefined;
}

/**
 * What happens to the lost pods, as the node lifecycle controller and the scheduler handle it: the dead zone's
 * nodes turn NotReady and get the unreachable taint, the pods are evicted when their toleration of it ends,
 * and the ReplicaSets' replacements are placed by the spread rules, which may still count the dead zone.
 */
export function zoneReplacementsReason(tiers: readonly TierFacts[], nodes: NodeFacts): FailureReason {
    const evicted: ZoneReplacement = { kind: "evictedAndReplaced", tolerationSeconds: UNREACHABLE_TOLERATION.seconds };
    return {
        kind: "zoneReplacements",
        tiers: tiers.map((tier): PerTier<ZoneReplacement> => ({
            tier: tier.name,
            reason: heldByDeadZone(tier, nodes) ?? evicted,
        })),
    };
}
