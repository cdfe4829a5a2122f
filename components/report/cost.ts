import { ClusterCostInputs, StackFacts, SystemPodFacts } from "../facts";
import { Price, PriceTable } from "./priceTable";

/** A controller the stack installs on its own nodes: no bill of its own, but room on the nodes. */
export interface NodeController {
    readonly name: string;
    readonly replicas: number;
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly source: string;
}

/** The cluster's cost inputs plus what the app adds: its cloud load balancers. */
export interface CostInputs extends ClusterCostInputs {
    readonly loadBalancers: number;
    /** Zones each load balancer has an address in. */
    readonly loadBalancerZones: number;
    /** Controllers the stack runs on the nodes, with what they ask of them. */
    readonly nodeControllers: readonly NodeController[];
}

/** Where a line's note comes from: the price table's own words, or a figure of the estimate. */
export type CostNote =
    /** The note of the price at `path` in the table's prices, e.g. ["ec2Instances", "t3.medium"]. */
    | { readonly kind: "price"; readonly path: readonly string[] }
    /** A usage figure the table assumes, with its value. */
    | { readonly kind: "assumed"; readonly usage: keyof PriceTable["usage"]; readonly value: number }
    | {
          readonly kind: "logRetention";
          readonly days: number;
          readonly daysPerMonth: number;
          readonly monthlyGB: number;
      }
    | { readonly kind: "noPrice"; readonly type: string }
    | { readonly kind: "clusterPicksNodes" }
    /** A controller on the nodes: its requests take room the node price pays for. */
    | { readonly kind: "inNodePrice" };

/** What a line bills for. */
export type CostItem =
    | { readonly kind: "controlPlane"; readonly support: ClusterCostInputs["controlPlaneSupport"] }
    | {
          readonly kind:
              | "nodes"
              | "nodeVolumes"
              | "natGateways"
              | "publicIpv4"
              | "loadBalancer"
              | "loadBalancerCapacity"
              | "kmsKey"
              | "logIngestion"
              | "logStorage"
              | "images"
              | "copiedImages"
              | "crossZone";
      }
    /** A controller the stack runs on the nodes. */
    | { readonly kind: "controller"; readonly name: string };

/** How many of the item, with what the count is made of. */
export type CostQuantity =
    | { readonly kind: "count"; readonly count: number }
    | { readonly kind: "instances"; readonly count: number; readonly type: string }
    /** Nodes the cluster picks (EKS Auto Mode): neither their count nor their type is known. */
    | { readonly kind: "chosenByCluster" }
    | { readonly kind: "volumes"; readonly count: number; readonly gib: number; readonly type: string }
    | {
          readonly kind: "addresses";
          readonly count: number;
          readonly natGateways: number;
          readonly loadBalancers: number;
          readonly zones: number;
      }
    | { readonly kind: "capacityUnits"; readonly units: number }
    | { readonly kind: "logs"; readonly gb: number; readonly streams: number }
    | { readonly kind: "keptLogs"; readonly gb: number; readonly days: number }
    | { readonly kind: "images"; readonly gb: number; readonly images: number }
    /** Each GB between zones is billed twice: out of one zone, into the other. */
    | { readonly kind: "crossZone"; readonly gb: number }
    | { readonly kind: "pods"; readonly pods: number; readonly cpu: string; readonly memory: string };

export interface CostLine {
    readonly item: CostItem;
    readonly quantity: CostQuantity;
    /** The list price as the table gives it; inNodePrice: paid for by the nodes; null: no price. */
    readonly unitPrice: Pick<Price, "usd" | "per"> | "inNodePrice" | null;
    /** null: not computable (the cluster picks the instances, or the table has no price for them). */
    readonly monthlyUsd: number | null;
    /** Where the price was read; null: no price. */
    readonly source: string | null;
    readonly note: CostNote | null;
}

export interface CostEstimate {
    /**
     * free: nothing to pay a cloud for; priced: from a price table; unpriced: no table for the region. Not named
     * `status`: the render's checks take that key, inside the `report` output, for a field only the cluster fills in.
     */
    readonly basis: "free" | "priced" | "unpriced";
    readonly region: string | null;
    readonly asOf: string | null;
    readonly hoursPerMonth: number | null;
    readonly lines: readonly CostLine[];
    /** Sum of the lines that have a price. */
    readonly totalUsd: number;
    /** Every line has a price; when false, totalUsd is a lower bound. */
    readonly complete: boolean;
}

/** Dollars rounded to a millionth: enough for any list price, and free of float noise (3 × 0.0416 × 730 = 91.104). */
export function roundUsd(value: number): number {
    return Math.round(value * 1e6) / 1e6;
}

