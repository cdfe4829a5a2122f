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
export {
    AUTO_MODE_REBUILD_PATH,
    criticalPath,
    GraphNode,
    MANAGED_NODES_REBUILD_PATH,
    provisioningKind,
    provisioningTime,
    timedPath,
} from "./rebuildPath";
export { analyseRecovery, podReplacement, probeDetectionSeconds, RecoveryEstimate, SecondsRange } from "./recovery";
export { durationText } from "./recoveryMarkdown";
export { buildReport, REPORT_SCHEMA, StackReport } from "./report";
