import { CONFIG_DEFAULTS } from "./defaults";
import { ConfigError } from "./errors";
import { KNOWN_CONFIG_KEYS, nearestKnownKey } from "./knownKeys";
import { EKS_ONLY_KEYS, readEksSettings, setToNonDefault } from "./parseEks";
import { ConfigReader, RawConfig } from "./reader";
import { readBackendResources, readFrontendResources } from "./resources";
import {
    AppSettings,
    CLUSTER_TRAFFIC_ENTRIES,
    ExistingClusterSettings,
    ReplicaRange,
    StackConfig,
    TARGET_NAMES,
} from "./types";

// RFC 1123 label: what Kubernetes accepts as a namespace name.
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// "default" holds whatever has no namespace of its own; kube-* are Kubernetes' own (kube-system, kube-public...).
const RESERVED_NAMESPACE = /^(default|kube-.*)$/;
const REPLICA_BOUNDS = { min: 1, max: 50 };
// minikube profile names; also keeps the value safe inside the `minikube -p` and `kubectl --context` command lines.
const MINIKUBE_PROFILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
// kubeconfig context names as kind (kind-x), k3d (k3d-x), Docker Desktop and EKS (arn:aws:eks:...:cluster/x) write them.
const KUBE_CONTEXT = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,252}$/;
const CLUSTER_ZONE_BOUNDS = { min: 1, max: 6 };

/** One tier's replica range; the keys are spelled out so that a search for a key finds where it is read. */
function readReplicaRange(
    reader: ConfigReader,
    minKey: "backendMinReplicas" | "frontendMinReplicas",
    maxKey: "backendMaxReplicas" | "frontendMaxReplicas",
): ReplicaRange {
    const min = reader.integer(minKey, CONFIG_DEFAULTS[minKey], REPLICA_BOUNDS);
    const max = reader.integer(maxKey, CONFIG_DEFAULTS[maxKey], REPLICA_BOUNDS);
    if (max < min) {
        reader.problem(maxKey, String(max), `an integer >= ${minKey} (${min})`);
    }
    return { min, max };
}

function readNamespace(reader: ConfigReader): string {
    const namespace = reader.matching(
        "namespace",
        CONFIG_DEFAULTS.namespace,
        DNS_LABEL,
        "a DNS label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
    );
    if (RESERVED_NAMESPACE.test(namespace)) {
        reader.problem(
            "namespace",
            namespace,
            "a namespace of the app's own: not default, and not kube-*, which Kubernetes keeps",
        );
    }
    return namespace;
}

function readKubeContext(reader: ConfigReader): string {
    return reader.matching(
        "kubeContext",
        CONFIG_DEFAULTS.kubeContext,
        MINIKUBE_PROFILE,
        "a minikube profile name: letters, digits, '.', '_' and '-', at most 63",
    );
}

function readExistingCluster(reader: ConfigReader): ExistingClusterSettings {
    return {
        kubeContext: reader.matching(
            "kubeContext",
            CONFIG_DEFAULTS.kubeContext,
            KUBE_CONTEXT,
            "a kubeconfig context name: letters, digits and . _ : / @ -",
        ),
        zones: reader.integer("clusterZones", CONFIG_DEFAULTS.clusterZones, CLUSTER_ZONE_BOUNDS),
        trafficEntry: reader.oneOf("clusterTrafficEntry", CLUSTER_TRAFFIC_ENTRIES, CONFIG_DEFAULTS.clusterTrafficEntry),
    };
}

function readAppSettings(reader: ConfigReader): AppSettings {
    return {
        namespace: readNamespace(reader),
        backendImage: reader.optionalImage("backendImage"),
        frontendImage: reader.image("frontendImage", CONFIG_DEFAULTS.frontendImage),
        backendReplicas: readReplicaRange(reader, "backendMinReplicas", "backendMaxReplicas"),
        frontendReplicas: readReplicaRange(reader, "frontendMinReplicas", "frontendMaxReplicas"),
        cpuTargetUtilization: reader.integer("cpuTargetUtilization", CONFIG_DEFAULTS.cpuTargetUtilization, {
            min: 10,
            max: 100,
        }),
        frontendUpstreamKeepalive: reader.integer(
            "frontendUpstreamKeepalive",
            CONFIG_DEFAULTS.frontendUpstreamKeepalive,
            { min: 0, max: 64 },
        ),
        backendResources: readBackendResources(reader),
        frontendResources: readFrontendResources(reader),
    };
}

