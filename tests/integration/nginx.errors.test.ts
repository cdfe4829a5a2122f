/**
 * Requests no browser sends, on a bare socket through the real NGINX config in front of the real backend:
 * every error NGINX produces itself is JSON in the backend's shape with the security headers, the backend's
 * own HTML error pages never reach a client, and no answer redirects to the host a client named.
 */
import assert from "node:assert/strict";
import { HEADER_BUFFER_KIB, SECURITY_HEADERS } from "../../components/nginx/nginxConf";
import { nginxError } from "../support/http";
import { stackForSuite } from "../support/processes";
import { getRequest as get, rawRequest } from "../support/rawHttp";

const close = "Connection: close\r\n";
const backendNotFound = {
    error: { status: 404, code: "not_found", message: "There is no API endpoint at this path." },
};

interface Case {
    readonly name: string;
    readonly request: string;
    readonly status: number;
    readonly body: unknown;
}

const cases: readonly Case[] = [
    { name: "a request line that is not HTTP", request: "GARBAGE\r\n\r\n", status: 400, body: nginxError(400) },
    {
        name: "a chunked body with a bad chunk size",
        request:
            "POST /api/messages HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/json\r\n" +
            `Transfer-Encoding: chunked\r\n${close}\r\nzz\r\n`,
        status: 400,
        body: nginxError(400),
    },
    { name: "a missing page file", request: get("/no-such-page.html"), status: 404, body: nginxError(404) },
    {
        name: "a request for NGINX's own error pages",
        request: get("/_nginx_errors/500"),
        status: 404,
        body: nginxError(404),
    },
    {
        name: "a POST to the page",
        request: `POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 0\r\n${close}\r\n`,
        status: 405,
        body: nginxError(405),
    },
    {
        name: `a request line over ${HEADER_BUFFER_KIB} KiB`,
        request: get(`/api/${"a".repeat(HEADER_BUFFER_KIB * 1024)}`),
        status: 414,
        body: nginxError(414),
    },
    {
        name: `a header line over ${HEADER_BUFFER_KIB} KiB`,
        request: get("/api/info", `X-Big: ${"a".repeat(HEADER_BUFFER_KIB * 1024)}\r\n`),
        status: 431,
        body: nginxError(431),
    },
    {
        name: `headers over ${4 * HEADER_BUFFER_KIB} KiB in all`,
        request: get("/api/info", `X-Big: ${"a".repeat(3000)}\r\n`.repeat(6)),
        status: 431,
        body: nginxError(431),
    },
    {
        name: "a transfer encoding NGINX does not implement",
        request: `POST /api/messages HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: gzip\r\n${close}\r\n`,
        status: 501,
        body: nginxError(501),
    },
    {
        name: "HTTP/2.0 in the request line",
        request: "GET / HTTP/2.0\r\nHost: app.test\r\n\r\n",
        status: 505,
        body: nginxError(505),
    },
];

describe("NGINX's own errors, on a bare socket", function () {
    const stack = stackForSuite([{}]);
    const port = () => Number(new URL(stack().baseUrl).port);

    for (const c of cases) {
        it(`answers ${c.name} with its JSON ${c.status} and the security headers`, async () => {
            const answer = await rawRequest(port(), c.request);
            assert.equal(answer.status, c.status, answer.body);
            assert.equal(answer.headers.get("content-type"), "application/json");
            assert.deepEqual(JSON.parse(answer.body), c.body);
            for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
                assert.equal(answer.headers.get(name.toLowerCase()), value, name);
            }
        });
    }

    it("passes a request line just under the limit to the backend, which answers its JSON 404, not gunicorn's HTML 400", async () => {
        // gunicorn's default limit (4094 bytes) was below NGINX's; its limits now sit above NGINX's.
        const path = `/api/${"a".repeat(HEADER_BUFFER_KIB * 1024 - 100)}`;
        const answer = await rawRequest(port(), get(path));
        assert.equal(answer.status, 404);
        assert.equal(answer.headers.get("content-type"), "application/json");
        assert.deepEqual(JSON.parse(answer.body), backendNotFound);
    });

    it("passes 300 small headers to the backend, which answers 200, not gunicorn's HTML 431", async () => {
        const headers = Array.from({ length: 300 }, (_, i) => `X-H${i}: v\r\n`).join("");
        const answer = await rawRequest(port(), get("/api/info", headers));
        assert.equal(answer.status, 200, answer.body);
        assert.equal(answer.headers.get("content-type"), "application/json");
    });

    it("answers a doubled slash with the backend's JSON 404, never a redirect to the Host a client sent", async () => {
        const answer = await rawRequest(port(), `GET /api//info HTTP/1.1\r\nHost: evil.example\r\n${close}\r\n`);
        assert.equal(answer.status, 404);
        assert.equal(answer.headers.get("location"), undefined);
        assert.deepEqual(JSON.parse(answer.body), backendNotFound);
    });
});
