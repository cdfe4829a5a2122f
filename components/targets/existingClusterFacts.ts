import type { ExistingClusterSettings } from "../config";
import type { ClusterFacts } from "../facts";
import { unbilledCost } from "./unbilledCost";

/**
 * What the stack can say about a cluster it did not make. It sees only its kubeconfig context and the
 * zones you declare, so the control plane is described as the single-node one that kind, k3d and Docker
 * Desktop run, and the failure analysis stays a worst case.
 */
export function existingClusterFacts(settings: ExistingClusterSettings): ClusterFacts {
    return {
        kind: "existing cluster",
        region: null,
        // The worst case of the clusters it assumes (kind, k3d, Docker Desktop): one machine, yours, that can be lost.
        runsOn: { kind: "yourMachine" },
        controlPlane: {
            managedBy: "you",
            location: { kind: "unseenCluster", kubeContext: settings.kubeContext },
            apiServers: 1,
            etcdMembers: 1,
            zones: 1,
            etcdBackup: "you",
            etcdBackupHow: { kind: "clusterTool" },
            sharesNodesWithWorkloads: true,
            // The control plane is not visible to the stack: only its zones come from a setting.
            source: "clusterZones",
        },
        nodes: {
            zones: settings.zones,
            machine: { kind: "clusterOwn" },
            autoscaling: { kind: "notManaged" },
            scaledBy: "unknown",
            patchedBy: "you",
            patching: { kind: "clusterTool" },
        },
        systemPods: [],
        security: {
            networkPolicies: { enforced: "depends", by: { kind: "unseenCni" } },
            secretsEncryption: null,
            controlPlaneLogs: [],
            controlPlaneLogDestination: null,
            authentication: { kind: "kubeContextCredentials", kubeContext: settings.kubeContext },
        },
        upgrades: {
            kubernetesVersion: null,
            controlPlane: { kind: "clusterTool" },
            nodes: { kind: "clusterTool" },
        },
        loadBalancer: null,
        cost: unbilledCost("unknownBiller"),
    };
}
