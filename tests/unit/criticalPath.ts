import { LOAD_BALANCER_SERVICE, provisioningTime } from "../../components/report/rebuildPath";
import { MinutesRange } from "../../components/report/recoveryTimings";

/*
 * The critical path of a resource graph: the longest chain of provisioning times, which the tests compare with
 * the rebuild path the eks target states for its node mode (ClusterFacts.runsOn, timed by
 * components/report/rebuildPath.ts). Only the tests walk a graph, so this lives here.
 */

/** One resource of the graph, as the mock runtime records it: its type, inputs and what it waits for. */
export interface GraphNode {
    readonly key: string;
    readonly type: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly dependsOn: readonly string[];
}

/** The kind a resource is timed by: its type, except that a LoadBalancer Service is one of its own. */
export function provisioningKind(node: Pick<GraphNode, "type" | "inputs">): string {
    const spec = node.inputs.spec as { type?: string } | undefined;
    return node.type === "kubernetes:core/v1:Service" && spec?.type === "LoadBalancer"
        ? LOAD_BALANCER_SERVICE
        : node.type;
}

/**
 * The longest chain of `nodes` by `minutes` (the critical path), first resource first. Ties go to the dependency
 * listed first, so the answer is stable. Throws on a dependency cycle or a node it has no time for.
 */
export function criticalPath(
    nodes: readonly GraphNode[],
    end: keyof MinutesRange,
): { readonly path: readonly GraphNode[]; readonly minutes: number } {
    const byKey = new Map(nodes.map((node) => [node.key, node]));
    const finish = new Map<string, { minutes: number; previous: string | undefined }>();
    const visiting = new Set<string>();
    const finishOf = (key: string): number => {
        const known = finish.get(key);
        if (known) {
            return known.minutes;
        }
        if (visiting.has(key)) {
            throw new Error(`resource graph: a dependency cycle through ${key}`);
        }
        visiting.add(key);
        const node = byKey.get(key);
        if (!node) {
            throw new Error(`resource graph: ${key} is depended on but not in the graph`);
        }
        const time = provisioningTime(provisioningKind(node));
        if (!time) {
            throw new Error(`resource graph: no provisioning time for ${provisioningKind(node)} (${key})`);
        }
        let start = 0;
        let previous: string | undefined;
        for (const dependency of node.dependsOn) {
            const ready = finishOf(dependency);
            if (previous === undefined || ready > start) {
                start = ready;
                previous = dependency;
            }
        }
        visiting.delete(key);
        finish.set(key, { minutes: start + time.minutes[end], previous });
        return start + time.minutes[end];
    };
    let last: string | undefined;
    for (const node of nodes) {
        const minutes = finishOf(node.key);
        if (last === undefined || minutes > finishOf(last)) {
            last = node.key;
        }
    }
    const path: GraphNode[] = [];
    for (let key = last; key !== undefined; key = finish.get(key)?.previous) {
        path.unshift(byKey.get(key) as GraphNode);
    }
    return { path, minutes: last === undefined ? 0 : finishOf(last) };
}
