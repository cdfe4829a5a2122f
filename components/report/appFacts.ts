import {
    AppFacts,
    DisruptionBudgetFacts,
    ImagePullPolicy,
    ProbeFacts,
    SpreadFacts,
    SpreadPolicy,
    TierFacts,
    TierProbeFacts,
    TrafficEntryFacts,
} from "../facts";

/**
 * A Kubernetes object as far as the report reads it. The rendered manifests and the live resources' outputs
 * both fit, so the offline comparison and the `report` stack output run the same code.
 */
export interface ObjectLike {
    readonly kind: string;
    readonly metadata: { readonly name?: string; readonly annotations?: Readonly<Record<string, string>> | null };
    // Shapes vary by kind and are read defensively below.
    readonly spec?: unknown;
}

const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";
const NODE_TOPOLOGY_KEY = "kubernetes.io/hostname";
const ENTRY_SERVICE_TYPES = ["NodePort", "LoadBalancer"] as const;

type Spec = Record<string, unknown> | undefined;
type Labels = Readonly<Record<string, string>>;

const specOf = (object: ObjectLike): Spec => (object.spec ?? undefined) as Spec;
const nameOf = (object: ObjectLike): string => object.metadata.name ?? "";

function matches(selector: Labels | undefined, labels: Labels | undefined): boolean {
    const entries = Object.entries(selector ?? {});
    return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}

function podLabels(deployment: ObjectLike): Labels | undefined {
    const template = specOf(deployment)?.template as { metadata?: { labels?: Labels } } | undefined;
    return template?.metadata?.labels;
}

function spreadOver(deployment: ObjectLike, topologyKey: string): SpreadFacts | null {
    const template = specOf(deployment)?.template as { spec?: { topologySpreadConstraints?: unknown[] } } | undefined;
    const constraint = (template?.spec?.topologySpreadConstraints ?? []).find(
        (candidate) => (candidate as { topologyKey?: string }).topologyKey === topologyKey,
    ) as
        | {
              whenUnsatisfiable?: SpreadPolicy;
              maxSkew?: number;
              nodeTaintsPolicy?: "Honor" | "Ignore";
              minDomains?: number;
          }
        | undefined;
    if (!constraint) {
        return null;
    }
    return {
        whenUnsatisfiable: constraint.whenUnsatisfiable ?? "DoNotSchedule",
        maxSkew: constraint.maxSkew ?? 1,
        nodeTaintsPolicy: constraint.nodeTaintsPolicy ?? "Ignore",
        minDomains: constraint.minDomains ?? null,
    };
}

/**
 * The pull policy of the pod's first container, or Kubernetes' default: Always for an image tagged :latest or not
 * tagged at all (a digest counts as a tag here), IfNotPresent otherwise.
 */
function imagePullPolicyOf(deployment: ObjectLike): ImagePullPolicy {
    const container = podSpec(deployment)?.containers?.[0] as
        { image?: unknown; imagePullPolicy?: ImagePullPolicy } | undefined;
    if (container?.imagePullPolicy) {
        return container.imagePullPolicy;
    }
    const image = typeof container?.image === "string" ? container.image : "";
    const lastPart = image.split("/").pop() ?? "";
    const pinned = image.includes("@") || (lastPart.includes(":") && !lastPart.endsWith(":latest"));
    return pinned ? "IfNotPresent" : "Always";
}

/** Kubernetes' defaults for a probe's timing (core/v1 Probe). */
const PROBE_DEFAULTS: ProbeFacts = { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 };

type PodSpec =
    | {
          containers?: Record<string, unknown>[];
          volumes?: Record<string, unknown>[];
      }
    | undefined;

/** Volume sources that live and die with the pod, or only project what the API server holds. */
const EPHEMERAL_VOLUME_SOURCES = ["emptyDir", "configMap", "secret", "projected", "downwardAPI"];

function podSpec(deployment: ObjectLike): PodSpec {
    return (specOf(deployment)?.template as { spec?: PodSpec } | undefined)?.spec;
}

function probe(container: Record<string, unknown> | undefined, kind: string): ProbeFacts | null {
    const found = container?.[`${kind}Probe`] as Partial<ProbeFacts> | undefined;
    if (!found) {
        return null;
    }
    return {
        periodSeconds: found.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
        failureThreshold: found.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
        timeoutSeconds: found.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    };
}

/** The probes of the pod's first container: each tier runs one. */
function probesOf(deployment: ObjectLike): TierProbeFacts {
    const container = podSpec(deployment)?.containers?.[0];
    return {
        readiness: probe(container, "readiness"),
        liveness: probe(container, "liveness"),
        startup: probe(container, "startup"),
    };
}

