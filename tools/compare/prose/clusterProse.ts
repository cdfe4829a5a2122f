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
 * The words for the cluster facts a target gives as typed data (components/facts): one table of templates per
 * fact, one template per kind. A fact a target still writes as prose (LegacyProse) is printed as it stands.
 */

/** A template for each kind of a typed fact, given the fact of that kind. */
type Templates<T extends { readonly kind: string }> = {
    readonly [K in T["kind"]]: (fact: Extract<T, { readonly kind: K }>) => string;
};

/** The words of a fact: its kind's template, or the legacy prose as it is. */
function wording<T extends { readonly kind: string }>(templates: Templates<T>): (fact: T | LegacyProse) => string {
    return (fact) => {
        if (typeof fact === "string") {
            return fact;
        }
        // The mapped type pairs each kind with its template; TypeScript cannot follow that through an index.
        const template = templates[fact.kind as T["kind"]] as (fact: T) => string;
        return template(fact);
    };
}

/** Where the control plane runs, after "you: " or "AWS: ". */
export const controlPlaneLocationText = wording<ControlPlaneLocation>({
    minikubeNode: ({ profile }) => `static pods on the one node of minikube profile \`${profile}\`, on your machine`,
    unseenCluster: ({ kubeContext }) =>
        `whatever runs the cluster of context \`${kubeContext}\`; ` +
        "assumed one control-plane node, as kind, k3d and Docker Desktop run it",
});

/** How etcd gets backed up, after who does it. */
export const etcdBackupText = wording<EtcdBackupMethod>({
    etcdSnapshotTool: () =>
        "`npm run etcd -- backup --minikube`: a snapshot taken from outside the cluster, kept outside it; " +
        "nothing takes one for you",
    clusterTool: () => "as the cluster's tool says; this stack cannot see its etcd",
});

export const nodeMachineText = wording<NodeMachine>({
    minikubeVm: () => "minikube VM or container on your machine",
    clusterOwn: () => "the cluster's own nodes",
});

export const nodeAutoscalingText = wording<NodeAutoscaling>({
    fixed: ({ nodes }) => `none: ${nodes === 1 ? "one node" : plural(nodes, "node")}`,
    notManaged: () => "whatever the cluster runs; not managed by this stack",
});

/** How nodes get patched, after who does it. */
export const nodePatchingText = wording<NodePatching>({
    minikubeRestart: () => "a newer minikube and `minikube start`, or `minikube delete` and start again",
    clusterTool: () => "with the cluster's own tool",
});

/** What enforces NetworkPolicy, in brackets after whether it is enforced. */
export const networkPolicyEnforcerText = wording<NetworkPolicyEnforcer>({
    calicoOnNewClusters: () =>
        "only with a CNI that implements them: deploy-dev.sh starts new clusters with Calico, " +
        "minikube's default CNI ignores them",
    unseenCni: () => "only with a CNI that implements them, which the stack cannot see",
});

export const authenticationText = wording<ApiAuthentication>({
    minikubeCertificates: () => "client certificates signed by minikube's own CA, in your kubeconfig",
    kubeContextCredentials: ({ kubeContext }) => `the credentials of kubeconfig context \`${kubeContext}\``,
});

/** The clusterTool wording of both upgrade rows. */
const WITH_CLUSTER_TOOL = () => "you, with the cluster's own tool";

export const controlPlaneUpgradeText = wording<ControlPlaneUpgrade>({
    minikubeStart: ({ profile }) =>
        `you: \`minikube start -p ${profile} --kubernetes-version=<v>\` upgrades the one node in place ` +
        "(deploy-dev.sh picks the version of a new cluster)",
    clusterTool: WITH_CLUSTER_TOOL,
});

export const nodeUpgradeText = wording<NodeUpgrade>({
    withControlPlane: () => "the same node, the same command",
    clusterTool: WITH_CLUSTER_TOOL,
});