function nodeController(pod: SystemPodFacts): NodeController[] {
    return pod.installedBy === "the stack" && pod.requests
        ? [{ name: pod.name, replicas: pod.replicas, requests: pod.requests, source: pod.source }]
        : [];
}

/**
 * What the bill depends on: the cluster's inputs, one load balancer per LoadBalancer Service, and the controllers
 * the stack installs on nodes a cloud bills for (on your own machine they cost nothing either way).
 */
export function costInputsOf(facts: StackFacts): CostInputs {
    return {
        ...facts.cluster.cost,
        loadBalancers: facts.cluster.loadBalancer ? facts.app.loadBalancerServices : 0,
        loadBalancerZones: facts.cluster.loadBalancer?.zones ?? 0,
        nodeControllers: facts.cluster.systemPods.flatMap(nodeController),
    };
}

/** The price at `path` in the table's prices: a top-level price, or one by type (instances, volumes). */
export function priceAt(prices: PriceTable["prices"], path: readonly string[]): Price {
    const [key, type] = path;
    const entry = (prices as unknown as Record<string, Price | Record<string, Price>>)[key];
    const price = type === undefined ? entry : (entry as Record<string, Price>)[type];
    if (price === undefined || typeof (price as Price).usd !== "number") {
        throw new Error(`price table: no price at prices.${path.join(".")}`);
    }
    return price as Price;
}

/** Monthly cost of `quantity` units of a price: hourly prices run all month. */
function monthly(price: Price, quantity: number, hoursPerMonth: number): number {
    const periods = price.per === "hour" ? hoursPerMonth : 1;
    return roundUsd(quantity * price.usd * periods);
}

