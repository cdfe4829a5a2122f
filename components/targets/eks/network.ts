import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NatGatewayStrategy } from "../../config";
import { childName } from "../../naming";
import { lookupEksZones } from "./zones";

export interface EksNetworkArgs {
    /** Region of awsProvider, for the message when it has too few zones EKS accepts. */
    readonly region: string;
    /** Availability zones to span: the first N of the region's that EKS accepts (zones.ts). */
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
    /** The awsx VPC, created once the zones are chosen. */
    readonly vpc: Promise<awsx.ec2.Vpc>;
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Names of the zones the subnets are in, e.g. us-east-1a, as this account calls them. */
    readonly zoneNames: pulumi.Output<string[]>;

    constructor(name: string, args: EksNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:EksNetwork", name, {}, opts);
        const netmasks = subnetNetmasks(args.zoneCount);
        const zoneNames = lookupEksZones(args.region, args.zoneCount, {
            parent: this,
            provider: args.awsProvider,
        }).catch((error: unknown) => {
            // Said here, as it is: the runtime prints an error once, after every resource input that failed
            // with it has prefixed its property path to the message. The VPC and its dependents fail after it.
            void pulumi.log.error(error instanceof Error ? error.message : String(error), this);
            throw new pulumi.RunError(`${name}: no VPC, as no availability zones were chosen (the error above)`);
        });

        // The VPC waits for the zone lookup (awsx takes the names as a plain list). Whatever reads its ids
        // (the cluster, the node group) waits with it, and records the VPC as a dependency through the Outputs.
        this.vpc = zoneNames.then(
            (availabilityZoneNames) =>
                new awsx.ec2.Vpc(
                    childName(name, "vpc"),
                    {
                        cidrBlock: VPC_CIDR,
                        // By name, chosen by zone ID; awsx refuses numberOfAvailabilityZones beside it.
                        availabilityZoneNames,
                        // "Auto" allocates the subnets in the order given here and never moves an existing one,
                        // so adding a spec later does not renumber (and replace) the subnets the cluster runs in.
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
                ),
        );
        const fromVpc = <T>(read: (vpc: awsx.ec2.Vpc) => pulumi.Output<T>) => pulumi.output(this.vpc.then(read));
        this.vpcId = fromVpc((vpc) => vpc.vpcId);
        this.publicSubnetIds = fromVpc((vpc) => vpc.publicSubnetIds);
        this.privateSubnetIds = fromVpc((vpc) => vpc.privateSubnetIds);
        this.zoneNames = pulumi.output(zoneNames);

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            zoneNames: this.zoneNames,
        });
    }
}
