/**
 * The rendered config in a real NGINX, in front of small Node backends whose behaviour each test picks
 * (slow, dropping connections, absent), so that proxying, limits, errors and retries are observed, not
 * just read from the config text.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import { Socket } from "node:net";
import { MAX_BODY_BYTES } from "../../components/nginx/nginxConf";
import { assertSecurityHeaders, getJson, nginxError } from "../support/http";
import {
    accessLogEntries,
    accessLogEntry,
    freePort,
    LOOPBACK,
    NginxSiteOptions,
    prepareNginxSite,
    printLogsIfFailed,
    removeDir,
    RunningNginx,
    startNginx,
} from "../support/processes";

interface RecordedRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
    readonly bodyBytes: number;
    /** Which TCP connection carried it: 1 for the backend's first connection, and so on. */
    readonly connection: number;
}

interface FakeBackend {
    readonly port: number;
    readonly address: string;
    readonly requests: RecordedRequest[];
    close(): Promise<void>;
}

const NOT_FOUND = { error: { status: 404, code: "not_found", message: "No such endpoint." } };

/** A stand-in for the Flask backend: /api/echo, POST /api/messages, a 503 /api/readyz, /api/slow, /api/drop. */
async function startFakeBackend(): Promise<FakeBackend> {
    const requests: RecordedRequest[] = [];
    const connectionIds = new WeakMap<Socket, number>();
    let connections = 0;
    const server = http.createServer((req, res) => {
        let bodyBytes = 0;
        req.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
        req.on("end", () => {
            const url = req.url ?? "";
            requests.push({
                method: req.method ?? "",
                url,
                headers: req.headers,
                bodyBytes,
                connection: connectionIds.get(req.socket) ?? 0,
            });
            const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
                res.writeHead(status, { "Content-Type": "application/json", ...headers });
                res.end(JSON.stringify(body));
            };
            if (url === "/api/echo") {
                // Headers the frontend owns: NGINX must replace them, not send both.
                json(
                    200,
                    { echoed: true },
                    { "X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff", "X-Backend": "fake" },
                );
            } else if (url === "/api/messages" && req.method === "POST") {
                json(201, { received_bytes: bodyBytes });
            } else if (url === "/api/readyz") {
                json(503, { status: "not ready" });
            } else if (url === "/api/slow") {
                // Never answers; close() ends the connection.
            } else if (url === "/api/drop") {
                req.socket.destroy();
            } else {
                json(404, NOT_FOUND);
            }
        });
    });
    server.on("connection", (socket: Socket) => connectionIds.set(socket, ++connections));
    // Like gunicorn's keepalive (75 s): longer than NGINX's upstream keepalive_timeout.
    server.keepAliveTimeout = 75000;
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, LOOPBACK, resolve));
    return {
        port,
        address: `${LOOPBACK}:${port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** Starts NGINX for `options` on a free port, one worker so that keepalive and retry order are deterministic. */
async function startSite(options: Omit<NginxSiteOptions, "listenPort">): Promise<RunningNginx> {
    return startNginx(prepareNginxSite({ workerProcesses: 1, ...options, listenPort: await freePort() }));
}

async function stopSite(nginx: RunningNginx | undefined): Promise<void> {
    await nginx?.process.stop();
    removeDir(nginx?.site.dir);
}

describe("NGINX in front of a backend", function () {
    let backend: FakeBackend | undefined;
    let nginx: RunningNginx | undefined;
    let base = "";

    before(async () => {
        backend = await startFakeBackend();
        nginx = await startSite({ backendServers: [backend.address], proxyReadTimeoutSeconds: 1 });
        base = nginx.baseUrl;
    });
    beforeEach(() => backend?.requests.splice(0));
    afterEach(function () {
        printLogsIfFailed(this.currentTest, [nginx?.process]);
    });
    after(async () => {
        await stopSite(nginx);
        await backend?.close();
    });

    it("forwards the request id and client address, and reuses one keepalive connection", async () => {
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
            const { response, body } = await getJson(`${base}/api/echo`);
            assert.equal(response.status, 200);
            assert.deepEqual(body, { echoed: true });
            ids.push(response.headers.get("x-request-id") ?? "");
        }
        const seen = backend?.requests ?? [];
        assert.equal(seen.length, 3);
        assert.deepEqual(
            seen.map((r) => r.headers["x-request-id"]),
            ids,
        );
        for (const request of seen) {
            assert.match(String(request.headers["x-request-id"]), /^[0-9a-f]{32}$/);
            assert.equal(request.headers["x-forwarded-for"], LOOPBACK);
            assert.equal(request.headers["x-real-ip"], LOOPBACK);
            assert.equal(request.headers["x-forwarded-proto"], "http");
            // $host: the name the client asked for, without the port.
            assert.equal(request.headers.host, LOOPBACK);
            // HTTP/1.1 without "Connection: close", so the backend keeps the connection open.
            assert.equal(request.headers.connection, undefined);
        }
        assert.deepEqual(new Set(seen.map((r) => r.connection)).size, 1);

        const logged = await accessLogEntry(nginx as RunningNginx, ids[0]);
        assert.equal(logged.uri, "/api/echo");
        assert.equal(logged.status, 200);
        assert.equal(logged.upstream_addr, backend?.address);
    });

    it("sends its own security headers instead of the backend's, and passes the others through", async () => {
        const response = await fetch(`${base}/api/echo`);
        await response.arrayBuffer();
        // A duplicate would arrive joined, e.g. "SAMEORIGIN, DENY".
        assertSecurityHeaders(response);
        assert.equal(response.headers.get("x-backend"), "fake");
        assert.equal(response.headers.get("server"), "nginx");
    });

    it("passes the backend's own errors through: its JSON 404 and its 503", async () => {
        const missing = await getJson(`${base}/api/no-such-thing`);
        assert.equal(missing.response.status, 404);
        assert.deepEqual(missing.body, NOT_FOUND);

        const notReady = await getJson(`${base}/api/readyz`);
        assert.equal(notReady.response.status, 503);
        assert.deepEqual(notReady.body, { status: "not ready" });
    });

    it(`accepts a body of exactly ${MAX_BODY_BYTES} bytes and answers one byte more with its JSON 413`, async () => {
        const post = (bytes: number) =>
            getJson(`${base}/api/messages`, {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: "x".repeat(bytes),
            });

        const atLimit = await post(MAX_BODY_BYTES);
        assert.equal(atLimit.response.status, 201);
        assert.deepEqual(atLimit.body, { received_bytes: MAX_BODY_BYTES });

        const tooLarge = await post(MAX_BODY_BYTES + 1);
        assert.equal(tooLarge.response.status, 413);
        assert.equal(tooLarge.response.headers.get("content-type"), "application/json");
        assert.deepEqual(tooLarge.body, nginxError(413));
        assertSecurityHeaders(tooLarge.response);
        assert.equal(backend?.requests.length, 1, "the oversized body must never reach the backend");
    });

    it("answers a backend that does not reply within proxy_read_timeout with its JSON 504", async () => {
        const started = Date.now();
        const { response, body } = await getJson(`${base}/api/slow`);
        const elapsed = Date.now() - started;
        assert.equal(response.status, 504);
        assert.equal(response.headers.get("content-type"), "application/json");
        assert.deepEqual(body, nginxError(504));
        assert.ok(elapsed >= 900 && elapsed < 3000, `answered after ${elapsed} ms, expected about 1000`);
    });

    it("serves the page as UTF-8, revalidated on every load, compressed", async () => {
        const page = await fetch(`${base}/`);
        assert.equal(page.status, 200);
        assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
        assert.equal(page.headers.get("cache-control"), "no-cache");
        assert.match(await page.text(), /<label for="message-input">Message<\/label>/);
        assertSecurityHeaders(page);

        for (const [file, type] of [
            ["app.js", /^(application|text)\/javascript; charset=utf-8$/],
            ["styles.css", /^text\/css$/],
        ] as const) {
            const response = await fetch(`${base}/${file}`, { headers: { "Accept-Encoding": "gzip" } });
            await response.arrayBuffer();
            assert.equal(response.status, 200, file);
            assert.match(response.headers.get("content-type") ?? "", type, file);
            assert.equal(response.headers.get("content-encoding"), "gzip", file);
            assert.equal(response.headers.get("vary"), "Accept-Encoding", file);
            assert.equal(response.headers.get("cache-control"), "no-cache", file);
            assertSecurityHeaders(response);
        }
    });

    it("answers a missing file with its JSON 404 and the security headers", async () => {
        const response = await fetch(`${base}/no-such-file.js`);
        assert.equal(response.status, 404);
        assert.equal(response.headers.get("content-type"), "application/json");
        assert.deepEqual(await response.json(), nginxError(404));
        assertSecurityHeaders(response);
    });

    it("answers /healthz itself and keeps the probes out of the access log", async () => {
        const response = await fetch(`${base}/healthz`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "text/plain");
        assert.equal(await response.text(), "ok\n");
        assert.equal(backend?.requests.length, 0);
        assert.deepEqual(
            accessLogEntries(nginx as RunningNginx).filter((e) => e.uri === "/healthz"),
            [],
        );
    });
});

describe("NGINX with its backend down", function () {
    let nginx: RunningNginx | undefined;

    before(async () => {
        // A port that nothing listens on: every connection is refused, as when a Service has no ready pods.
        nginx = await startSite({ backendServers: [`${LOOPBACK}:${await freePort()}`] });
    });
    afterEach(function () {
        printLogsIfFailed(this.currentTest, [nginx?.process]);
    });
    after(() => stopSite(nginx));

    it("still passes its own probe and serves the page, so the frontend pods stay in rotation", async () => {
        const health = await fetch(`${nginx?.baseUrl}/healthz`);
        assert.equal(health.status, 200);
        assert.equal(await health.text(), "ok\n");
        const page = await fetch(`${nginx?.baseUrl}/`);
        await page.arrayBuffer();
        assert.equal(page.status, 200);
    });

    for (const [method, path] of [
        ["GET", "/api/info"],
        ["POST", "/api/messages"],
    ] as const) {
        it(`answers ${method} ${path} with its JSON 502 backend_unavailable`, async () => {
            const { response, body } = await getJson(`${nginx?.baseUrl}${path}`, {
                method,
                headers: method === "POST" ? { "Content-Type": "application/json" } : {},
                body: method === "POST" ? JSON.stringify({ text: "hello" }) : undefined,
            });
            assert.equal(response.status, 502);
            assert.equal(response.headers.get("content-type"), "application/json");
            assert.deepEqual(body, nginxError(502));
            assertSecurityHeaders(response);
        });
    }
});

describe("NGINX retries on the next upstream server", function () {
    let first: FakeBackend | undefined;
    let second: FakeBackend | undefined;
    let nginx: RunningNginx | undefined;

    before(async () => {
        first = await startFakeBackend();
        second = await startFakeBackend();
    });
    beforeEach(() => {
        first?.requests.splice(0);
        second?.requests.splice(0);
    });
    // A fresh NGINX per test: a failed server is skipped for fail_timeout (10 s), which would leak into the next test.
    afterEach(async function () {
        printLogsIfFailed(this.currentTest, [nginx?.process]);
        await stopSite(nginx);
        nginx = undefined;
    });
    after(async () => {
        await first?.close();
        await second?.close();
    });

    const servers = () => [first?.address ?? "", second?.address ?? ""];
    const sent = (path: string) => [first, second].map((b) => b?.requests.filter((r) => r.url === path).length);

    it("tries a GET on the second server when the first drops the connection", async () => {
        nginx = await startSite({ backendServers: servers() });
        const { response, body } = await getJson(`${nginx.baseUrl}/api/drop`);
        assert.equal(response.status, 502);
        assert.deepEqual(body, nginxError(502));
        assert.deepEqual(sent("/api/drop"), [1, 1]);
    });

    it("never repeats a POST that reached a server (it may have been stored)", async () => {
        nginx = await startSite({ backendServers: servers() });
        const { response, body } = await getJson(`${nginx.baseUrl}/api/drop`, { method: "POST", body: "{}" });
        assert.equal(response.status, 502);
        assert.deepEqual(body, nginxError(502));
        assert.deepEqual(sent("/api/drop"), [1, 0]);
    });

    it("sends a POST to the second server when the first refuses the connection", async () => {
        const refused = `${LOOPBACK}:${await freePort()}`;
        nginx = await startSite({ backendServers: [refused, second?.address ?? ""] });
        const response = await fetch(`${nginx.baseUrl}/api/messages`, { method: "POST", body: '{"text":"hi"}' });
        assert.equal(response.status, 201);
        assert.deepEqual(await response.json(), { received_bytes: 13 });
        assert.deepEqual(sent("/api/messages"), [0, 1]);
        const logged = await accessLogEntry(nginx, response.headers.get("x-request-id") ?? "");
        assert.equal(logged.upstream_addr, `${refused}, ${second?.address}`);
        assert.equal(logged.upstream_status, "502, 201");
    });
});
