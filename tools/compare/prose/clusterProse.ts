import type {
    ApiAuthentication,
    ControlPlaneLocation,
    ControlPlaneUpgrade,
    EtcdBackupMethod,
    LoadBalancerDescription,
    LoadBalancerFacts,
    NetworkPolicyEnforcer,
    NodeAutoscaling,
    NodeMachine,
    NodePatching,
    NodeUpgrade,
    SecretsEncryption,
    SystemPodRole,
    ZoneNodeBounds,
} from "../../../components/facts";
import { plural } from "./words";

/*
 * The words for the cluster facts every target gives as typed data (components/facts): one table of templates per
 * fact, one template per kind.
 */

/** A template for each kind of a typed fact, given the fact of that kind. */
type Templates<T extends { readonly kind: string }> = {
    readonly [K in T["kind"]]: (fact: Extract<T, { readonly kind: K }>) => string;
};

/** The words of a fact: its kind's template. */
function wording<T extends { readonly kind: string }>(templates: Templates<T>): (fact: T) => string {
    return (fact) => {
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
    providerAccount: ({ provider }) => `in ${provider}'s account, not on your nodes`,
});

/** How etcd gets backed up, after who does it. */
export const etcdBackupText = wording<EtcdBackupMethod>({
    etcdSnapshotTool: () =>
        "`npm run etcd -- backup --minikube`: a snapshot taken from outside the cluster, kept outside it; " +
        "nothing takes one for you",
    clusterTool: () => "as the cluster's tool says; this stack cannot see its etcd",
    managedControlPlane: () =>
        "part of the managed control plane, which you can neither reach nor restore from; the app's objects live " +
        "in this code and the Pulumi state, and anything stateful (volumes, databases) would need a backup of its own",
});

export const nodeMachineText = wording<NodeMachine>({
    minikubeVm: () => "minikube VM or container on your machine",
    clusterOwn: () => "the cluster's own nodes",
    instanceTypes: ({ types }) => types.join("/"),
    autoMode: () => "chosen by EKS Auto Mode",
});

/** "1–2 nodes in each of 3 zones", or each zone's bounds where they differ: "2–3, 1–2 and 1–2 nodes per zone". */
function zoneBoundsText(zones: readonly ZoneNodeBounds[]): string {
    const bounds = zones.map((zone) => `${zone.min}–${zone.max}`);
    if (new Set(bounds).size === 1) {
        return `${bounds[0]} nodes in each of ${plural(zones.length, "zone")}`;
    }
    return `${bounds.slice(0, -1).join(", ")} and ${bounds[bounds.length - 1]} nodes per zone`;
}

export const nodeAutoscalingText = wording<NodeAutoscaling>({
    fixed: ({ nodes }) => `none: ${nodes === 1 ? "one node" : plural(nodes, "node")}`,
    notManaged: () => "whatever the cluster runs; not managed by this stack",
    // The scale-down rule is the Cluster Autoscaler's default (utilization under 0.5 for 10 minutes).
    clusterAutoscaler: ({ chartVersion, zones, min, max, desired }) =>
        `the Cluster Autoscaler (chart ${chartVersion}, the release of the cluster's Kubernetes version) sizes one ` +
        `node group per zone, ${zoneBoundsText(zones)} (${min}–${max} in all, ${desired} to start): it adds a node ` +
        "in the zone where a pending pod fits, and removes a node that stays under half requested for 10 minutes",
    autoMode: () => "EKS Auto Mode launches nodes for pending pods and removes idle ones",
});

/** How nodes get patched, after who does it. */
export const nodePatchingText = wording<NodePatching>({
    minikubeRestart: () => "a newer minikube and `minikube start`, or `minikube delete` and start again",
    clusterTool: () => "with the cluster's own tool",
    nodeGroupRollout: () =>
        "apply a new AMI release or kubernetesVersion, and EKS replaces the nodes one at a time, " +
        "respecting PodDisruptionBudgets",
    autoModeReplacement: ({ maxNodeAgeDays }) =>
        `Auto Mode replaces every node with a patched one at least every ${maxNodeAgeDays} days`,
});

