import type { NodeScaling } from "../../config";

/**
 * The bounds of each zone's node group when the stack's totals (nodeMinSize, nodeDesiredSize, nodeMaxSize) are
 * spread over `zones` groups: an even share, and one more for each of the first zones while a remainder is left,
 * so the groups add up to the totals. The share only grows with the total, so every zone keeps min <= desired <=
 * max; with nodeMinSize >= zoneCount (parseEks.ts) every zone keeps a node.
 */
export function zoneScaling(scaling: NodeScaling, zones: number): NodeScaling[] {
    const share = (total: number, zone: number) => Math.floor(total / zones) + (zone < total % zones ? 1 : 0);
    return Array.from({ length: zones }, (_, zone) => ({
        min: share(scaling.min, zone),
        desired: share(scaling.desired, zone),
        max: share(scaling.max, zone),
    }));
}
