/**
 * Peers that are slow or stuck, against the real NGINX config and real gunicorn on loopback: a backend that
 * hangs (SIGSTOP: it accepts connections but never answers), clients that trickle their requests, and a client
 * that sends too much. Every wait is bounded by the config's own timeouts, which the tests read from
 * NGINX_DEFAULTS, so the bounds below are the ones the cluster's config gives.
 */
import assert from "node:assert/strict";
import { NGINX_DEFAULTS } from "../../components/nginx/nginxConf";
import { signal } from "../../tools/engine/signals";
import { nginxError } from "../support/http";
import { accessLogEntry, stackForSuite } from "../support/processes";
import { getRequest as get, RawAnswer, rawExchange, rawRequest } from "../support/rawHttp";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Slack on top of a timeout for the event loops and the processes on a busy two-core machine. */
const SLACK_MS = 1500;

interface Outcome {
    readonly method: "GET" | "POST";
    readonly startedAt: number;
    readonly ms: number;
    readonly status: number;
    readonly requestId: string;
}

async function timed(url: string, method: "GET" | "POST"): Promise<Outcome> {
    const startedAt = Date.now();
    const init: RequestInit =
        method === "GET"
            ? {}
            : { method, headers: { "Content-Type": "application/json" }, body: '{"text":"while one hangs"}' };
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return {
        method,
        startedAt,
        ms: Date.now() - startedAt,
        status: response.status,
        requestId: response.headers.get("x-request-id") ?? "",
    };
}

