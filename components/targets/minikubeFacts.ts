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
        controlPlane: {
            managedBy: "you",
            location: `static pods on the one node of minikube profile \`${observed.profile}\`, on your machine`,
            apiServers: 1,
            etcdMembers: 1,
            zones: MINIKUBE_ZONES,
            etcdBackup: "you",
            etcdBackupHow:
                "`npm run etcd -- backup --minikube`: a snapshot taken from outside the cluster, kept outside it; nothing takes one for you",
            sharesNodesWithWorkloads: true,
            source: "https://minikube.sigs.k8s.io/docs/",
        },
        nodes: {
            count: 1,
            min: 1,
            max: 1,
            zones: MINIKUBE_ZONES,
            machine: "minikube VM or container on your machine",
            autoscaling: "none: one node",
            scaledBy: "nothing",
            patchedBy: "you",
            patching: "a newer minikube and `minikube start`, or `minikube delete` and start again",
        },
        // Its CoreDNS and metrics-server share the one node with everything else: they add no failure of their own.
        systemPods: [],
        security: {
            networkPolicies: {
                enforced: "depends",
                by: "only with a CNI that implements them: deploy-dev.sh starts new clusters with Calico, minikube's default CNI ignores them",
            },
            // minikube configures no EncryptionConfiguration for the API server: Secrets sit in etcd as base64.
            secretsEncryption: null,
            controlPlaneLogs: [],
            controlPlaneLogDestination: null,
            authentication: "client certificates signed by minikube's own CA, in your kubeconfig",
        },
        upgrades: {
            kubernetesVersion: null,
            controlPlane: `you: \`minikube start -p ${observed.profile} --kubernetes-version=<v>\` upgrades the one node in place (deploy-dev.sh picks the version of a new cluster)`,
            nodes: "the same node, the same command",
        },
        loadBalancer: null,
        cost: unbilledCost("minikube runs on your own machine, so there is no cloud bill"),
    };
}
