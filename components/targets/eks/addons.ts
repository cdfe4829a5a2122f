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

/** Every EKS add-on the stack installs, with the node mode's (ClusterAddonName) and the node networking's. */
export type EksAddonName = ClusterAddonName | "vpc-cni" | "eks-pod-identity-agent";

/** The cluster an add-on goes into. */
export interface AddonCluster {
    /**
     * The cluster's name as the cluster reports it (its Output): the add-on waits for the cluster, and on an
     * upgrade for the control plane's update, so the add-ons move after it, as the EKS upgrade guide orders.
     */
    readonly clusterName: pulumi.Input<string>;
    /** The Kubernetes version the stack asks for, known at preview, which the add-on's version is looked up for. */
    readonly kubernetesVersion: string;
}

/**
 * The version EKS installs by default for `addonName` on this Kubernetes version (getAddonVersion, mostRecent
 * false), resolved at preview. The default is the version EKS tested with the Kubernetes minor; it changes when
 * kubernetesVersion does, so raising it moves every add-on (docs/eks.md#version-policy says why not a pinned table).
 */
export function defaultAddonVersion(
    addonName: EksAddonName,
    cluster: AddonCluster,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
    return aws.eks
        .getAddonVersionOutput(
            { addonName, kubernetesVersion: cluster.kubernetesVersion, mostRecent: false },
            { parent: opts.parent, provider: opts.provider },
        )
        .apply((found) => found.version);
}

/**
 * One EKS add-on, at EKS's default version for the cluster's Kubernetes version. OVERWRITE on create adopts what
 * is already there (EKS installs a self-managed CoreDNS with a new cluster); OVERWRITE on update keeps the
 * add-on's settings the ones this stack declares.
 */
export function clusterAddon(
    name: string,
    cluster: AddonCluster,
    addonName: EksAddonName,
    opts: pulumi.CustomResourceOptions,
    settings: Pick<aws.eks.AddonArgs, "configurationValues" | "podIdentityAssociations" | "preserve"> = {},
): aws.eks.Addon {
    return new aws.eks.Addon(
        name,
        {
            clusterName: cluster.clusterName,
            addonName,
            addonVersion: defaultAddonVersion(addonName, cluster, opts),
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            ...settings,
        },
        opts,
    );
}
