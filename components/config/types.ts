import type { EksSupportType } from "./eksVersions";

/** Where the app is deployed. Each target is a cluster behind the same small interface (see ../targets). */
export type TargetName = "minikube" | "eks" | "cluster";

export const TARGET_NAMES: readonly TargetName[] = ["minikube", "eks", "cluster"];

/** Replica bounds of one tier; the HorizontalPodAutoscaler moves between them. */
export interface ReplicaRange {
    readonly min: number;
    readonly max: number;
}

/** CPU and memory of one tier's pods, as Kubernetes quantities: what each asks for, and the most it may use. */
export interface TierResources {
    readonly cpuRequest: string;
    readonly cpuLimit: string;
    readonly memoryRequest: string;
    readonly memoryLimit: string;
}

/** Settings of the app itself, the same on every target. */
export interface AppSettings {
    readonly namespace: string;
    /** An image reference to run instead of building app/backend (undefined: the target builds it). */
    readonly backendImage: string | undefined;
    readonly frontendImage: string;
    readonly backendReplicas: ReplicaRange;
    readonly frontendReplicas: ReplicaRange;
    /** Average CPU utilisation, in percent of the request, that the HPAs aim for. */
    readonly cpuTargetUtilization: number;
    /**
     * Idle connections each NGINX worker keeps open to the backend Service; 0: a new connection per request.
     * kube-proxy balances connections, so with a pool one connection's requests all reach one pod.
     */
    readonly frontendUpstreamKeepalive: number;
    readonly backendResources: TierResources;
    readonly frontendResources: TierResources;
}

export interface MinikubeSettings {
    /** kubeconfig context, which minikube names after its profile; also the profile `minikube image build` uses. */
    readonly kubeContext: string;
}

/** How outside traffic reaches the frontend on a cluster the stack does not make. */
export type ClusterTrafficEntry = "LoadBalancer" | "NodePort";

export const CLUSTER_TRAFFIC_ENTRIES: readonly ClusterTrafficEntry[] = ["LoadBalancer", "NodePort"];

/** Any existing cluster (kind, k3d, Docker Desktop, a cluster of your own) that the stack deploys into. */
export interface ExistingClusterSettings {
    /** kubeconfig context of the cluster. */
    readonly kubeContext: string;
    /** Availability zones its nodes span (topology.kubernetes.io/zone); above 1, pods must spread over them. */
    readonly zones: number;
    readonly trafficEntry: ClusterTrafficEntry;
}

export interface ExistingClusterStackConfig {
    readonly target: "cluster";
    /** backendImage is always set: this target builds no image. */
    readonly app: AppSettings & { readonly backendImage: string };
    readonly cluster: ExistingClusterSettings;
}

export interface MinikubeStackConfig {
    readonly target: "minikube";
    readonly app: AppSettings;
    readonly minikube: MinikubeSettings;
}

/** How the EKS cluster gets its worker nodes. */
export type NodeMode = "managed" | "auto";

export const NODE_MODES: readonly NodeMode[] = ["managed", "auto"];

/** How the VPC's private subnets reach the internet (awsx NatGatewayStrategy, minus "None": nodes must pull images). */
export type NatGatewayStrategy = "OnePerAz" | "Single";

export const NAT_GATEWAY_STRATEGIES: readonly NatGatewayStrategy[] = ["OnePerAz", "Single"];

/** The EKS control plane's log streams (EKS API LogType). */
export type ControlPlaneLogType = "api" | "audit" | "authenticator" | "controllerManager" | "scheduler";

export const CONTROL_PLANE_LOG_TYPES: readonly ControlPlaneLogType[] = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
];

/** Retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy); 0 is the API's "never expire". */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Size bounds of a managed node group; min <= desired <= max. */
export interface NodeScaling {
    readonly min: number;
    readonly desired: number;
    readonly max: number;
}

/** Worker nodes: an EKS managed node group this stack sizes, or EKS Auto Mode, which sizes itself. */
export type EksNodes =
    | {
          readonly mode: "managed";
          /** EC2 instance types, x86_64 (the nodes run AL2023_x86_64_STANDARD). */
          readonly instanceTypes: readonly string[];
          readonly scaling: NodeScaling;
      }
    | { readonly mode: "auto" };

export interface EksSettings {
    /** AWS region of every resource, e.g. "us-east-1". */
    readonly region: string;
    /** AWS CLI profile for the AWS provider and the kubeconfig (undefined: the default credential chain). */
    readonly profile: string | undefined;
    /** Kubernetes minor version of the control plane, e.g. "1.36". */
    readonly kubernetesVersion: string;
    /** The upgrade policy kubernetesVersion takes on the day of the run (eksVersions.ts, eksSupportType). */
    readonly supportType: EksSupportType;
    /** Availability zones the VPC, the nodes and the pods span. */
    readonly zoneCount: number;
    readonly natGateways: NatGatewayStrategy;
    /** CIDR blocks allowed to reach the public Kubernetes API endpoint. */
    readonly publicAccessCidrs: readonly string[];
    readonly nodes: EksNodes;
    /** How many images the ECR lifecycle policy keeps. */
    readonly ecrKeepImages: number;
    /** Control plane log streams sent to CloudWatch Logs, each once. */
    readonly controlPlaneLogTypes: readonly ControlPlaneLogType[];
    /** Days the control plane's log group keeps its events. */
    readonly controlPlaneLogRetentionDays: number;
    /** ACM certificate for HTTPS at the load balancer, in `region`; undefined: plain HTTP on port 80. */
    readonly tlsCertificateArn: string | undefined;
}

export interface EksStackConfig {
    readonly target: "eks";
    readonly app: AppSettings;
    readonly eks: EksSettings;
}

export type StackConfig = MinikubeStackConfig | EksStackConfig | ExistingClusterStackConfig;
