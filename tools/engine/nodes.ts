/** How the fake worker nodes are laid out: like minikube, or like a cloud cluster over three zones. */
export type NodeLayout = "minikube" | "zones";

export const NODE_LAYOUTS: readonly NodeLayout[] = ["minikube", "zones"];

/** kwok manages the nodes that carry this annotation, and no others. */
export const KWOK_NODE_ANNOTATION = { key: "kwok.x-k8s.io/node", value: "fake" } as const;

export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** The zones of the "zones" layout, one node each. */
export const LOCAL_ZONES = ["zone-a", "zone-b", "zone-c"] as const;

export interface NodeSpec {
    readonly name: string;
    readonly zone: string | undefined;
}

export function nodeSpecs(layout: NodeLayout): readonly NodeSpec[] {
    // Names the API server never has to look up: it dials nodes by InternalIP (127.0.0.1) only.
    return layout === "minikube"
        ? [{ name: "minikube", zone: undefined }]
        : LOCAL_ZONES.map((zone) => ({ name: `node-${zone}`, zone }));
}

/**
 * A Node object as a kubelet would register it. Capacity like a minikube VM's or a t3.medium's (2 CPUs,
 * 4 GiB): enough for the app at its replica maximums, so scheduling fails only where a real cluster's would.
 */
export function nodeManifest(spec: NodeSpec, kubernetesVersion: string): Record<string, unknown> {
    const resources = { cpu: "2", memory: "4Gi", "ephemeral-storage": "20Gi", pods: "110" };
    const labels: Record<string, string> = {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": spec.name,
        type: "kwok",
    };
    if (spec.zone !== undefined) {
        labels[ZONE_LABEL] = spec.zone;
        labels["topology.kubernetes.io/region"] = "local";
    } else {
        // What minikube puts on its node.
        labels["minikube.k8s.io/primary"] = "true";
        labels["node-role.kubernetes.io/control-plane"] = "";
    }
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name: spec.name,
            annotations: {
                [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value,
                "node.alpha.kubernetes.io/ttl": "0",
            },
            labels,
        },
        status: {
            allocatable: resources,
            capacity: resources,
            // Every field is required by the schema; kwok runs no machine, so the identities are its own.
            nodeInfo: {
                architecture: "amd64",
                operatingSystem: "linux",
                osImage: "kwok",
                kernelVersion: "kwok",
                containerRuntimeVersion: "kwok",
                kubeletVersion: `v${kubernetesVersion}`,
                kubeProxyVersion: `v${kubernetesVersion}`,
                machineID: spec.name,
                systemUUID: spec.name,
                bootID: spec.name,
            },
        },
    };
}
