import * as fs from "fs";
import * as path from "path";
import { Pricing } from "../facts";

/** The dated price tables, one file per provider and region: data/prices/<provider>-<region>.json. */
export const PRICES_DIR = path.resolve(__dirname, "..", "..", "data", "prices");

export type PriceUnit = "hour" | "month" | "GB-month" | "GB";

/** One list price, with where it was read. */
export interface Price {
    readonly usd: number;
    readonly per: PriceUnit;
    readonly source: string;
    readonly note?: string;
}

/** A usage figure the bill depends on but no stack setting decides (traffic, log volume, image size). */
export interface UsageAssumption {
    readonly value: number;
    readonly note: string;
}

export interface PriceTable {
    readonly provider: "aws";
    readonly region: string;
    readonly currency: "USD";
    /** The day the prices were looked up (YYYY-MM-DD). */
    readonly asOf: string;
    readonly hoursPerMonth: number;
    readonly prices: {
        readonly eksControlPlaneStandardSupport: Price;
        readonly eksControlPlaneExtendedSupport: Price;
        /** On-demand Linux instances, by instance type. */
        readonly ec2Instances: Readonly<Record<string, Price>>;
        /** Block storage, by EBS volume type. */
        readonly ebsVolumes: Readonly<Record<string, Price>>;
        readonly natGateway: Price;
        readonly publicIpv4Address: Price;
        readonly networkLoadBalancer: Price;
        readonly networkLoadBalancerCapacityUnit: Price;
        readonly kmsKey: Price;
        readonly cloudWatchLogsIngestion: Price;
        readonly cloudWatchLogsStorage: Price;
        readonly ecrStorage: Price;
        /** Data between two zones of the region, charged once leaving a zone and once entering the other. */
        readonly crossZoneDataTransfer: Price;
    };
    readonly usage: {
        /** NLCUs each load balancer uses on average. */
        readonly loadBalancerCapacityUnits: UsageAssumption;
        /** GB each control plane log stream sends per month. */
        readonly logGBPerStreamPerMonth: UsageAssumption;
        /** GB of one stored container image. */
        readonly imageGB: UsageAssumption;
        /** GB of one registry image the stack copies into its own registry. */
        readonly copiedImageGB: UsageAssumption;
        /** GB a month that crosses between zones (load balancer to pods, pod to pod, pods to DNS). */
        readonly crossZoneGBPerMonth: UsageAssumption;
    };
    /** What the estimate leaves out, in words. */
    readonly excluded: readonly string[];
}

/** The file a provider's regional price table lives in. */
function priceTableFile(provider: string, region: string, dir: string = PRICES_DIR): string {
    return path.join(dir, `${provider}-${region}.json`);
}

function checkPrice(file: string, where: string, value: unknown): void {
    const price = value as Partial<Price> | undefined;
    if (
        typeof price?.usd !== "number" ||
        price.usd < 0 ||
        typeof price.per !== "string" ||
        !price.source?.startsWith("https://")
    ) {
        throw new Error(`${file}: ${where} must be { usd: number >= 0, per, source: "https://..." }`);
    }
}

/** Reads and checks a price table; a wrong shape names the file and the entry rather than pricing with undefined. */
export function parsePriceTable(file: string, text: string): PriceTable {
    const table = JSON.parse(text) as PriceTable;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(table.asOf)) || !(table.hoursPerMonth > 0) || table.currency !== "USD") {
        throw new Error(`${file}: needs asOf (YYYY-MM-DD), hoursPerMonth > 0 and currency USD`);
    }
    for (const [key, value] of Object.entries(table.prices ?? {})) {
        if (key === "ec2Instances" || key === "ebsVolumes") {
            for (const [type, price] of Object.entries(value as Record<string, unknown>)) {
                checkPrice(file, `prices.${key}.${type}`, price);
            }
        } else {
            checkPrice(file, `prices.${key}`, value);
        }
    }
    for (const [key, value] of Object.entries(table.usage ?? {})) {
        if (typeof (value as UsageAssumption).value !== "number") {
            throw new Error(`${file}: usage.${key}.value must be a number`);
        }
    }
    return table;
}

/** The price table for `pricing`; undefined when there is no bill, or no table for that region. */
export function loadPriceTable(pricing: Pricing, dir: string = PRICES_DIR): PriceTable | undefined {
    if (pricing.provider === "none") {
        return undefined;
    }
    const file = priceTableFile(pricing.provider, pricing.region, dir);
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const table = parsePriceTable(path.relative(path.resolve(dir, "..", ".."), file), fs.readFileSync(file, "utf8"));
    if (table.region !== pricing.region) {
        throw new Error(`${file}: holds prices for ${table.region}, not ${pricing.region}`);
    }
    return table;
}
