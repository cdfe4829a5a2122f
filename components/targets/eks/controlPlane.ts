import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ControlPlaneLogType, EksSupportType } from "../../config";
import { childName } from "../../naming";

export interface EksControlPlaneArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the control plane's network interfaces (and Auto Mode's nodes): the private ones. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Kubernetes minor version, e.g. "1.36". */
    readonly kubernetesVersion: string;
    /**
     * The upgrade policy: STANDARD while the version is in standard support (extended support costs $0.60 an hour
     * instead of $0.10, and EKS upgrades a STANDARD cluster at the end of standard support instead); EXTENDED past
     * it, the only one EKS takes then (config/eksVersions.ts).
     */
    readonly supportType: EksSupportType;
    /** CIDR blocks allowed to reach the public API endpoint. */
    readonly publicAccessCidrs: readonly string[];
    /** The cluster arguments of the node mode (eksNodeMode): Auto Mode or not. */
    readonly nodeModeArgs: Pick<eks.ClusterArgs, "autoMode">;
    /** Control plane log streams sent to CloudWatch Logs. */
    readonly logTypes: readonly ControlPlaneLogType[];
    /** Days the control plane's log group keeps its events. */
    readonly logRetentionDays: number;
    /** AWS CLI profile the cluster's own kubeconfig uses; undefined: the default credential chain. */
    readonly profile: string | undefined;
    /** Passed to every AWS resource and remote component explicitly (a remote component does not inherit it). */
    readonly awsProvider: aws.Provider;
}

/** Access entries (the EKS API) decide who is who; no aws-auth ConfigMap to hand-edit. */
export const CONTROL_PLANE_AUTHENTICATION_MODE = eks.AuthenticationMode.Api;

/**
 * The Kubernetes Services' address range. EKS would pick this one itself for a VPC in 10.0.0.0/8; stated, so the
 * cluster DNS address below is known before the cluster exists.
 */
export const SERVICE_CIDR = "172.20.0.0/16";
/** Cluster DNS (the kube-dns Service) is the range's tenth address, as EKS assigns it. */
export const CLUSTER_DNS_ADDRESS = "172.20.0.10";

/** Bytes of the cluster name's random suffix: 6 hex digits, 16 million names per project and stack. */
export const CLUSTER_NAME_SUFFIX_BYTES = 3;

/**
 * The EKS cluster's name: <project>-<stack>-<suffix>, the suffix made once with the stack's cluster (a
 * random.RandomId in the state) and so new after `pulumi destroy`. Known before the cluster exists, so its log
 * group can be made first. EKS takes letters, digits, '-' and '_', up to 100.
 *
 * Why the suffix: EKS writes control plane logs for a while after the cluster's deletion began, and recreates
 * /aws/eks/<name>/cluster (never expiring) when the stack has already deleted it; a fixed name would then make
 * the next `pulumi up` of the same stack fail on ResourceAlreadyExistsException (terraform-aws-eks #920, #2486).
 * A name per cluster lifetime is what pulumi-eks gives by default (an auto-name with a random suffix) and what
 * terraform-aws-eks users add with random_string; the old group expires or is deleted by hand (docs/eks.md).
 */
