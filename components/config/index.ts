import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse";
import { StackConfig } from "./types";

export { CONFIG_DEFAULTS, OPTIONAL_CONFIG_KEYS } from "./defaults";
export { ConfigError } from "./errors";
export { parseImageReference } from "./imageReference";
export { parseStackConfig } from "./parse";
export * from "./types";

/** Reads this stack's config (the project's namespace) once, validated. */
export function loadStackConfig(): StackConfig {
    const config = new pulumi.Config();
    return parseStackConfig((key) => config.get(key), config.name, Object.keys(pulumi.runtime.allConfig()));
}
