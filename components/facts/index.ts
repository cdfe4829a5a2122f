/*
 * What the comparison knows about a stack: plain, JSON-safe data (the `report` stack output carries it), with
 * null where a value is not decided by the stack (EKS Auto Mode picks its own nodes). Two sources fill it in
 * the same shape: the program from its live resources, and `npm run compare` from the offline rendering.
 */

/** Who does a job: whoever runs the stack, or the cloud provider. */
export type ResponsibleParty = "you" | "AWS";

/*
 * The typed facts below are objects with a `kind`, never bare string literals: a fact of one kind may carry figures
 * or identifiers another lacks, and tools/compare/prose/clusterProse.ts words each kind with one template.
 */

/** One object type per kind: Kind<"a" | "b"> is { kind: "a" } | { kind: "b" } (the conditional distributes). */
export type Kind<K extends string> = K extends string ? { readonly kind: K } : never;

/**
 * Where the API servers and etcd run: as static pods on the one node of a minikube profile; in a cluster the stack
 * did not make and cannot see into, reached through a kubeconfig context; or (for eks) in the cloud provider's
 * own account, not on your nodes.
 */
export type ControlPlaneLocation =
    | { readonly kind: "minikubeNode"; readonly profile: string }
    | { readonly kind: "unseenCluster"; readonly kubeContext: string }
    | { readonly kind: "providerAccount"; readonly provider: "AWS" };

/**
 * How etcd gets backed up: a snapshot `npm run etcd -- backup` takes from outside the cluster; whatever the
 * cluster's own tool offers (the stack cannot reach its etcd); or (for eks) by the managed control plane, which you
 * can neither reach nor restore from.
 */
export type EtcdBackupMethod = Kind<"etcdSnapshotTool" | "clusterTool" | "managedControlPlane">;

export interface ControlPlaneFacts {
    readonly managedBy: ResponsibleParty;
    readonly location: ControlPlaneLocation;
    /** API server instances (the operator's minimum). */
    readonly apiServers: number;
    readonly etcdMembers: number;
    /** Availability zones the control plane spans. */
    readonly zones: number;
    /** Who takes etcd backups. */
    readonly etcdBackup: ResponsibleParty;
    /** How etcd gets backed up, or how you would do it. */
    readonly etcdBackupHow: EtcdBackupMethod;
    /** Whether the control plane runs on the same machines as the app's pods (losing one loses both). */
    readonly sharesNodesWithWorkloads: boolean;
    /**
     * Where the replica and zone counts come from: a URL, or the config key a cluster the stack did not make is
     * described by (its zones are what that key says; the single control-plane node is assumed).
     */
    readonly source: string;
}

/**
 * What a node is: minikube's VM or container on your machine; a node of a cluster the stack did not make; (for eks)
 * one of these instance types, or whatever EKS Auto Mode picks.
 */
export type NodeMachine =
    | Kind<"minikubeVm" | "clusterOwn" | "autoMode">
    | { readonly kind: "instanceTypes"; readonly types: readonly string[] };

/** One zone's node group bounds. */
export interface ZoneNodeBounds {
    readonly min: number;
    readonly max: number;
}

/**
 * How the node count follows demand: it is fixed at `nodes`; the stack does not manage it; (for eks) the Cluster
 * Autoscaler of that chart version sizes one node group per zone within its bounds (min, max and desired are the
 * totals), or EKS Auto Mode launches and removes nodes itself.
 */
export type NodeAutoscaling =
    | Kind<"notManaged" | "autoMode">
    | { readonly kind: "fixed"; readonly nodes: number }
    | {
          readonly kind: "clusterAutoscaler";
          readonly chartVersion: string;
          readonly zones: readonly ZoneNodeBounds[];
          readonly min: number;
          readonly max: number;
          readonly desired: number;
      };

/**
 * How a node gets patched: a newer minikube restarted over it (or made again); the cluster's own tool; (for eks) a
 * new AMI release or version that EKS rolls out node by node within the PodDisruptionBudgets, or Auto Mode's
 * replacement of every node within `maxNodeAgeDays`.
 */
export type NodePatching =
    | Kind<"minikubeRestart" | "clusterTool" | "nodeGroupRollout">
    | { readonly kind: "autoModeReplacement"; readonly maxNodeAgeDays: number };

/** What adds nodes for pods that find no room (NodeFacts.scaledBy). */
export type NodeScaler = "nothing" | "cluster-autoscaler" | "cluster" | "unknown";

