/**
 * The app tier's benchmark, on loopback, with the configs the cluster gets: the rendered nginx.conf (its
 * upstream pointed at 127.0.0.1) and gunicorn.conf.py with the Deployment's WEB_CONCURRENCY and
 * GUNICORN_THREADS. It measures, in one run and one after the other:
 *   (1) NGINX serving the page (GET /): the ceiling for anything NGINX does;
 *   (2) the backend directly (POST /api/messages);
 *   (3) the backend through NGINX (the same POST),
 * prints one table with (3)/(2), and writes the figures with the machine's description to bench/results/.
 * The scenarios take turns, round after round, so that (2) and (3) are measured side by side and drift (a
 * neighbour, a thermal limit) hits both; the table shows the median of the rounds. Rounds matter here: wrk
 * keeps its connections for the whole run, and which of gunicorn's worker processes accepted each of them
 * decides whether both workers get work, so one 10 s figure of the backend alone can be off by half.
 *
 *   npm run bench                          3 rounds of 10 s per scenario (after a 2 s warm-up); medians
 *   npm run bench -- --smoke               1 round of 2 s per scenario, no warm-up: proves the benchmark works (CI)
 *   npm run bench -- --help                every option (tuning experiments: workers, threads, keepalive, buffering)
 *
 * No figure is asserted anywhere; the run fails only when a request fails or a report cannot be read.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
    backendGunicorn,
    freePort,
    LOOPBACK,
    makeTempDir,
    ManagedProcess,
    nginxBinary,
    prepareNginxSite,
    removeDir,
    REPO_ROOT,
    RunningNginx,
    startBackend,
    startNginx,
} from "../tests/support/processes";
import { BACKEND_PROCESS_ENV } from "../components/app/twoTierApp";
import { cpuSplit, CpuSplit, pinProcessGroup, processGroupCpuSeconds } from "./cpu";
import { errorCount, runWrk, wrkBinary, WrkResult } from "./wrk";

/** What the backend container gets in the cluster. */
const DEPLOYED_BACKEND = BACKEND_PROCESS_ENV;
const RESULTS_DIR = path.join(REPO_ROOT, "bench", "results");
const POST_SCRIPT = path.join(REPO_ROOT, "bench", "post.lua");

const HELP = `Usage: npm run bench -- [options]
  --smoke                 1 round of 2 s per scenario, no warm-up (CI); results are written as *.smoke.json
  --duration <s>          seconds per scenario and round (default 10; 2 with --smoke)
  --rounds <n>            rounds of all scenarios, taking turns; the table shows medians (default 3; 1 with --smoke)
  --warmup <s>            unrecorded seconds before each scenario (default 2; 0 with --smoke)
  --connections <n>       wrk's open connections (default 32)
  --wrk-threads <n>       wrk's threads (default 1: the load generator shares the machine)
  --scenarios <list>      some of static,direct,proxied (default: all three)
  --label <name>          names the result file (default: from the settings below)
  --cpu-split <on|off>    the backend on the last core, NGINX and wrk on the others, as separate pods would be
                          (default on with 2 or more cores; off: every process on every core)
Tuning experiments (the default is the deployed config):
  --workers <n>           gunicorn WEB_CONCURRENCY (default ${DEPLOYED_BACKEND.WEB_CONCURRENCY})
  --threads <n>           gunicorn GUNICORN_THREADS (default ${DEPLOYED_BACKEND.GUNICORN_THREADS})
  --worker-class <class>  gunicorn worker class instead of gunicorn.conf.py's (e.g. gthread, gunicorn's own)
  --nginx-workers <n>     NGINX worker_processes (default: the renderer's)
  --keepalive <n|off>     NGINX upstream keepalive connections per worker (default: the renderer's; off: none)
  --buffering <on|off>    NGINX proxy_buffering (default on, NGINX's default)
  --keepalive-requests <n>  requests per NGINX upstream connection (default: the renderer's)
  --access-log-buffer <size|off>  NGINX access_log buffer, e.g. 32k, flushed every second (default: the renderer's)
Environment: NGINX_BIN, BACKEND_VENV, WRK_BIN.`;

