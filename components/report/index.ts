export { appFactsFromObjects, NODE_TOPOLOGY_KEY, ObjectLike, ZONE_TOPOLOGY_KEY } from "./appFacts";
export { CostEstimate, CostInputs, CostLine, costInputsOf, estimateMonthlyCost, roundUsd } from "./cost";
export * from "../facts";
export {
    analyseFailures,
    ControlPlaneOutcome,
    controlPlaneAfter,
    etcdQuorum,
    maxPodsPerDomain,
    podsLostWithNode,
    podsLostWithZone,
    Scenario,
    ScenarioId,
    ScenarioOutcome,
    SCENARIOS,
    TierOutcome,
} from "./failureAnalysis";
export { comparisonMarkdown, stackHeading, usd } from "./markdown";
export {
    loadPriceTable,
    parsePriceTable,
    Price,
    PRICES_DIR,
    PriceTable,
    priceTableFile,
    PriceUnit,
    UsageAssumption,
} from "./priceTable";
export { buildReport, PriceTableLookup, REPORT_SCHEMA, StackReport } from "./report";
