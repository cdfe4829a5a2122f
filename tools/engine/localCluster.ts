/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
 * and kwok in place of kubelets. Every process listens on 127.0.0.1 only, on ports picked free at start, and
 * is recorded by PID (with its start time, so a reused PID is never signalled) in the state folder; `down`
 * stops exactly those. With an owner PID, a watchdog stops the whole cluster as soon as the owner is gone,
 * however it ended (an interrupted or crashed test run included).
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { EngineInstall, engineVersions } from "./binaries";
import { KWOK_NODE_ANNOTATION, LOCAL_ZONES, NodeLayout, ZONE_LABEL, nodeManifest, nodeSpecs } from "./nodes";
import { LocalPki, createLocalPki } from "./pki";
import { signal } from "./signals";
import { RealNodeState, killPods, restoreHost } from "./realNodeTeardown";
import { ClusterProcess, isAlive, sleep, startProcess, stopProcess, waitFor } from "./processes";

export { ClusterProcess, isAlive } from "./processes";
import { restoreSnapshot, Snapshot } from "../etcd/snapshots";
import { LOCAL_CLUSTER_STATE_FILE } from "../../components/config/localCluster";

const LOOPBACK = "127.0.0.1";
const STATE_FILE = LOCAL_CLUSTER_STATE_FILE;
const WATCHDOG = path.join(__dirname, "watchdog.sh");

export interface ClusterTimings {
    /** How long a node may miss heartbeats before it is NotReady (kube-controller-manager's default: 50 s). */
    readonly nodeMonitorGracePeriodSeconds: number;
    /** How long pods stay bound to a NotReady or unreachable node (the API server's default: 300 s). */
    readonly podEvictionTolerationSeconds: number;
    /** The node leases kwok renews for each node (a kubelet's default: 40 s). */
    readonly nodeLeaseDurationSeconds: number;
}

/** The upstream defaults: what minikube, EKS and any kubeadm cluster use unless told otherwise. */
export const DEFAULT_TIMINGS: ClusterTimings = {
    nodeMonitorGracePeriodSeconds: 50,
    podEvictionTolerationSeconds: 300,
    nodeLeaseDurationSeconds: 40,
};

export interface LocalClusterOptions {
    /** The state folder: certificates, etcd's data, logs, kubeconfig and cluster.json. */
    readonly dir: string;
    readonly layout: NodeLayout;
    /** The kubeconfig context (and cluster and user) name; "minikube" lets the dev stack run unchanged. */
    readonly context: string;
    /** Stop everything, and delete `dir`, once this process is gone. */
    readonly ownerPid?: number;
    readonly timings?: ClusterTimings;
}

export interface LocalClusterState {
    readonly dir: string;
    readonly kubeconfig: string;
    readonly context: string;
    readonly layout: NodeLayout;
    readonly apiServerUrl: string;
    readonly etcdUrl: string;
    readonly ports: Readonly<Record<string, number>>;
    readonly processes: readonly ClusterProcess[];
    readonly watchdogPid: number | undefined;
    readonly nodes: readonly string[];
    readonly timings: ClusterTimings;
    /** A real node's: its namespace, what the host was like before it, its paths (absent for kwok nodes). */
    readonly realNode?: RealNodeState;
    /** The NGINX stand-in pinned by digest, the frontendImage to deploy the dev stack with (real nodes only). */
    readonly frontendImage?: string;
}

/** Ports that nothing listens on now, all different. Each is bound by its server within seconds. */
export async function freePorts(count: number): Promise<number[]> {
    const servers = await Promise.all(
        Array.from(
            { length: count },
            () =>
                new Promise<net.Server>((resolve, reject) => {
                    const server = net.createServer();
                    server.once("error", reject);
                    server.listen(0, LOOPBACK, () => resolve(server));
                }),
        ),
    );
    const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    return ports;
}

