export { AppTier, AppTierArgs, ProbePaths } from "./app/tier";
export { AppNetworkPolicies, AppNetworkPoliciesArgs } from "./app/networkPolicies";
export { TwoTierApp, TwoTierAppArgs, serviceAddress } from "./app/twoTierApp";
export { BackendImage, backendBuildRequest, resolveBackendImage, shortHash, versionOfImage } from "./images";
export * from "./config";
export { stackReport } from "./stackReport";
export * from "./targets";
