import * as pulumi from "@pulumi/pulumi";

/** A request to build a container image from a directory of this repository. */
export interface ImageBuildRequest {
    /** Short name of the image, e.g. "backend". */
    readonly name: string;
    /** Absolute path of the build context (holding the Dockerfile). */
    readonly contextDir: string;
    /** Content hash of the context; a new hash means a new image and so a rollout. */
    readonly sourceHash: string;
}

/** When the kubelet pulls an image: on every pod start, or only when the node lacks it. */
export type ImagePullPolicy = "Always" | "IfNotPresent";

/** Builds images where the cluster can pull them. */
export interface ImageBuilder {
    /**
     * Pull policy for images this builder makes. Default: Always, so a node never runs a stale copy.
     * IfNotPresent only where the image exists in the node's runtime and in no registry (minikube builds).
     */
    readonly pullPolicy?: ImagePullPolicy;
    /** Returns the image reference pods should run: pinned by tag or digest. */
    build(request: ImageBuildRequest): pulumi.Output<string>;
}