export function kubeconfigText(context: string, url: string, pki: LocalPki): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: ${context}`,
        "  cluster:",
        `    server: ${url}`,
        `    certificate-authority: ${pki.caCert}`,
        "users:",
        `- name: ${context}`,
        "  user:",
        `    client-certificate: ${pki.adminCert}`,
        `    client-key: ${pki.adminKey}`,
        "contexts:",
        `- name: ${context}`,
        "  context:",
        `    cluster: ${context}`,
        `    user: ${context}`,
        `current-context: ${context}`,
        "",
    ].join("\n");
}

/** Runs kubectl against the cluster and returns its stdout; throws when it fails or outlasts `timeoutMs`. */
export function kubectl(
    engine: EngineInstall,
    state: Pick<LocalClusterState, "kubeconfig"> & { readonly context?: string },
    args: readonly string[],
    input?: string,
    timeoutMs = 60_000,
): string {
    const context = state.context === undefined ? [] : ["--context", state.context];
    return execFileSync(engine.binary("kubectl"), ["--kubeconfig", state.kubeconfig, ...context, ...args], {
        encoding: "utf8",
        input,
        stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        maxBuffer: 64 << 20,
        timeout: timeoutMs,
    });
}

/** Whether kubectl `args` succeed within `timeoutMs`: a readiness check, polled. */
export function succeeds(
    engine: EngineInstall,
    kubeconfig: string,
    args: readonly string[],
    timeoutMs = 5000,
): boolean {
    try {
        kubectl(engine, { kubeconfig }, args, undefined, timeoutMs);
        return true;
    } catch {
        return false;
    }
}

export function healthy(url: string): boolean {
    try {
        // The components serve /healthz over TLS with a self-signed certificate of their own; only "ok" matters.
        const body = execFileSync("curl", ["--silent", "--insecure", "--max-time", "2", url], { encoding: "utf8" });
        return body.trim() === "ok";
    } catch {
        return false;
    }
}

export function readState(dir: string): LocalClusterState | undefined {
    const file = path.join(dir, STATE_FILE);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as LocalClusterState) : undefined;
}

export function writeState(state: LocalClusterState): void {
    fs.writeFileSync(path.join(state.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    // The same list in a form watchdog.sh reads without a JSON parser.
    const lines = state.processes.map((process) => `${process.pid} ${process.startTime} ${process.name}\n`);
    fs.writeFileSync(path.join(state.dir, "processes.txt"), lines.join(""));
}

/**
 * Starts the control plane and kwok, registers the layout's nodes and waits until every node is Ready.
 * Fails, with what it had started already stopped, when a component exits or is not ready in time.
 */
export async function up(engine: EngineInstall, options: LocalClusterOptions): Promise<LocalClusterState> {
    const dir = path.resolve(options.dir);
    if (readState(dir)?.processes.some(isAlive)) {
        throw new Error(`A local cluster already runs from ${dir}; stop it first (down).`);
    }
    const timings = options.timings ?? DEFAULT_TIMINGS;
    const kubernetesVersion = engineVersions().KUBERNETES_VERSION;
    fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
    for (const sub of ["flexvolume", "certs"]) {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
    }
    const [etcdClient, etcdPeer, apiServer, controllerManager, scheduler] = await freePorts(5);
    const ports = { etcdClient, etcdPeer, apiServer, controllerManager, scheduler };
    const etcdUrl = `http://${LOOPBACK}:${etcdClient}`;
    const apiServerUrl = `https://${LOOPBACK}:${apiServer}`;
    const pki = createLocalPki(path.join(dir, "pki"));
    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, kubeconfigText(options.context, apiServerUrl, pki), { mode: 0o600 });

    const watchdogPid = options.ownerPid === undefined ? undefined : startWatchdog(options.ownerPid, dir);
    const processes: ClusterProcess[] = [];
    const state = (): LocalClusterState => ({
        dir,
        kubeconfig,
        context: options.context,
        layout: options.layout,
        apiServerUrl,
        etcdUrl,
        ports,
        processes: [...processes],
        watchdogPid,
        nodes: nodeSpecs(options.layout).map((node) => node.name),
        timings,
    });
    const started = (process: ClusterProcess) => {
        processes.push(process);
        // Recorded before waiting on it, so that `down` and the watchdog know every process started so far.
        writeState(state());
    };
    try {
        started(
            startProcess(
                "etcd",
                engine.binary("etcd"),
                [
                    "--name=local",
                    `--data-dir=${path.join(dir, "etcd")}`,
                    `--listen-client-urls=${etcdUrl}`,
                    `--advertise-client-urls=${etcdUrl}`,
                    `--listen-peer-urls=http://${LOOPBACK}:${etcdPeer}`,
                    `--initial-advertise-peer-urls=http://${LOOPBACK}:${etcdPeer}`,
                    `--initial-cluster=local=http://${LOOPBACK}:${etcdPeer}`,
                    "--log-level=warn",
                ],
                dir,
            ),
        );
        started(
            startProcess(
                "kube-apiserver",
                engine.binary("kube-apiserver"),
                [
                    `--etcd-servers=${etcdUrl}`,
                    `--bind-address=${LOOPBACK}`,
                    `--advertise-address=${LOOPBACK}`,
                    `--secure-port=${apiServer}`,
                    // A loopback advertise address is refused for the `kubernetes` Endpoints; nothing in-cluster needs them.
                    "--endpoint-reconciler-type=none",
                    `--cert-dir=${path.join(dir, "certs")}`,
                    `--tls-cert-file=${pki.apiServerCert}`,
                    `--tls-private-key-file=${pki.apiServerKey}`,
                    `--client-ca-file=${pki.caCert}`,
                    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
                    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
                    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
                    "--service-cluster-ip-range=10.96.0.0/16",
                    "--authorization-mode=Node,RBAC",
                    // As kubeadm (minikube) and EKS run it: privileged pods are allowed by the API server, so what
                    // refuses them in the app's namespace is Pod Security admission.
                    "--allow-privileged=true",
                    // PodSecurity is among the default admission plugins, as in every cluster since 1.25.
                    // Node addresses are 127.0.0.1: the API server never resolves a node's name.
                    "--kubelet-preferred-address-types=InternalIP",
                    `--default-not-ready-toleration-seconds=${timings.podEvictionTolerationSeconds}`,
                    `--default-unreachable-toleration-seconds=${timings.podEvictionTolerationSeconds}`,
                    "--profiling=false",
                ],
                dir,
            ),
        );
        await waitFor(
            "the API server to be ready",
            () => succeeds(engine, kubeconfig, ["get", "--raw", "/readyz"]),
            60_000,
            processes,
        );
        const componentFlags = [
            `--kubeconfig=${kubeconfig}`,
            `--authentication-kubeconfig=${kubeconfig}`,
            `--authorization-kubeconfig=${kubeconfig}`,
            `--bind-address=${LOOPBACK}`,
            "--leader-elect=false",
            "--profiling=false",
        ];
        started(
            startProcess(
                "kube-controller-manager",
                engine.binary("kube-controller-manager"),
                [
                    ...componentFlags,
                    `--secure-port=${controllerManager}`,
                    `--cert-dir=${path.join(dir, "certs")}`,
                    `--service-account-private-key-file=${pki.serviceAccountKey}`,
                    `--root-ca-file=${pki.caCert}`,
                    "--use-service-account-credentials=true",
                    `--flex-volume-plugin-dir=${path.join(dir, "flexvolume")}`,
                    `--node-monitor-grace-period=${timings.nodeMonitorGracePeriodSeconds}s`,
                ],
                dir,
            ),
        );
        started(
            startProcess(
                "kube-scheduler",
                engine.binary("kube-scheduler"),
                [...componentFlags, `--secure-port=${scheduler}`, `--cert-dir=${path.join(dir, "certs")}`],
                dir,
            ),
        );
        // One kwok per zone, each the kubelets of its zone's nodes: stopping one is the zone going dark.
        for (const kubelets of kwokInstances(options.layout)) {
            started(
                startProcess(
                    kubelets.name,
                    engine.binary("kwok"),
                    [
                        `--kubeconfig=${kubeconfig}`,
                        kubelets.selector,
                        `--node-ip=${LOOPBACK}`,
                        `--node-lease-duration-seconds=${timings.nodeLeaseDurationSeconds}`,
                        ...engine.kwokStages.flatMap((stage) => ["--config", stage]),
                    ],
                    dir,
                ),
            );
        }
        await waitFor(
            "the controller manager and the scheduler to be healthy",
            () =>
                healthy(`https://${LOOPBACK}:${controllerManager}/healthz`) &&
                healthy(`https://${LOOPBACK}:${scheduler}/healthz`),
            60_000,
            processes,
        );
        const nodes = nodeSpecs(options.layout).map((spec) => nodeManifest(spec, kubernetesVersion));
        kubectl(
            engine,
            { kubeconfig },
            ["apply", "-f", "-"],
            JSON.stringify({ apiVersion: "v1", kind: "List", items: nodes }),
        );
        await waitFor(
            "every node to be Ready",
            () => succeeds(engine, kubeconfig, ["wait", "--for=condition=Ready", "node", "--all", "--timeout=1s"]),
            60_000,
            processes,
        );
        return state();
    } catch (error) {
        await down(dir);
        throw error;
    }
}

