/**
 * The two tiers together on 127.0.0.1: the real backend (gunicorn, its real config) behind NGINX with the
 * rendered config, serving the real page.
 */
import assert from "node:assert/strict";
import { SECURITY_HEADERS } from "../../components/nginx/nginxConf";
import {
    BACKEND_IDENTITY,
    freePort,
    LOOPBACK,
    makeTempDir,
    ManagedProcess,
    prepareNginxSite,
    printLogsIfFailed,
    removeDir,
    RunningNginx,
    startBackend,
    startNginx,
} from "../support/processes";

describe("smoke: the page and the real backend behind NGINX", function () {
    let logDir: string | undefined;
    let backend: ManagedProcess | undefined;
    let nginx: RunningNginx | undefined;
    let base = "";

    before(async function () {
        this.timeout(40000);
        logDir = makeTempDir("backend");
        const backendPort = await freePort();
        backend = await startBackend(backendPort, logDir);
        nginx = await startNginx(
            prepareNginxSite({ backendServers: [`${LOOPBACK}:${backendPort}`], listenPort: await freePort() }),
        );
        base = nginx.baseUrl;
    });
    afterEach(function () {
        printLogsIfFailed(this.currentTest, [backend, nginx?.process]);
    });
    after(async function () {
        this.timeout(40000);
        await nginx?.process.stop();
        // gunicorn drains for SHUTDOWN_DRAIN_SECONDS (its default 2 s here) before its graceful stop.
        await backend?.stop(15000);
        removeDir(nginx?.site.dir);
        removeDir(logDir);
    });

    const postMessage = (body: string) =>
        fetch(`${base}/api/messages`, { method: "POST", headers: { "Content-Type": "application/json" }, body });

    it("serves the page with the security headers", async () => {
        const response = await fetch(`${base}/`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
            assert.equal(response.headers.get(name), value, name);
        }
        const html = await response.text();
        assert.match(html, /<label for="message-input">Message<\/label>/);
        assert.match(html, /<script src="app\.js" defer><\/script>/);
    });

    it("passes a message to the backend and returns its 201 with the text and the pod that served it", async () => {
        const started = Date.now();
        const response = await postMessage(JSON.stringify({ text: "  hello, cluster  " }));
        assert.equal(response.status, 201);
        assert.equal(response.headers.get("content-type"), "application/json");
        const body = (await response.json()) as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).sort(), ["id", "received_at", "served_by", "text"]);
        assert.equal(body.text, "hello, cluster");
        assert.match(String(body.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.match(String(body.received_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const receivedAt = Date.parse(String(body.received_at));
        assert.ok(receivedAt >= started - 1000 && receivedAt <= Date.now() + 1000, String(body.received_at));
        assert.deepEqual(body.served_by, { pod: BACKEND_IDENTITY.POD_NAME, node: BACKEND_IDENTITY.NODE_NAME });
        // The backend sets X-Content-Type-Options too; NGINX must not send it twice.
        assert.equal(response.headers.get("x-content-type-options"), "nosniff");
        assert.equal(response.headers.get("cache-control"), "no-store");
    });

    it("passes GET /api/info through", async () => {
        const response = await fetch(`${base}/api/info`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), {
            version: BACKEND_IDENTITY.APP_VERSION,
            pod: BACKEND_IDENTITY.POD_NAME,
            node: BACKEND_IDENTITY.NODE_NAME,
            pod_ip: BACKEND_IDENTITY.POD_IP,
        });
    });

    // Bad input (413, 415, malformed JSON, unknown paths), an outage and a slow backend: faults.test.ts.
    it("passes the backend's validation errors through unchanged", async () => {
        const empty = await postMessage(JSON.stringify({ text: "   " }));
        assert.equal(empty.status, 400);
        assert.deepEqual(await empty.json(), {
            error: { status: 400, code: "empty_field", message: "The field 'text' must not be empty.", field: "text" },
        });
    });
});