/** Every line of the bill, in the order of the README's table; items with a quantity of 0 are left out. */
function costLines(inputs: CostInputs, table: PriceTable): CostLine[] {
    const { prices, usage, hoursPerMonth } = table;
    const lines: CostLine[] = [];
    /** A priced line; `path` names the price in the table, whose note it carries unless `note` says otherwise. */
    const add = (item: CostItem, quantity: CostQuantity, path: readonly string[], units: number, note?: CostNote) => {
        const price = priceAt(prices, path);
        if (units > 0) {
            lines.push({
                item,
                quantity,
                unitPrice: { usd: price.usd, per: price.per },
                monthlyUsd: monthly(price, units, hoursPerMonth),
                source: price.source,
                note: note ?? (price.note === undefined ? null : { kind: "price", path }),
            });
        }
    };
    const assumed = (key: keyof PriceTable["usage"]): CostNote => ({
        kind: "assumed",
        usage: key,
        value: usage[key].value,
    });
    const unknown = (item: CostItem, quantity: CostQuantity, note: CostNote) =>
        lines.push({ item, quantity, unitPrice: null, monthlyUsd: null, source: null, note });
    const count = (value: number): CostQuantity => ({ kind: "count", count: value });

    const controlPlanePrice =
        inputs.controlPlaneSupport === "extended" ? "eksControlPlaneExtendedSupport" : "eksControlPlaneStandardSupport";
    add(
        { kind: "controlPlane", support: inputs.controlPlaneSupport },
        count(inputs.managedControlPlanes),
        [controlPlanePrice],
        inputs.managedControlPlanes,
    );

    const { nodes } = inputs;
    switch (nodes.kind) {
        case "chosenByCluster":
            unknown({ kind: "nodes" }, { kind: "chosenByCluster" }, { kind: "clusterPicksNodes" });
            break;
        case "instances": {
            const { count, instanceType, rootVolume } = nodes;
            const instances: CostQuantity = { kind: "instances", count, type: instanceType };
            if (prices.ec2Instances[instanceType] === undefined) {
                unknown({ kind: "nodes" }, instances, { kind: "noPrice", type: instanceType });
            } else {
                add({ kind: "nodes" }, instances, ["ec2Instances", instanceType], count);
            }
            if (rootVolume !== null) {
                const { gib, type } = rootVolume;
                const volumes: CostQuantity = { kind: "volumes", count, gib, type };
                if (prices.ebsVolumes[type] === undefined) {
                    unknown({ kind: "nodeVolumes" }, volumes, { kind: "noPrice", type });
                } else {
                    add({ kind: "nodeVolumes" }, volumes, ["ebsVolumes", type], count * gib);
                }
            }
            break;
        }
        case "none":
            break;
    }

    add({ kind: "natGateways" }, count(inputs.natGateways), ["natGateway"], inputs.natGateways);
    const addresses = inputs.natGateways + inputs.loadBalancers * inputs.loadBalancerZones;
    add(
        { kind: "publicIpv4" },
        {
            kind: "addresses",
            count: addresses,
            natGateways: inputs.natGateways,
            loadBalancers: inputs.loadBalancers,
            zones: inputs.loadBalancerZones,
        },
        ["publicIpv4Address"],
        addresses,
    );
    add({ kind: "loadBalancer" }, count(inputs.loadBalancers), ["networkLoadBalancer"], inputs.loadBalancers);
    const capacityUnits = inputs.loadBalancers * usage.loadBalancerCapacityUnits.value;
    add(
        { kind: "loadBalancerCapacity" },
        { kind: "capacityUnits", units: capacityUnits },
        ["networkLoadBalancerCapacityUnit"],
        capacityUnits,
        assumed("loadBalancerCapacityUnits"),
    );
    add({ kind: "kmsKey" }, count(inputs.kmsKeys), ["kmsKey"], inputs.kmsKeys);
    const logGB = roundUsd(inputs.controlPlaneLogStreams * usage.logGBPerStreamPerMonth.value);
    add(
        { kind: "logIngestion" },
        { kind: "logs", gb: logGB, streams: inputs.controlPlaneLogStreams },
        ["cloudWatchLogsIngestion"],
        logGB,
        assumed("logGBPerStreamPerMonth"),
    );
    // The group holds the last retentionDays of logs: that many days' share of a month's ingestion.
    const retentionDays = inputs.controlPlaneLogRetentionDays;
    if (retentionDays !== null) {
        const daysPerMonth = hoursPerMonth / 24;
        const keptGB = roundUsd((logGB * retentionDays) / daysPerMonth);
        add(
            { kind: "logStorage" },
            { kind: "keptLogs", gb: keptGB, days: retentionDays },
            ["cloudWatchLogsStorage"],
            keptGB,
            { kind: "logRetention", days: retentionDays, daysPerMonth, monthlyGB: logGB },
        );
    }
    const imageGB = roundUsd(inputs.storedImages * usage.imageGB.value);
    add(
        { kind: "images" },
        { kind: "images", gb: imageGB, images: inputs.storedImages },
        ["ecrStorage"],
        imageGB,
        assumed("imageGB"),
    );
    const copiedGB = roundUsd(inputs.copiedImages * usage.copiedImageGB.value);
    add(
        { kind: "copiedImages" },
        { kind: "images", gb: copiedGB, images: inputs.copiedImages },
        ["ecrStorage"],
        copiedGB,
        assumed("copiedImageGB"),
    );
    // Only between zones: one zone has none, and traffic inside a zone is free.
    const crossZoneGB = inputs.zones > 1 ? usage.crossZoneGBPerMonth.value : 0;
    add(
        { kind: "crossZone" },
        { kind: "crossZone", gb: crossZoneGB },
        ["crossZoneDataTransfer"],
        crossZoneGB * 2,
        assumed("crossZoneGBPerMonth"),
    );
    for (const controller of inputs.nodeControllers) {
        const { cpu, memory } = controller.requests;
        lines.push({
            item: { kind: "controller", name: controller.name },
            quantity: { kind: "pods", pods: controller.replicas, cpu, memory },
            unitPrice: "inNodePrice",
            monthlyUsd: 0,
            source: controller.source,
            note: { kind: "inNodePrice" },
        });
    }
    return lines;
}

/**
 * The monthly bill of a stack: nothing on your own machine; from the region's dated price table on a cloud;
 * and, when there is no table for the region, an explicit "unpriced" rather than prices from elsewhere.
 */
export function estimateMonthlyCost(inputs: CostInputs, table: PriceTable | undefined): CostEstimate {
    const { pricing } = inputs;
    if (pricing.provider === "none") {
        return {
            basis: "free",
            region: null,
            asOf: null,
            hoursPerMonth: null,
            lines: [],
            totalUsd: 0,
            complete: true,
        };
    }
    if (table === undefined) {
        return {
            basis: "unpriced",
            region: pricing.region,
            asOf: null,
            hoursPerMonth: null,
            lines: [],
            totalUsd: 0,
            complete: false,
        };
    }
    const lines = costLines(inputs, table);
    const totalUsd = roundUsd(lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0));
    const complete = lines.every((line) => line.monthlyUsd !== null);
    return {
        basis: "priced",
        region: table.region,
        asOf: table.asOf,
        hoursPerMonth: table.hoursPerMonth,
        lines,
        totalUsd,
        complete,
    };
}
