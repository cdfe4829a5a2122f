import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TargetCapabilities } from "../capabilities";
import type { ClusterFacts } from "../facts";
import type { ImageBuilder } from "../images";

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
