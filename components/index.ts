// What index.ts uses; everything else is imported from the module that defines it.
export { TwoTierApp } from "./app/twoTierApp";
export { loadStackConfig } from "./config";
export { resolveBackendImage, resolveRegistryImage } from "./images";
export { stackReport } from "./stackReport";
export { createTarget } from "./targets";
