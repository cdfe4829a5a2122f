import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EKS_VERSIONS } from "../../config/eksVersions";
import { partitionOf } from "./awsProvider";
import { ControllerPlacement, podIdentityHelmRelease } from "./podIdentityHelmRelease";
import { PodIdentityRole } from "./podIdentityRole";

/**
 * The chart, pinned: cluster-autoscaler 9.59.0 of kubernetes/autoscaler (tag cluster-autoscaler-chart-9.59.0,
 * 2026-07-21), the newest as of this writing. Its default image is v1.35.0; the image is set per cluster version
 * below instead.
 */
export const CLUSTER_AUTOSCALER_CHART = {
    repo: "https://kubernetes.github.io/autoscaler",
    chart: "cluster-autoscaler",
    version: "9.59.0",
} as const;

/**
 * The Cluster Autoscaler release for each Kubernetes minor version EKS offers, as config/eksVersions.ts pins it
 * beside the version's dates. "The Cluster Autoscaler's version matches the cluster's version. Cross version
 * compatibility is not tested or supported" (AWS EKS best practices guide), so the image follows kubernetesVersion.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = Object.fromEntries(
    EKS_VERSIONS.map((entry) => [entry.version, entry.clusterAutoscalerImageTag]),
);

/** The autoscaler's pods run as this service account; its Pod Identity association names it. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" } as const;

/**
 * One replica: the autoscaler elects a leader and only the leader works, so a second pod would only wait (AWS EKS
 * best practices: "work is done by a single replica at a time"). Losing it pauses node scaling until the
 * Deployment's replacement runs; the pods already scheduled are not touched.
 */
export const CLUSTER_AUTOSCALER_REPLICAS = 1;

/** What the pod asks for and may use, as kubernetes/autoscaler's AWS example manifest sets it. */
export const CLUSTER_AUTOSCALER_RESOURCES = {
    requests: { cpu: "100m", memory: "600Mi" },
    limits: { cpu: "100m", memory: "600Mi" },
} as const;

/** The image tag for a cluster's Kubernetes minor version. */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
    const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetesVersion];
    if (tag === undefined) {
        const known = EKS_VERSIONS.map((entry) => entry.version).join(", ");
        throw new Error(
            `cluster autoscaler: no release pinned for Kubernetes ${kubernetesVersion} (pinned: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}; EKS offers ${known})`,
        );
    }
    return tag;
}

/**
 * Least privilege, as the AWS EKS best practices guide writes it for auto-discovery: reading Auto Scaling groups,
 * launch templates and instance types anywhere (those calls take no resource), resizing and terminating only in
 * Auto Scaling groups tagged as this cluster's. EKS puts both tags on a managed node group's Auto Scaling group
 * itself ("Amazon EKS tags managed node group resources so that they are configured to use the Kubernetes Cluster
 * Autoscaler"), so no other cluster's groups, and nothing else in the account, can be resized with this role.
 * eks:DescribeNodegroup (labels and taints of a group at zero nodes) is limited to node groups of this cluster's name.
 */
export function clusterAutoscalerPolicy(clusterName: string, region: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadNodeGroups",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                Sid: "DescribeThisClustersNodeGroups",
                Effect: "Allow",
                Action: "eks:DescribeNodegroup",
                // Any region and account, as the policy needs neither: the cluster's name narrows it enough for a read.
                Resource: `arn:${partitionOf(region)}:eks:*:*:nodegroup/${clusterName}/*`,
            },
            {
                Sid: "ResizeThisClustersNodeGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: {
                    StringEquals: {
                        "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                        [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
                    },
                },
            },
        ],
    });
}