function readTargetConfig(
    reader: ConfigReader,
    target: StackConfig["target"],
    app: AppSettings,
    today: Date,
): StackConfig {
    switch (target) {
        case "minikube":
            return { target, app, minikube: { kubeContext: readKubeContext(reader) } };
        case "eks":
            return { target, app, eks: readEksSettings(reader, app, today) };
        case "cluster": {
            if (app.backendImage === undefined && !reader.hasProblem("backendImage")) {
                reader.problem("backendImage", "", "a pinned image reference: the cluster target builds no image");
            }
            return {
                target,
                app: { ...app, backendImage: app.backendImage ?? "" },
                cluster: readExistingCluster(reader),
            };
        }
    }
}

/** Stack names that are the EKS stack's: eks, or eks-<anything> (eks-west, eks-prod). */
const EKS_STACK_NAME = /^eks(-.*)?$/;

/**
 * A stack meant for EKS that does not say `target: eks` would deploy to minikube, the default, and ignore its EKS
 * keys: refused, when the stack is named for EKS or sets an EKS-only key to something other than its default.
 */
function checkTargetOfEksStack(reader: ConfigReader, target: StackConfig["target"], stack: string | undefined): void {
    if (target === "eks" || reader.hasProblem("target")) {
        return;
    }
    const eksKeys = EKS_ONLY_KEYS.filter((key) => setToNonDefault(reader, key));
    const named = stack !== undefined && EKS_STACK_NAME.test(stack);
    if (!named && eksKeys.length === 0) {
        return;
    }
    const why = [
        ...(named ? [`the stack is named ${stack}`] : []),
        ...(eksKeys.length > 0 ? [`it sets ${eksKeys.join(", ")}, which only target eks reads`] : []),
    ].join(" and ");
    reader.problem(
        "target",
        reader.optionalString("target") ?? target,
        `eks, as ${why}: pulumi config set target eks${stack === undefined ? "" : ` --stack ${stack}`}` +
            (eksKeys.length > 0 ? " (or remove those keys)" : ""),
    );
}

/**
 * Keys in the project's namespace that the program does not read: a typo would otherwise be ignored and the
 * stack deployed with the default. Other namespaces (aws:, kubernetes:, pulumi:) belong to their owners.
 */
function readUnknownKeys(reader: ConfigReader, setKeys: readonly string[], project: string): void {
    const known: readonly string[] = KNOWN_CONFIG_KEYS;
    for (const qualified of setKeys) {
        const separator = qualified.indexOf(":");
        const key = qualified.slice(separator + 1);
        if (qualified.slice(0, separator) !== project || known.includes(key)) {
            continue;
        }
        const nearest = nearestKnownKey(key);
        reader.problem(
            key,
            reader.optionalString(key) ?? "",
            `no such key in ${project}${nearest === undefined ? "" : ` (did you mean ${nearest}?)`}; the keys are listed in Pulumi.yaml`,
        );
    }
}

/**
 * Reads and validates the whole stack config before any resource exists. Throws a ConfigError that lists
 * every bad key, its value and what was expected. `setKeys` are the fully qualified keys the stack sets
 * (pulumi.runtime.allConfig()); those of this project that it does not know are errors too. `today` dates the
 * check of an EKS version against the versions EKS still offers. `stack`, the stack's name, tells an EKS stack
 * that forgot its target.
 */
export function parseStackConfig(
    raw: RawConfig,
    project: string,
    setKeys: readonly string[] = [],
    today: Date = new Date(),
    stack?: string,
): StackConfig {
    const reader = new ConfigReader(raw, project);
    readUnknownKeys(reader, setKeys, project);
    const target = reader.oneOf("target", TARGET_NAMES, CONFIG_DEFAULTS.target);
    checkTargetOfEksStack(reader, target, stack);
    const app = readAppSettings(reader);
    const config = readTargetConfig(reader, target, app, today);
    if (reader.problems.length > 0) {
        throw new ConfigError(reader.problems);
    }
    return config;
}
