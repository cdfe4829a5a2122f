import * as aws from "@pulumi/aws";
import { ServiceMocks } from "./context";
import { MockValue } from "./mockOutputs";

/** One zone as EC2's DescribeAvailabilityZones describes it. */
export interface MockZone {
    readonly name: string;
    readonly zoneId: string;
    readonly zoneType: "availability-zone" | "local-zone";
    readonly optInStatus: "opt-in-not-required" | "opted-in" | "not-opted-in";
    readonly state: "available" | "impaired";
}

/**
 * Zone names map to zone IDs differently in each account. This account's us-east-1b is use1-az3 (where EKS
 * creates no control plane), it has opted in to the Boston Local Zone, and it is old enough to see usw1-az2
 * in us-west-1, so a test can tell zones picked by ID from the region's first names.
 */
const ZONE_IDS: Record<string, Record<string, string>> = {
    "us-east-1": { a: "use1-az1", b: "use1-az3", c: "use1-az2", d: "use1-az4", e: "use1-az6", f: "use1-az5" },
    "us-west-1": { a: "usw1-az1", b: "usw1-az2", c: "usw1-az3" },
    "us-west-2": { a: "usw2-az1", b: "usw2-az2", c: "usw2-az3", d: "usw2-az4" },
};
/** Zones in the middle of an outage, as EC2 reports them: listed, with the state "impaired". */
const IMPAIRED_ZONE_IDS: readonly string[] = ["usw2-az2"];
const LOCAL_ZONES: Record<string, { name: string; zoneId: string }[]> = {
    "us-east-1": [{ name: "us-east-1-bos-1a", zoneId: "use1-bos1-az1" }],
};

/** Every zone of the region this account can see, in no particular order (any other region: a, b, c). */
function zonesOf(region: string): MockZone[] {
    const [area, direction, number] = region.split("-").slice(-3);
    const ids = ZONE_IDS[region] ?? { a: "az1", b: "az2", c: "az3" };
    const availabilityZones = Object.entries(ids).map(([letter, id]) => ({
        name: `${region}${letter}`,
        zoneId: id.includes("-") ? id : `${area}${direction[0]}${number}-${id}`,
        zoneType: "availability-zone" as const,
        optInStatus: "opt-in-not-required" as const,
        state: IMPAIRED_ZONE_IDS.includes(id) ? ("impaired" as const) : ("available" as const),
    }));
    const localZones = (LOCAL_ZONES[region] ?? []).map((zone) => ({
        ...zone,
        zoneType: "local-zone" as const,
        optInStatus: "opted-in" as const,
        state: "available" as const,
    }));
    return [...localZones, ...availabilityZones];
}

/** The DescribeAvailabilityZones filters the mock answers; any other fails the call. */
const ZONE_FILTERS: Record<string, (zone: MockZone) => string> = {
    state: (zone) => zone.state,
    "zone-type": (zone) => zone.zoneType,
    "opt-in-status": (zone) => zone.optInStatus,
    "zone-id": (zone) => zone.zoneId,
    "zone-name": (zone) => zone.name,
};

/** The arguments of getAvailabilityZones the mock answers, as the provider declares them. */
type ZoneQuery = Pick<
    aws.GetAvailabilityZonesArgs,
    "allAvailabilityZones" | "state" | "filters" | "excludeNames" | "excludeZoneIds"
>;

/**
 * getAvailabilityZones as the provider answers it: DescribeAvailabilityZones with the state and filters
 * (without allAvailabilityZones, only zones the account may use), sorted by name, then the exclusions.
 */
export function queryZones(region: string, query: ZoneQuery): MockZone[] {
    const filters = [...(query.state ? [{ name: "state", values: [query.state] }] : []), ...(query.filters ?? [])];
    for (const filter of filters) {
        if (!(filter.name in ZONE_FILTERS)) {
            throw new Error(`Mock: getAvailabilityZones filter ${filter.name} is not implemented`);
        }
    }
    return zonesOf(region)
        .filter((zone) => query.allAvailabilityZones === true || zone.optInStatus !== "not-opted-in")
        .filter((zone) => filters.every((filter) => filter.values.includes(ZONE_FILTERS[filter.name](zone))))
        .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
        .filter((zone) => !(query.excludeNames ?? []).includes(zone.name))
        .filter((zone) => !(query.excludeZoneIds ?? []).includes(zone.zoneId));
}

/** EC2's zone listing: the names and zone IDs (zones.ts of the EKS target reads both, in the same order). */
export const zoneMocks: ServiceMocks = ({ regionOf }) => ({
    calls: {
        "aws:index/getAvailabilityZones:getAvailabilityZones": (args) => {
            const zones = queryZones(regionOf(args.provider, "getAvailabilityZones"), args.inputs as ZoneQuery);
            return {
                names: zones.map((zone) => zone.name),
                zoneIds: zones.map((zone) => zone.zoneId),
            } satisfies MockValue<aws.GetAvailabilityZonesResult>;
        },
    },
});
