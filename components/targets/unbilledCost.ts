import type { ClusterCostInputs, UnbilledReason } from "../facts";

/** The cost inputs of a cluster no cloud bills this stack for: nothing is priced, for the reason given. */
export function unbilledCost(reason: UnbilledReason): ClusterCostInputs {
    return {
        pricing: { provider: "none", reason },
        managedControlPlanes: 0,
        controlPlaneSupport: "standard",
        nodes: { kind: "none" },
        natGateways: 0,
        kmsKeys: 0,
        controlPlaneLogStreams: 0,
        storedImages: 0,
        controlPlaneLogRetentionDays: null,
        copiedImages: 0,
        zones: 1,
    };
}