export function eksClusterName(project: string, stack: string, suffix: string): string {
    const base = `${project}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 100 - suffix.length - 1);
    return `${base}-${suffix}`;
}

/** Where EKS sends a cluster's control plane logs; it creates this group, never expiring, if none exists. */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

/**
 * The managed control plane: AWS runs the API servers and etcd across three zones, backs etcd up and patches
 * it. This stack chooses who may reach it (IAM access entries, the endpoints), what it logs, and encrypts
 * Kubernetes Secrets in etcd with a key of its own (envelope encryption).
 */
export class EksControlPlane extends pulumi.ComponentResource {
    readonly secretsKey: aws.kms.Key;
    /** The random part of the cluster's name, kept for the cluster's lifetime (eksClusterName). */
    readonly nameSuffix: random.RandomId;
    /** The control plane's CloudWatch log group, made before the cluster so EKS does not make its own. */
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly cluster: eks.Cluster;
    /** The EKS cluster's name, as `aws eks` commands take it. */
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    /** Base64 PEM of the cluster's certificate authority. */
    readonly certificateAuthority: pulumi.Output<string>;

    constructor(name: string, args: EksControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:EksControlPlane", name, {}, opts);

        this.secretsKey = new aws.kms.Key(
            childName(name, "secrets-key"),
            {
                description: `Envelope encryption of Kubernetes Secrets in the first-k8s EKS cluster (stack ${pulumi.getStack()})`,
                enableKeyRotation: true,
                // The key only protects this cluster's Secrets, which go with the cluster; 7 days (the minimum)
                // still leaves a week to `aws kms cancel-key-deletion` after a mistaken destroy.
                deletionWindowInDays: 7,
            },
            { parent: this, provider: args.awsProvider },
        );

        this.nameSuffix = new random.RandomId(
            childName(name, "name-suffix"),
            { byteLength: CLUSTER_NAME_SUFFIX_BYTES },
            { parent: this },
        );
        const clusterName = this.nameSuffix.hex.apply((suffix) =>
            eksClusterName(pulumi.getProject(), pulumi.getStack(), suffix),
        );
        this.logGroup = new aws.cloudwatch.LogGroup(
            childName(name, "logs"),
            { name: clusterName.apply(controlPlaneLogGroupName), retentionInDays: args.logRetentionDays },
            { parent: this, provider: args.awsProvider },
        );

        this.cluster = new eks.Cluster(
            childName(name, "cluster"),
            {
                vpcId: args.vpcId,
                // Private subnets only: the control plane's network interfaces need no public address, and Auto
                // Mode places nodes in the cluster's subnets. Load balancers find the public subnets by their
                // kubernetes.io/role/elb tag, in the whole VPC.
                privateSubnetIds: args.subnetIds,
                version: args.kubernetesVersion,
                // With STANDARD, at the end of standard support EKS upgrades the control plane itself (docs/eks.md).
                upgradePolicy: { supportType: args.supportType },
                authenticationMode: CONTROL_PLANE_AUTHENTICATION_MODE,
                skipDefaultNodeGroup: true,
                // pulumi-eks's default security groups serve its self-managed node groups: a node group SG and a
                // cluster SG that admits it. The managed node group (a launch template naming no security group)
                // and Auto Mode's nodes use the cluster security group EKS makes, so these would guard nothing.
                skipDefaultSecurityGroups: true,
                name: clusterName,
                // Read through the log group, so the cluster (a remote component, which waits for its inputs)
                // is made after it: the first log line finds the group with its retention already set.
                enabledClusterLogTypes: this.logGroup.name.apply(() => [...args.logTypes]),
                encryptionConfigKeyArn: this.secretsKey.arn,
                // Nodes reach the API server inside the VPC; people reach it over the internet, from the
                // configured CIDR blocks, and still need an IAM identity with an access entry.
                endpointPrivateAccess: true,
                endpointPublicAccess: true,
                publicAccessCidrs: [...args.publicAccessCidrs],
                kubernetesServiceIpAddressRange: SERVICE_CIDR,
                ...args.nodeModeArgs,
                // pulumi-eks's own vpc-cni add-on cannot take a Pod Identity association; the managed node mode
                // installs one that can, before its nodes (nodeNetworking.ts). Auto Mode has its own networking.
                useDefaultVpcCni: true,
                // CoreDNS comes as an EKS add-on from the target, after the nodes (addons.ts). Created in here it
                // would wait for nodes inside eks.Cluster while the node group waits for eks.Cluster to finish:
                // the first `pulumi up` fails after 20 minutes (pulumi/pulumi-eks#1819).
                corednsAddonOptions: { enabled: false },
                providerCredentialOpts: args.profile ? { profileName: args.profile } : undefined,
            },
            { parent: this, providers: { aws: args.awsProvider } },
        );

        // eks.Cluster is a remote component: under `pulumi up` this is a reference to its aws.eks.Cluster.
        const eksCluster = this.cluster.eksCluster;
        this.clusterName = eksCluster.name;
        this.endpoint = eksCluster.endpoint;
        this.certificateAuthority = eksCluster.certificateAuthority.data;

        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            secretsKeyArn: this.secretsKey.arn,
            logGroupName: this.logGroup.name,
        });
    }
}