function cpuTarget(hpaSpec: Spec): number | null {
    const metrics = (hpaSpec?.metrics ?? []) as {
        resource?: { name?: string; target?: { averageUtilization?: number } };
    }[];
    return metrics.find((metric) => metric.resource?.name === "cpu")?.resource?.target?.averageUtilization ?? null;
}

function tierFacts(deployment: ObjectLike, objects: readonly ObjectLike[]): TierFacts {
    const name = nameOf(deployment);
    const labels = podLabels(deployment);
    const hpa = objects.find((object) => {
        const target = specOf(object)?.scaleTargetRef as { kind?: string; name?: string } | undefined;
        return object.kind === "HorizontalPodAutoscaler" && target?.kind === "Deployment" && target.name === name;
    });
    const pdb = objects.find((object) => {
        const selector = specOf(object)?.selector as { matchLabels?: Labels } | undefined;
        return object.kind === "PodDisruptionBudget" && matches(selector?.matchLabels, labels);
    });
    const service = objects.find(
        (object) => object.kind === "Service" && matches(specOf(object)?.selector as Labels | undefined, labels),
    );
    // Kubernetes defaults: an HPA without minReplicas keeps 1, a Deployment without replicas runs 1.
    const replicas = (specOf(deployment)?.replicas as number | undefined) ?? 1;
    const hpaSpec = hpa && specOf(hpa);
    const pdbSpec = pdb && specOf(pdb);
    const disruptionBudget: DisruptionBudgetFacts | null = pdbSpec
        ? {
              maxUnavailable: (pdbSpec.maxUnavailable as number | string | undefined) ?? null,
              minAvailable: (pdbSpec.minAvailable as number | string | undefined) ?? null,
          }
        : null;
    return {
        name,
        minReplicas: hpaSpec ? ((hpaSpec.minReplicas as number | undefined) ?? 1) : replicas,
        maxReplicas: hpaSpec ? (hpaSpec.maxReplicas as number) : replicas,
        cpuTargetUtilization: hpaSpec ? cpuTarget(hpaSpec) : null,
        zoneSpread: spreadOver(deployment, ZONE_TOPOLOGY_KEY),
        nodeSpread: spreadOver(deployment, NODE_TOPOLOGY_KEY),
        disruptionBudget,
        serviceType: service ? ((specOf(service)?.type as string | undefined) ?? "ClusterIP") : null,
        probes: probesOf(deployment),
        imagePullPolicy: imagePullPolicyOf(deployment),
    };
}

function isEntryType(type: unknown): type is TrafficEntryFacts["type"] {
    return (ENTRY_SERVICE_TYPES as readonly unknown[]).includes(type);
}

/** The app's facts from its Kubernetes objects: Deployments with their HPAs, PDBs and Services; NetworkPolicies. */
export function appFactsFromObjects(objects: readonly ObjectLike[]): AppFacts {
    const entryServices = objects.filter((object) => object.kind === "Service" && isEntryType(specOf(object)?.type));
    if (entryServices.length > 1) {
        throw new Error(
            `report: expected at most one NodePort or LoadBalancer Service, found ${entryServices.map(nameOf).join(", ")}`,
        );
    }
    const entry = entryServices[0];
    const trafficEntry: TrafficEntryFacts | null = entry
        ? {
              service: nameOf(entry),
              type: specOf(entry)?.type as TrafficEntryFacts["type"],
              loadBalancerClass: (specOf(entry)?.loadBalancerClass as string | undefined) ?? null,
              annotations: { ...(entry.metadata.annotations ?? {}) },
          }
        : null;
    const tiers = objects
        .filter((object) => object.kind === "Deployment")
        .map((deployment) => tierFacts(deployment, objects))
        // The tier outside traffic reaches first, as a request meets them; the rest by name.
        .sort(
            (a, b) =>
                Number(isEntryType(b.serviceType)) - Number(isEntryType(a.serviceType)) || a.name.localeCompare(b.name),
        );
    return {
        tiers,
        trafficEntry,
        loadBalancerServices: objects.filter(
            (object) => object.kind === "Service" && specOf(object)?.type === "LoadBalancer",
        ).length,
        networkPolicies: objects.filter((object) => object.kind === "NetworkPolicy").length,
        durableVolumes: objects
            .filter((object) => object.kind === "Deployment")
            .flatMap((deployment) => podSpec(deployment)?.volumes ?? [])
            .filter((volume) => !EPHEMERAL_VOLUME_SOURCES.some((source) => source in volume)).length,
    };
}
