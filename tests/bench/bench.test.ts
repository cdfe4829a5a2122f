/**
 * The benchmark's own logic, without running it: reading wrk's report, the options, and the NGINX variants
 * it applies to the rendered config. (`npm run bench -- --smoke`, a stage of scripts/test.sh, runs it for real.)
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { renderNginxConf } from "../../components/nginx/nginxConf";
import { cpuSplit, parseProcStat } from "../../bench/cpu";
import { applyNginxVariants, formatTable, median, parseSettings, proxiedToDirect } from "../../bench/run";
import { errorCount, parseDurationMs, parseWrkOutput, wrkArgs } from "../../bench/wrk";

/** A report of wrk 4.1.0 (Debian bookworm) with --latency, as printed. */
const CLEAN_REPORT = `Running 2s test @ http://127.0.0.1:41235/api/messages
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.01ms    4.02ms  31.55ms   77.19%
    Req/Sec     4.83k   312.20     5.21k    75.00%
  Latency Distribution
     50%    6.57ms
     75%    8.90ms
     90%   12.02ms
     99%   26.43ms
  9625 requests in 2.00s, 2.35MB read
Requests/sec:   4808.44
Transfer/sec:      1.17MB
`;

const FAILING_REPORT = `Running 1s test @ http://127.0.0.1:8080/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   870.00us  120.00us   1.02s    99.00%
    Req/Sec     1.00k   100.00     1.10k    70.00%
  Latency Distribution
     50%  810.00us
     75%  900.00us
     90%    1.10ms
     99%    1.02s
  1000 requests in 1.00s, 200.00KB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 5
Requests/sec:   1000.00
Transfer/sec:    200.00KB
`;

