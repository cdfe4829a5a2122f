import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../naming";
import { AddonCluster, clusterAddon } from "./addons";
import { PodIdentityRole } from "./podIdentityRole";

/** The VPC CNI runs as this service account (the aws-node DaemonSet); it calls EC2 to give pods VPC addresses. */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node" } as const;

/**
 * The VPC CNI add-on's settings (its configuration schema: `aws eks describe-addon-configuration`): the network
 * policy agent enforces the app's NetworkPolicies.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

export interface NodeNetworkingArgs {
    /** The cluster's name and live Kubernetes version, for the add-ons and their versions. */
    readonly cluster: AddonCluster;
    /** Region, for the partition of the managed policy ARN. */
    readonly region: string;
    readonly awsProvider: aws.Provider;
}

/**
 * What a node needs before it can be Ready, as EKS add-ons the stack manages: the VPC CNI (pod networking) with
 * its AWS permissions through EKS Pod Identity, and the EKS Pod Identity Agent that hands them out. (EKS Auto
 * Mode has both built in: "You do not need to install the EKS Pod Identity Agent on EKS Auto Mode Clusters",
 * docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html.)
 *
 * Order on a fresh `pulumi up`: eks.Cluster is told not to install the CNI (useDefaultVpcCni), so EKS starts the
 * cluster with its self-managed one; then the `eks-pod-identity-agent` add-on and the CNI's role; then the
 * `vpc-cni` add-on (OVERWRITE adopts the self-managed DaemonSet; its podIdentityAssociations make the aws-node
 * association together with the add-on), after the agent, because AWS's Pod Identity setup asks for the agent
 * before any association (docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html); only then the node
 * groups. Both add-ons are DaemonSets, so they turn
 * ACTIVE without nodes (unlike CoreDNS, a Deployment, which waits for them: addons.ts).
 *
 * The bootstrapping window: when a node joins, aws-node and the agent start together. Both run in the host
 * network and tolerate every taint (the agent's chart: hostNetwork, tolerations Exists, system-node-critical),
 * so neither needs pod networking or a Ready node. The agent needs only the node role
 * (eks-auth:AssumeRoleForPodIdentity, in AmazonEKSWorkerNodePolicy). aws-node asks the agent on
 * 169.254.170.23 for credentials; if it asks first, it fails and kubelet restarts it (aws/amazon-vpc-cni-k8s#3840
 * shows aws-node crash-looping where no agent exists at all), and the next start finds the agent: the node turns
 * Ready a few seconds later. There is no fallback to the node role: it no longer has AmazonEKS_CNI_Policy.
 */
export class NodeNetworking extends pulumi.ComponentResource {
    readonly cniRole: PodIdentityRole;
    readonly vpcCni: aws.eks.Addon;
    readonly podIdentityAgent: aws.eks.Addon;
    /** What the nodes must wait for. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: NodeNetworkingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:NodeNetworking", name, {}, opts);
        const awsOpts = { parent: this, provider: args.awsProvider };

        this.cniRole = new PodIdentityRole(
            childName(name, "vpc-cni"),
            {
                serviceAccount: VPC_CNI_SERVICE_ACCOUNT,
                managedPolicies: ["AmazonEKS_CNI_Policy"],
                clusterName: undefined,
                region: args.region,
                awsProvider: args.awsProvider,
            },
            { parent: this },
        );

        this.podIdentityAgent = clusterAddon(
            childName(name, "pod-identity-agent"),
            args.cluster,
            "eks-pod-identity-agent",
            awsOpts,
        );

        this.vpcCni = clusterAddon(
            childName(name, "vpc-cni"),
            args.cluster,
            "vpc-cni",
            // aws-node must find its role's policy attached the first time it asks for credentials, and the agent
            // that hands them out installed before its association.
            { ...awsOpts, dependsOn: [...this.cniRole.ready, this.podIdentityAgent] },
            {
                configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
                podIdentityAssociations: [this.cniRole.addonAssociation],
                // Deleting the add-on (a replacement, or moving it) must not take aws-node off running nodes.
                preserve: true,
            },
        );

        this.ready = [this.vpcCni, this.podIdentityAgent];
        this.registerOutputs({ cniRoleArn: this.cniRole.role.arn });
    }
}
