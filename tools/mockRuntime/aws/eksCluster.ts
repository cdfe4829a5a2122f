import * as eks from "@pulumi/eks";
import { ServiceMocks } from "./context";
import { arn, hex, mockId } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";

/** The eks.Cluster arguments the mock reads, as pulumi-eks declares them. */
type ClusterInputs = MockInputs<
    eks.ClusterArgs,
    | "name"
    | "version"
    | "vpcId"
    | "subnetIds"
    | "publicSubnetIds"
    | "privateSubnetIds"
    | "encryptionConfigKeyArn"
    | "enabledClusterLogTypes"
    | "upgradePolicy"
    | "skipDefaultSecurityGroups"
    | "autoMode"
>;

/** The eks.ManagedNodeGroup arguments the mock reads. */
type NodeGroupInputs = MockInputs<
    eks.ManagedNodeGroupArgs,
    "clusterName" | "nodeRoleArn" | "subnetIds" | "launchTemplate"
>;

/**
 * pulumi-eks's Cluster and ManagedNodeGroup, remote components: one resource each here, answered with what the EKS
 * target reads (the cluster's name, endpoint, certificate authority and version; the security group and Auto Mode
 * node role a NodeClass names) and what the tests check of the cluster EKS made (its security groups, Auto Mode's
 * node pools). Creating either is refused as EKS refuses it (awsAccount.ts).
 */
export const eksClusterMocks: ServiceMocks = ({ account, regionOf }) => ({
    resources: {
        "eks:index:Cluster": (args) => {
            const inputs = args.inputs as ClusterInputs;
            const autoMode = inputs.autoMode;
            const region = regionOf(args.provider, `eks:index:Cluster ${args.name}`);
            const auto = autoMode?.enabled === true;
            // pulumi-eks skips its own security groups when told to, and in Auto Mode unless told otherwise.
            const ownGroups = !(inputs.skipDefaultSecurityGroups ?? auto);
            // pulumi-eks names the cluster `name` when given one, else auto-names it from the component's name.
            const name = inputs.name ?? `${args.name}-eksCluster-${hex(`cluster/${args.name}`, 7)}`;
            const version = inputs.version ?? "1.35";
            account.addCluster({
                name,
                version,
                // pulumi-eks leaves the upgrade policy to EKS when not given, and EKS's default is EXTENDED.
                supportType: inputs.upgradePolicy?.supportType ?? "EXTENDED",
                vpcId: inputs.vpcId,
                subnetIds: inputs.subnetIds ?? [...(inputs.publicSubnetIds ?? []), ...(inputs.privateSubnetIds ?? [])],
                keyArn: inputs.encryptionConfigKeyArn,
                logging: (inputs.enabledClusterLogTypes ?? []).length > 0,
            });
            // The group EKS makes for every cluster; pulumi-eks's clusterSecurityGroupId is its own group, if any.
            const eksSecurityGroupId = mockId("sg", `${name}/eks-cluster-sg`);
            const ownSecurityGroupId = mockId("sg", `${name}/eksClusterSecurityGroup`);
            const nodeSecurityGroupId = mockId("sg", `${name}/nodeSecurityGroup`);
            const autoModeNodeRoleName = auto ? `${args.name}-nodeRole-role-${hex(`noderole/${name}`, 7)}` : "";
            return {
                id: undefined,
                state: {
                    eksCluster: {
                        name,
                        endpoint: `https://MOCK${hex(`endpoint/${name}`, 28).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
                        version,
                        certificateAuthority: {
                            data: Buffer.from(
                                "-----BEGIN CERTIFICATE-----\nMOCK: a placeholder, not a certificate\n-----END CERTIFICATE-----\n",
                            ).toString("base64"),
                        },
                        vpcConfig: { securityGroupIds: ownGroups ? [ownSecurityGroupId] : [] },
                        computeConfig: auto
                            ? // EKS's default: both built-in pools.
                              { nodePools: autoMode?.computeConfig?.nodePools ?? ["general-purpose", "system"] }
                            : undefined,
                    },
                    clusterSecurityGroupId: ownGroups ? ownSecurityGroupId : eksSecurityGroupId,
                    nodeSecurityGroup: ownGroups
                        ? { id: nodeSecurityGroupId, arn: arn(region, "ec2", `security-group/${nodeSecurityGroupId}`) }
                        : undefined,
                    autoModeNodeRoleName,
                } satisfies MockOutputs<eks.Cluster>,
            };
        },

        // Nothing reads a node group's outputs: the target waits on the groups, and this mock refuses what EKS would.
        "eks:index:ManagedNodeGroup": (args) => {
            const inputs = args.inputs as NodeGroupInputs;
            account.requireCluster(inputs.clusterName ?? "mock-cluster");
            account.requireRoleArn(inputs.nodeRoleArn);
            (inputs.subnetIds ?? []).forEach((id) => account.requireSubnet(id));
            if (inputs.launchTemplate !== undefined) {
                account.requireLaunchTemplate(inputs.launchTemplate.id);
            }
            return { id: undefined, state: {} satisfies MockOutputs<eks.ManagedNodeGroup> };
        },
    },
});
