import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ReplicaRange } from "../config";
import { recommendedLabels, selectorLabels } from "../labels";
import { childName } from "../naming";
import { ImagePullPolicy } from "../images";
import { TrafficEntry } from "../capabilities";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./podSecurity";

type Input<T> = pulumi.Input<T>;
type ResourceRequirements = k8s.types.input.core.v1.ResourceRequirements;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** HTTP paths the kubelet probes on the container's "http" port. */
export interface ProbePaths {
    /** Failing takes the pod out of the Service's endpoints (traffic fails over to the others). */
    readonly readiness: string;
    /** Failing restarts the container. Must not depend on other tiers, or one outage restarts everything. */
    readonly liveness: string;
    /** Holds off the other two until the app has started. */
    readonly startup: string;
}

/** How often the kubelet probes each tier's container, and how many failures in a row count. */
export const PROBE_TIMING = {
    startup: { periodSeconds: 2, failureThreshold: 30 },
    readiness: { periodSeconds: 5, failureThreshold: 2 },
    liveness: { periodSeconds: 10, failureThreshold: 3 },
} as const;

export type SpreadPolicy = "DoNotSchedule" | "ScheduleAnyway";

export interface AppTierArgs {
    /** Namespace of every object (an Output of the Namespace, so the tier waits for it). */
    readonly namespace: Input<string>;
    /** metadata.name of the Deployment, Service and ServiceAccount, and the app.kubernetes.io/name label. */
    readonly tierName: string;
    /** app.kubernetes.io/instance: which copy of the app this tier belongs to. */
    readonly instance: string;
    /** app.kubernetes.io/component, e.g. "api". */
    readonly component: string;
    /** app.kubernetes.io/version; omitted when undefined. */
    readonly version?: string;
    /** Container image, pinned by tag or digest. */
    readonly image: Input<string>;
    /** Default: Always. IfNotPresent only for an image pinned by digest, Never for one that is in no registry. */
    readonly imagePullPolicy?: ImagePullPolicy;
    /** Port the container listens on, named "http". */
    readonly containerPort: number;
    /** Port the Service exposes. Default: 80. */
    readonly servicePort?: number;
    /** How traffic from outside the cluster reaches the Service. Default: ClusterIP, in-cluster only. */
    readonly trafficEntry?: TrafficEntry;
    /** Replica bounds; the HPA owns the count, the Deployment never sets it. */
    readonly replicas: ReplicaRange;
    /** Average CPU utilisation (percent of the request) the HPA keeps. */
    readonly cpuTargetUtilization: number;
    /** Requests and limits for cpu, memory and ephemeral storage. */
    readonly resources: ResourceRequirements;
    readonly probes: ProbePaths;
    /** Numeric non-root user (and group) the container runs as. */
    readonly runAsUser: number;
    /** Whether zone spread is required (multi-zone clusters) or best effort (one zone). */
    readonly zoneSpread: SpreadPolicy;
    /** The zones a required zone spread counts on (minDomains); undefined: those that have nodes. */
    readonly zoneMinDomains?: number;
    readonly command?: string[];
    readonly args?: string[];
    readonly env?: Input<EnvVar>[];
    /** Extra volumes; the tier always adds an emptyDir at /tmp because the root filesystem is read-only. */
    readonly volumes?: Input<Volume>[];
    readonly volumeMounts?: Input<VolumeMount>[];
    /** Pod-template annotations, e.g. a config checksum whose change rolls the Deployment. */
    readonly podAnnotations?: Record<string, Input<string>>;
    /** Seconds the preStop hook waits so endpoint removal reaches every proxy before SIGTERM. Default: 5. */
    readonly preStopDelaySeconds?: number;
    /** Seconds between the start of termination and SIGKILL; must cover preStop plus the app's drain. Default: 30. */
    readonly terminationGracePeriodSeconds?: number;
}

const TMP_VOLUME = "tmp";