/**
 * The chart's values. Auto-discovery finds the node groups by the tags EKS gives them. The flags:
 * - balance-similar-node-groups: the zones' groups are alike but for their zone, so a scale-up that could go to
 *   any of them keeps them the same size; balancing-ignore-label: topology.k8s.aws/zone-id, the zone's ID that EKS
 *   puts on every node, would otherwise make the groups look different (the autoscaler ignores only the zone name);
 * - expander least-waste: of the groups that fit a pending pod, the one left least idle (AWS's example manifest);
 * - skip-nodes-with-local-storage false: every pod of the app has an emptyDir (/tmp, scratch), which would
 *   otherwise keep any node it runs on from ever being removed;
 * - skip-nodes-with-system-pods false: kube-system pods (CoreDNS, metrics-server, the controllers) would do the
 *   same; they are evicted through their PodDisruptionBudgets like the app's.
 * Runs as a non-root user with a read-only root filesystem and no capabilities (the example manifest's settings),
 * at system-cluster-critical priority: when nodes are short, it is the autoscaler that must still be scheduled.
 */
export function clusterAutoscalerValues(clusterName: string, region: string, kubernetesVersion: string) {
    return {
        cloudProvider: "aws",
        awsRegion: region,
        autoDiscovery: { clusterName },
        image: { tag: clusterAutoscalerImageTag(kubernetesVersion) },
        rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name } },
        replicaCount: CLUSTER_AUTOSCALER_REPLICAS,
        priorityClassName: "system-cluster-critical",
        resources: CLUSTER_AUTOSCALER_RESOURCES,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            runAsGroup: 65534,
            fsGroup: 65534,
            seccompProfile: { type: "RuntimeDefault" },
        },
        containerSecurityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        },
        extraArgs: {
            "balance-similar-node-groups": true,
            "balancing-ignore-label": "topology.k8s.aws/zone-id",
            expander: "least-waste",
            "skip-nodes-with-local-storage": false,
            "skip-nodes-with-system-pods": false,
        },
    };
}

/** The autoscaler's cluster (whose name also narrows its IAM policy and its auto-discovery) and what it waits for. */
export interface ClusterAutoscalerArgs extends ControllerPlacement {
    /** The cluster's Kubernetes minor version, which picks the autoscaler's release. */
    readonly kubernetesVersion: string;
}

/**
 * The Kubernetes Cluster Autoscaler for the managed node groups (one per zone, managedNodes.ts): when a pod cannot
 * be scheduled for want of room, it grows the group of a zone where the pod would fit, up to that group's maximum;
 * a node whose pods (by their requests) fit elsewhere and that stays under half used for 10 minutes is drained,
 * respecting PodDisruptionBudgets, and removed, down to the group's minimum. Installed by its Helm chart as a
 * Release, with its AWS permissions through EKS Pod Identity.
 *
 * Why the Cluster Autoscaler and not Karpenter: nodes: managed is the mode where the stack owns node groups with
 * bounds (nodeMinSize, nodeMaxSize), and the autoscaler moves exactly those groups between exactly those bounds:
 * one chart and one IAM role, nothing else to run. Karpenter launches nodes of its own beside the groups (which
 * would still be needed to run Karpenter itself), with its own CRDs, AMI selection, interruption queue and
 * EventBridge rules: a second way of making nodes in a stack meant to teach one. What Karpenter does well (picking
 * instances for pending pods, consolidating) is what nodes: auto already offers, managed by AWS (EKS Auto Mode
 * runs Karpenter for you). Its one weakness here, zone-blind scale-up of a group spanning zones, is why the
 * managed nodes are one group per zone.
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    readonly role: PodIdentityRole;
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:ClusterAutoscaler", name, {}, opts);
        const clusterName = pulumi.output(args.clusterName);

        const installed = podIdentityHelmRelease(
            name,
            {
                ...args,
                clusterName,
                chart: CLUSTER_AUTOSCALER_CHART,
                serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
                values: clusterName.apply((cluster) =>
                    clusterAutoscalerValues(cluster, args.region, args.kubernetesVersion),
                ),
                ownPolicies: [
                    {
                        name: "policy",
                        description: pulumi.interpolate`Cluster Autoscaler: resize the node groups of EKS cluster ${clusterName}`,
                        document: clusterName.apply((cluster) => clusterAutoscalerPolicy(cluster, args.region)),
                    },
                ],
            },
            this,
        );
        this.role = installed.role;
        this.release = installed.release;

        this.registerOutputs(installed.outputs);
    }
}
