import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { NodeScaling } from "../../config";
import { childName } from "../../naming";
import { managedPolicyArn, stackTags } from "./awsProvider";
import { NodeNetworking } from "./nodeNetworking";
import { zoneScaling } from "./nodeScaling";

export interface ManagedNodesArgs {
    readonly cluster: eks.Cluster;
    readonly clusterName: pulumi.Input<string>;
    /** Kubernetes minor version of the nodes: the control plane's, so raising it upgrades both (the nodes second). */
    readonly kubernetesVersion: string;
    /** The private subnet of each zone, in the order of the stack's zones: one node group in each. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Zones the stack spans (zoneCount): as many subnets, and node groups. */
    readonly zones: number;
    readonly instanceTypes: readonly string[];
    /** The stack's totals, which the zones' groups share (nodeScaling.ts). */
    readonly scaling: NodeScaling;
    /** Region, for the partition of the managed policy ARNs. */
    readonly region: string;
    /** Passed to every AWS resource and the remote node group explicitly (a remote component does not inherit it). */
    readonly awsProvider: aws.Provider;
}

/** The AMI type of the nodes: EKS-optimized Amazon Linux 2023 on x86_64 (the backend image is linux/amd64). */
const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";

/**
 * What the nodes themselves need: join the cluster (and let the Pod Identity Agent call
 * eks-auth:AssumeRoleForPodIdentity), pull images from ECR. Not AmazonEKS_CNI_Policy: the VPC CNI gets it through
 * EKS Pod Identity (nodeNetworking.ts), so what reads the node's credentials cannot change the VPC's network
 * interfaces with them.
 */
const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"];

/**
 * IMDSv2 only (session tokens, which stop SSRF-style credential theft), and a hop limit of 1: a pod has its
 * own network namespace, one hop away, so it cannot read the node role's credentials. No pod here needs them:
 * the VPC CNI has a role of its own (EKS Pod Identity), the Pod Identity Agent runs in the host network. This is
 * also what EKS sets for AL2023
 * managed node groups without a launch template (docs.aws.amazon.com/eks/latest/userguide/al2023.html); a pod
 * that needs AWS credentials should get its own role (EKS Pod Identity), not the node's.
 */
const NODE_METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

/** What EC2 launches for a node that costs money and takes tags from the launch template. */
const NODE_TAGGED_RESOURCES = ["instance", "volume"] as const;

/** AL2023's root device; the launch template sets its volume because a node group with one may not set diskSize. */
export const NODE_ROOT_VOLUME = {
    deviceName: "/dev/xvda",
    ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
} as const;

/**
 * Worker nodes as EKS managed node groups, one per zone: EC2 instances that EKS launches from the EKS-optimized
 * AMI, registers, and replaces one at a time (respecting PodDisruptionBudgets) on upgrades. Choosing their type,
 * count and zones, and upgrading them, is this stack's job; the Cluster Autoscaler (clusterAutoscaler.ts) moves
 * each group's size between its bounds.
 *
 * One group per zone, not one group over every zone, because of how the Cluster Autoscaler adds a node. It asks
 * "would a node like this group's let the pending pod run?" with a copy of one of the group's nodes, zone label
 * included, and the Auto Scaling group then launches the instance in whichever zone it balances to. The app's
 * pods spread over zones with DoNotSchedule: a pod that must go to zone b is no fit for a copy of a zone-a node,
 * so no node is added, or one is added in a zone the pod cannot use (kubernetes/autoscaler#5489; the EKS user
 * guide's managed node group concepts and the AWS EKS best practices guide ask for one group per zone with
 * --balance-similar-node-groups for zonal pods). A group in one zone also never rebalances across zones (the
 * Auto Scaling group's AZRebalance, which terminates instances without respecting PodDisruptionBudgets).
 */
