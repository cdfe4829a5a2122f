import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/** A Kubernetes object as the provider sends it: apiVersion, kind, metadata, and the rest. */
export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string; namespace?: string; [key: string]: unknown };
    spec?: Record<string, unknown>;
    [key: string]: unknown;
}

/** Kinds that live outside namespaces; every other kind the program creates is namespaced. */
const CLUSTER_SCOPED = new Set([
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CustomResourceDefinition",
    "NodeClass",
    "NodePool",
]);

/**
 * The Kubernetes kinds the program creates, in the order `kubectl apply` needs them (what others refer to
 * first). Any other kind is a mock that must be written first.
 */
export const KINDS_IN_APPLY_ORDER = [
    "Namespace",
    "ServiceAccount",
    "ConfigMap",
    "Service",
    "Deployment",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "NetworkPolicy",
    // EKS Auto Mode's (eks.amazonaws.com/v1, karpenter.sh/v1), last so the app's files keep their numbers: the node
    // pool names its node class.
    "NodeClass",
    "NodePool",
] as const;

export const KNOWN_KINDS: ReadonlySet<string> = new Set(KINDS_IN_APPLY_ORDER);

function stableNumber(seed: string, modulo: number): number {
    return parseInt(createHash("sha256").update(seed).digest("hex").slice(0, 8), 16) % modulo;
}

/** The cluster-assigned fields of a Service, as the API server fills them in. */
function serviceSpecAssigned(object: KubernetesObject, seed: string): Record<string, unknown> {
    const spec = object.spec ?? {};
    const type = (spec.type as string | undefined) ?? "ClusterIP";
    const clusterIP = `10.96.${stableNumber(`${seed}/a`, 254) + 1}.${stableNumber(`${seed}/b`, 254) + 1}`;
    const ports = ((spec.ports as Record<string, unknown>[] | undefined) ?? []).map((port, index) =>
        type === "NodePort" || type === "LoadBalancer"
            ? // The default NodePort range is 30000-32767.
              { ...port, nodePort: 30000 + stableNumber(`${seed}/port/${index}`, 2768) }
            : port,
    );
    return {
        ...spec,
        type,
        clusterIP,
        clusterIPs: [clusterIP],
        ports,
        sessionAffinity: spec.sessionAffinity ?? "None",
    };
}

/**
 * What the Kubernetes provider returns for a created object: the object as applied plus what the API
 * server fills in (uid, resourceVersion, creationTimestamp, a Service's clusterIP and nodePorts). The
 * status of a LoadBalancer Service comes from the cloud and is given by the caller, if anything.
 */
export function createdObject(
    object: KubernetesObject,
    loadBalancerStatus?: (object: KubernetesObject) => Record<string, unknown> | undefined,
): { id: string; state: KubernetesObject } {
    const name = object.metadata?.name;
    if (!name) {
        throw new Error(`Mock: ${object.kind} without metadata.name; the program names every object explicitly`);
    }
    const namespaced = !CLUSTER_SCOPED.has(object.kind);
    const namespace = object.metadata?.namespace;
    if (namespaced && !namespace) {
        throw new Error(`Mock: namespaced ${object.kind} ${name} has no metadata.namespace`);
    }
    const id = namespaced ? `${namespace}/${name}` : name;
    const seed = `${object.kind}/${id}`;
    const metadata = {
        ...object.metadata,
        uid: `00000000-0000-4000-8000-${createHash("sha256").update(seed).digest("hex").slice(0, 12)}`,
        resourceVersion: "1",
        creationTimestamp: "2026-01-01T00:00:00Z",
        generation: 1,
    };
    const state: KubernetesObject = { ...object, metadata };
    if (object.kind === "Service") {
        state.spec = serviceSpecAssigned(object, seed);
        const status = state.spec.type === "LoadBalancer" ? loadBalancerStatus?.(state) : undefined;
        state.status = { loadBalancer: status ?? {} };
    }
    return { id, state };
}

/**
 * An object the program reads with `<Kind>.get(name, id)` instead of creating: the API server returns it with
 * its uid. `serverFields` off (an offline render, with no cluster to read) makes the uid unknown.
 */
export function existingObject(
    type: { apiVersion: string; kind: string },
    id: string,
    serverFields: boolean,
): { id: string; state: KubernetesObject } {
    const [namespace, name] = id.includes("/") ? id.split("/", 2) : [undefined, id];
    const uid = `00000000-0000-4000-8000-${createHash("sha256").update(`existing/${type.kind}/${id}`).digest("hex").slice(0, 12)}`;
    return {
        id,
        state: {
            apiVersion: type.apiVersion,
            kind: type.kind,
            metadata: {
                name,
                ...(namespace ? { namespace } : {}),
                uid: serverFields ? uid : pulumi.runtime.unknownValue,
            },
        },
    };
}
