import * as path from "path";
import { StackConfig } from "./types";

/**
 * The environment variable that names the project's own local cluster (tools/engine: `npm run local-cluster --
 * up --nodes real`), set by scripts/deploy-dev.sh and by the env file it writes. The same variable tells the
 * stand-in `minikube` there which node to build the backend image into.
 */
export const LOCAL_CLUSTER_DIR_VARIABLE = "FIRST_K8S_LOCAL_CLUSTER_DIR";

/** The local cluster's state file, written by tools/engine/localCluster.ts. */
export const LOCAL_CLUSTER_STATE_FILE = "cluster.json";

/** What the stack deploys on the local cluster instead of the configured frontendImage, and why. */
export interface LocalClusterImage {
    readonly frontendImage: string;
    readonly replaced: string;
}

/**
 * On the local cluster the frontend runs the NGINX stand-in its node holds: the cluster has no route out, so
 * the configured upstream image could never be pulled there. Elsewhere (`clusterDir` unset) nothing changes.
 * `readFile` returns the file's text, or undefined when there is none.
 */
export function onTheLocalCluster(
    config: StackConfig,
    clusterDir: string | undefined,
    readFile: (file: string) => string | undefined,
): { readonly config: StackConfig; readonly image?: LocalClusterImage } {
    if (clusterDir === undefined || clusterDir === "") {
        return { config };
    }
    if (config.target !== "minikube") {
        throw new Error(
            `${LOCAL_CLUSTER_DIR_VARIABLE} is set (${clusterDir}), but the stack's target is ${config.target}: ` +
                "the local cluster stands in for minikube only; unset it for this stack",
        );
    }
    const stateFile = path.join(clusterDir, LOCAL_CLUSTER_STATE_FILE);
    const text = readFile(stateFile);
    if (text === undefined) {
        throw new Error(
            `${LOCAL_CLUSTER_DIR_VARIABLE} names ${clusterDir}, which holds no local cluster (no ${LOCAL_CLUSTER_STATE_FILE}): ` +
                "run ./scripts/deploy-dev.sh --local, or unset it to deploy to minikube",
        );
    }
    const frontendImage = (JSON.parse(text) as { frontendImage?: unknown }).frontendImage;
    if (typeof frontendImage !== "string" || frontendImage === "") {
        throw new Error(
            `The local cluster in ${clusterDir} has no real node (its NGINX stand-in is made with one): ` +
                "run ./scripts/deploy-dev.sh --local",
        );
    }
    return {
        config: { ...config, app: { ...config.app, frontendImage } },
        image: { frontendImage, replaced: config.app.frontendImage },
    };
}
