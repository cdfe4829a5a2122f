import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * EKS add-ons the stack installs once there are nodes (which of them, the node mode says): cluster DNS
 * (CoreDNS, which every pod's name lookups go to) and the Kubernetes Metrics Server (the
 * HorizontalPodAutoscalers read pod CPU from it; without it they show <unknown> and hold the minimum). Both run
 * as Deployments, and an add-on only turns ACTIVE once its pods run, so they are created after the nodes
 * (opts.dependsOn).
 */
export type ClusterAddonName = "coredns" | "metrics-server";

/**
 * One EKS add-on. With no version given EKS installs its default version for the cluster's Kubernetes
 * version. OVERWRITE on create adopts what is already there (EKS installs a self-managed CoreDNS with a
 * new cluster); OVERWRITE on update keeps the add-on's settings the ones this stack declares.
 */
export function clusterAddon(
    name: string,
    clusterName: pulumi.Input<string>,
    addonName: ClusterAddonName,
    opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
    return new aws.eks.Addon(
        name,
        { clusterName, addonName, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE" },
        opts,
    );
}
