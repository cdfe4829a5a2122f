// What tools/ imports of the report as a whole; the comparison's renderer reads the typed results from their modules.
export { appFactsFromObjects } from "./appFacts";
export { CostInputs, costInputsOf, estimateMonthlyCost, roundUsd } from "./cost";
export { Price, PriceTable } from "./priceTable";
export { buildReport, REPORT_SCHEMA, StackReport } from "./report";