export interface NodeFacts {
    /** Zones the nodes span. */
    readonly zones: number;
    /** What a node is: an instance type, or your own machine. */
    readonly machine: NodeMachine;
    /**
     * Whether and how the node count follows demand, and so how many nodes there are: a fixed count, the node
     * groups' bounds, or none the stack decides (components/report/placement.ts reads the counts from it).
     */
    readonly autoscaling: NodeAutoscaling;
    /**
     * What adds a node when pods cannot be scheduled for want of room: nothing; the Cluster Autoscaler, within the
     * bounds of each zone's node group (min to max); the cluster itself (EKS Auto Mode); or what the stack cannot
     * see (a cluster it does not make).
     */
    readonly scaledBy: NodeScaler;
    readonly patchedBy: ResponsibleParty;
    readonly patching: NodePatching;
}

/**
 * What implements NetworkPolicy: where that depends on the CNI, Calico, which deploy-dev.sh starts new minikube
 * clusters with (minikube's default CNI ignores them), or a CNI the stack cannot see; (for eks) the VPC CNI's
 * network policy agent, Auto Mode's network policy controller, or nothing.
 */
export type NetworkPolicyEnforcer = Kind<
    "calicoOnNewClusters" | "unseenCni" | "vpcCniAgent" | "autoModeController" | "nothing"
>;

/** (For eks) how Secrets are encrypted at rest: KMS envelope encryption with the stack's own key. */
export type SecretsEncryption = { readonly kind: "kmsEnvelope"; readonly keyRotatedYearly: boolean };

export interface NetworkPolicyEnforcement {
    /** "depends": only when the cluster runs a CNI that implements NetworkPolicy, which the stack cannot see. */
    readonly enforced: "yes" | "no" | "depends";
    readonly by: NetworkPolicyEnforcer;
}

export interface ClusterSecurityFacts {
    readonly networkPolicies: NetworkPolicyEnforcement;
    /** How Secrets are encrypted at rest in etcd; null: they are not. */
    readonly secretsEncryption: SecretsEncryption | null;
    /** Control plane log streams kept, e.g. ["api", "audit"]; empty: none. */
    readonly controlPlaneLogs: readonly string[];
    /** Where those logs go; null when there are none. */
    readonly controlPlaneLogDestination: string | null;
    /** How people and nodes prove who they are to the API server. */
    readonly authentication: ApiAuthentication;
}

/**
 * How people and nodes prove who they are to the API server: client certificates signed by minikube's own CA
 * (in your kubeconfig); whatever credentials a kubeconfig context holds; (for eks) IAM identities, mapped by EKS
 * access entries, the aws-auth ConfigMap or both, as the cluster's authentication mode says.
 */
export type ApiAuthentication =
    | Kind<"minikubeCertificates">
    | { readonly kind: "kubeContextCredentials"; readonly kubeContext: string }
    | { readonly kind: "eksIam"; readonly mode: "API" | "API_AND_CONFIG_MAP" | "CONFIG_MAP" };

/**
 * How the control plane moves to a new version: you run `minikube start` with a new --kubernetes-version on the
 * profile (the one node upgrades in place); the cluster's own tool; or (for eks) you pick the minor version, AWS
 * applies patches, and at the end of standard support either upgrades it or keeps it at extended-support prices.
 */
export type ControlPlaneUpgrade =
    | Kind<"clusterTool">
    | { readonly kind: "minikubeStart"; readonly profile: string }
    | { readonly kind: "eksManaged"; readonly support: "standard" | "extended" };

/**
 * How the nodes move to a new version: they are the control plane's node (its upgrade); the cluster's tool; (for
 * eks) each zone's node group rolls them after the control plane, or Auto Mode moves them itself.
 */
export type NodeUpgrade = Kind<"withControlPlane" | "clusterTool" | "nodeGroupRollout" | "autoMode">;

export interface UpgradeFacts {
    /** The pinned Kubernetes minor version; null when the cluster tool's default decides. */
    readonly kubernetesVersion: string | null;
    readonly controlPlane: ControlPlaneUpgrade;
    readonly nodes: NodeUpgrade;
}

/**
 * (For eks) the load balancer a LoadBalancer Service becomes: an AWS Network Load Balancer of that scheme, made by
 * the AWS Load Balancer Controller the stack runs on the nodes, or by EKS Auto Mode.
 */
export interface LoadBalancerDescription {
    readonly kind: "awsNetworkLoadBalancer";
    readonly scheme: "internet-facing" | "internal";
    readonly madeBy: "loadBalancerController" | "autoMode";
}

/** What a Service of type LoadBalancer becomes on this cluster. */
export interface LoadBalancerFacts {
    /** The price table's name for it. */
    readonly product: "network-load-balancer";
    readonly description: LoadBalancerDescription;
    /** Zones it has an address in (each a public IPv4 address). */
    readonly zones: number;
}

/**
 * Why nobody bills the stack for its cluster: it runs on your own machine, or the stack cannot tell who bills a
 * cluster it did not make.
 */
