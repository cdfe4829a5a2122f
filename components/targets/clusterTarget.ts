import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterFacts } from "../report/facts";

/** How outside traffic reaches the frontend Service. */
export type TrafficEntry =
    | {
          /** Every node opens the same port; minikube has no cloud load balancer to hand out an address. */
          readonly kind: "NodePort";
      }
    | {
          /** The cloud provisions a load balancer that spreads traffic over the nodes/pods in every zone. */
          readonly kind: "LoadBalancer";
          readonly annotations: Readonly<Record<string, string>>;
          readonly loadBalancerClass?: string;
      };

/** What the app needs to know about the cluster it runs on; never which cloud it is. */
export interface TargetCapabilities {
    readonly trafficEntry: TrafficEntry;
    /** How many availability zones the worker nodes span; 1 means zone spread cannot be required. */
    readonly zones: number;
}

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

/**
 * A cluster to deploy to. The app receives this and nothing else, so it never branches on the cloud.
 */
export interface ClusterTarget {
    readonly provider: k8s.Provider;
    readonly capabilities: TargetCapabilities;
    readonly images: ImageBuilder;
    /** Resources that must exist before workloads can run (e.g. worker nodes). */
    readonly workloadDependencies: pulumi.Resource[];
    /** How a person reaches the frontend once it is up: a URL or a command that prints one. */
    frontendAccess(service: FrontendServiceRef): FrontendAccess;
    /**
     * Stack outputs only this kind of cluster has (a cloud cluster's name, region, kubeconfig), exported
     * each under its own name; none when undefined. Secret values stay secret. The names must not clash
     * with the program's own outputs (target, namespace, backendImage, frontendUrl, frontendUrlCommand).
     */
    readonly outputs?: Readonly<Record<string, pulumi.Input<unknown>>>;
    /**
     * What the cluster is, for the self-managed vs managed comparison (control plane, nodes, security, upgrades,
     * what its bill depends on), read from the target's live resources where they tell.
     */
    readonly facts: pulumi.Output<ClusterFacts>;
}

export interface FrontendServiceRef {
    readonly namespace: string;
    readonly name: string;
    readonly service: k8s.core.v1.Service;
}

export interface FrontendAccess {
    /** A command that prints or opens the URL. */
    readonly command: pulumi.Output<string>;
    /** The URL, or a hint of its form when only the cluster knows it (a NodePort behind minikube's IP). */
    readonly url: pulumi.Output<string>;
}
