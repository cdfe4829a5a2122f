import * as pulumi from "@pulumi/pulumi";
import { checkDay } from "./checkDay";
import { eksVersionNotice } from "./eksVersions";
import { parseStackConfig } from "./parse";
import { StackConfig } from "./types";

export { CONFIG_DEFAULTS, OPTIONAL_CONFIG_KEYS } from "./defaults";
export { ConfigError } from "./errors";
export type { EksSupportType } from "./eksVersions";
export { parseImageReference } from "./imageReference";
export { awsPartition } from "./parseEks";
export { parseStackConfig } from "./parse";
export * from "./types";

/** Reads this stack's config (the project's namespace) once, validated; warns of what is allowed but costly. */
export function loadStackConfig(): StackConfig {
    const config = new pulumi.Config();
    const today = checkDay();
    const parsed = parseStackConfig(
        (key) => config.get(key),
        config.name,
        Object.keys(pulumi.runtime.allConfig()),
        today,
        pulumi.getStack(),
    );
    const notice =
        parsed.target === "eks" ? eksVersionNotice(parsed.eks.kubernetesVersion, today, pulumi.getStack()) : undefined;
    if (notice !== undefined) {
        void pulumi.log.warn(notice);
    }
    return parsed;
}
