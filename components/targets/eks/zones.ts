import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config";

/**
 * Zone IDs in which EKS refuses to create a control plane (UnsupportedAvailabilityZoneException, raised only
 * after the VPC exists and is billed). Listed by ID because a zone's name maps to a different physical zone in
 * each account: us-east-1a may be use1-az3 in one account and use1-az1 in the next.
 * Source: "View Amazon EKS networking requirements for VPC and subnets", subnet requirements,
 * https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/**
 * What the stack asks EC2 for: Availability Zones only (no Local or Wavelength Zones, where EKS places no
 * control plane and runs no managed nodes) that need no opt-in, whatever their state: the choice runs on every
 * `pulumi up`, and a zone that is impaired or unavailable during an outage must not drop out of it, or the
 * subnets (and with them the cluster) would move to another zone in the middle of the outage.
 */
export const ZONE_QUERY: aws.GetAvailabilityZonesArgs = {
    filters: [
        { name: "zone-type", values: ["availability-zone"] },
        { name: "opt-in-status", values: ["opt-in-not-required"] },
    ],
};

/** getAvailabilityZones' answer: names and zone IDs in the same order (sorted by name). */
export type ZoneListing = Pick<aws.GetAvailabilityZonesResult, "names" | "zoneIds">;

/**
 * The first `zoneCount` zones of the listing that EKS accepts, by name (what the VPC's subnets take). Throws a
 * ConfigError naming the region, the zones it could use and zoneCount when there are too few.
 */
export function chooseEksZones(region: string, listing: ZoneListing, zoneCount: number): string[] {
    const zones = listing.names.map((name, index) => ({ name, id: listing.zoneIds[index] }));
    const usable = zones.filter((zone) => !EKS_UNSUPPORTED_ZONE_IDS.includes(zone.id));
    if (usable.length >= zoneCount) {
        return usable.slice(0, zoneCount).map((zone) => zone.name);
    }
    const describe = (list: typeof zones) =>
        list
            .map((zone) => `${zone.name} (${zone.id})`)
            .join(", ")
            .replace(/, ([^,]*)$/, " and $1");
    const refused = zones.filter((zone) => EKS_UNSUPPORTED_ZONE_IDS.includes(zone.id));
    const instead = usable.length >= 2 ? `at most ${usable.length}, or another awsRegion` : "another awsRegion";
    throw new ConfigError([
        {
            key: `${pulumi.getProject()}:zoneCount`,
            value: String(zoneCount),
            expected:
                `${instead}: ${region} has ${usable.length} availability zone${usable.length === 1 ? "" : "s"} ` +
                `EKS accepts${usable.length > 0 ? `, ${describe(usable)}` : ""}` +
                (refused.length > 0 ? `; EKS refuses ${describe(refused)} for a control plane` : ""),
        },
    ]);
}

/**
 * Asks EC2 for the region's zones and chooses `zoneCount` of them. A promise, not an Output: awsx's Vpc takes
 * availabilityZoneNames as a plain list. The lookup also runs in `pulumi preview`, which `pulumi up` runs
 * first, so too few zones stop the update before anything is created.
 */
export async function lookupEksZones(region: string, zoneCount: number, opts: pulumi.InvokeOptions): Promise<string[]> {
    const listing = await aws.getAvailabilityZones(ZONE_QUERY, opts);
    return chooseEksZones(region, listing, zoneCount);
}
