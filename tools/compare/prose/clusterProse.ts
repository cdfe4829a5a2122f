import type {
    ApiAuthentication,
    ControlPlaneLocation,
    ControlPlaneUpgrade,
    EtcdBackupMethod,
    LegacyProse,
    NetworkPolicyEnforcer,
    NodeAutoscaling,
    NodeMachine,
    NodePatching,
    NodeUpgrade,
} from "../../../components/facts";
import { plural } from "./words";

/*
 * The words for the cluster facts a target gives as typed data (components/facts): one function per fact, one
 * template per kind. A fact a target still writes as prose (LegacyProse) is printed as it stands.
 */

/** The typed fact worded by `word`, or the legacy prose as it is. */
function worded<T extends { readonly kind: string }>(fact: T | LegacyProse, word: (fact: T) => string): string {
    return typeof fact === "string" ? fact : word(fact);
}

/** Where the control plane runs, after "you: " or "AWS: ". */
export function controlPlaneLocationText(location: ControlPlaneLocation | LegacyProse): string {
    return worded(location, (fact) => {
        switch (fact.kind) {
            case "minikubeNode":
                return `static pods on the one node of minikube profile \`${fact.profile}\`, on your machine`;
            case "unseenCluster":
                return (
                    `whatever runs the cluster of context \`${fact.kubeContext}\`; ` +
                    "assumed one control-plane node, as kind, k3d and Docker Desktop run it"
                );
        }
    });
}

/** How etcd gets backed up, after who does it. */
export function etcdBackupText(method: EtcdBackupMethod | LegacyProse): string {
    return worded(method, (fact) => {
        switch (fact.kind) {
            case "etcdSnapshotTool":
                return (
                    "`npm run etcd -- backup --minikube`: a snapshot taken from outside the cluster, kept outside it; " +
                    "nothing takes one for you"
                );
            case "clusterTool":
                return "as the cluster's tool says; this stack cannot see its etcd";
        }
    });
}

export function nodeMachineText(machine: NodeMachine | LegacyProse): string {
    return worded(machine, (fact) => {
        switch (fact.kind) {
            case "minikubeVm":
                return "minikube VM or container on your machine";
            case "clusterOwn":
                return "the cluster's own nodes";
        }
    });
}

export function nodeAutoscalingText(autoscaling: NodeAutoscaling | LegacyProse): string {
    return worded(autoscaling, (fact) => {
        switch (fact.kind) {
            case "fixed":
                return `none: ${fact.nodes === 1 ? "one node" : plural(fact.nodes, "node")}`;
            case "notManaged":
                return "whatever the cluster runs; not managed by this stack";
        }
    });
}

/** How nodes get patched, after who does it. */
export function nodePatchingText(patching: NodePatching | LegacyProse): string {
    return worded(patching, (fact) => {
        switch (fact.kind) {
            case "minikubeRestart":
                return "a newer minikube and `minikube start`, or `minikube delete` and start again";
            case "clusterTool":
                return "with the cluster's own tool";
        }
    });
}

/** What enforces NetworkPolicy, in brackets after whether it is enforced. */
export function networkPolicyEnforcerText(enforcer: NetworkPolicyEnforcer | LegacyProse): string {
    return worded(enforcer, (fact) => {
        switch (fact.kind) {
            case "calicoOnNewClusters":
                return (
                    "only with a CNI that implements them: deploy-dev.sh starts new clusters with Calico, " +
                    "minikube's default CNI ignores them"
                );
            case "unseenCni":
                return "only with a CNI that implements them, which the stack cannot see";
        }
    });
}

export function authenticationText(authentication: ApiAuthentication | LegacyProse): string {
    return worded(authentication, (fact) => {
        switch (fact.kind) {
            case "minikubeCertificates":
                return "client certificates signed by minikube's own CA, in your kubeconfig";
            case "kubeContextCredentials":
                return `the credentials of kubeconfig context \`${fact.kubeContext}\``;
        }
    });
}

/** The clusterTool wording of both upgrade rows. */
const WITH_CLUSTER_TOOL = "you, with the cluster's own tool";

export function controlPlaneUpgradeText(upgrade: ControlPlaneUpgrade | LegacyProse): string {
    return worded(upgrade, (fact) => {
        switch (fact.kind) {
            case "minikubeStart":
                return (
                    `you: \`minikube start -p ${fact.profile} --kubernetes-version=<v>\` upgrades the one node in ` +
                    "place (deploy-dev.sh picks the version of a new cluster)"
                );
            case "clusterTool":
                return WITH_CLUSTER_TOOL;
        }
    });
}

export function nodeUpgradeText(upgrade: NodeUpgrade | LegacyProse): string {
    return worded(upgrade, (fact) => {
        switch (fact.kind) {
            case "withControlPlane":
                return "the same node, the same command";
            case "clusterTool":
                return WITH_CLUSTER_TOOL;
        }
    });
}
