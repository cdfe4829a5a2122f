/**
 * Faults and bad input through the real NGINX config in front of the REAL backend (gunicorn with its own
 * gunicorn.conf.py), on loopback: bad requests, a backend that is down and comes back, a graceful shutdown
 * under load, and a backend slower than NGINX's read timeout. nginx.proxy.test.ts checks the same NGINX
 * behaviours against Node stand-ins whose misbehaviour a test can pick; this file checks that the real
 * backend and the real config, as the cluster runs them, fit together.
 */
import assert from "node:assert/strict";
import { MAX_BODY_BYTES, NGINX_DEFAULTS, NGINX_JSON_ERRORS } from "../../components/nginx/nginxConf";
import { assertSecurityHeaders, getJson, nginxError } from "../support/http";
import { accessLogEntry, BACKEND_STOP_GRACE_MS, LOOPBACK, stackForSuite } from "../support/processes";

const json = (body: string): RequestInit => ({
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
});

/** The backend's error body for a bad request, as app/backend/backend/errors.py shapes it. */
const apiError = (status: number, code: string, message: string) => ({ error: { status, code, message } });

describe("faults through NGINX with the real backend", function () {
    describe("bad input", function () {
        const stack = stackForSuite([{}]);

        const cases: readonly {
            readonly name: string;
            readonly path: string;
            readonly init: RequestInit;
            readonly status: number;
            readonly body: unknown;
            /** Who answered: NGINX itself (the request never reached the backend) or the backend. */
            readonly answeredBy: "nginx" | "backend";
        }[] = [
            {
                name: `a body of ${MAX_BODY_BYTES + 1} bytes (one over the limit)`,
                path: "/api/messages",
                init: json(JSON.stringify({ text: "x".repeat(MAX_BODY_BYTES + 1 - '{"text":""}'.length) })),
                status: 413,
                body: nginxError(413),
                answeredBy: "nginx",
            },
            {
                name: "a body sent as text/plain",
                path: "/api/messages",
                init: { method: "POST", headers: { "Content-Type": "text/plain" }, body: '{"text":"hi"}' },
                status: 415,
                body: apiError(
                    415,
                    "unsupported_media_type",
                    "The request body must be JSON, sent as application/json.",
                ),
                answeredBy: "backend",
            },
            {
                name: "malformed JSON (a trailing comma)",
                path: "/api/messages",
                init: json('{"text": "hi",}'),
                status: 400,
                body: apiError(
                    400,
                    "malformed_json",
                    "Request body is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 15.",
                ),
                answeredBy: "backend",
            },
            {
                name: "an unknown API path",
                path: "/api/no-such-endpoint",
                init: {},
                status: 404,
                body: apiError(404, "not_found", "There is no API endpoint at this path."),
                answeredBy: "backend",
            },
        ];

        for (const c of cases) {
            it(`answers ${c.name} with a JSON ${c.status} and the security headers`, async () => {
                const { response, body } = await getJson(`${stack().baseUrl}${c.path}`, c.init);
                assert.equal(response.status, c.status);
                assert.equal(response.headers.get("content-type"), "application/json");
                assert.deepEqual(body, c.body);
                assertSecurityHeaders(response);

                const requestId = response.headers.get("x-request-id") ?? "";
                assert.match(requestId, /^[0-9a-f]{32}$/);
                const logged = await accessLogEntry(stack().nginx, requestId);
                assert.equal(logged.status, c.status);
                if (c.answeredBy === "nginx") {
                    assert.equal(logged.upstream_addr, "", "the request must never reach the backend");
                } else {
                    assert.equal(logged.upstream_addr, stack().backendAddresses[0]);
                    assert.equal(logged.upstream_status, String(c.status));
                }
            });
        }
    });

    describe("a backend that goes down and comes back", function () {
        const stack = stackForSuite([{}]);

        it("answers a JSON 502 at once while it is down, and the next request after its restart succeeds", async function () {
            this.timeout(60000);
            const base = stack().baseUrl ?? "";
            assert.equal((await fetch(`${base}/api/info`)).status, 200);

            await stack().backends[0].stop(BACKEND_STOP_GRACE_MS);
            assert.equal(stack().backends[0].running, false);

            for (const [path, init] of [
                ["/api/info", {}],
                ["/api/messages", json('{"text":"anyone there?"}')],
            ] as const) {
                const started = Date.now();
                const { response, body } = await getJson(`${base}${path}`, init);
                const elapsed = Date.now() - started;
                assert.equal(response.status, 502, path);
                assert.equal(response.headers.get("content-type"), "application/json");
                assert.deepEqual(body, nginxError(502));
                assertSecurityHeaders(response);
                // A refused connection fails at once; no request may wait out proxy_connect_timeout (2 s).
                assert.ok(elapsed < 2000, `${path} answered after ${elapsed} ms`);
            }
            // NGINX's own probe stays green, so the frontend pods stay in the Service and the page can say why.
            const health = await fetch(`${base}/healthz`);
            assert.deepEqual([health.status, await health.text()], [200, "ok\n"]);

            await stack().restartBackend(0);
            // One server per upstream, as in the cluster (the Service's name): NGINX never marks it failed,
            // so the very first request after the restart reaches it.
            const { response, body } = await getJson(`${base}/api/messages`, json('{"text":"back again"}'));
            assert.equal(response.status, 201);
            assert.equal((body as { text: string }).text, "back again");
        });
    });

    describe("graceful shutdown of one of two backends under load", function () {
        // The backend that is stopped answers each POST after a test-only delay, so that a request sent to it
        // just before SIGTERM is surely still in flight when SIGTERM arrives.
        const SLOW_POST_SECONDS = 0.5;
        const stack = stackForSuite([
            {
                podName: "pod-a",
                nodeName: "node-a",
                env: { BACKEND_TEST_DELAY_SECONDS: String(SLOW_POST_SECONDS) },
            },
            { podName: "pod-b", nodeName: "node-b" },
        ]);

        it("turns not ready first, finishes what it accepted, exits 0, and no request fails", async function () {
            this.timeout(60000);
            const running = stack();
            const podA = running.backends[0];
            const readyzA = `http://${running.backendAddresses[0]}/api/readyz`;
            assert.deepEqual(await probe(readyzA), { status: 200, body: '{"status":"ready"}' });

            let sigtermAt = Infinity;
            let exitedAt = Infinity;
            const readiness: { at: number; status: number | "gone"; body: string }[] = [];
            const load = runLoad(running.baseUrl, {
                concurrency: 4,
                pauseMs: 20,
                maxRequests: 1500,
                // Until enough requests have run after pod-a is gone, so that the refused connections (which
                // NGINX must send to pod-b, POSTs included) are part of the run.
                done: (outcomes) => outcomes.filter((o) => o.startedAt > exitedAt).length >= 100,
            });
            await load.completed(60);

            // A request straight to pod-a, sleeping in one of its threads when SIGTERM arrives.
            const inFlight = getJson(
                `http://${running.backendAddresses[0]}/api/messages`,
                json('{"text":"in flight"}'),
            );
            await sleep((SLOW_POST_SECONDS * 1000) / 2);
            sigtermAt = Date.now();
            process.kill(podA.child.pid as number, "SIGTERM");
            // What the kubelet would see: pod-a's readiness, polled directly until the process is gone.
            const exited = podA.waitForExit(BACKEND_STOP_GRACE_MS).then((ok) => {
                exitedAt = Date.now();
                return ok;
            });
            while (podA.running) {
                readiness.push({ at: Date.now(), ...(await probe(readyzA)) });
                await sleep(50);
            }
            assert.equal(await exited, true, "pod-a did not exit in time");
            assert.equal(podA.exitCode, 0, podA.describeExit());
            const outcomes = await load.finished;

            const failures = outcomes.filter((o) => !(o.status >= 200 && o.status < 300));
            assert.deepEqual(failures, [], `${failures.length} of ${outcomes.length} requests failed`);

            // Readiness turned 503 within a moment (the arbiter passes SIGTERM on to its worker) and never
            // back, while pod-a still answered requests.
            const firstNotReady = readiness.findIndex((r) => r.status === 503);
            assert.ok(firstNotReady >= 0, `readiness never answered 503: ${JSON.stringify(readiness)}`);
            const notReadyAt = readiness[firstNotReady].at;
            assert.ok(
                notReadyAt - sigtermAt < 1000,
                `readiness turned 503 only ${notReadyAt - sigtermAt} ms after SIGTERM`,
            );
            assert.deepEqual(
                new Set(readiness.slice(0, firstNotReady).map((r) => `${r.status} ${r.body}`)),
                new Set(firstNotReady === 0 ? [] : ['200 {"status":"ready"}']),
            );
            const drain = readiness.slice(firstNotReady);
            const lastAnswer = drain.map((r) => r.status).lastIndexOf(503);
            assert.ok(lastAnswer >= 5, `only ${lastAnswer + 1} readiness answers during the drain`);
            assert.deepEqual(
                new Set(drain.slice(0, lastAnswer + 1).map((r) => `${r.status} ${r.body}`)),
                new Set(['503 {"status":"shutting-down"}']),
            );
            const servedAfterNotReady = outcomes.filter((o) => o.pod === "pod-a" && o.startedAt > notReadyAt);
            assert.ok(servedAfterNotReady.length > 0, "pod-a answered nothing after turning not ready");

            // What pod-a had accepted when SIGTERM arrived finished normally.
            const { response, body } = await inFlight;
            assert.equal(response.status, 201);
            assert.deepEqual((body as { served_by: unknown }).served_by, { pod: "pod-a", node: "node-a" });

            // After pod-a was gone, pod-b answered everything, POSTs included (NGINX retries a refused connect).
            const afterExit = outcomes.filter((o) => o.startedAt > exitedAt);
            assert.ok(afterExit.length >= 100, `only ${afterExit.length} requests after pod-a exited`);
            assert.deepEqual(new Set(afterExit.map((o) => o.pod)), new Set(["pod-b"]));
            assert.ok(afterExit.some((o) => o.method === "POST"));
            assert.equal(running.backends[1].running, true);
        });
    });

    describe("a backend slower than NGINX's proxy_read_timeout", function () {
        // The cluster's config as it is. The backend's POSTs sleep 2 s longer than proxy_read_timeout.
        const READ_TIMEOUT_SECONDS = NGINX_DEFAULTS.proxyReadTimeoutSeconds;
        const stack = stackForSuite([{ env: { BACKEND_TEST_DELAY_SECONDS: String(READ_TIMEOUT_SECONDS + 2) } }]);

        it(`answers a JSON 504 after ${READ_TIMEOUT_SECONDS} s instead of waiting for it`, async function () {
            this.timeout(30000);
            const started = Date.now();
            const { response, body } = await getJson(`${stack().baseUrl}/api/messages`, json('{"text":"slow"}'));
            const elapsed = Date.now() - started;
            assert.equal(response.status, 504);
            assert.equal(response.headers.get("content-type"), "application/json");
            assert.deepEqual(body, nginxError(504));
            assert.equal(NGINX_JSON_ERRORS.find((e) => e.status === 504)?.code, "backend_timeout");
            assertSecurityHeaders(response);
            assert.ok(
                elapsed >= READ_TIMEOUT_SECONDS * 1000 - 100 && elapsed < READ_TIMEOUT_SECONDS * 1000 + 1500,
                `answered after ${elapsed} ms, expected about ${READ_TIMEOUT_SECONDS * 1000}`,
            );
            // The POST was sent, so NGINX did not retry it (there is no second server anyway), and the backend
            // itself is fine: only its POSTs are slow.
            const logged = await accessLogEntry(stack().nginx, response.headers.get("x-request-id") ?? "");
            assert.equal(logged.upstream_status, "504");
            assert.equal(logged.upstream_addr, `${LOOPBACK}:${stack().backendPorts[0]}`);
            assert.equal((await fetch(`${stack().baseUrl}/api/info`)).status, 200);
        });
    });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One GET straight to a backend, or "gone" once it no longer answers: the connection is refused, or reset
 * because it was still in the listen backlog when the last worker closed the socket.
 */
async function probe(url: string): Promise<{ status: number | "gone"; body: string }> {
    try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        return { status: response.status, body: (await response.text()).trim() };
    } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        // UND_ERR_SOCKET: undici's "other side closed", the same reset seen before any response byte.
        if (["ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET"].includes(cause?.code ?? "")) {
            return { status: "gone", body: "" };
        }
        throw error;
    }
}

