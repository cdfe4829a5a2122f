import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { ServiceMocks } from "./context";
import { mockId } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";
import { queryZones } from "./zones";

/** The awsx.ec2.Vpc arguments the mock reads, as awsx declares them. */
type VpcInputs = MockInputs<
    awsx.ec2.VpcArgs,
    "availabilityZoneNames" | "numberOfAvailabilityZones" | "subnetSpecs" | "natGateways"
>;

/** How many NAT gateways each of awsx's strategies makes, for a VPC with `publicSubnets` public subnets. */
const NAT_GATEWAYS: Record<awsx.types.enums.ec2.NatGatewayStrategy, (publicSubnets: number) => number> = {
    OnePerAz: (publicSubnets) => publicSubnets,
    Single: () => 1,
    None: () => 0,
};

/**
 * awsx's VPC (a remote component, so one resource here) in the zones it is given, or the region's first three:
 * a subnet per zone and spec, NAT gateways by the strategy. The EKS target reads the VPC's and subnets' ids; the
 * subnets' zones and the NAT gateways are what the tests check of the layout. A launch template is only its id and
 * version, which the node groups name.
 */
export const ec2Mocks: ServiceMocks = ({ account, regionOf }) => ({
    resources: {
        "awsx:ec2:Vpc": (args) => {
            const inputs = args.inputs as VpcInputs;
            const region = regionOf(args.provider, `awsx:ec2:Vpc ${args.name}`);
            if (inputs.availabilityZoneNames !== undefined && inputs.numberOfAvailabilityZones !== undefined) {
                throw new Error("Mock: awsx takes availabilityZoneNames or numberOfAvailabilityZones, not both");
            }
            // Without names awsx takes the region's first N zones, as getAvailabilityZones lists them.
            const listed = queryZones(region, {});
            const zones = (
                inputs.availabilityZoneNames ??
                listed.slice(0, inputs.numberOfAvailabilityZones ?? 3).map((zone) => zone.name)
            ).map((name) => {
                const zone = listed.find((candidate) => candidate.name === name);
                if (!zone) {
                    throw new Error(`Mock: ${region} has no zone ${name}`);
                }
                return zone;
            });
            const specs = inputs.subnetSpecs ?? [{ type: "Private" as const }, { type: "Public" as const }];
            const subnets = zones.flatMap((zone, index) =>
                specs.map((spec) => ({
                    type: spec.type,
                    id: mockId("subnet", `${args.name}-${spec.type.toLowerCase()}-${index + 1}`),
                    availabilityZone: zone.name,
                    availabilityZoneId: zone.zoneId,
                })),
            );
            const ofType = (type: string) => subnets.filter((subnet) => subnet.type === type);
            const strategy = inputs.natGateways?.strategy ?? "OnePerAz";
            if (!(strategy in NAT_GATEWAYS)) {
                throw new Error(`Mock: unknown NAT gateway strategy ${strategy}`);
            }
            const publicSubnets = ofType("Public");
            const natCount = NAT_GATEWAYS[strategy](publicSubnets.length);
            const vpcId = mockId("vpc", args.name);
            account.addVpc(
                vpcId,
                subnets.map((subnet) => subnet.id),
            );
            return {
                id: undefined,
                state: {
                    vpcId,
                    publicSubnetIds: publicSubnets.map((subnet) => subnet.id),
                    privateSubnetIds: ofType("Private").map((subnet) => subnet.id),
                    privateSubnets: ofType("Private").map((subnet) => ({
                        id: subnet.id,
                        availabilityZone: subnet.availabilityZone,
                        availabilityZoneId: subnet.availabilityZoneId,
                    })),
                    natGateways: publicSubnets.slice(0, natCount).map((subnet) => ({
                        id: mockId("nat", subnet.id),
                        subnetId: subnet.id,
                    })),
                } satisfies MockOutputs<awsx.ec2.Vpc>,
            };
        },

        "aws:ec2/launchTemplate:LaunchTemplate": (args) => {
            const id = mockId("lt", args.name);
            account.addLaunchTemplate(id);
            return { id, state: { latestVersion: 1 } satisfies MockOutputs<aws.ec2.LaunchTemplate> };
        },
    },
});