interface Settings {
    readonly smoke: boolean;
    readonly durationSeconds: number;
    readonly rounds: number;
    readonly warmupSeconds: number;
    readonly connections: number;
    readonly wrkThreads: number;
    readonly scenarios: readonly ScenarioId[];
    readonly workers: number;
    readonly threads: number;
    readonly workerClass?: string;
    readonly nginxWorkers?: number;
    readonly keepalive?: number | "off";
    readonly buffering: "on" | "off";
    readonly keepaliveRequests?: number;
    readonly accessLogBuffer?: string;
    readonly cpuSplit: "on" | "off";
    readonly label: string;
}

type ScenarioId = "static" | "direct" | "proxied";
const SCENARIOS: Readonly<
    Record<ScenarioId, { readonly name: string; readonly method: string; readonly path: string }>
> = {
    static: { name: "(1) NGINX, static page (the ceiling)", method: "GET", path: "/" },
    direct: { name: "(2) backend directly", method: "POST", path: "/api/messages" },
    proxied: { name: "(3) backend through NGINX", method: "POST", path: "/api/messages" },
};

function positiveInteger(name: string, raw: string | undefined, fallback: number, minimum = 1): number {
    if (raw === undefined) {
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < minimum) {
        throw new Error(`--${name} is "${raw}": expected an integer >= ${minimum}`);
    }
    return value;
}

export function parseSettings(argv: readonly string[]): Settings | "help" {
    const { values } = parseArgs({
        args: [...argv],
        strict: true,
        options: {
            help: { type: "boolean" },
            smoke: { type: "boolean" },
            duration: { type: "string" },
            rounds: { type: "string" },
            warmup: { type: "string" },
            connections: { type: "string" },
            "wrk-threads": { type: "string" },
            scenarios: { type: "string" },
            label: { type: "string" },
            workers: { type: "string" },
            threads: { type: "string" },
            "worker-class": { type: "string" },
            "nginx-workers": { type: "string" },
            keepalive: { type: "string" },
            buffering: { type: "string" },
            "keepalive-requests": { type: "string" },
            "access-log-buffer": { type: "string" },
            "cpu-split": { type: "string" },
        },
    });
    if (values.help) {
        return "help";
    }
    const smoke = values.smoke ?? false;
    const scenarios = (values.scenarios ?? "static,direct,proxied").split(",") as ScenarioId[];
    for (const id of scenarios) {
        if (!(id in SCENARIOS)) {
            throw new Error(`--scenarios has "${id}": expected some of ${Object.keys(SCENARIOS).join(",")}`);
        }
    }
    let keepalive: Settings["keepalive"];
    if (values.keepalive !== undefined) {
        keepalive = values.keepalive === "off" ? "off" : positiveInteger("keepalive", values.keepalive, 0);
    }
    if (values["worker-class"] !== undefined && !/^[A-Za-z0-9_.]+$/.test(values["worker-class"])) {
        throw new Error(
            `--worker-class is "${values["worker-class"]}": expected a gunicorn worker name or a dotted class path`,
        );
    }
    for (const name of ["buffering", "cpu-split"] as const) {
        const value = values[name];
        if (value !== undefined && value !== "on" && value !== "off") {
            throw new Error(`--${name} is "${value}": expected on or off`);
        }
    }
    const accessLogBuffer = values["access-log-buffer"];
    if (accessLogBuffer !== undefined && accessLogBuffer !== "off" && !/^\d+k$/.test(accessLogBuffer)) {
        throw new Error(`--access-log-buffer is "${accessLogBuffer}": expected a size in KiB such as 32k, or off`);
    }
    const settings = {
        smoke,
        durationSeconds: positiveInteger("duration", values.duration, smoke ? 2 : 10),
        rounds: positiveInteger("rounds", values.rounds, smoke ? 1 : 3),
        warmupSeconds: positiveInteger("warmup", values.warmup, smoke ? 0 : 2, 0),
        connections: positiveInteger("connections", values.connections, 32),
        wrkThreads: positiveInteger("wrk-threads", values["wrk-threads"], 1),
        scenarios,
        workers: positiveInteger("workers", values.workers, DEPLOYED_BACKEND.WEB_CONCURRENCY),
        threads: positiveInteger("threads", values.threads, DEPLOYED_BACKEND.GUNICORN_THREADS),
        workerClass: values["worker-class"],
        nginxWorkers:
            values["nginx-workers"] === undefined
                ? undefined
                : positiveInteger("nginx-workers", values["nginx-workers"], 1),
        keepalive,
        buffering: (values.buffering ?? "on") as "on" | "off",
        keepaliveRequests:
            values["keepalive-requests"] === undefined
                ? undefined
                : positiveInteger("keepalive-requests", values["keepalive-requests"], 1),
        accessLogBuffer,
        cpuSplit: (values["cpu-split"] ?? "on") as "on" | "off",
    };
    const label =
        values.label ??
        [
            `w${settings.workers}`,
            `t${settings.threads}`,
            settings.workerClass === undefined ? undefined : `wc-${settings.workerClass}`,
            settings.nginxWorkers === undefined ? undefined : `nw${settings.nginxWorkers}`,
            settings.keepalive === undefined ? undefined : `ka-${settings.keepalive}`,
            settings.buffering === "off" ? "buffering-off" : undefined,
            settings.keepaliveRequests === undefined ? undefined : `kar-${settings.keepaliveRequests}`,
            settings.accessLogBuffer === undefined ? undefined : `alb-${settings.accessLogBuffer}`,
            settings.cpuSplit === "off" ? "shared-cpus" : undefined,
        ]
            .filter((part) => part !== undefined)
            .join("-");
    if (!/^[A-Za-z0-9._-]+$/.test(label)) {
        throw new Error(`--label is "${label}": expected letters, digits, ".", "_" or "-"`);
    }
    return { ...settings, label };
}

