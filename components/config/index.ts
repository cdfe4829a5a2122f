import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { checkDay } from "./checkDay";
import { eksVersionNotice } from "./eksVersions";
import { LOCAL_CLUSTER_DIR_VARIABLE, onTheLocalCluster } from "./localCluster";
import { parseStackConfig } from "./parse";
import { StackConfig } from "./types";

export { CONFIG_DEFAULTS, OPTIONAL_CONFIG_KEYS } from "./defaults";
export { ConfigError } from "./errors";
export type { EksSupportType } from "./eksVersions";
export { parseImageReference } from "./imageReference";
export { LOCAL_CLUSTER_DIR_VARIABLE } from "./localCluster";
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
    const local = onTheLocalCluster(parsed, process.env[LOCAL_CLUSTER_DIR_VARIABLE], (file) =>
        fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined,
    );
    if (local.image !== undefined) {
        void pulumi.log.info(
            `frontendImage: ${local.image.frontendImage}, the local cluster's NGINX stand-in, instead of ` +
                `${local.image.replaced} (the cluster has no route to a registry)`,
        );
    }
    return local.config;
}