/** The kwok processes of a layout: their names, and which nodes each manages. */
function kwokInstances(layout: NodeLayout): { name: string; selector: string }[] {
    if (layout === "minikube") {
        return [
            {
                name: "kwok",
                selector: `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
            },
        ];
    }
    return LOCAL_ZONES.map((zone) => ({
        name: kwokNameForZone(zone),
        selector: `--manage-nodes-with-label-selector=${ZONE_LABEL}=${zone}`,
    }));
}

export function kwokNameForZone(zone: string): string {
    return `kwok-${zone}`;
}

/**
 * Stops the kwok of `zone` (SIGKILL, as a power cut would): its nodes stop renewing their leases and their
 * pods stop being reported, while the Node objects stay, as they do in a zone outage.
 */
export async function loseZone(dir: string, zone: string): Promise<void> {
    const name = kwokNameForZone(zone);
    const kubelets = readState(path.resolve(dir))?.processes.find((process) => process.name === name);
    if (kubelets === undefined || !isAlive(kubelets)) {
        throw new Error(`No running ${name} in ${dir}: the zones layout runs one kwok per zone`);
    }
    signal(kubelets.pid, "SIGKILL");
    while (isAlive(kubelets)) {
        await sleep(20);
    }
}

export function startWatchdog(ownerPid: number, dir: string, teardown: readonly string[] = []): number {
    const child = spawn("/bin/sh", [WATCHDOG, String(ownerPid), dir, ...teardown], { stdio: "ignore", detached: true });
    child.unref();
    if (child.pid === undefined) {
        throw new Error("The local cluster's watchdog did not start");
    }
    return child.pid;
}

/**
 * Stops the processes recorded in `dir` (SIGTERM, then SIGKILL to the process group after `graceMs`), in
 * reverse start order, then the watchdog. Processes that are already gone are skipped. Returns the names stopped.
 */
export async function down(
    dir: string,
    options: { readonly removeDir?: boolean; readonly graceMs?: number } = {},
): Promise<string[]> {
    const state = readState(path.resolve(dir));
    const stopped: string[] = [];
    const stop = async (process: ClusterProcess) => {
        if (isAlive(process)) {
            await stopProcess(process, options.graceMs ?? 10_000);
            stopped.push(process.name);
        }
    };
    if (state?.realNode !== undefined) {
        // The kubelet first, so that it restarts no container while they are killed.
        for (const kubelet of state.processes.filter((process) => process.name === "kubelet")) {
            await stop(kubelet);
        }
        await killPods(state.realNode);
    }
    for (const process of [...(state?.processes ?? [])].reverse()) {
        await stop(process);
    }
    if (state?.realNode !== undefined) {
        restoreHost(state.realNode, state.dir);
    }
    // Not when the watchdog itself runs this `down` (as its teardown command): it still has the folder to delete.
    if (state?.watchdogPid !== undefined && state.watchdogPid !== globalThis.process.ppid) {
        signal(state.watchdogPid, "SIGKILL");
    }
    if (options.removeDir) {
        fs.rmSync(path.resolve(dir), { recursive: true, force: true });
    }
    return stopped;
}

export interface ClusterStatus {
    readonly dir: string;
    readonly processes: readonly (ClusterProcess & { readonly running: boolean })[];
    readonly apiServerReady: boolean;
}

export function status(engine: EngineInstall, dir: string): ClusterStatus | undefined {
    const state = readState(path.resolve(dir));
    if (state === undefined) {
        return undefined;
    }
    const processes = state.processes.map((process) => ({ ...process, running: isAlive(process) }));
    const apiServerReady =
        processes.some((process) => process.running) && succeeds(engine, state.kubeconfig, ["get", "--raw", "/readyz"]);
    return { dir: state.dir, processes, apiServerReady };
}

/**
 * Replaces the etcd data of the stopped cluster in `dir` with `snapshotFile` (verified first); `up` on the same
 * folder then starts the control plane on the restored data.
 */
export function restoreEtcd(engine: EngineInstall, dir: string, snapshotFile: string): Snapshot {
    const state = readState(path.resolve(dir));
    if (state === undefined) {
        throw new Error(`No local cluster in ${dir}`);
    }
    if (state.processes.some(isAlive)) {
        throw new Error(
            `The local cluster in ${dir} is running: stop it first (down), as etcd must be stopped to restore`,
        );
    }
    const dataDir = path.join(state.dir, "etcd");
    const previous = `${dataDir}.before-restore`;
    fs.rmSync(previous, { recursive: true, force: true });
    if (fs.existsSync(dataDir)) {
        fs.renameSync(dataDir, previous);
    }
    return restoreSnapshot({ etcdctl: engine.binary("etcdctl"), etcdutl: engine.binary("etcdutl") }, snapshotFile, {
        dataDir,
        name: "local",
        peerUrl: `http://${LOOPBACK}:${state.ports.etcdPeer}`,
    });
}
