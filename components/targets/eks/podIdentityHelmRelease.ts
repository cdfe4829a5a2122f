import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../naming";
import { OwnPolicy, PodIdentityRole } from "./podIdentityRole";

/** A Helm chart, pinned to one version of one repository. */
export interface PinnedChart {
    readonly repo: string;
    readonly chart: string;
    readonly version: string;
}

/** Where a controller installed by Helm runs, and what it waits for: the same for every such controller. */
export interface ControllerPlacement {
    /**
     * The EKS cluster's name, as the cluster reports it: the Pod Identity association names it. An Output of the
     * cluster, so that the association waits for it (EKS refuses an association in a cluster that is still being
     * created: ResourceNotFoundException).
     */
    readonly clusterName: pulumi.Input<string>;
    readonly region: string;
    /** The cluster's Kubernetes provider. */
    readonly provider: k8s.Provider;
    readonly awsProvider: aws.Provider;
    /** What the controller's pods need first: nodes to run on, and the Pod Identity Agent for their credentials. */
    readonly runsAfter: readonly pulumi.Resource[];
}

export interface PodIdentityHelmReleaseArgs extends ControllerPlacement {
    /** The chart to install. */
    readonly chart: PinnedChart;
    /**
     * The service account the chart makes and the pods run as; its namespace and name are the release's too (so
     * the chart's objects are named after it).
     */
    readonly serviceAccount: { readonly namespace: string; readonly name: string };
    /** The chart's values. */
    readonly values: pulumi.Input<Record<string, unknown>>;
    /** The role's policies of the stack's own (PodIdentityRoleArgs.ownPolicies). */
    readonly ownPolicies: readonly OwnPolicy[];
    /** AWS managed policies the role carries, by name. Default: none. */
    readonly managedPolicies?: readonly string[];
}

/** What podIdentityHelmRelease makes. */
export interface PodIdentityHelmRelease {
    readonly role: PodIdentityRole;
    readonly release: k8s.helm.v3.Release;
    /** What the owning component registers as its outputs. */
    readonly outputs: {
        readonly roleArn: pulumi.Output<string>;
        readonly releaseStatus: k8s.helm.v3.Release["status"];
    };
}

/**
 * A controller installed by its Helm chart as a Release that runs as a Pod Identity role: the role, its policies
 * and its association (PodIdentityRole), and the Release, which waits for its pods (skipAwait off) and starts only
 * once the role's policies and association exist, because its pods ask the Pod Identity Agent for the role's
 * credentials as they start.
 *
 * A function, not a component of its own, on purpose: both are children of `parent` as they were before it
 * existed, named `<name>-role` and `<name>-release`, so their URNs (which the parents' types are part of) and
 * every existing stack's resources stay as they are; a component in between would have needed aliases on both.
 */
export function podIdentityHelmRelease(
    name: string,
    args: PodIdentityHelmReleaseArgs,
    parent: pulumi.ComponentResource,
): PodIdentityHelmRelease {
    const managedPolicies = args.managedPolicies ?? [];
    const { namespace, name: serviceAccount } = args.serviceAccount;

    const role = new PodIdentityRole(
        childName(name, "role"),
        {
            serviceAccount: args.serviceAccount,
            managedPolicies,
            ownPolicies: args.ownPolicies,
            clusterName: args.clusterName,
            region: args.region,
            awsProvider: args.awsProvider,
        },
        { parent },
    );

    const { repo, chart, version } = args.chart;
    const release = new k8s.helm.v3.Release(
        childName(name, "release"),
        {
            name: serviceAccount,
            namespace,
            chart,
            version,
            repositoryOpts: { repo },
            values: args.values,
            skipAwait: false,
        },
        { parent, provider: args.provider, dependsOn: [...args.runsAfter, ...role.ready] },
    );

    return { role, release, outputs: { roleArn: role.role.arn, releaseStatus: release.status } };
}
