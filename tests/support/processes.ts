/**
 * Real processes for the loopback integration tests: free ports, servers with their output in a log
 * file, bounded readiness waits and a stop that always ends with the process gone. Everything binds
 * 127.0.0.1 only.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { NginxConfOptions, renderNginxConf } from "../../components/nginx/nginxConf";
import { signal } from "../../tools/engine/signals";

export const LOOPBACK = "127.0.0.1";
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PAGE_DIR = path.join(REPO_ROOT, "app", "frontend");
export const BACKEND_DIR = path.join(REPO_ROOT, "app", "backend");

/** A port nothing listens on right now. Another process could take it before the caller binds it; on a test machine that race is rare enough. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.once("error", reject);
        server.listen(0, LOOPBACK, () => {
            const address = server.address();
            server.close(() =>
                typeof address === "object" && address !== null
                    ? resolve(address.port)
                    : reject(new Error(`Unexpected server address: ${String(address)}`)),
            );
        });
    });
}

export function makeTempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `first-k8s-${prefix}-`));
    // mkdtemp makes the directory 0700; an unprivileged server (see unprivilegedIdentity) must traverse it.
    fs.chmodSync(dir, 0o755);
    return dir;
}

export function removeDir(dir: string | undefined): void {
    if (dir !== undefined) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export interface Identity {
    readonly uid: number;
    readonly gid: number;
}

/**
 * When the tests run as root, servers run as "nobody", as the pods run non-root: a config that quietly
 * needs root (a pid file in /run, a port below 1024) then fails here as it would in the cluster.
 */
export function unprivilegedIdentity(): Identity | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    const entry = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .map((line) => line.split(":"))
        .find((fields) => fields[0] === "nobody");
    if (entry === undefined) {
        throw new Error('The tests run as root but /etc/passwd has no "nobody" user to run the servers as');
    }
    return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Makes `target` (recursively) owned by `identity`, so that an unprivileged server may write it. */
export function giveTo(target: string, identity: Identity | undefined): void {
    if (identity === undefined) {
        return;
    }
    fs.chownSync(target, identity.uid, identity.gid);
    if (fs.statSync(target).isDirectory()) {
        for (const entry of fs.readdirSync(target)) {
            giveTo(path.join(target, entry), identity);
        }
    }
}

export function nginxBinary(): string {
    const binary = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
    if (!fs.existsSync(binary)) {
        throw new Error(
            `NGINX is not installed at ${binary}. Install it (Debian/Ubuntu: apt-get install -y nginx) ` +
                "or point NGINX_BIN at an nginx 1.22 or newer binary.",
        );
    }
    return binary;
}

export function backendGunicorn(): string {
    const venv = process.env.BACKEND_VENV ?? path.join(REPO_ROOT, ".venv");
    const binary = path.join(venv, "bin", "gunicorn");
    if (!fs.existsSync(binary)) {
        throw new Error(
            `The backend's gunicorn is not installed at ${binary}. Create the venv: ` +
                `python3 -m venv ${venv} && ${venv}/bin/pip install -r app/backend/requirements.txt ` +
                "(or point BACKEND_VENV at a venv that has the backend's requirements).",
        );
    }
    return binary;
}

export interface SpawnOptions {
    /** File that receives the process's stdout and stderr. */
    readonly logFile: string;
    readonly cwd?: string;
    /** Added to (and overriding) this process's environment. */
    readonly env?: Readonly<Record<string, string>>;
    readonly identity?: Identity;
}

/** A spawned process, the leader of its own process group so that its children can be stopped with it. */
export class ManagedProcess {
    private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    private spawnError: Error | undefined;
    private readonly exited: Promise<void>;

    constructor(
        readonly name: string,
        readonly child: ChildProcess,
        readonly logFile: string,
    ) {
        this.exited = new Promise((resolve) => {
            child.once("exit", (code, signal) => {
                this.exit = { code, signal };
                live.delete(this);
                resolve();
            });
            child.once("error", (error) => {
                this.spawnError = error;
                if (child.pid === undefined) {
                    live.delete(this);
                    resolve();
                }
            });
        });
        live.add(this);
    }

    /** The exit code once the process has exited by itself (null when a signal ended it), else undefined. */
    get exitCode(): number | null | undefined {
        return this.exit?.code;
    }

    get running(): boolean {
        return this.exit === undefined && this.spawnError === undefined && this.child.pid !== undefined;
    }