describe("NGINX with peers that are slow or stuck", function () {
    describe("one of two backends hangs (SIGSTOP)", function () {
        const stack = stackForSuite([{ podName: "pod-a" }, { podName: "pod-b" }]);
        const readTimeoutMs = NGINX_DEFAULTS.proxyReadTimeoutSeconds * 1000;

        afterEach(() => {
            const pid = stack().backends[0].child.pid;
            if (pid !== undefined) {
                signal(-pid, "SIGCONT");
            }
        });

        it(`retries GETs on the healthy one, sends it nothing new once ${NGINX_DEFAULTS.proxyReadTimeoutSeconds} s have passed, and never repeats a POST`, async function () {
            this.timeout(60000);
            const running = stack();
            const [hung, healthy] = running.backendAddresses;
            for (let i = 0; i < 4; i++) {
                assert.equal((await timed(`${running.baseUrl}/api/info`, "GET")).status, 200);
            }

            // The whole process group: gunicorn's arbiter must not notice the silent worker and replace it.
            signal(-(running.backends[0].child.pid as number), "SIGSTOP");
            const hungAt = Date.now();
            const posts = Array.from({ length: 4 }, () => timed(`${running.baseUrl}/api/messages`, "POST"));
            const gets: Promise<Outcome>[] = [];
            while (Date.now() - hungAt < readTimeoutMs + 6000) {
                gets.push(timed(`${running.baseUrl}/api/info`, "GET"));
                await sleep(200);
            }
            const outcomes = [...(await Promise.all(posts)), ...(await Promise.all(gets))];
            const logged = await Promise.all(
                outcomes.map(async (o) => ({ ...o, log: await accessLogEntry(running.nginx, o.requestId) })),
            );

            // Every GET succeeded, none waited longer than one read timeout plus the healthy backend's answer.
            const getOutcomes = logged.filter((o) => o.method === "GET");
            assert.deepEqual(new Set(getOutcomes.map((o) => o.status)), new Set([200]));
            const slowest = Math.max(...getOutcomes.map((o) => o.ms));
            assert.ok(slowest < readTimeoutMs + SLACK_MS, `a GET took ${slowest} ms`);
            // Those that met the hung backend first were retried: "hung, healthy" with a 504 then a 200.
            const retried = getOutcomes.filter((o) => o.log.upstream_addr === `${hung}, ${healthy}`);
            assert.ok(retried.length > 0, "no GET was sent to the hung backend at all");
            for (const o of retried) {
                assert.equal(o.log.upstream_status, "504, 200");
                assert.ok(o.ms >= readTimeoutMs - 100, `a retried GET took only ${o.ms} ms`);
            }

            // Once the first attempt has timed out, the shared upstream zone marks the backend failed for
            // every worker: a request that starts later goes straight to the healthy one.
            const afterFirstTimeout = logged.filter((o) => o.startedAt > hungAt + readTimeoutMs + 500);
            assert.ok(afterFirstTimeout.length >= 20, `only ${afterFirstTimeout.length} requests after the timeout`);
            assert.deepEqual(new Set(afterFirstTimeout.map((o) => o.log.upstream_addr)), new Set([healthy]));

            // A POST that reached the hung backend is not repeated (it may have been stored): a JSON 504 after
            // one read timeout, and the hung backend is the only upstream it went to.
            const postOutcomes = logged.filter((o) => o.method === "POST");
            const timedOut = postOutcomes.filter((o) => o.status === 504);
            assert.ok(timedOut.length > 0, "round robin sent no POST to the hung backend");
            for (const o of timedOut) {
                assert.equal(o.log.upstream_addr, hung);
                assert.ok(o.ms < readTimeoutMs + SLACK_MS, `a POST waited ${o.ms} ms`);
            }
            for (const o of postOutcomes.filter((p) => p.status !== 504)) {
                assert.equal(o.status, 201);
                assert.equal(o.log.upstream_addr, healthy);
            }
        });
    });

    describe("slow clients and greedy ones", function () {
        const stack = stackForSuite([{}]);
        const port = () => Number(new URL(stack().baseUrl).port);
        const headerTimeoutMs = NGINX_DEFAULTS.clientHeaderTimeoutSeconds * 1000;
        const bodyTimeoutMs = NGINX_DEFAULTS.clientBodyTimeoutSeconds * 1000;

        it(`closes 10 connections that trickle their headers within ${NGINX_DEFAULTS.clientHeaderTimeoutSeconds} s, however often they send a byte, and keeps serving others`, async function () {
            this.timeout(30000);
            // One header byte every 500 ms: each byte would reset a per-read timer, but the header timer is one.
            const trickle = [
                { data: "GET /api/info HTTP/1.1\r\nHost: app.test\r\n" },
                ...Array.from({ length: 40 }, () => ({ data: "X", afterMs: 500 })),
            ];
            const slow = Array.from({ length: 10 }, () => rawExchange(port(), trickle, { timeoutMs: 25000 }));
            await sleep(1000);
            const normal = await timed(`${stack().baseUrl}/api/info`, "GET");
            assert.equal(normal.status, 200);
            assert.ok(normal.ms < 1000, `a normal request waited ${normal.ms} ms beside the slow ones`);
            for (const answer of await Promise.all(slow)) {
                assert.equal(answer.status, undefined, "NGINX closes without an answer");
                assertClosedAfter(answer, headerTimeoutMs);
            }
        });

        it(`closes 10 connections whose body stalls for ${NGINX_DEFAULTS.clientBodyTimeoutSeconds} s, before the backend sees them`, async function () {
            this.timeout(30000);
            const stalled = [
                {
                    data:
                        "POST /api/messages HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/json\r\n" +
                        'Content-Length: 100\r\n\r\n{"text":',
                },
            ];
            const answers = await Promise.all(
                Array.from({ length: 10 }, () => rawExchange(port(), stalled, { timeoutMs: 25000 })),
            );
            for (const answer of answers) {
                assert.equal(answer.status, undefined, "NGINX closes without an answer");
                assertClosedAfter(answer, bodyTimeoutMs);
            }
            const backendLog = stack().backends[0].logs();
            assert.doesNotMatch(backendLog, /POST \/api\/messages/, "a stalled body reached the backend");
        });

        it(`gives one address at most ${NGINX_DEFAULTS.connectionsPerClient} busy connections, then a JSON 429, while other addresses are served`, async function () {
            this.timeout(30000);
            // A body trickled a byte a second never hits the body timeout: what bounds how many one client
            // holds is limit_conn. (These stop after two bytes so that the test ends.)
            const trickled = [
                {
                    data:
                        "POST /api/messages HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/json\r\n" +
                        "Content-Length: 100\r\nConnection: close\r\n\r\n",
                },
                ...Array.from({ length: 2 }, () => ({ data: " ", afterMs: 1000 })),
            ];
            const holders = Array.from({ length: NGINX_DEFAULTS.connectionsPerClient }, () =>
                rawExchange(port(), trickled, { localAddress: "127.0.0.2", timeoutMs: 25000 }),
            );
            await sleep(1500);
            const refused = await rawRequest(port(), get("/api/info"), { localAddress: "127.0.0.2" });
            assert.equal(refused.status, 429);
            assert.equal(refused.headers.get("content-type"), "application/json");
            assert.deepEqual(JSON.parse(refused.body), nginxError(429));
            const other = await rawRequest(port(), get("/api/info"), { localAddress: "127.0.0.3" });
            assert.equal(other.status, 200);
            await Promise.all(holders);
        });

        it(`answers an address that sends more than ${NGINX_DEFAULTS.apiBurstPerClient} API requests in a row with JSON 429s; the pod's own loopback is not limited`, async function () {
            this.timeout(30000);
            const count = NGINX_DEFAULTS.apiBurstPerClient * 2;
            const started = Date.now();
            // One after another: at once, they would meet the connection limit first.
            const answers: RawAnswer[] = [];
            for (let i = 0; i < count; i++) {
                answers.push(await rawRequest(port(), get("/api/info"), { localAddress: "127.0.0.4" }));
            }
            const elapsedSeconds = (Date.now() - started) / 1000;
            const ok = answers.filter((a) => a.status === 200).length;
            const limited = answers.filter((a) => a.status === 429);
            assert.equal(ok + limited.length, count, `other statuses: ${answers.map((a) => a.status).join(",")}`);
            // The burst plus the first request, plus what the rate refilled while they arrived.
            const allowed = NGINX_DEFAULTS.apiBurstPerClient + 1;
            const refilled = Math.ceil(elapsedSeconds * NGINX_DEFAULTS.apiRequestsPerSecondPerClient);
            assert.ok(ok >= allowed && ok <= allowed + refilled, `${ok} of ${count} passed in ${elapsedSeconds} s`);
            assert.deepEqual(JSON.parse(limited[0].body), nginxError(429));

            const loopback = await Promise.all(
                Array.from({ length: count }, () => rawRequest(port(), get("/api/info"))),
            );
            assert.deepEqual(new Set(loopback.map((a) => a.status)), new Set([200]));
        });
    });
});

function assertClosedAfter(answer: RawAnswer, timeoutMs: number): void {
    assert.ok(
        answer.closedAfterMs >= timeoutMs - 100 && answer.closedAfterMs < timeoutMs + SLACK_MS,
        `closed after ${answer.closedAfterMs} ms, expected about ${timeoutMs}`,
    );
}
