/**
 * One local control plane per suite, owned by this test process: started in `before`, stopped and its folder
 * deleted in `after`; the watchdog does the same if the process dies first. Assertions read the API server
 * through kubectl, never Pulumi's own account of what it did.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineInstall, ensureEngine } from "../../../tools/engine/binaries";
import {
    ClusterTimings,
    DEFAULT_TIMINGS,
    LocalClusterState,
    down,
    kubectl,
    restoreEtcd,
    up,
} from "../../../tools/engine/localCluster";
import { NodeLayout } from "../../../tools/engine/nodes";

let installed: EngineInstall | undefined;

/** The engine binaries, built on first use in this process (cached across runs by build.sh). */
export function engine(): EngineInstall {
    installed ??= ensureEngine();
    return installed;
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `first-k8s-${prefix}-`));
}

export interface ClusterHandle {
    readonly state: LocalClusterState;
    /** kubectl's stdout for `args`. */
    kubectl(args: readonly string[], input?: string): string;
    /** `kubectl get ... -o json`, parsed. */
    getJson<T = KubeObject>(args: readonly string[]): T;
    /** The items of `kubectl get <kind> -n <namespace> -o json`. */
    list(kind: string, namespace?: string): KubeObject[];
}

export interface KubeObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly uid: string;
        readonly labels?: Record<string, string>;
        readonly annotations?: Record<string, string>;
        readonly deletionTimestamp?: string;
        readonly ownerReferences?: readonly { readonly kind: string; readonly name: string }[];
    };
    readonly spec?: Record<string, unknown> & { nodeName?: string };
    readonly status?: Record<string, unknown> & {
        readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string }[];
    };
}

/**
 * A cluster of your own to run the engine tests against instead of the local control plane (for example a
 * real minikube): its kubeconfig, and the context (default: minikube). Suites that stop nodes or restart etcd
 * need the local control plane and fail at once with a message that says so.
 */
export const EXISTING_CLUSTER = process.env.FIRST_K8S_TEST_KUBECONFIG
    ? { kubeconfig: process.env.FIRST_K8S_TEST_KUBECONFIG, context: process.env.FIRST_K8S_TEST_CONTEXT ?? "minikube" }
    : undefined;

/** The backend image the stacks run: one the cluster can pull when it runs real containers. */
export const TEST_BACKEND_IMAGE =
    process.env.FIRST_K8S_TEST_BACKEND_IMAGE ?? "registry.example.com/first-k8s/backend:1.0.0";

export function handle(state: LocalClusterState): ClusterHandle {
    const run = (args: readonly string[], input?: string) => kubectl(engine(), state, args, input);
    return {
        state,
        kubectl: run,
        getJson: <T>(args: readonly string[]) => JSON.parse(run([...args, "-o", "json"])) as T,
        list: (kind: string, namespace?: string) =>
            (
                JSON.parse(run(["get", kind, ...(namespace ? ["-n", namespace] : []), "-o", "json"])) as {
                    items: KubeObject[];
                }
            ).items,
    };
}

/** The suite's cluster: call it for the running cluster's handle. */
export interface SuiteCluster {
    (): ClusterHandle;
    /**
     * Stops the cluster, deletes etcd's data and starts it again in the same folder and kubeconfig: a new,
     * empty cluster where the old one was, as `minikube delete && minikube start` leaves it.
     */
    recreate(): Promise<ClusterHandle>;
    /** Stops the cluster, restores its etcd from `snapshotFile`, and starts it again on the restored data. */
    restore(snapshotFile: string): Promise<ClusterHandle>;
}

/**
 * Starts a cluster for the current suite. Use the returned getter inside tests and hooks that run after
 * `before`. `timings` shortens node failure detection where a suite waits for it (the defaults are upstream's).
 */
