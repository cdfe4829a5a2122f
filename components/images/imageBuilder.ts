import * as pulumi from "@pulumi/pulumi";

/** A request to build a container image from a directory of this repository. */
export interface ImageBuildRequest {
    /** Short name of the image, e.g. "backend". */
    readonly name: string;
    /** Absolute path of the build context (holding the Dockerfile). */
    readonly contextDir: string;
    /** Content hash of the context and build arguments; a new hash means a new image and so a rollout. */
    readonly sourceHash: string;
    /** Dockerfile ARGs. Default: none. */
    readonly buildArgs?: Readonly<Record<string, string>>;
    /** The tag the image gets in a registry. Default: src-<the source hash's start>. */
    readonly tag?: string;
}

/**
 * When the kubelet pulls an image. Always: on every pod start, asking the registry what the reference names now
 * (it fails, even with the image on the node, while the registry is out of reach). IfNotPresent: only when the
 * node lacks it. Never: the image must already be on the node.
 */
export type ImagePullPolicy = "Always" | "IfNotPresent" | "Never";

/** Builds images where the cluster can pull them. */
export interface ImageBuilder {
    /**
     * Pull policy for images this builder makes. Default: Always. IfNotPresent where they are pinned by digest,
     * Never where they exist in the node's runtime and in no registry (minikube builds).
     */
    readonly pullPolicy?: ImagePullPolicy;
    /** Returns the image reference pods should run: pinned by tag or digest. */
    build(request: ImageBuildRequest): pulumi.Output<string>;
    /**
     * Whether a registry image pinned by digest is copied (built FROM it, nothing added) to where this builder's
     * images go, so that a node starting it needs no registry but the cluster's own. Default: false, nodes pull
     * it from its registry.
     */
    readonly copiesRegistryImages?: boolean;
}
