import { Pricing, UnbilledReason } from "../../../components/facts";
import { CostEstimate, CostItem, CostLine, CostNote, CostQuantity, priceAt } from "../../../components/report/cost";
import { Price, PriceTable } from "../../../components/report/priceTable";
import { plural } from "./words";

/** The bill in words: its one-line summary and each line's note, written once. */

/** Why there is no bill, after "$0: ". */
const UNBILLED_TEXT: Readonly<Record<UnbilledReason, string>> = {
    ownMachine: "minikube runs on your own machine, so there is no cloud bill",
    unknownBiller: "the stack does not know who bills this cluster",
};

export function costSummary(cost: CostEstimate, pricing: Pricing): string {
    if (pricing.provider === "none") {
        return `$0: ${UNBILLED_TEXT[pricing.reason]}`;
    }
    if (cost.basis === "unpriced") {
        return `not estimated: there is no price table for ${pricing.provider} ${pricing.region} (data/prices/${pricing.provider}-${pricing.region}.json)`;
    }
    return `${cost.complete ? "" : "at least "}$${cost.totalUsd.toFixed(2)}/month in ${cost.region}, on-demand prices as of ${cost.asOf}`;
}

/** What each usage assumption is counted in. */
const ASSUMED_UNIT: Readonly<Record<keyof PriceTable["usage"], (value: number) => string>> = {
    loadBalancerCapacityUnits: () => "assumed",
    logGBPerStreamPerMonth: (value) => `assumed ${value} GB per stream`,
    imageGB: (value) => `assumed ${value} GB per image`,
    copiedImageGB: (value) => `assumed ${value} GB per image`,
    crossZoneGBPerMonth: (value) => `assumed ${value} GB a month between zones`,
};

/** A line's note; `table` is the price table the line was priced from (its notes are its own words). */
export function costNoteText(note: CostNote, table: PriceTable | undefined): string {
    switch (note.kind) {
        case "price":
            return (table && priceAt(table.prices, note.path).note) ?? "";
        case "assumed":
            return `${ASSUMED_UNIT[note.usage](note.value)}: ${table?.usage[note.usage].note ?? ""}`;
        case "logRetention":
            return `kept ${note.days} days (controlPlaneLogRetentionDays): ${note.days} of ${note.daysPerMonth.toFixed(1)} days' share of ${note.monthlyGB} GB a month`;
        case "noPrice":
            return `no price for ${note.type} in the table`;
        case "clusterPicksNodes":
            return "no fixed instance type or count to price";
        case "inNodePrice":
            return "no charge of its own: its requests take room on the nodes above, and more nodes cost more";
    }
}

/** "$0.10/hour", "$0.0416/hour": cents always shown, every digit of the list price kept. */
export function unitPriceText(price: Pick<Price, "usd" | "per">): string {
    const decimals = String(price.usd).split(".")[1]?.length ?? 0;
    return `$${price.usd.toFixed(Math.max(2, decimals))}/${price.per}`;
}

export function unitPriceCell(price: CostLine["unitPrice"]): string {
    return price === null ? "-" : price === "inNodePrice" ? "in the node price" : unitPriceText(price);
}

const ITEM_TEXT: Readonly<Record<Exclude<CostItem["kind"], "controlPlane" | "controller">, string>> = {
    nodes: "nodes",
    nodeVolumes: "node root volumes",
    natGateways: "NAT gateways",
    publicIpv4: "public IPv4 addresses",
    loadBalancer: "Network Load Balancer",
    loadBalancerCapacity: "NLB capacity units",
    kmsKey: "KMS key",
    logIngestion: "CloudWatch Logs ingestion",
    logStorage: "CloudWatch Logs storage",
    images: "ECR storage",
    copiedImages: "ECR storage, copied images",
    crossZone: "cross-zone data transfer",
};

export function costItemText(item: CostItem): string {
    switch (item.kind) {
        case "controlPlane":
            return `EKS control plane, ${item.support} support`;
        case "controller":
            return `${item.name} (on the nodes)`;
        default:
            return ITEM_TEXT[item.kind];
    }
}

export function costQuantityText(quantity: CostQuantity): string {
    switch (quantity.kind) {
        case "count":
            return `${quantity.count}`;
        case "instances":
            return `${quantity.count} × ${quantity.type}`;
        case "chosenByCluster":
            return "chosen by the cluster";
        case "volumes":
            return `${quantity.count} × ${quantity.gib} GiB ${quantity.type}`;
        case "addresses":
            return `${quantity.count} (${quantity.natGateways} NAT gateways, ${quantity.loadBalancers} load balancer × ${quantity.zones} zones)`;
        case "capacityUnits":
            return `${quantity.units} NLCU`;
        case "logs":
            return `${quantity.gb} GB (${quantity.streams} streams)`;
        case "keptLogs":
            return `${Number(quantity.gb.toFixed(2))} GB (${quantity.days} days kept)`;
        case "images":
            return `${quantity.gb} GB (${plural(quantity.images, "image")})`;
        case "crossZone":
            return `${quantity.gb} GB × 2 (out of one zone, into the other)`;
        case "pods":
            return `${plural(quantity.pods, "pod")} × ${quantity.cpu} CPU, ${quantity.memory} requested`;
    }
}
