import { Pricing } from "../../../components/facts";
import { CostEstimate, CostNote, priceAt } from "../../../components/report/cost";
import { PriceTable } from "../../../components/report/priceTable";

/** The bill in words: its one-line summary and each line's note, written once. */

export function costSummary(cost: CostEstimate, pricing: Pricing): string {
    if (pricing.provider === "none") {
        return `$0: ${pricing.reason}`;
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