/**
 * One tier of the app: a Deployment behind a Service, with the guide's HA and scaling made concrete:
 * several replicas spread over zones and nodes (redundancy), probes that take a failing pod out of
 * rotation (health checks that fail traffic over), a PodDisruptionBudget (voluntary disruptions such as
 * node drains keep enough pods up) and a HorizontalPodAutoscaler (horizontal scaling on CPU).
 */
export class AppTier extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** Labels that select this tier's pods. */
    readonly selector: Readonly<Record<string, string>>;
    readonly serviceName: string;
    readonly servicePort: number;

    constructor(name: string, args: AppTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:app:AppTier", name, {}, opts);

        const servicePort = args.servicePort ?? 80;
        const preStopDelaySeconds = args.preStopDelaySeconds ?? 5;
        const terminationGracePeriodSeconds = args.terminationGracePeriodSeconds ?? 30;
        const trafficEntry: TrafficEntry | undefined = args.trafficEntry;
        if (terminationGracePeriodSeconds <= preStopDelaySeconds) {
            throw new Error(
                `AppTier ${name}: terminationGracePeriodSeconds (${terminationGracePeriodSeconds}) must exceed preStopDelaySeconds (${preStopDelaySeconds})`,
            );
        }

        const labelArgs = {
            name: args.tierName,
            instance: args.instance,
            component: args.component,
            version: args.version,
        };
        const labels = recommendedLabels(labelArgs);
        const selector = selectorLabels(labelArgs);
        const metadata = { name: args.tierName, namespace: args.namespace, labels };
        const childOpts = { parent: this };

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            childName(name, "sa"),
            // The app never calls the Kubernetes API, so it gets no token to steal.
            { metadata, automountServiceAccountToken: false },
            childOpts,
        );

        this.deployment = new k8s.apps.v1.Deployment(
            childName(name, "deployment"),
            {
                metadata,
                spec: {
                    // No `replicas`: the HPA owns the count, and a value here would fight it on every update.
                    selector: { matchLabels: selector },
                    revisionHistoryLimit: 5,
                    strategy: {
                        type: "RollingUpdate",
                        // A new pod must be Ready before an old one goes: capacity never dips during a rollout.
                        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
                    },
                    template: {
                        metadata: { labels, annotations: args.podAnnotations },
                        spec: {
                            serviceAccountName: this.serviceAccount.metadata.name,
                            automountServiceAccountToken: false,
                            enableServiceLinks: false,
                            securityContext: restrictedPodSecurityContext(args.runAsUser),
                            terminationGracePeriodSeconds,
                            topologySpreadConstraints: spreadConstraints(
                                selector,
                                args.zoneSpread,
                                args.zoneMinDomains,
                            ),
                            containers: [
                                {
                                    name: args.tierName,
                                    image: args.image,
                                    imagePullPolicy: args.imagePullPolicy ?? "Always",
                                    command: args.command,
                                    args: args.args,
                                    ports: [{ name: "http", containerPort: args.containerPort, protocol: "TCP" }],
                                    env: args.env,
                                    resources: args.resources,
                                    securityContext: restrictedContainerSecurityContext(args.runAsUser),
                                    startupProbe: httpProbe(args.probes.startup, PROBE_TIMING.startup),
                                    readinessProbe: httpProbe(args.probes.readiness, PROBE_TIMING.readiness),
                                    livenessProbe: httpProbe(args.probes.liveness, PROBE_TIMING.liveness),
                                    lifecycle: {
                                        // Endpoint removal and SIGTERM happen at the same time; the pause lets
                                        // kube-proxy and NGINX stop sending here before the app starts to stop.
                                        preStop: { sleep: { seconds: preStopDelaySeconds } },
                                    },
                                    volumeMounts: [
                                        { name: TMP_VOLUME, mountPath: "/tmp" },
                                        ...(args.volumeMounts ?? []),
                                    ],
                                },
                            ],
                            volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: "64Mi" } }, ...(args.volumes ?? [])],
                        },
                    },
                },
            },
            childOpts,
        );

        const loadBalancer = trafficEntry?.kind === "LoadBalancer" ? trafficEntry : undefined;
        const exposed = loadBalancer?.servicePort ?? { name: "http", port: servicePort };
        this.service = new k8s.core.v1.Service(
            childName(name, "service"),
            {
                metadata: {
                    ...metadata,
                    annotations: loadBalancer && {
                        ...loadBalancer.annotations,
                        ...(loadBalancer.readinessPathAnnotation
                            ? { [loadBalancer.readinessPathAnnotation]: args.probes.readiness }
                            : {}),
                    },
                },
                spec: {
                    type: trafficEntry?.kind ?? "ClusterIP",
                    loadBalancerClass: loadBalancer?.loadBalancerClass,
                    selector,
                    ports: [{ name: exposed.name, port: exposed.port, targetPort: "http", protocol: "TCP" }],
                },
            },
            childOpts,
        );

        this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            childName(name, "pdb"),
            {
                metadata,
                spec: {
                    // One pod at a time may be evicted (a node drain, an upgrade), whatever the HPA has scaled to.
                    maxUnavailable: 1,
                    selector: { matchLabels: selector },
                    // Pods that are not Ready anyway must not block a drain.
                    unhealthyPodEvictionPolicy: "AlwaysAllow",
                },
            },
            childOpts,
        );

        this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            childName(name, "hpa"),
            {
                metadata,
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
                    minReplicas: args.replicas.min,
                    maxReplicas: args.replicas.max,
                    metrics: [
                        {
                            type: "Resource",
                            resource: {
                                name: "cpu",
                                target: { type: "Utilization", averageUtilization: args.cpuTargetUtilization },
                            },
                        },
                    ],
                    behavior: {
                        // Scale up at once, scale down slowly, so a bursty load does not flap the pod count.
                        scaleDown: { stabilizationWindowSeconds: 300 },
                    },
                },
            },
            childOpts,
        );

        this.selector = selector;
        this.serviceName = args.tierName;
        this.servicePort = exposed.port;

        this.registerOutputs({
            deploymentName: this.deployment.metadata.name,
            serviceName: this.service.metadata.name,
        });
    }
}