/** The tuning variants the renderer has no option for, applied to its text; each must change something. */
export function applyNginxVariants(
    conf: string,
    settings: Pick<Settings, "keepalive" | "buffering" | "accessLogBuffer">,
): string {
    let result = conf;
    const replace = (pattern: RegExp, replacement: string, what: string) => {
        const next = result.replace(pattern, replacement);
        if (next === result) {
            throw new Error(`Could not apply "${what}" to the rendered nginx.conf: ${pattern} matched nothing`);
        }
        result = next;
    };
    if (settings.keepalive === "off") {
        // Only inside the upstream block: the server's own keepalive_timeout (for clients) stays.
        const start = result.indexOf("upstream backend {");
        const end = result.indexOf("}", start);
        const block = result.slice(start, end);
        const trimmed = block.replace(/^\s*keepalive(_requests|_timeout)?\s+\S+;\n/gm, "");
        if (start < 0 || trimmed === block) {
            throw new Error("Could not remove the upstream keepalive directives from the rendered nginx.conf");
        }
        result = result.slice(0, start) + trimmed + result.slice(end);
    }
    if (settings.accessLogBuffer !== undefined) {
        replace(
            /^(\s*access_log \S+ json)(?: buffer=\S+ flush=\S+)?;$/m,
            settings.accessLogBuffer === "off" ? "$1;" : `$1 buffer=${settings.accessLogBuffer} flush=1s;`,
            `access_log buffer ${settings.accessLogBuffer}`,
        );
    }
    if (settings.buffering === "off") {
        replace(
            /^(\s*)proxy_pass http:\/\/backend;$/m,
            "$1proxy_pass http://backend;\n$1proxy_buffering off;",
            "proxy_buffering off",
        );
    }
    return result;
}