export type UnbilledReason = "ownMachine" | "unknownBiller";

/** Where the bill comes from: nobody (your machine), or a cloud with a regional price table. */
export type Pricing =
    | { readonly provider: "none"; readonly reason: UnbilledReason }
    | { readonly provider: "aws"; readonly region: string };

/**
 * The nodes on the bill: `count` instances of one type (a group with several types is priced at its first), each
 * with its root volume; none billed; or (EKS Auto Mode) whatever the cluster picks, which has no fixed price.
 */
export type NodeCostInputs =
    | {
          readonly kind: "instances";
          readonly count: number;
          readonly instanceType: string;
          /** Each node's root volume; null: none billed apart from the instance. */
          readonly rootVolume: { readonly gib: number; readonly type: string } | null;
      }
    | Kind<"none" | "chosenByCluster">;

/** What the cluster side of the bill depends on. */
export interface ClusterCostInputs {
    readonly pricing: Pricing;
    /** Managed control planes billed by the hour. */
    readonly managedControlPlanes: number;
    /** Kubernetes version support tier of the control plane, which sets its hourly price. */
    readonly controlPlaneSupport: "standard" | "extended";
    /** The nodes billed. */
    readonly nodes: NodeCostInputs;
    readonly natGateways: number;
    readonly kmsKeys: number;
    /** Control plane log streams sent to a paid log service. */
    readonly controlPlaneLogStreams: number;
    /** Container images kept in a paid registry. */
    readonly storedImages: number;
    /** Days the control plane logs are kept; null: no paid log service. */
    readonly controlPlaneLogRetentionDays: number | null;
    /** Registry images (not built here) the stack keeps a copy of in its own paid registry. */
    readonly copiedImages: number;
    /** Zones the nodes span: traffic between pods in different zones is billed (cloud clusters). */
    readonly zones: number;
}

/**
 * (For eks) what a system pod does, which stops while none of its pods runs: cluster DNS, the pod metrics the HPAs
 * read, the registration of new pods with the NLB, or node scaling.
 */
export type SystemPodRole = Kind<"clusterDns" | "podMetrics" | "loadBalancerRegistration" | "nodeScaling">;

/**
 * Pods of the cluster's own on the worker nodes that the app or the cluster depends on (cluster DNS, the metrics
 * the HPAs read, the controllers the stack installs), as their add-on or chart deploys them.
 */
export interface SystemPodFacts {
    readonly name: string;
    readonly replicas: number;
    /** Spread over zones; null: none. */
    readonly zoneSpread: SpreadFacts | null;
    /** Spread over nodes; a preferred pod anti-affinity is a preference like ScheduleAnyway. */
    readonly nodeSpread: SpreadFacts | null;
    readonly disruptionBudget: DisruptionBudgetFacts | null;
    /** What stops working while none of its pods runs. */
    readonly withoutIt: SystemPodRole;
    /** What each pod asks the scheduler for; null: not set by the stack. */
    readonly requests: { readonly cpu: string; readonly memory: string } | null;
    /** Whether the stack installs it with values of its own (a Helm chart), or EKS does as an add-on. */
    readonly installedBy: "the stack" | "an EKS add-on";
    /** Where its replicas, spread and budget are documented. */
    readonly source: string;
}

/**
 * Where the cluster runs, which decides what larger failure than a node can take it: your own machine (minikube,
 * and a cluster the stack did not make, assumed to be kind, k3d or Docker Desktop), which you can lose with the
 * state and snapshots kept on it; or a cloud region, whose zones and the region itself can fail.
 */
export type ClusterHost =
    | Kind<"yourMachine">
    | {
          readonly kind: "cloudRegion";
          /** The chain of resources a fresh `pulumi up` of the stack waits on, first first (its critical path). */
          readonly rebuildPath: readonly RebuildStepId[];
      };

/**
 * A step of the critical path of a stack's fresh `pulumi up` in a region, by what it makes: the VPC; the control
 * plane (with a node group to follow, or in Auto Mode); the add-ons a node needs to turn Ready (Pod Identity
 * Agent, VPC CNI); the node group; the add-ons whose pods need nodes (CoreDNS and metrics-server, or in Auto Mode
 * metrics-server alone); the NLB of the LoadBalancer Service.
 */
export type RebuildStepId =
    | "vpc"
    | "controlPlane"
    | "autoModeControlPlane"
    | "podIdentityAgent"
    | "vpcCni"
    | "nodeGroup"
    | "podAddons"
    | "autoModeAddons"
    | "loadBalancer";

