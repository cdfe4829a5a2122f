export { appFactsFromObjects } from "./appFacts";
export { CostInputs, costInputsOf, estimateMonthlyCost, roundUsd } from "./cost";
export {
    analyseFailures,
    controlPlaneAfter,
    etcdQuorum,
    maxPodsPerDomain,
    podsLostWithNode,
    podsLostWithZone,
    ScenarioId,
    ScenarioOutcome,
} from "./failureAnalysis";
export { comparisonMarkdown } from "./markdown";
export { loadPriceTable, parsePriceTable, Price, PRICES_DIR, PriceTable } from "./priceTable";
export { buildReport, REPORT_SCHEMA, StackReport } from "./report";