interface Outcome {
    readonly method: "GET" | "POST";
    readonly startedAt: number;
    readonly endedAt: number;
    /** The HTTP status, or 0 when the request itself failed (the error says why). */
    readonly status: number;
    /** The pod that answered, from /api/info's "pod" or the message's served_by.pod. */
    readonly pod?: string;
    readonly error?: string;
}

interface LoadOptions {
    /** Requests in flight at once. */
    readonly concurrency: number;
    /** Each client pauses this long between two requests, so the load spans the whole shutdown. */
    readonly pauseMs: number;
    /** A hard bound on the number of requests. */
    readonly maxRequests: number;
    /** Stop starting requests once this returns true. */
    readonly done: (outcomes: readonly Outcome[]) => boolean;
}

/**
 * A bounded closed-loop load through NGINX: `concurrency` clients, each alternating POST /api/messages and
 * GET /api/info. Every request has a 5 s deadline, so a hang is a failure, not a stuck test.
 */
function runLoad(base: string, options: LoadOptions) {
    const outcomes: Outcome[] = [];
    const waiters: { count: number; resolve: () => void }[] = [];
    let started = 0;
    const client = async () => {
        while (started < options.maxRequests && !options.done(outcomes)) {
            const method = started++ % 2 === 0 ? "POST" : "GET";
            const startedAt = Date.now();
            let outcome: Outcome;
            try {
                const response = await fetch(`${base}${method === "POST" ? "/api/messages" : "/api/info"}`, {
                    ...(method === "POST" ? json(JSON.stringify({ text: `load ${started}` })) : {}),
                    signal: AbortSignal.timeout(5000),
                });
                const body = (await response.json()) as { pod?: string; served_by?: { pod?: string } };
                outcome = {
                    method,
                    startedAt,
                    endedAt: Date.now(),
                    status: response.status,
                    pod: body.pod ?? body.served_by?.pod,
                };
            } catch (error) {
                outcome = { method, startedAt, endedAt: Date.now(), status: 0, error: String(error) };
            }
            outcomes.push(outcome);
            for (const waiter of waiters.filter((w) => outcomes.length >= w.count)) {
                waiter.resolve();
            }
            await sleep(options.pauseMs);
        }
    };
    const finished = Promise.all(Array.from({ length: options.concurrency }, client)).then(() => outcomes);
    return {
        finished,
        /** Resolves once `count` requests have completed (or the load has ended). */
        completed: (count: number) =>
            Promise.race([
                new Promise<void>((resolve) => waiters.push({ count, resolve })),
                finished.then(() => undefined),
            ]),
    };
}
