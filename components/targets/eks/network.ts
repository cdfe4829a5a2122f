import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NatGatewayStrategy } from "../../config";
import { childName } from "../../naming";

export interface EksNetworkArgs {
    /** Availability zones to span: the region's first N, as awsx picks them. */
    readonly zoneCount: number;
    /** One NAT gateway per zone, or a single one for the whole VPC. */
    readonly natGateways: NatGatewayStrategy;
    /** Passed to the awsx VPC explicitly: a remote component is sent only the providers in its own options. */
    readonly awsProvider: aws.Provider;
}

/** Subnet tags the Kubernetes load balancer controllers read to pick subnets for internet-facing and internal load balancers. */
const PUBLIC_SUBNET_TAGS = { "kubernetes.io/role/elb": "1" } as const;
const PRIVATE_SUBNET_TAGS = { "kubernetes.io/role/internal-elb": "1" } as const;

const VPC_CIDR = "10.0.0.0/16";

/**
 * Netmasks of each zone's subnets. awsx gives each zone an equal, power-of-two share of the VPC (of a /16: a
 * /17 for two zones, a /18 for three or four); the private subnet takes half of it, the public one a quarter,
 * and the rest stays free for later.
 */
export function subnetNetmasks(zoneCount: number): { readonly private: number; readonly public: number } {
    const zoneNetmask = Number(VPC_CIDR.split("/")[1]) + Math.ceil(Math.log2(zoneCount));
    return { private: zoneNetmask + 1, public: zoneNetmask + 2 };
}

/**
 * The VPC the cluster lives in: in each zone a public subnet (NAT gateways, internet-facing load balancers)
 * and a private one (nodes, pods, the control plane's network interfaces). Pods get VPC addresses from the
 * VPC CNI, so the private subnets get the larger share of the address space.
 */
export class EksNetwork extends pulumi.ComponentResource {
    readonly vpc: awsx.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Names of the zones the subnets are in, e.g. us-east-1a. */
    readonly zoneNames: pulumi.Output<string[]>;

    constructor(name: string, args: EksNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:EksNetwork", name, {}, opts);
        const netmasks = subnetNetmasks(args.zoneCount);

        this.vpc = new awsx.ec2.Vpc(
            childName(name, "vpc"),
            {
                cidrBlock: VPC_CIDR,
                numberOfAvailabilityZones: args.zoneCount,
                // "Auto" allocates the subnets in the order given here and never moves an existing one, so
                // adding a spec later does not renumber (and replace) the subnets the cluster runs in.
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Private", cidrMask: netmasks.private, tags: { ...PRIVATE_SUBNET_TAGS } },
                    { type: "Public", cidrMask: netmasks.public, tags: { ...PUBLIC_SUBNET_TAGS } },
                ],
                natGateways: { strategy: args.natGateways },
                // EKS needs DNS hostnames for nodes to register and for the private API endpoint to resolve.
                enableDnsHostnames: true,
                enableDnsSupport: true,
            },
            { parent: this, providers: { aws: args.awsProvider } },
        );
        this.vpcId = this.vpc.vpcId;
        this.publicSubnetIds = this.vpc.publicSubnetIds;
        this.privateSubnetIds = this.vpc.privateSubnetIds;

        // The same lookup awsx makes for numberOfAvailabilityZones (its getDefaultAzs: the region's zones, the
        // first N), so the stack can report which zones it uses.
        this.zoneNames = aws
            .getAvailabilityZonesOutput({}, { parent: this, provider: args.awsProvider })
            .names.apply((names) => {
                if (names.length < args.zoneCount) {
                    throw new Error(
                        `The region has ${names.length} availability zones; zoneCount asks for ${args.zoneCount}`,
                    );
                }
                return names.slice(0, args.zoneCount);
            });

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            zoneNames: this.zoneNames,
        });
    }
}