    /** How the process ended, for error messages. */
    describeExit(): string {
        if (this.spawnError !== undefined) {
            return `${this.name} could not start: ${this.spawnError.message}`;
        }
        if (this.exit === undefined) {
            return `${this.name} is running`;
        }
        return `${this.name} exited with ${this.exit.signal ?? `code ${this.exit.code}`}`;
    }

    logs(): string {
        return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
    }

    /** Waits until the process has exited, at most `timeoutMs`; true if it did. */
    async waitForExit(timeoutMs: number): Promise<boolean> {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
        const result = await Promise.race([this.exited.then(() => true as const), timedOut]);
        clearTimeout(timer);
        return result;
    }

    /**
     * SIGTERM (a graceful stop for gunicorn, a fast one for NGINX), then SIGKILL to the whole process
     * group after `graceMs`, so that no worker outlives the test. Safe to call twice.
     */
    async stop(graceMs = 5000): Promise<void> {
        const pid = this.child.pid;
        if (!this.running || pid === undefined) {
            return;
        }
        signal(pid, "SIGTERM");
        if (!(await this.waitForExit(graceMs))) {
            signal(-pid, "SIGKILL");
            await this.waitForExit(graceMs);
        }
        // Workers that the leader left behind.
        signal(-pid, "SIGKILL");
    }
}

const live = new Set<ManagedProcess>();

// A last resort if mocha exits without running the after hooks (e.g. on an uncaught exception).
process.once("exit", () => {
    for (const managed of live) {
        if (managed.child.pid !== undefined) {
            signal(-managed.child.pid, "SIGKILL");
        }
    }
});

/**
 * Starts `command` with stdout and stderr appended to `options.logFile`. A regular file rather than a
 * pipe: NGINX reopens /dev/stdout and /dev/stderr by path, which works for a file (as for a container
 * runtime's log) but not for the socket Node uses as a pipe.
 */
export function spawnLogged(
    name: string,
    command: string,
    args: readonly string[],
    options: SpawnOptions,
): ManagedProcess {
    const fd = fs.openSync(options.logFile, "a");
    giveTo(options.logFile, options.identity);
    try {
        const child = spawn(command, [...args], {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ["ignore", fd, fd],
            detached: true,
            uid: options.identity?.uid,
            gid: options.identity?.gid,
        });
        return new ManagedProcess(name, child, options.logFile);
    } finally {
        fs.closeSync(fd);
    }
}

export interface WaitOptions {
    /** Give up after this long. Default: 15000. */
    readonly timeoutMs?: number;
    /** Fail at once, with its logs, if this process exits while we wait. */
    readonly process?: ManagedProcess;
}

/** Polls `url` until it answers 200, or throws after `timeoutMs` with the process's logs. */
export async function waitForUrl(url: string, options: WaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 15000;
    const deadline = Date.now() + timeoutMs;
    let last = "no attempt yet";
    while (Date.now() < deadline) {
        if (options.process !== undefined && !options.process.running) {
            throw new Error(`${options.process.describeExit()} before ${url} answered.\n${options.process.logs()}`);
        }
        try {
            const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
            await response.arrayBuffer();
            if (response.status === 200) {
                return;
            }
            last = `status ${response.status}`;
        } catch (error) {
            last = String((error as Error).cause ?? error);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const logs = options.process === undefined ? "" : `\n${options.process.logs()}`;
    throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})${logs}`);
}

/**
 * Runs a command to completion (e.g. `nginx -t`) and returns its exit status and combined output, which
 * goes through `logFile` for the reason given at spawnLogged.
 */
export function runToCompletion(
    command: string,
    args: readonly string[],
    options: SpawnOptions,
): { status: number | null; output: string } {
    const fd = fs.openSync(options.logFile, "w");
    giveTo(options.logFile, options.identity);
    try {
        const result = spawnSync(command, [...args], {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ["ignore", fd, fd],
            timeout: 15000,
            uid: options.identity?.uid,
            gid: options.identity?.gid,
        });
        if (result.error !== undefined) {
            throw result.error;
        }
        return { status: result.status, output: fs.readFileSync(options.logFile, "utf8") };
    } finally {
        fs.closeSync(fd);
    }
}

/** A temp directory laid out as the frontend pod is: the page, a writable runtime dir and the config. */
export interface NginxSite {
    readonly dir: string;
    readonly port: number;
    readonly staticRoot: string;
    readonly runtimeDir: string;
    readonly confFile: string;
    readonly identity: Identity | undefined;
    /** nginx arguments, as the pod passes them, plus -p so nothing resolves outside `dir`. */
    readonly args: readonly string[];
}

export type NginxSiteOptions = Omit<NginxConfOptions, "staticRoot" | "runtimeDir" | "listenAddress" | "listenPort"> & {
    /** Required here: a free loopback port, never the default 8080. */
    readonly listenPort: number;
};

/** Copies the page into a temp dir and writes a config rendered for 127.0.0.1 with `options`. */
export function prepareNginxSite(options: NginxSiteOptions): NginxSite {
    const identity = unprivilegedIdentity();
    const dir = makeTempDir("nginx");
    const staticRoot = path.join(dir, "html");
    const runtimeDir = path.join(dir, "run");
    fs.mkdirSync(staticRoot, { mode: 0o755 });
    fs.mkdirSync(runtimeDir, { mode: 0o755 });
    for (const file of fs.readdirSync(PAGE_DIR)) {
        fs.copyFileSync(path.join(PAGE_DIR, file), path.join(staticRoot, file));
        fs.chmodSync(path.join(staticRoot, file), 0o644);
    }
    giveTo(runtimeDir, identity);
    const confFile = path.join(dir, "nginx.conf");
    fs.writeFileSync(confFile, renderNginxConf({ ...options, listenAddress: LOOPBACK, staticRoot, runtimeDir }), {
        mode: 0o644,
    });
    // -e stderr: the log NGINX writes before it has read error_log from the config.
    const args = ["-p", dir, "-c", confFile, "-e", "stderr", "-g", "daemon off;"];
    return { dir, port: options.listenPort, staticRoot, runtimeDir, confFile, identity, args };
}

export interface RunningNginx {
    readonly site: NginxSite;
    readonly process: ManagedProcess;
    readonly baseUrl: string;
}

/** Starts NGINX for `site` and waits until its own /healthz answers. */
export async function startNginx(site: NginxSite): Promise<RunningNginx> {
    const nginx = spawnLogged("nginx", nginxBinary(), site.args, {
        logFile: path.join(site.dir, "nginx.log"),
        identity: site.identity,
    });
    const baseUrl = `http://${LOOPBACK}:${site.port}`;
    await waitForUrl(`${baseUrl}/healthz`, { process: nginx, timeoutMs: 10000 });
    return { site, process: nginx, baseUrl };
}