export function localClusterForSuite(
    layout: NodeLayout,
    options: { readonly timings?: ClusterTimings; readonly controlsNodes?: boolean } = {},
): SuiteCluster {
    if (EXISTING_CLUSTER !== undefined) {
        return existingClusterForSuite(EXISTING_CLUSTER, layout, options.controlsNodes ?? false);
    }
    const timings = options.timings;
    let cluster: ClusterHandle | undefined;
    let dir: string | undefined;
    const start = async (folder: string) => {
        const state = await up(engine(), { dir: folder, layout, context: "minikube", ownerPid: process.pid, timings });
        cluster = handle(state);
        return cluster;
    };
    before(async function () {
        // A cold engine build takes about a quarter of an hour; warm, the cluster is up in about five seconds.
        this.timeout(60 * 60_000);
        engine();
        dir = tempDir("cluster");
        await start(dir);
    });
    after(async function () {
        this.timeout(60_000);
        if (dir !== undefined) {
            await down(dir, { removeDir: true });
        }
    });
    const current = () => {
        if (cluster === undefined) {
            throw new Error("The local cluster is not up (its before hook failed or has not run)");
        }
        return cluster;
    };
    return Object.assign(current, {
        async recreate() {
            const folder = current().state.dir;
            await down(folder);
            fs.rmSync(path.join(folder, "etcd"), { recursive: true, force: true });
            return start(folder);
        },
        async restore(snapshotFile: string) {
            const folder = current().state.dir;
            await down(folder);
            restoreEtcd(engine(), folder, snapshotFile);
            return start(folder);
        },
    });
}

function existingClusterForSuite(
    existing: { readonly kubeconfig: string; readonly context: string },
    layout: NodeLayout,
    controlsNodes: boolean,
): SuiteCluster {
    const state: LocalClusterState = {
        dir: "",
        kubeconfig: existing.kubeconfig,
        context: existing.context,
        layout,
        apiServerUrl: "",
        etcdUrl: "",
        ports: {},
        processes: [],
        watchdogPid: undefined,
        nodes: [],
        timings: DEFAULT_TIMINGS,
    };
    const needsLocal = (what: string) =>
        new Error(`${what} needs the local control plane; unset FIRST_K8S_TEST_KUBECONFIG to run this suite`);
    before(function () {
        if (controlsNodes) {
            throw needsLocal("This suite stops a zone's nodes, which");
        }
    });
    return Object.assign(() => handle(state), {
        recreate(): Promise<ClusterHandle> {
            return Promise.reject(needsLocal("Recreating the cluster (a wipe of etcd)"));
        },
        restore(): Promise<ClusterHandle> {
            return Promise.reject(needsLocal("Restoring etcd"));
        },
    });
}

/** Polls `check` every 200 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const value = check();
            if (value !== undefined) {
                return value;
            }
        } catch (error) {
            last = error;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${what}: not within ${timeoutMs} ms${last === undefined ? "" : ` (last error: ${String(last)})`}`);
}

export function condition(object: KubeObject, type: string): string | undefined {
    return object.status?.conditions?.find((entry) => entry.type === type)?.status;
}

/** Waits until each named Deployment in `namespace` reports Available. */
export async function waitForAvailable(
    cluster: ClusterHandle,
    namespace: string,
    deployments: readonly string[],
): Promise<void> {
    for (const name of deployments) {
        await eventually(
            `${name} Available`,
            () =>
                condition(cluster.getJson(["get", "deployment", name, "-n", namespace]), "Available") === "True"
                    ? true
                    : undefined,
            60_000,
        );
    }
}

/** Waits until `namespace` is gone, every object in it with it. */
export async function waitForNamespaceGone(cluster: ClusterHandle, namespace: string): Promise<void> {
    await eventually(
        `the namespace ${namespace} gone`,
        () =>
            cluster.kubectl(["get", "namespace", namespace, "--ignore-not-found", "-o", "name"]) === ""
                ? true
                : undefined,
        60_000,
    );
}

/** Samples `count` every 100 ms until stopped; `stop` resolves to the smallest value seen. */
export function watchFewest(count: () => number): { stop(): Promise<number> } {
    let fewest = Number.POSITIVE_INFINITY;
    let watching = true;
    const loop = (async () => {
        while (watching) {
            fewest = Math.min(fewest, count());
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    })();
    return {
        async stop() {
            watching = false;
            await loop;
            return fewest;
        },
    };
}