/** The first line a command prints, on stdout or stderr (nginx -v uses stderr; wrk -v exits with 1). */
function firstLine(command: string, args: readonly string[]): string {
    const result = spawnSync(command, [...args], { encoding: "utf8", timeout: 10000 });
    return `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n")[0].trim();
}

function machineInfo(wrk: string) {
    const osRelease = fs.existsSync("/etc/os-release") ? fs.readFileSync("/etc/os-release", "utf8") : "";
    const venvPython = path.join(path.dirname(backendGunicorn()), "python");
    return {
        hostname: os.hostname(),
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        cores: os.availableParallelism(),
        memoryBytes: os.totalmem(),
        os: /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? os.type(),
        kernel: os.release(),
        versions: {
            node: process.version,
            nginx: firstLine(nginxBinary(), ["-v"]).replace(/^nginx version: /, ""),
            python: firstLine(venvPython, ["--version"]),
            gunicorn: firstLine(backendGunicorn(), ["--version"]),
            wrk: firstLine(wrk, ["-v"]),
        },
        note: "wrk, NGINX and gunicorn share these cores: compare runs from the same machine only.",
    };
}

interface ScenarioResult {
    readonly id: ScenarioId;
    readonly name: string;
    readonly method: string;
    readonly url: string;
    /** Medians over the rounds; `rounds` has each round's own figures. */
    readonly requestsPerSecond: number;
    readonly latencyMs: { readonly p50: number; readonly p99: number };
    readonly requests: number;
    readonly errors: number;
    /** Medians over the rounds of CPU time (user + system) per request, in microseconds. */
    readonly cpuMicrosecondsPerRequest: CpuPerRequest;
    readonly rounds: readonly RoundResult[];
}

interface CpuPerRequest {
    readonly nginx: number;
    readonly backend: number;
}

type RoundResult = WrkResult & { readonly cpuMicrosecondsPerRequest: CpuPerRequest };

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);

export function formatTable(results: readonly ScenarioResult[], ratio: Ratio | undefined): string {
    const lines = [
        "| scenario | requests/s | min–max over rounds | p50 ms | p99 ms | NGINX CPU µs/request | backend CPU µs/request | requests (all rounds) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...results.map((r) => {
            const perRound = r.rounds.map((round) => round.requestsPerSecond);
            const range =
                perRound.length === 0 ? "" : `${fixed(Math.min(...perRound), 0)}–${fixed(Math.max(...perRound), 0)}`;
            return (
                `| ${r.name}: ${r.method} ${new URL(r.url).pathname} | ${fixed(r.requestsPerSecond, 0)} | ${range} | ` +
                `${fixed(r.latencyMs.p50)} | ${fixed(r.latencyMs.p99)} | ` +
                `${fixed(r.cpuMicrosecondsPerRequest.nginx, 0)} | ${fixed(r.cpuMicrosecondsPerRequest.backend, 0)} | ` +
                `${r.requests} | ${r.errors} |`
            );
        }),
    ];
    if (ratio !== undefined) {
        const spread = `${fixed(Math.min(...ratio.perRound))}–${fixed(Math.max(...ratio.perRound))}`;
        lines.push(
            `| (3)/(2) | ${fixed(ratio.requestsPerSecond)} | ${spread} | ${fixed(ratio.p50)} | ${fixed(ratio.p99)} | | | | |`,
        );
    }
    return lines.join("\n");
}

export interface Ratio {
    /** Median proxied requests/s over median direct requests/s. */
    readonly requestsPerSecond: number;
    readonly p50: number;
    readonly p99: number;
    /** Round by round: (3) of round i over (2) of round i, which ran just before it. */
    readonly perRound: readonly number[];
}

export function proxiedToDirect(direct: ScenarioResult, proxied: ScenarioResult): Ratio {
    return {
        requestsPerSecond: proxied.requestsPerSecond / direct.requestsPerSecond,
        p50: proxied.latencyMs.p50 / direct.latencyMs.p50,
        p99: proxied.latencyMs.p99 / direct.latencyMs.p99,
        perRound: proxied.rounds.map((round, i) => round.requestsPerSecond / direct.rounds[i].requestsPerSecond),
    };
}

async function checkAnswers(nginx: RunningNginx, backendUrl: string): Promise<void> {
    for (const base of [backendUrl, nginx.baseUrl]) {
        const response = await fetch(`${base}/api/messages`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: '{"text":"benchmark message"}',
        });
        const body = (await response.json()) as { text?: string };
        if (response.status !== 201 || body.text !== "benchmark message") {
            throw new Error(`POST ${base}/api/messages answered ${response.status} ${JSON.stringify(body)}`);
        }
    }
}

async function main(argv: readonly string[]): Promise<number> {
    const settings = parseSettings(argv);
    if (settings === "help") {
        console.log(HELP);
        return 0;
    }
    const wrk = wrkBinary();
    const machine = machineInfo(wrk);
    const logDir = makeTempDir("bench");
    let backend: ManagedProcess | undefined;
    let nginx: RunningNginx | undefined;
    const log = (message: string) => console.error(`bench: ${message}`);
    try {
        const backendPort = await freePort();
        backend = await startBackend(backendPort, logDir, {
            podName: "bench-pod",
            nodeName: "bench-node",
            env: {
                WEB_CONCURRENCY: String(settings.workers),
                GUNICORN_THREADS: String(settings.threads),
                // gunicorn reads these after its config file, so they override gunicorn.conf.py.
                GUNICORN_CMD_ARGS: settings.workerClass === undefined ? "" : `--worker-class ${settings.workerClass}`,
            },
        });
        const backendUrl = `http://${LOOPBACK}:${backendPort}`;
        const site = prepareNginxSite({
            backendServers: [`${LOOPBACK}:${backendPort}`],
            listenPort: await freePort(),
            workerProcesses: settings.nginxWorkers,
            upstreamKeepalive: typeof settings.keepalive === "number" ? settings.keepalive : undefined,
            upstreamKeepaliveRequests: settings.keepaliveRequests,
        });
        fs.writeFileSync(site.confFile, applyNginxVariants(fs.readFileSync(site.confFile, "utf8"), settings));
        nginx = await startNginx(site);
        await checkAnswers(nginx, backendUrl);
        const backendGroup = backend.child.pid as number;
        const nginxGroup = nginx.process.child.pid as number;
        const split: CpuSplit | undefined = settings.cpuSplit === "on" ? cpuSplit() : undefined;
        if (split !== undefined) {
            pinProcessGroup(backendGroup, split.backend);
            pinProcessGroup(nginxGroup, split.frontAndLoad);
            log(`CPUs: backend ${split.backend}; NGINX and wrk ${split.frontAndLoad}`);
        }

        const targets: Record<ScenarioId, string> = {
            static: `${nginx.baseUrl}/`,
            direct: `${backendUrl}/api/messages`,
            proxied: `${nginx.baseUrl}/api/messages`,
        };
        const rounds: Record<ScenarioId, RoundResult[]> = { static: [], direct: [], proxied: [] };
        const wrkOptions = (id: ScenarioId) => ({
            url: targets[id],
            connections: settings.connections,
            threads: settings.wrkThreads,
            script: SCENARIOS[id].method === "POST" ? POST_SCRIPT : undefined,
            cpuList: split?.frontAndLoad,
        });
        const cpuSeconds = () => ({
            nginx: processGroupCpuSeconds(nginxGroup),
            backend: processGroupCpuSeconds(backendGroup),
        });
        for (let round = 1; round <= settings.rounds; round++) {
            for (const id of settings.scenarios) {
                const scenario = SCENARIOS[id];
                if (round === 1 && settings.warmupSeconds > 0) {
                    log(`${scenario.name}: ${settings.warmupSeconds} s warm-up`);
                    await runWrk({ ...wrkOptions(id), durationSeconds: settings.warmupSeconds });
                }
                log(`round ${round}/${settings.rounds}, ${scenario.name}: ${settings.durationSeconds} s`);
                const before = cpuSeconds();
                const { result } = await runWrk({ ...wrkOptions(id), durationSeconds: settings.durationSeconds });
                const after = cpuSeconds();
                const perRequest = (seconds: number) => (seconds * 1e6) / result.requests;
                rounds[id].push({
                    ...result,
                    cpuMicrosecondsPerRequest: {
                        nginx: perRequest(after.nginx - before.nginx),
                        backend: perRequest(after.backend - before.backend),
                    },
                });
            }
        }
        const results: ScenarioResult[] = settings.scenarios.map((id) => ({
            id,
            ...SCENARIOS[id],
            url: targets[id],
            requestsPerSecond: median(rounds[id].map((r) => r.requestsPerSecond)),
            latencyMs: {
                p50: median(rounds[id].map((r) => r.latencyMs.p50)),
                p99: median(rounds[id].map((r) => r.latencyMs.p99)),
            },
            requests: rounds[id].reduce((sum, r) => sum + r.requests, 0),
            errors: rounds[id].reduce((sum, r) => sum + errorCount(r), 0),
            cpuMicrosecondsPerRequest: {
                nginx: median(rounds[id].map((r) => r.cpuMicrosecondsPerRequest.nginx)),
                backend: median(rounds[id].map((r) => r.cpuMicrosecondsPerRequest.backend)),
            },
            rounds: rounds[id],
        }));

        const direct = results.find((r) => r.id === "direct");
        const proxied = results.find((r) => r.id === "proxied");
        const ratio = direct && proxied ? proxiedToDirect(direct, proxied) : undefined;
        const finishedAt = new Date();
        const report = {
            schema: 2,
            label: settings.label,
            mode: settings.smoke ? "smoke" : "full",
            finishedAt: finishedAt.toISOString(),
            machine,
            settings: {
                durationSeconds: settings.durationSeconds,
                rounds: settings.rounds,
                warmupSeconds: settings.warmupSeconds,
                connections: settings.connections,
                wrkThreads: settings.wrkThreads,
                backend: {
                    WEB_CONCURRENCY: settings.workers,
                    GUNICORN_THREADS: settings.threads,
                    workerClass: settings.workerClass ?? "gunicorn.conf.py",
                },
                nginx: {
                    workerProcesses: settings.nginxWorkers ?? "renderer default",
                    upstreamKeepalive: settings.keepalive ?? "renderer default",
                    upstreamKeepaliveRequests: settings.keepaliveRequests ?? "renderer default",
                    accessLogBuffer: settings.accessLogBuffer ?? "renderer default",
                    proxyBuffering: settings.buffering,
                },
                cpus: split ?? "shared: every process on every core",
            },
            scenarios: results,
            // (3)/(2) requests/s, medians of the rounds: the figure the NGINX hop is judged by.
            ratio: ratio?.requestsPerSecond ?? null,
            ratioProxiedToDirect: ratio ?? null,
        };
        fs.mkdirSync(RESULTS_DIR, { recursive: true });
        const stamp = finishedAt.toISOString().replace(/[:.]/g, "-");
        const file = path.join(RESULTS_DIR, `${stamp}-${settings.label}${settings.smoke ? ".smoke" : ""}.json`);
        fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

        console.log(
            `\n${settings.smoke ? "Smoke run" : "Benchmark"} "${settings.label}" on ${machine.cpuModel}, ${machine.cores} cores, ` +
                `${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${machine.os}: ` +
                `${settings.rounds} round(s) of ${settings.durationSeconds} s per scenario, ${settings.connections} connections` +
                `${settings.rounds > 1 ? "; medians of the rounds" : ""}\n`,
        );
        console.log(formatTable(results, ratio));
        console.log(`\nWritten to ${path.relative(REPO_ROOT, file)}`);

        const failed = results.filter((r) => r.errors > 0);
        if (failed.length > 0) {
            console.error(
                `bench: requests failed in: ${failed.map((r) => r.name).join(", ")}; the figures are not valid`,
            );
            return 1;
        }
        return 0;
    } finally {
        await nginx?.process.stop();
        await backend?.stop(15000);
        removeDir(nginx?.site.dir);
        removeDir(logDir);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
        },
    );
}