describe("the benchmark", () => {
    describe("reading wrk's report", () => {
        it("takes requests/s, the request count and the percentiles, in milliseconds", () => {
            const result = parseWrkOutput(CLEAN_REPORT);
            assert.deepEqual(result, {
                requestsPerSecond: 4808.44,
                requests: 9625,
                durationSeconds: 2,
                latencyMs: { p50: 6.57, p75: 8.9, p90: 12.02, p99: 26.43 },
                non2xx3xx: 0,
                socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
            });
            assert.equal(errorCount(result), 0);
        });

        it("counts failed responses and socket errors, and converts us and s", () => {
            const result = parseWrkOutput(FAILING_REPORT);
            assert.equal(result.latencyMs.p50, 0.81);
            assert.equal(result.latencyMs.p99, 1020);
            assert.equal(result.non2xx3xx, 5);
            assert.deepEqual(result.socketErrors, { connect: 1, read: 2, write: 3, timeout: 4 });
            assert.equal(errorCount(result), 15);
        });

        it("refuses a report without the latency distribution, quoting it", () => {
            const withoutLatency = CLEAN_REPORT.replace(/ {5}99%.*\n/, "");
            assert.throws(() => parseWrkOutput(withoutLatency), {
                message: `wrk's report has no 99% latency:\n${withoutLatency}`,
            });
        });

        it("refuses a duration in a unit it does not know", () => {
            assert.equal(parseDurationMs("2.50m"), 150000);
            assert.throws(() => parseDurationMs("3h"), { message: 'Unexpected wrk duration "3h"' });
        });

        it("asks wrk for the latency distribution and a request timeout", () => {
            assert.deepEqual(
                wrkArgs({
                    url: "http://127.0.0.1:1/x",
                    durationSeconds: 2,
                    connections: 8,
                    threads: 1,
                    script: "/p.lua",
                }),
                [
                    "--threads=1",
                    "--connections=8",
                    "--duration=2s",
                    "--timeout=5s",
                    "--latency",
                    "--script=/p.lua",
                    "http://127.0.0.1:1/x",
                ],
            );
        });
    });

    describe("options", () => {
        it("measures the deployed config by default: 3 rounds of 10 s, or 1 round of 2 s for --smoke", () => {
            assert.deepEqual(parseSettings([]), {
                smoke: false,
                durationSeconds: 10,
                rounds: 3,
                warmupSeconds: 2,
                connections: 32,
                wrkThreads: 1,
                scenarios: ["static", "direct", "proxied"],
                workers: 2,
                threads: 4,
                workerClass: undefined,
                nginxWorkers: undefined,
                keepalive: undefined,
                buffering: "on",
                keepaliveRequests: undefined,
                accessLogBuffer: undefined,
                cpuSplit: "on",
                label: "w2-t4",
            });
            const smoke = parseSettings(["--smoke"]);
            assert.ok(smoke !== "help");
            assert.deepEqual([smoke.durationSeconds, smoke.rounds, smoke.warmupSeconds], [2, 1, 0]);
        });

        it("names the result after the experiment", () => {
            const settings = parseSettings(["--threads", "8", "--keepalive", "off", "--buffering", "off"]);
            assert.ok(settings !== "help");
            assert.equal(settings.label, "w2-t8-ka-off-buffering-off");
            const more = parseSettings([
                "--keepalive-requests",
                "1000",
                "--access-log-buffer",
                "32k",
                "--cpu-split",
                "off",
            ]);
            assert.ok(more !== "help");
            assert.equal(more.label, "w2-t4-kar-1000-alb-32k-shared-cpus");
        });

        for (const [args, message] of [
            [["--threads", "0"], '--threads is "0": expected an integer >= 1'],
            [["--keepalive", "lots"], '--keepalive is "lots": expected an integer >= 1'],
            [["--buffering", "maybe"], '--buffering is "maybe": expected on or off'],
            [["--cpu-split", "yes"], '--cpu-split is "yes": expected on or off'],
            [["--keepalive-requests", "0"], '--keepalive-requests is "0": expected an integer >= 1'],
            [
                ["--access-log-buffer", "32MB"],
                '--access-log-buffer is "32MB": expected a size in KiB such as 32k, or off',
            ],
            [
                ["--worker-class", "gthread --reload"],
                '--worker-class is "gthread --reload": expected a gunicorn worker name or a dotted class path',
            ],
            [["--scenarios", "static,cdn"], '--scenarios has "cdn": expected some of static,direct,proxied'],
            [["--label", "a b"], '--label is "a b": expected letters, digits, ".", "_" or "-"'],
        ] as const) {
            it(`refuses ${args.join(" ")}`, () => {
                assert.throws(() => parseSettings(args), { message });
            });
        }
    });

    describe("NGINX variants", () => {
        const conf = renderNginxConf({ backendServers: ["127.0.0.1:8000"] });

        it("changes nothing for the deployed config", () => {
            assert.equal(
                applyNginxVariants(conf, { keepalive: undefined, buffering: "on", accessLogBuffer: undefined }),
                conf,
            );
        });

        it("turns upstream keepalive off without touching the clients' keepalive_timeout", () => {
            const variant = applyNginxVariants(conf, { keepalive: "off", buffering: "on", accessLogBuffer: undefined });
            const upstream = /upstream backend \{[^}]*\}/.exec(variant)?.[0] ?? "";
            assert.doesNotMatch(upstream, /^\s*keepalive/m);
            assert.match(upstream, /^\s*server 127\.0\.0\.1:8000 max_fails=1 fail_timeout=10s;$/m);
            assert.match(variant, /^ {4}keepalive_timeout 75s;$/m);
        });

        it("turns proxy_buffering off in the /api/ location only", () => {
            const variant = applyNginxVariants(conf, {
                keepalive: undefined,
                buffering: "off",
                accessLogBuffer: undefined,
            });
            assert.equal(variant.match(/proxy_buffering off;/g)?.length, 1);
            assert.match(variant, /proxy_pass http:\/\/backend;\n {12}proxy_buffering off;\n/);
        });

        it("buffers the access log, flushed every second, or takes the buffer away", () => {
            const buffered = applyNginxVariants(conf, {
                keepalive: undefined,
                buffering: "on",
                accessLogBuffer: "64k",
            });
            assert.match(buffered, /^ {4}access_log \/dev\/stdout json buffer=64k flush=1s;$/m);
            const unbuffered = applyNginxVariants(buffered, {
                keepalive: undefined,
                buffering: "on",
                accessLogBuffer: "off",
            });
            assert.match(unbuffered, /^ {4}access_log \/dev\/stdout json;$/m);
        });

        it("fails loudly when the rendered config no longer has what a variant changes", () => {
            assert.throws(
                () =>
                    applyNginxVariants("events {}", {
                        keepalive: undefined,
                        buffering: "off",
                        accessLogBuffer: undefined,
                    }),
                {
                    message:
                        'Could not apply "proxy_buffering off" to the rendered nginx.conf: /^(\\s*)proxy_pass http:\\/\\/backend;$/m matched nothing',
                },
            );
        });
    });

    describe("CPU time and placement", () => {
        it("reads the process group and user + system ticks from /proc/<pid>/stat, whatever the command's name", () => {
            const stat =
                "4242 (gunicorn: (worker) x) S 4200 4200 4200 0 -1 4194560 2803 0 0 0 1234 567 0 0 20 0 5 0 900 1 2 3";
            assert.deepEqual(parseProcStat(stat), { processGroup: 4200, cpuTicks: 1801 });
            const own = parseProcStat(fs.readFileSync(`/proc/${process.pid}/stat`, "utf8"));
            const psGroup = execFileSync("ps", ["-o", "pgid=", "-p", String(process.pid)], { encoding: "utf8" });
            assert.equal(own.processGroup, Number(psGroup.trim()));
        });

        it("gives the backend the last core and NGINX with wrk the others, and splits nothing on one core", () => {
            assert.deepEqual(cpuSplit(2), { backend: "1", frontAndLoad: "0" });
            assert.deepEqual(cpuSplit(8), { backend: "7", frontAndLoad: "0-6" });
            assert.equal(cpuSplit(1), undefined);
        });
    });

    describe("the table", () => {
        it("shows the medians, the spread of the rounds and (3)/(2)", () => {
            assert.equal(median([3, 1, 2]), 2);
            assert.equal(median([4, 1, 2, 3]), 2.5);
            const row = (id: "direct" | "proxied", name: string, rps: number, p50: number, p99: number) => ({
                id,
                name,
                method: "POST",
                url: "http://127.0.0.1:1/api/messages",
                requestsPerSecond: rps,
                latencyMs: { p50, p99 },
                requests: 10,
                errors: 0,
                cpuMicrosecondsPerRequest: { nginx: id === "direct" ? 0 : 41.4, backend: 250.6 },
                rounds: [rps - 100, rps, rps + 300].map((requestsPerSecond) => ({
                    ...parseWrkOutput(CLEAN_REPORT),
                    requestsPerSecond,
                    cpuMicrosecondsPerRequest: { nginx: 0, backend: 0 },
                })),
            });
            const direct = row("direct", "(2) backend directly", 5000, 6, 20);
            const proxied = row("proxied", "(3) backend through NGINX", 4000, 7.5, 25);
            const ratio = proxiedToDirect(direct, proxied);
            assert.deepEqual(ratio, {
                requestsPerSecond: 0.8,
                p50: 1.25,
                p99: 1.25,
                perRound: [3900 / 4900, 4000 / 5000, 4300 / 5300],
            });
            assert.equal(
                formatTable([direct, proxied], ratio),
                [
                    "| scenario | requests/s | min–max over rounds | p50 ms | p99 ms | NGINX CPU µs/request | backend CPU µs/request | requests (all rounds) | errors |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
                    "| (2) backend directly: POST /api/messages | 5000 | 4900–5300 | 6.00 | 20.00 | 0 | 251 | 10 | 0 |",
                    "| (3) backend through NGINX: POST /api/messages | 4000 | 3900–4300 | 7.50 | 25.00 | 41 | 251 | 10 | 0 |",
                    "| (3)/(2) | 0.80 | 0.80–0.81 | 1.25 | 1.25 | | | | |",
                ].join("\n"),
            );
        });
    });
});
