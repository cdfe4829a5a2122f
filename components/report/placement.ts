import { NodeFacts, SpreadFacts } from "../facts";

/*
 * Where the scheduler may put pods, worst case: how many one node or one zone can hold. The failure analysis
 * (failureAnalysis.ts) states the model; this is its arithmetic, for the app's tiers and the cluster's own pods.
 */

/** Most pods of a tier that one of `domains` domains can hold, worst case, under `spread`. */
export function maxPodsPerDomain(replicas: number, domains: number, spread: SpreadFacts | null): number {
    if (domains <= 1 || spread === null || spread.whenUnsatisfiable === "ScheduleAnyway") {
        return replicas;
    }
    return Math.min(replicas, Math.floor((replicas + (domains - 1) * spread.maxSkew) / domains));
}

/**
 * Nodes left once the cluster has scaled down as far as it may (a fixed count, or the node groups' minimum); null:
 * the stack does not decide them (EKS Auto Mode, a cluster it did not make).
 */
export function fewestNodes(nodes: NodeFacts): number | null {
    const { autoscaling } = nodes;
    switch (autoscaling.kind) {
        case "fixed":
            return autoscaling.nodes;
        case "clusterAutoscaler":
            return autoscaling.min;
        case "autoMode":
        case "notManaged":
            return null;
    }
}

/** Whether the cluster is one node, always: no autoscaler can add a second. */
export function isSingleNode(nodes: NodeFacts): boolean {
    return nodes.autoscaling.kind === "fixed" && nodes.autoscaling.nodes === 1;
}

/** Zones pods can land in with the fewest nodes: a zone without a node is no domain for the scheduler. */
export function zonesWithNodes(nodes: NodeFacts): number {
    const fewest = fewestNodes(nodes);
    return fewest === null ? nodes.zones : Math.min(nodes.zones, fewest);
}

/** Pods of `replicas` a zone outage takes, worst case. */
export function lostWithZone(replicas: number, zoneSpread: SpreadFacts | null, nodes: NodeFacts): number {
    return maxPodsPerDomain(replicas, zonesWithNodes(nodes), zoneSpread);
}

/** Pods of `replicas` a node outage takes, worst case: a node never holds more than its zone's share. */
export function lostWithNode(
    replicas: number,
    zoneSpread: SpreadFacts | null,
    nodeSpread: SpreadFacts | null,
    nodes: NodeFacts,
): number {
    const fewest = fewestNodes(nodes);
    const byNodeSpread = fewest === null ? replicas : maxPodsPerDomain(replicas, fewest, nodeSpread);
    return Math.min(byNodeSpread, lostWithZone(replicas, zoneSpread, nodes));
}
