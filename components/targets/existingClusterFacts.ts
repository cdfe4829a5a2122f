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
        controlPlane: {
            managedBy: "you",
            location: `whatever runs the cluster of context \`${settings.kubeContext}\`; assumed one control-plane node, as kind, k3d and Docker Desktop run it`,
            apiServers: 1,
            etcdMembers: 1,
            zones: 1,
            etcdBackup: "you",
            etcdBackupHow: "as the cluster's tool says; this stack cannot see its etcd",
            sharesNodesWithWorkloads: true,
            source: "the clusterZones setting; the control plane is not visible to the stack",
        },
        nodes: {
            count: null,
            min: null,
            max: null,
            zones: settings.zones,
            machine: "the cluster's own nodes",
            autoscaling: "whatever the cluster runs; not managed by this stack",
            scaledBy: "unknown",
            patchedBy: "you",
            patching: "with the cluster's own tool",
        },
        systemPods: [],
        security: {
            networkPolicies: {
                enforced: "depends",
                by: "only with a CNI that implements them, which the stack cannot see",
            },
            secretsEncryption: null,
            controlPlaneLogs: [],
            controlPlaneLogDestination: null,
            authentication: `the credentials of kubeconfig context \`${settings.kubeContext}\``,
        },
        upgrades: {
            kubernetesVersion: null,
            controlPlane: "you, with the cluster's own tool",
            nodes: "you, with the cluster's own tool",
        },
        loadBalancer: null,
        cost: unbilledCost("the stack does not know who bills this cluster"),
    };
}
