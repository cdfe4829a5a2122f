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

export interface CostLine {
    readonly item: string;
    /** How many, in words ("3 × t3.medium"). */
    readonly quantity: string;
    /** The list price as the table gives it ("$0.0416/hour"). */
    readonly unitPrice: string;
    /** null: not computable (the cluster picks the instances, or the table has no price for them). */
    readonly monthlyUsd: number | null;
    readonly source: string;
    readonly note: string | null;
}

export interface CostEstimate {
    /**
     * free: nothing to pay a cloud for; priced: from a price table; unpriced: no table for the region. Not named
     * `status`: the render's checks take that key, inside the `report` output, for a field only the cluster fills in.
     */
    readonly basis: "free" | "priced" | "unpriced";
    readonly summary: string;
    readonly region: string | null;
    readonly asOf: string | null;
    readonly hoursPerMonth: number | null;
    readonly lines: readonly CostLine[];
    /** Sum of the lines that have a price. */
    readonly totalUsd: number;
    /** Every line has a price; when false, totalUsd is a lower bound. */
    readonly complete: boolean;
    readonly excluded: readonly string[];
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

/** "$0.10/hour", "$0.0416/hour": cents always shown, every digit of the list price kept. */
export function unitPriceText(price: Price): string {
    const decimals = String(price.usd).split(".")[1]?.length ?? 0;
    return `$${price.usd.toFixed(Math.max(2, decimals))}/${price.per}`;
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
    const add = (item: string, quantityText: string, price: Price, quantity: number, note?: string) => {
        if (quantity > 0) {
            lines.push({
                item,
                quantity: quantityText,
                unitPrice: unitPriceText(price),
                monthlyUsd: monthly(price, quantity, hoursPerMonth),
                source: price.source,
                note: note ?? price.note ?? null,
            });
        }
    };
    const unknown = (item: string, quantityText: string, note: string) =>
        lines.push({ item, quantity: quantityText, unitPrice: "-", monthlyUsd: null, source: "-", note });

    const controlPlanePrice =
        inputs.controlPlaneSupport === "extended"
            ? prices.eksControlPlaneExtendedSupport
            : prices.eksControlPlaneStandardSupport;
    add(
        `EKS control plane, ${inputs.controlPlaneSupport} support`,
        `${inputs.managedControlPlanes}`,
        controlPlanePrice,
        inputs.managedControlPlanes,
    );

    const nodes = inputs.nodeCount;
    const instance = inputs.nodeInstanceType;
    if (nodes === null || instance === null) {
        unknown("nodes", "chosen by the cluster", "no fixed instance type or count to price");
    } else if (prices.ec2Instances[instance] === undefined) {
        unknown("nodes", `${nodes} × ${instance}`, `no price for ${instance} in the table`);
    } else {
        add("nodes", `${nodes} × ${instance}`, prices.ec2Instances[instance], nodes);
    }
    const volumeType = inputs.nodeVolumeType;
    if (nodes !== null && inputs.nodeVolumeGiB !== null && volumeType !== null) {
        const volumeText = `${nodes} × ${inputs.nodeVolumeGiB} GiB ${volumeType}`;
        if (prices.ebsVolumes[volumeType] === undefined) {
            unknown("node root volumes", volumeText, `no price for ${volumeType} in the table`);
        } else {
            add("node root volumes", volumeText, prices.ebsVolumes[volumeType], nodes * inputs.nodeVolumeGiB);
        }
    }

    add("NAT gateways", `${inputs.natGateways}`, prices.natGateway, inputs.natGateways);
    const loadBalancerAddresses = inputs.loadBalancers * inputs.loadBalancerZones;
    const addresses = inputs.natGateways + loadBalancerAddresses;
    add(
        "public IPv4 addresses",
        `${addresses} (${inputs.natGateways} NAT gateways, ${inputs.loadBalancers} load balancer × ${inputs.loadBalancerZones} zones)`,
        prices.publicIpv4Address,
        addresses,
    );
    add("Network Load Balancer", `${inputs.loadBalancers}`, prices.networkLoadBalancer, inputs.loadBalancers);
    const capacityUnits = inputs.loadBalancers * usage.loadBalancerCapacityUnits.value;
    add(
        "NLB capacity units",
        `${capacityUnits} NLCU`,
        prices.networkLoadBalancerCapacityUnit,
        capacityUnits,
        `assumed: ${usage.loadBalancerCapacityUnits.note}`,
    );
    add("KMS key", `${inputs.kmsKeys}`, prices.kmsKey, inputs.kmsKeys);
    const logGB = roundUsd(inputs.controlPlaneLogStreams * usage.logGBPerStreamPerMonth.value);
    const logNote = `assumed ${usage.logGBPerStreamPerMonth.value} GB per stream: ${usage.logGBPerStreamPerMonth.note}`;
    add(
        "CloudWatch Logs ingestion",
        `${logGB} GB (${inputs.controlPlaneLogStreams} streams)`,
        prices.cloudWatchLogsIngestion,
        logGB,
        logNote,
    );
    // The group holds the last retentionDays of logs: that many days' share of a month's ingestion.
    const retentionDays = inputs.controlPlaneLogRetentionDays;
    if (retentionDays !== null) {
        const daysPerMonth = hoursPerMonth / 24;
        const keptGB = roundUsd((logGB * retentionDays) / daysPerMonth);
        add(
            "CloudWatch Logs storage",
            `${Number(keptGB.toFixed(2))} GB (${retentionDays} days kept)`,
            prices.cloudWatchLogsStorage,
            keptGB,
            `kept ${retentionDays} days (controlPlaneLogRetentionDays): ${retentionDays} of ${daysPerMonth.toFixed(1)} days' share of ${logGB} GB a month`,
        );
    }
    const imageGB = roundUsd(inputs.storedImages * usage.imageGB.value);
    add(
        "ECR storage",
        `${imageGB} GB (${inputs.storedImages} images)`,
        prices.ecrStorage,
        imageGB,
        `assumed ${usage.imageGB.value} GB per image: ${usage.imageGB.note}`,
    );
    const copiedGB = roundUsd(inputs.copiedImages * usage.copiedImageGB.value);
    add(
        "ECR storage, copied images",
        `${copiedGB} GB (${inputs.copiedImages} image${inputs.copiedImages === 1 ? "" : "s"})`,
        prices.ecrStorage,
        copiedGB,
        `assumed ${usage.copiedImageGB.value} GB per image: ${usage.copiedImageGB.note}`,
    );
    // Only between zones: one zone has none, and traffic inside a zone is free.
    const crossZoneGB = inputs.zones > 1 ? usage.crossZoneGBPerMonth.value : 0;
    add(
        "cross-zone data transfer",
        `${crossZoneGB} GB × 2 (out of one zone, into the other)`,
        prices.crossZoneDataTransfer,
        crossZoneGB * 2,
        `assumed ${crossZoneGB} GB a month between zones: ${usage.crossZoneGBPerMonth.note}`,
    );
    for (const controller of inputs.nodeControllers) {
        const { cpu, memory } = controller.requests;
        lines.push({
            item: `${controller.name} (on the nodes)`,
            quantity: `${controller.replicas} pod${controller.replicas === 1 ? "" : "s"} × ${cpu} CPU, ${memory} requested`,
            unitPrice: "in the node price",
            monthlyUsd: 0,
            source: controller.source,
            note: "no charge of its own: its requests take room on the nodes above, and more nodes cost more",
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
            summary: `$0: ${pricing.reason}`,
            region: null,
            asOf: null,
            hoursPerMonth: null,
            lines: [],
            totalUsd: 0,
            complete: true,
            excluded: [],
        };
    }
    if (table === undefined) {
        return {
            basis: "unpriced",
            summary: `not estimated: there is no price table for ${pricing.provider} ${pricing.region} (data/prices/${pricing.provider}-${pricing.region}.json)`,
            region: pricing.region,
            asOf: null,
            hoursPerMonth: null,
            lines: [],
            totalUsd: 0,
            complete: false,
            excluded: [],
        };
    }
    const lines = costLines(inputs, table);
    const totalUsd = roundUsd(lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0));
    const complete = lines.every((line) => line.monthlyUsd !== null);
    return {
        basis: "priced",
        summary: `${complete ? "" : "at least "}$${totalUsd.toFixed(2)}/month in ${table.region}, on-demand prices as of ${table.asOf}`,
        region: table.region,
        asOf: table.asOf,
        hoursPerMonth: table.hoursPerMonth,
        lines,
        totalUsd,
        complete,
        excluded: table.excluded,
    };
}
