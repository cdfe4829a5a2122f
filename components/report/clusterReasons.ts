import { ClusterFacts, NodeFacts, SystemPodFacts, TierFacts } from "../facts";
import { lostWithNode, lostWithZone, maxPodsPerDomain, zonesWithNodes } from "./placement";

/*
 * The parts of a node or zone failure that are not the app's pods: the cluster's own pods on the nodes, what adds
 * nodes for the replacements, the way out of the VPC, and where the spread rules cannot hold. Each function gives
 * one clause of a row of the failure table, or undefined where it has nothing to say.
 */

export type Domain = "node" | "zone";

/** Tiers with the same text share one clause: "frontend, backend: ...". */
export function groupedByText<T extends { readonly name: string }>(
    items: readonly T[],
    text: (item: T) => string,
): string {
    const groups = new Map<string, string[]>();
    for (const item of items) {
        groups.set(text(item), [...(groups.get(text(item)) ?? []), item.name]);
    }
    return [...groups].map(([clause, names]) => `${names.join(", ")}: ${clause}`).join("; ");
}

function systemPodLoss(pod: SystemPodFacts, nodes: NodeFacts, domain: Domain): string {
    const lost =
        domain === "zone"
            ? lostWithZone(pod.replicas, pod.zoneSpread, nodes)
            : lostWithNode(pod.replicas, pod.zoneSpread, pod.nodeSpread, nodes);
    if (lost < pod.replicas) {
        return `${pod.name}: ${pod.replicas - lost} of ${pod.replicas} pods left`;
    }
    const which =
        pod.replicas === 1 ? "its one pod" : pod.replicas === 2 ? "both its pods" : `all ${pod.replicas} of its pods`;
    const why = pod.replicas === 1 ? "" : `, its ${domain} spread being a preference`;
    return `${pod.name}: ${which} may be on the lost ${domain}${why}: ${pod.withoutIt}, until a replacement is Ready`;
}

/** What the loss does to the cluster's own pods (CoreDNS, metrics-server, the controllers). */
export function systemPodsClause(cluster: ClusterFacts, domain: Domain): string | undefined {
    if (cluster.systemPods.length === 0) {
        return undefined;
    }
    return `the cluster's own pods: ${cluster.systemPods.map((pod) => systemPodLoss(pod, cluster.nodes, domain)).join("; ")}`;
}

/** Who adds nodes when the replacements find no room on the nodes left. */
export function nodeCapacityClause(nodes: NodeFacts, domain: Domain): string | undefined {
    if (nodes.count === 1) {
        return undefined;
    }
    switch (nodes.scaledBy) {
        case "cluster-autoscaler":
            return domain === "node"
                ? "replacements that find no room on the nodes left make the Cluster Autoscaler add nodes in the zones where they fit, up to each zone group's maximum"
                : "the lost zone's node group cannot launch in another zone (one group per zone); replacements that find no room in the zones left make the Cluster Autoscaler grow those zones' groups, up to their maximum";
        case "cluster":
            return "EKS Auto Mode launches nodes for replacements that find no room";
        case "nothing":
            return "nothing adds nodes: replacements that find no room on the nodes left stay Pending";
        case "unknown":
            return undefined;
    }
}

/**
 * The zones left and their way out of the VPC. With one NAT gateway for every zone, losing its zone cuts the
 * others off too: a pod then starts only where nothing must be fetched from outside the VPC.
 */
export function egressClause(cluster: ClusterFacts, tiers: readonly TierFacts[]): string | undefined {
    const { natGateways } = cluster.cost;
    if (cluster.region === null || natGateways === 0) {
        return undefined;
    }
    if (natGateways >= cluster.nodes.zones) {
        return "each zone has its own NAT gateway, so the zones left keep their way out (image pulls, AWS APIs)";
    }
    const pulls = groupedByText(
        tiers.map((tier) => ({ name: tier.name, policy: tier.imagePullPolicy })),
        ({ policy }) =>
            policy === "Always"
                ? "imagePullPolicy Always asks the registry at every start, so no replacement starts"
                : `imagePullPolicy ${policy}, so replacements start on nodes that already hold the image (those that ran the tier), not on new ones`,
    );
    return (
        `${natGateways === 1 ? "one NAT gateway" : `${natGateways} NAT gateways`} for ${cluster.nodes.zones} zones: if the lost zone held it, ` +
        "the zones left lose their way out too: no image pull from outside the VPC (ECR included: no VPC endpoints), no AWS API " +
        "call (a new node cannot turn Ready, the controllers' calls fail); a pod's start needs nothing from outside the VPC " +
        `but its image, and that only where its node lacks it or the pull policy is Always; ${pulls}`
    );
}

/**
 * After an HPA scale-down the ReplicaSet removes pods without looking at zones, so until they are replaced one zone
 * can hold more of a tier than the spread lets the scheduler put there: up to its share of the tier's maximum.
 */
export function scaleDownClause(tiers: readonly TierFacts[], nodes: NodeFacts): string | undefined {
    const zones = zonesWithNodes(nodes);
    const fuller = tiers.flatMap((tier) => {
        const placed = maxPodsPerDomain(tier.minReplicas, zones, tier.zoneSpread);
        const left = Math.min(tier.minReplicas, maxPodsPerDomain(tier.maxReplicas, zones, tier.zoneSpread));
        return left > placed ? [`${tier.name} ${left} of ${tier.minReplicas} (from ${tier.maxReplicas})`] : [];
    });
    if (zones <= 1 || fuller.length === 0) {
        return undefined;
    }
    return (
        "counted as the scheduler places pods; an HPA scale-down removes pods without looking at zones, so until they " +
        `are replaced one zone can hold more: ${fuller.join(", ")}`
    );
}

/** Why a tier's replacements cannot leave a dead zone, or undefined when they can. */
export function heldByDeadZone(tier: TierFacts, nodes: NodeFacts): string | undefined {
    const spread = tier.zoneSpread;
    if (spread?.whenUnsatisfiable !== "DoNotSchedule") {
        return undefined;
    }
    if (spread.nodeTaintsPolicy === "Ignore") {
        return "the replacements stay Pending while the dead zone's nodes exist, as DoNotSchedule still counts that zone (nodeTaintsPolicy Ignore)";
    }
    const zonesLeft = zonesWithNodes(nodes) - 1;
    const podsLeft = tier.minReplicas - lostWithZone(tier.minReplicas, spread, nodes);
    if (spread.minDomains !== null && spread.minDomains > zonesLeft && podsLeft >= zonesLeft * spread.maxSkew) {
        return (
            `the replacements stay Pending until the zone is back: with minDomains ${spread.minDomains} and ${zonesLeft} zone${zonesLeft === 1 ? "" : "s"} left ` +
            `the scheduler counts the emptiest zone as 0, so a zone takes a pod only while it holds fewer than ${spread.maxSkew} (maxSkew), ` +
            "and each zone left already holds its share"
        );
    }
    return undefined;
}