/** What enforces NetworkPolicy, in brackets after whether it is enforced. */
export const networkPolicyEnforcerText = wording<NetworkPolicyEnforcer>({
    calicoOnNewClusters: () =>
        "only with a CNI that implements them: deploy-dev.sh starts new clusters with Calico, " +
        "minikube's default CNI ignores them",
    unseenCni: () => "only with a CNI that implements them, which the stack cannot see",
    vpcCniAgent: () => "the VPC CNI's network policy agent",
    autoModeController: () => "EKS Auto Mode's network policy controller",
    nothing: () => "nothing in the cluster implements them",
});

/** How Secrets are encrypted at rest (the comparison says "not encrypted" for none). */
export const secretsEncryptionText = wording<SecretsEncryption>({
    kmsEnvelope: ({ keyRotatedYearly }) =>
        `KMS envelope encryption with the stack's own key${keyRotatedYearly ? ", rotated yearly" : ""}`,
});

/** The IAM identity mappings of each EKS authentication mode. */
const EKS_IAM_MAPPINGS = {
    API: "EKS access entries (no aws-auth ConfigMap)",
    API_AND_CONFIG_MAP: "EKS access entries and the aws-auth ConfigMap",
    CONFIG_MAP: "the aws-auth ConfigMap",
} as const;

export const authenticationText = wording<ApiAuthentication>({
    minikubeCertificates: () => "client certificates signed by minikube's own CA, in your kubeconfig",
    kubeContextCredentials: ({ kubeContext }) => `the credentials of kubeconfig context \`${kubeContext}\``,
    eksIam: ({ mode }) => `IAM identities through ${EKS_IAM_MAPPINGS[mode]}`,
});

/** The clusterTool wording of both upgrade rows. */
const WITH_CLUSTER_TOOL = () => "you, with the cluster's own tool";

export const controlPlaneUpgradeText = wording<ControlPlaneUpgrade>({
    minikubeStart: ({ profile }) =>
        `you: \`minikube start -p ${profile} --kubernetes-version=<v>\` upgrades the one node in place ` +
        "(deploy-dev.sh picks the version of a new cluster)",
    clusterTool: WITH_CLUSTER_TOOL,
    eksManaged: ({ support }) =>
        "you pick the minor version (kubernetesVersion); AWS applies patch releases and upgrades in place, " +
        (support === "standard"
            ? "and at the end of standard support upgrades it itself"
            : "and keeps an old version in extended support at extended-support prices"),
});

export const nodeUpgradeText = wording<NodeUpgrade>({
    withControlPlane: () => "the same node, the same command",
    clusterTool: WITH_CLUSTER_TOOL,
    nodeGroupRollout: () =>
        "after the control plane, each zone's node group rolls its nodes to the new version, one at a time",
    autoMode: () => "Auto Mode moves its nodes to the control plane's version itself",
});

const LOAD_BALANCER_MAKERS = {
    loadBalancerController: "the AWS Load Balancer Controller, which the stack runs on your nodes",
    autoMode: "EKS Auto Mode",
} as const;

/** What a LoadBalancer Service becomes, in how many zones. */
export function loadBalancerText(balancer: LoadBalancerFacts): string {
    const { description, zones } = balancer;
    return wording<LoadBalancerDescription>({
        awsNetworkLoadBalancer: ({ scheme, madeBy }) =>
            `an AWS Network Load Balancer, ${scheme}, in ${plural(zones, "zone")}, made by ${LOAD_BALANCER_MAKERS[madeBy]}`,
    })(description);
}

/** What stops while none of a system pod's pods runs. */
export const withoutSystemPodText = wording<SystemPodRole>({
    clusterDns: () =>
        "no cluster DNS: running pods keep the connections and addresses they have, but a name lookup fails, " +
        "so a pod that resolves a name as it starts does not start",
    podMetrics: () =>
        "no pod metrics: the HorizontalPodAutoscalers keep their replica counts, neither adding nor removing pods",
    loadBalancerRegistration: () =>
        "the NLB keeps its targets and keeps health-checking them, but no new pod is registered with it, " +
        "so replacements get no traffic from it",
    nodeScaling: () => "no node scaling: pods that find no room stay Pending, and idle nodes stay",
});
