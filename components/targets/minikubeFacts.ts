import type { ClusterFacts } from "../facts";
import { unbilledCost } from "./unbilledCost";

/** A minikube cluster is one node, so one zone: the zone spread can never be required there. */
export const MINIKUBE_ZONES = 1;

/** The minikube cluster as the stack knows it: the profile it deploys to. */
export interface MinikubeObservation {
    readonly profile: string;
}

/**
 * The target-neutral facts of a minikube cluster: one node you run, which is the control plane (static pods of
 * kube-apiserver, etcd, scheduler and controller manager, as kubeadm sets them up) and the only worker.
 */
export function minikubeClusterFacts(observed: MinikubeObservation): ClusterFacts {
    return {
        kind: "minikube",
        region: null,
        runsOn: { kind: "yourMachine" },
        controlPlane: {
            managedBy: "you",
            location: { kind: "minikubeNode", profile: observed.profile },
            apiServers: 1,
            etcdMembers: 1,
            zones: MINIKUBE_ZONES,
            etcdBackup: "you",
            etcdBackupHow: { kind: "etcdSnapshotTool" },
            sharesNodesWithWorkloads: true,
            source: "https://minikube.sigs.k8s.io/docs/",
        },
        nodes: {
            zones: MINIKUBE_ZONES,
            machine: { kind: "minikubeVm" },
            autoscaling: { kind: "fixed", nodes: 1 },
            scaledBy: "nothing",
            patchedBy: "you",
            patching: { kind: "minikubeRestart" },
        },
        // Its CoreDNS and metrics-server share the one node with everything else: they add no failure of their own.
        systemPods: [],
        security: {
            networkPolicies: { enforced: "depends", by: { kind: "calicoOnNewClusters" } },
            // minikube configures no EncryptionConfiguration for the API server: Secrets sit in etcd as base64.
            secretsEncryption: null,
            controlPlaneLogs: [],
            controlPlaneLogDestination: null,
            authentication: { kind: "minikubeCertificates" },
        },
        upgrades: {
            kubernetesVersion: null,
            controlPlane: { kind: "minikubeStart", profile: observed.profile },
            nodes: { kind: "withControlPlane" },
        },
        loadBalancer: null,
        cost: unbilledCost("ownMachine"),
    };
}