function httpProbe(
    path: string,
    timing: { periodSeconds: number; failureThreshold: number },
): k8s.types.input.core.v1.Probe {
    return { httpGet: { path, port: "http" }, timeoutSeconds: 2, successThreshold: 1, ...timing };
}

function spreadConstraints(
    selector: Record<string, string>,
    zoneSpread: SpreadPolicy,
    zoneMinDomains: number | undefined,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    // pod-template-hash keeps a rollout's old and new ReplicaSets from counting against each other. Honor: a
    // node that stopped answering (tainted unreachable or not-ready) is no domain, so when a zone dies its
    // pods' replacements go to the zones left instead of waiting, Pending, for it to come back. minDomains, where
    // the target launches nodes for pending pods: while fewer zones than that have schedulable nodes, the
    // scheduler counts the smallest zone as 0, so a zone takes a pod only while it has none of the tier; the
    // pods wait for nodes in the other zones instead of crowding onto the first node. Its price: with a zone
    // lost, the replacements beyond one pod per zone left wait too.
    const common = {
        maxSkew: 1,
        labelSelector: { matchLabels: selector },
        matchLabelKeys: ["pod-template-hash"],
        nodeTaintsPolicy: "Honor",
    };
    return [
        {
            ...common,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: zoneSpread,
            // Kubernetes accepts minDomains only with DoNotSchedule.
            ...(zoneSpread === "DoNotSchedule" && zoneMinDomains !== undefined ? { minDomains: zoneMinDomains } : {}),
        },
        // Within a zone, prefer different nodes, but never leave a pod pending for it.
        { ...common, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" },
    ];
}