/** The JSON access-log lines NGINX wrote so far (the default access log is stdout, i.e. its log file). */
export function accessLogEntries(nginx: RunningNginx): Record<string, unknown>[] {
    return nginx.process
        .logs()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The access-log entry of the request NGINX numbered `requestId`; the line may land just after the response. */
export async function accessLogEntry(nginx: RunningNginx, requestId: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 20; attempt++) {
        const entry = accessLogEntries(nginx).find((e) => e.request_id === requestId);
        if (entry !== undefined) {
            return entry;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`No access-log entry for request ${requestId}`);
}

/** Prints the logs of `processes` when the test that just ran failed, so a CI failure explains itself. */
export function printLogsIfFailed(
    test: Mocha.Test | undefined,
    processes: readonly (ManagedProcess | undefined)[],
): void {
    if (test?.state !== "failed") {
        return;
    }
    for (const managed of processes) {
        if (managed !== undefined) {
            console.error(`----- ${managed.name} log (${managed.logFile}) -----\n${managed.logs()}`);
        }
    }
}

/** Environment the downward API gives a backend pod, with values a test can assert. */
export const BACKEND_IDENTITY = {
    POD_NAME: "smoke-pod",
    NODE_NAME: "smoke-node",
    POD_IP: LOOPBACK,
    APP_VERSION: "smoke-1",
};

export interface BackendOptions {
    /** POD_NAME it reports in served_by and /api/info. Default: BACKEND_IDENTITY.POD_NAME. */
    readonly podName?: string;
    /** NODE_NAME it reports. Default: BACKEND_IDENTITY.NODE_NAME. */
    readonly nodeName?: string;
    /** More environment, overriding the defaults below (e.g. WEB_CONCURRENCY, BACKEND_TEST_DELAY_SECONDS). */
    readonly env?: Readonly<Record<string, string>>;
    /** How long to wait for /api/healthz. Default: 20000 ms. */
    readonly timeoutMs?: number;
}

/**
 * The real backend under gunicorn with its real gunicorn.conf.py, on 127.0.0.1:`port`, one worker unless
 * `options.env` says otherwise, and waits until /api/healthz answers. Its log is gunicorn-<port>.log in
 * `logDir`, so several backends (or one restarted on the same port) can share a directory.
 */
export async function startBackend(
    port: number,
    logDir: string,
    options: BackendOptions = {},
): Promise<ManagedProcess> {
    const podName = options.podName ?? BACKEND_IDENTITY.POD_NAME;
    const backend = spawnLogged(
        `gunicorn ${podName}`,
        backendGunicorn(),
        ["--config", path.join(BACKEND_DIR, "gunicorn.conf.py"), "wsgi:app"],
        {
            logFile: path.join(logDir, `gunicorn-${port}.log`),
            env: {
                ...BACKEND_IDENTITY,
                POD_NAME: podName,
                NODE_NAME: options.nodeName ?? BACKEND_IDENTITY.NODE_NAME,
                PORT: String(port),
                GUNICORN_HOST: LOOPBACK,
                WEB_CONCURRENCY: "1",
                // A test that wants the slow backend (or other gunicorn settings) asks for it; nothing inherited
                // from the shell may leak in.
                BACKEND_TEST_DELAY_SECONDS: "0",
                GUNICORN_CMD_ARGS: "",
                ...options.env,
            },
        },
    );
    await waitForUrl(`http://${LOOPBACK}:${port}/api/healthz`, {
        process: backend,
        timeoutMs: options.timeoutMs ?? 20000,
    });
    return backend;
}

/** Seconds gunicorn may take to stop after SIGTERM: its 2 s drain, up to 1 s to notice, in-flight requests. */
export const BACKEND_STOP_GRACE_MS = 15000;

/** The two tiers on loopback: real gunicorn backends behind the real NGINX config, as one unit to start and stop. */
export interface Stack {
    readonly logDir: string;
    readonly nginx: RunningNginx;
    /** "127.0.0.1:port" of each backend, in the order given to startStack; the upstream's servers. */
    readonly backendAddresses: readonly string[];
    readonly backendPorts: readonly number[];
    /** The running process of each backend; replaced by restartBackend. */
    readonly backends: ManagedProcess[];
    readonly baseUrl: string;
    /** Starts backend `index` again on its port, with the options it was first started with. */
    restartBackend(index: number): Promise<ManagedProcess>;
    /** Every process of the stack, for printLogsIfFailed. */
    processes(): ManagedProcess[];
    /** Stops NGINX and every backend and removes the temp dirs. Safe to call twice. */
    stop(): Promise<void>;
}

/**
 * The hooks of a suite that runs against one stack: started before its tests, its processes' logs printed when a
 * test fails, stopped after them (also after a failure). Returns the running stack, for use inside tests.
 */
export function stackForSuite(backends: readonly BackendOptions[]): () => Stack {
    let stack: Stack | undefined;
    before(async function () {
        this.timeout(40000);
        stack = await startStack(backends);
    });
    afterEach(function () {
        printLogsIfFailed(this.currentTest, stack?.processes() ?? []);
    });
    after(async function () {
        this.timeout(40000);
        await stack?.stop();
    });
    return () => {
        if (!stack) {
            throw new Error("the stack did not start: see the before hook's error");
        }
        return stack;
    };
}

/**
 * Starts one real backend per entry of `backends` and NGINX with the rendered config in front of all of
 * them (`nginx` options as the cluster's, apart from what a test overrides). Stops what it started if a
 * step fails, so a failing `before` leaves nothing running.
 */
export async function startStack(
    backends: readonly BackendOptions[],
    nginx: Partial<Omit<NginxSiteOptions, "listenPort" | "backendServers">> = {},
): Promise<Stack> {
    const logDir = makeTempDir("backend");
    const running: ManagedProcess[] = [];
    const ports: number[] = [];
    let site: NginxSite | undefined;
    let nginxProcess: RunningNginx | undefined;
    const stopAll = async () => {
        await nginxProcess?.process.stop();
        await Promise.all(running.map((backend) => backend.stop(BACKEND_STOP_GRACE_MS)));
        removeDir(site?.dir);
        removeDir(logDir);
    };
    try {
        for (const options of backends) {
            const port = await freePort();
            ports.push(port);
            running.push(await startBackend(port, logDir, options));
        }
        const addresses = ports.map((port) => `${LOOPBACK}:${port}`);
        site = prepareNginxSite({ ...nginx, backendServers: addresses, listenPort: await freePort() });
        nginxProcess = await startNginx(site);
        const started = nginxProcess;
        return {
            logDir,
            nginx: started,
            backendAddresses: addresses,
            backendPorts: ports,
            backends: running,
            baseUrl: started.baseUrl,
            restartBackend: async (index) => {
                await running[index].stop(BACKEND_STOP_GRACE_MS);
                running[index] = await startBackend(ports[index], logDir, backends[index]);
                return running[index];
            },
            processes: () => [started.process, ...running],
            stop: stopAll,
        };
    } catch (error) {
        await stopAll();
        throw error;
    }
}