/** What the cluster tells about itself; each ClusterTarget provides it. */
export interface ClusterFacts {
    /** Human name of the kind of cluster, e.g. "minikube". */
    readonly kind: string;
    /** Cloud region, or null for a local cluster. */
    readonly region: string | null;
    readonly runsOn: ClusterHost;
    /**
     * The zones the stack chose, by the names this account gives them (EKS picks them by zone ID when it
     * deploys). Only the live `report` output has them: a name means another zone in another account.
     */
    readonly zoneNames?: readonly string[];
    readonly controlPlane: ControlPlaneFacts;
    readonly nodes: NodeFacts;
    /** Empty where the stack cannot tell (a cluster it does not make) or where the one node is everything. */
    readonly systemPods: readonly SystemPodFacts[];
    readonly security: ClusterSecurityFacts;
    readonly upgrades: UpgradeFacts;
    /** null: there is no cloud load balancer (Services of type LoadBalancer stay pending). */
    readonly loadBalancer: LoadBalancerFacts | null;
    readonly cost: ClusterCostInputs;
}

export type SpreadPolicy = "DoNotSchedule" | "ScheduleAnyway";

/** One topologySpreadConstraint of a tier's pods. */
export interface SpreadFacts {
    readonly whenUnsatisfiable: SpreadPolicy;
    readonly maxSkew: number;
    /**
     * Ignore (Kubernetes' default): nodes with taints the pods do not tolerate still count as domains, so a
     * dead zone's NotReady nodes keep DoNotSchedule from placing replacements elsewhere. Honor: they do not.
     */
    readonly nodeTaintsPolicy: "Honor" | "Ignore";
    /**
     * Domains a DoNotSchedule spread counts on even when fewer have schedulable nodes; null: unset. While fewer
     * domains are eligible, the scheduler takes the emptiest as 0, so a domain only takes a pod while it holds fewer
     * than maxSkew: after a zone is lost, the replacements of pods in zones that already hold their share wait.
     */
    readonly minDomains: number | null;
}

export interface DisruptionBudgetFacts {
    readonly maxUnavailable: number | string | null;
    readonly minAvailable: number | string | null;
}

/** How often the kubelet runs a probe and how many failures in a row it takes (Kubernetes' defaults where unset). */
export interface ProbeFacts {
    readonly periodSeconds: number;
    readonly failureThreshold: number;
    readonly timeoutSeconds: number;
}

/** The probes of a tier's container; null: it has none of that kind. */
export interface TierProbeFacts {
    readonly readiness: ProbeFacts | null;
    readonly liveness: ProbeFacts | null;
    readonly startup: ProbeFacts | null;
}

/** One Deployment of the app, with its HPA, PodDisruptionBudget and Service. */
export interface TierFacts {
    readonly name: string;
    /** The HPA's minimum (the Deployment's replicas without an HPA). */
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** CPU utilisation the HPA aims for; null without an HPA. */
    readonly cpuTargetUtilization: number | null;
    /** Spread over topology.kubernetes.io/zone; null: none. */
    readonly zoneSpread: SpreadFacts | null;
    /** Spread over kubernetes.io/hostname; null: none. */
    readonly nodeSpread: SpreadFacts | null;
    readonly disruptionBudget: DisruptionBudgetFacts | null;
    /** Type of the Service in front of it; null: no Service. */
    readonly serviceType: string | null;
    readonly probes: TierProbeFacts;
    /**
     * When the kubelet pulls the image (Kubernetes' default where unset: Always for :latest or no tag,
     * IfNotPresent otherwise): Always asks the registry at every container start, even for an image it has.
     */
    readonly imagePullPolicy: ImagePullPolicy;
}

export type ImagePullPolicy = "Always" | "IfNotPresent" | "Never";

/** How outside traffic reaches the app: its one Service of type NodePort or LoadBalancer. */
export interface TrafficEntryFacts {
    readonly service: string;
    readonly type: "NodePort" | "LoadBalancer";
    readonly loadBalancerClass: string | null;
    readonly annotations: Readonly<Record<string, string>>;
}

export interface AppFacts {
    /** Tiers that take outside traffic first, then by name. */
    readonly tiers: readonly TierFacts[];
    readonly trafficEntry: TrafficEntryFacts | null;
    /** Services of type LoadBalancer (each one a cloud load balancer). */
    readonly loadBalancerServices: number;
    readonly networkPolicies: number;
    /**
     * Pod volumes that outlive their pod (anything but emptyDir, configMap, secret, projected, downwardAPI):
     * where the app could keep data a failure might lose.
     */
    readonly durableVolumes: number;
}

export interface StackFacts {
    readonly stack: string;
    /** The stack's `target` config value, shown as a label and never branched on. */
    readonly target: string;
    readonly cluster: ClusterFacts;
    readonly app: AppFacts;
}
