import { CostEstimate, costInputsOf, estimateMonthlyCost } from "./cost";
import { analyseFailures, ScenarioOutcome } from "./failureAnalysis";
import { Pricing, StackFacts } from "../facts";
import { loadPriceTable, PriceTable } from "./priceTable";
import { analyseRecovery, RecoveryEstimate } from "./recovery";

/** Bumped when StackReport changes shape, so `npm run compare -- --from-stacks` can tell an old output. */
export const REPORT_SCHEMA = 5;

/** What `pulumi stack output report` holds, and what `npm run compare` tabulates: the facts and what follows from them. */
export interface StackReport {
    readonly schema: typeof REPORT_SCHEMA;
    readonly facts: StackFacts;
    readonly failures: readonly ScenarioOutcome[];
    readonly recovery: readonly RecoveryEstimate[];
    readonly cost: CostEstimate;
}

export type PriceTableLookup = (pricing: Pricing) => PriceTable | undefined;

/** The report of one stack: failure analysis, recovery and cost, computed from its facts only. */
export function buildReport(
    facts: StackFacts,
    priceTables: PriceTableLookup = (pricing) => loadPriceTable(pricing),
): StackReport {
    const failures = analyseFailures(facts);
    return {
        schema: REPORT_SCHEMA,
        facts,
        failures,
        recovery: analyseRecovery(facts, failures),
        cost: estimateMonthlyCost(costInputsOf(facts), priceTables(facts.cluster.cost.pricing)),
    };
}