export class ManagedNodes extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    /** The VPC CNI and the Pod Identity Agent, which the nodes need to turn Ready. */
    readonly networking: NodeNetworking;
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    /** One group per zone, in the order of the stack's zones. */
    readonly nodeGroups: eks.ManagedNodeGroup[];

    constructor(name: string, args: ManagedNodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:ManagedNodes", name, {}, opts);
        const awsOpts = { parent: this, provider: args.awsProvider };

        this.role = new aws.iam.Role(
            childName(name, "role"),
            {
                description: "EKS managed node group instances",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                    ],
                }),
            },
            awsOpts,
        );
        const attachments = NODE_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    childName(name, policy),
                    { role: this.role.name, policyArn: managedPolicyArn(args.region, policy) },
                    awsOpts,
                ),
        );

        this.networking = new NodeNetworking(
            childName(name, "networking"),
            {
                cluster: { clusterName: args.clusterName, kubernetesVersion: args.kubernetesVersion },
                region: args.region,
                awsProvider: args.awsProvider,
            },
            { parent: this },
        );

        this.launchTemplate = new aws.ec2.LaunchTemplate(
            childName(name, "launch-template"),
            {
                description: "EKS managed nodes: IMDSv2 only, encrypted gp3 root volume",
                metadataOptions: NODE_METADATA_OPTIONS,
                blockDeviceMappings: [NODE_ROOT_VOLUME],
                // The provider's defaultTags reach the template, not what EC2 launches from it for the node
                // group: the instances and their volumes are tagged here, so the nodes' share of the bill
                // groups with the rest of the stack.
                tagSpecifications: NODE_TAGGED_RESOURCES.map((resourceType) => ({ resourceType, tags: stackTags() })),
                // No image and no user data: EKS picks the AMI for amiType and writes the bootstrap itself.
            },
            awsOpts,
        );

        const subnetIds = pulumi.output(args.subnetIds).apply((ids) => {
            if (ids.length !== args.zones) {
                throw new Error(`managed nodes: ${ids.length} private subnets for ${args.zones} zones`);
            }
            return ids;
        });
        // Named by the zone's place in the stack's zones (zone-1 is the first): a rising zoneCount adds zones at the
        // end (zones.ts takes the first zoneCount usable zones in name order), so no existing group is renamed.
        this.nodeGroups = zoneScaling(args.scaling, args.zones).map(
            (scaling, zone) =>
                new eks.ManagedNodeGroup(
                    childName(name, `group-zone-${zone + 1}`),
                    {
                        cluster: args.cluster,
                        clusterName: args.clusterName,
                        // EKS adds the access entry (type EC2_LINUX) for a managed node group's role itself; one
                        // made here too would collide with it ("access entry already in use").
                        nodeRoleArn: this.role.arn,
                        subnetIds: subnetIds.apply((ids) => [ids[zone]]),
                        amiType: NODE_AMI_TYPE,
                        // eks.ManagedNodeGroup leaves the version to us when there is a launch template; ours names
                        // no AMI, so EKS picks the AL2023 AMI of this version and rolls the nodes when it changes.
                        version: args.kubernetesVersion,
                        instanceTypes: [...args.instanceTypes],
                        capacityType: "ON_DEMAND",
                        scalingConfig: { minSize: scaling.min, desiredSize: scaling.desired, maxSize: scaling.max },
                        // The Cluster Autoscaler sets the desired size from then on: a `pulumi up` must not reset it
                        // (nodeDesiredSize is the size a group starts with).
                        ignoreScalingChanges: true,
                        launchTemplate: {
                            id: this.launchTemplate.id,
                            // A new template version rolls the nodes; the number, not "$Latest", so the change shows
                            // in a diff.
                            version: pulumi.interpolate`${this.launchTemplate.latestVersion}`,
                        },
                    },
                    // Nodes that start before their role has its policies cannot join, and nodes without the CNI and
                    // the Pod Identity Agent add-ons stay NotReady: either way the group fails to create.
                    {
                        parent: this,
                        providers: { aws: args.awsProvider },
                        dependsOn: [...attachments, ...this.networking.ready],
                    },
                ),
        );

        this.registerOutputs({ roleArn: this.role.arn, launchTemplateId: this.launchTemplate.id });
    }
}
