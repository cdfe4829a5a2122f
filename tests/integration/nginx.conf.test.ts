import assert from "node:assert/strict";
import * as path from "node:path";
import {
    MAX_BODY_BYTES,
    NGINX_JSON_ERRORS,
    NginxConfOptions,
    SECURITY_HEADERS,
    renderNginxConf,
} from "../../components/nginx/nginxConf";
import { HEADER_BUFFER_KIB, UNLIMITED_CLIENTS } from "../../components/nginx/nginxConf";
import { freePort, nginxBinary, prepareNginxSite, removeDir, runToCompletion } from "../support/processes";

const CLUSTER_BACKEND = "backend.first-k8s.svc.cluster.local:80";

/** The text of each `location` block, keyed by what follows "location"; skips braces in quotes and comments. */
function locations(conf: string): Map<string, string> {
    const found = new Map<string, string>();
    const header = /location\s+([^{]+?)\s*\{/g;
    let match: RegExpExecArray | null;
    while ((match = header.exec(conf)) !== null) {
        let depth = 1;
        let quote: string | null = null;
        let i = header.lastIndex;
        for (; depth > 0; i++) {
            const c = conf[i];
            if (quote !== null) {
                quote = c === "\\" ? (i++, quote) : c === quote ? null : quote;
            } else if (c === "#") {
                i = conf.indexOf("\n", i);
            } else if (c === "'" || c === '"') {
                quote = c;
            } else if (c === "{") {
                depth++;
            } else if (c === "}") {
                depth--;
            }
        }
        found.set(match[1], conf.slice(header.lastIndex, i - 1));
        // Nested locations are found by the next search, which starts inside this block.
    }
    return found;
}

/** The server block's own directives, its locations cut out. */
function serverLevel(conf: string): string {
    const server = conf.slice(conf.indexOf("server {"));
    return server.slice(0, server.indexOf("location "));
}

function directives(text: string, name: string): string[] {
    return [...text.matchAll(new RegExp(`^\\s*${name}\\s+(.*);\\s*$`, "gm"))].map((m) => m[1]);
}

describe("renderNginxConf", () => {
    describe("with defaults (the config the cluster gets)", () => {
        const conf = renderNginxConf({ backendServers: [CLUSTER_BACKEND] });
        const blocks = locations(conf);

        it("listens on 8080 on every address and serves the page from /usr/share/nginx/html", () => {
            assert.deepEqual(directives(conf, "listen"), ["8080 default_server"]);
            assert.deepEqual(directives(conf, "root"), ["/usr/share/nginx/html"]);
            assert.deepEqual(directives(conf, "index"), ["index.html"]);
            assert.deepEqual(directives(conf, "include"), ["/etc/nginx/mime.types"]);
        });

        it("needs no root: no user or daemon directive, pid and every temp path in /tmp", () => {
            assert.deepEqual(directives(conf, "user"), []);
            // The pod passes -g "daemon off;"; a daemon directive here would make NGINX refuse to start.
            assert.deepEqual(directives(conf, "daemon"), []);
            assert.deepEqual(directives(conf, "pid"), ["/tmp/nginx.pid"]);
            for (const kind of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) {
                assert.deepEqual(directives(conf, `${kind}_temp_path`), [
                    `/tmp/${kind === "client_body" ? "client" : kind}_temp`,
                ]);
            }
        });

        it("logs to the container's stderr and stdout, the access log as JSON lines", () => {
            assert.deepEqual(directives(conf, "error_log"), ["/dev/stderr warn"]);
            assert.deepEqual(directives(conf, "access_log"), ["/dev/stdout json", "off", "off"]);
            assert.match(conf, /log_format json escape=json '\{"time":"\$time_iso8601","request_id":"\$request_id",'/);
        });

        it("runs two workers, not one per node CPU", () => {
            assert.deepEqual(directives(conf, "worker_processes"), ["2"]);
            assert.deepEqual(directives(conf, "worker_connections"), ["1024"]);
            assert.deepEqual(directives(conf, "worker_shutdown_timeout"), ["20s"]);
        });

        it("keeps 16 idle connections to the backend Service, for at most 60 s and 100 requests each", () => {
            const upstream = /upstream backend \{([^}]*)\}/.exec(conf)?.[1] ?? "";
            assert.deepEqual(directives(upstream, "server"), [`${CLUSTER_BACKEND} max_fails=1 fail_timeout=10s`]);
            assert.deepEqual(directives(upstream, "keepalive"), ["16"]);
            assert.deepEqual(directives(upstream, "keepalive_timeout"), ["60s"]);
            assert.deepEqual(directives(upstream, "keepalive_requests"), ["100"]);
        });

        it("keeps no connection to the backend with upstreamKeepalive 0 (the dev stack), so each request is a new one", () => {
            const without = renderNginxConf({ backendServers: [CLUSTER_BACKEND], upstreamKeepalive: 0 });
            const upstream = /upstream backend \{([^}]*)\}/.exec(without)?.[1] ?? "";
            assert.deepEqual(directives(upstream, "server"), [`${CLUSTER_BACKEND} max_fails=1 fail_timeout=10s`]);
            for (const name of ["keepalive", "keepalive_timeout", "keepalive_requests"]) {
                assert.deepEqual(directives(upstream, name), [], name);
            }
            // Everything outside the upstream block is the same text.
            assert.equal(
                without.replace(/upstream backend \{[^}]*\}/, ""),
                conf.replace(/upstream backend \{[^}]*\}/, ""),
            );
        });

        it("proxies /api/ to the upstream over HTTP/1.1 with an empty Connection header and the forwarding headers", () => {
            const api = blocks.get("/api/") ?? "";
            assert.deepEqual(directives(api, "proxy_pass"), ["http://backend"]);
            assert.deepEqual(directives(api, "proxy_http_version"), ["1.1"]);
            assert.deepEqual(directives(api, "proxy_set_header"), [
                'Connection ""',
                "Host $host",
                "X-Request-ID $request_id",
                "X-Real-IP $remote_addr",
                "X-Forwarded-For $proxy_add_x_forwarded_for",
                "X-Forwarded-Proto $scheme",
            ]);
            assert.deepEqual(directives(api, "proxy_hide_header"), Object.keys(SECURITY_HEADERS));
        });

        it("times out after 2 s to connect and 5 s to send or read, and retries once within 8 s, never a sent POST", () => {
            const api = blocks.get("/api/") ?? "";
            assert.deepEqual(directives(api, "proxy_connect_timeout"), ["2s"]);
            assert.deepEqual(directives(api, "proxy_send_timeout"), ["5s"]);
            assert.deepEqual(directives(api, "proxy_read_timeout"), ["5s"]);
            assert.deepEqual(directives(api, "proxy_next_upstream"), ["error timeout http_502 http_503"]);
            assert.deepEqual(directives(api, "proxy_next_upstream_tries"), ["2"]);
            assert.deepEqual(directives(api, "proxy_next_upstream_timeout"), ["8s"]);
            assert.doesNotMatch(conf, /non_idempotent/);
        });

        it("shares the upstream's state between workers and keeps a failed server out for 10 s", () => {
            const upstream = /upstream backend \{([^}]*)\}/.exec(conf)?.[1] ?? "";
            assert.deepEqual(directives(upstream, "zone"), ["backend 64k"]);
            for (const server of directives(upstream, "server")) {
                assert.match(server, / max_fails=1 fail_timeout=10s$/);
            }
        });

        it("closes slow clients: 5 s for all headers, 5 s between body reads, 10 s between writes", () => {
            assert.deepEqual(directives(conf, "client_header_timeout"), ["5s"]);
            assert.deepEqual(directives(conf, "client_body_timeout"), ["5s"]);
            assert.deepEqual(directives(conf, "send_timeout"), ["10s"]);
            assert.deepEqual(directives(conf, "reset_timedout_connection"), ["on"]);
            assert.equal(HEADER_BUFFER_KIB, 4);
            assert.deepEqual(directives(conf, "large_client_header_buffers"), ["4 4k"]);
        });

        it("limits each client address to 32 busy connections and 20 API requests a second (burst 40), with a 429", () => {
            assert.deepEqual(directives(conf, "limit_conn_zone"), ["$limit_key zone=connections_per_client:1m"]);
            assert.deepEqual(directives(conf, "limit_req_zone"), ["$limit_key zone=api_per_client:1m rate=20r/s"]);
            assert.deepEqual(directives(conf, "limit_conn_status"), ["429"]);
            assert.deepEqual(directives(conf, "limit_req_status"), ["429"]);
            assert.deepEqual(directives(serverLevel(conf), "limit_conn"), ["connections_per_client 32"]);
            assert.deepEqual(directives(blocks.get("/api/") ?? "", "limit_req"), [
                "zone=api_per_client burst=40 nodelay",
            ]);
            const geo = /geo \$limit_exempt \{([^}]*)\}/.exec(conf)?.[1] ?? "";
            assert.deepEqual(directives(geo, "default"), ["0"]);
            assert.deepEqual(UNLIMITED_CLIENTS, ["127.0.0.1"]);
            assert.match(geo, /^\s*127\.0\.0\.1 1;$/m);
            const map = /map \$limit_exempt \$limit_key \{([^}]*)\}/.exec(conf)?.[1] ?? "";
            assert.deepEqual(
                map.trim().split(/\s*\n\s*/),
                ["0 $binary_remote_addr;", '1 "";'],
                "an exempt client gets the empty key, which no limit counts",
            );
        });

        it("limits request bodies to 16 KiB, the backend's limit, and keeps them in memory", () => {
            assert.equal(MAX_BODY_BYTES, 16384);
            assert.deepEqual(directives(serverLevel(conf), "client_max_body_size"), ["16k"]);
            assert.deepEqual(directives(serverLevel(conf), "client_body_buffer_size"), ["16k"]);
        });

        it("answers /healthz itself, without the backend and without logging the probes", () => {
            const healthz = blocks.get("= /healthz") ?? "";
            assert.deepEqual(directives(healthz, "return"), ['200 "ok\\n"']);
            assert.deepEqual(directives(healthz, "access_log"), ["off"]);
            assert.doesNotMatch(healthz, /proxy_pass/);
        });

        it("answers /readyz itself: 200 once the page is mounted, 503 before, never asking the backend", () => {
            const readyz = blocks.get("= /readyz") ?? "";
            assert.match(readyz, /if \(!-f \$document_root\/index\.html\) \{\s*return 503 "page not mounted\\n";\s*\}/);
            assert.deepEqual(directives(readyz, "return"), ['503 "page not mounted\\n"', '200 "ready\\n"']);
            assert.deepEqual(directives(readyz, "access_log"), ["off"]);
            assert.doesNotMatch(readyz, /proxy_pass/);
        });

        it("answers every error it produces itself with JSON in the backend's error shape, from internal URIs", () => {
            const expected: [number, string][] = [
                [400, "bad_request"],
                [403, "forbidden"],
                [404, "not_found"],
                [405, "method_not_allowed"],
                [413, "payload_too_large"],
                [414, "uri_too_long"],
                [429, "too_many_requests"],
                [431, "request_header_fields_too_large"],
                [500, "internal_error"],
                [501, "not_implemented"],
                [502, "backend_unavailable"],
                [503, "backend_unavailable"],
                [504, "backend_timeout"],
                [505, "http_version_not_supported"],
            ];
            assert.deepEqual(
                NGINX_JSON_ERRORS.map((e) => [e.status, e.code]),
                expected,
            );
            assert.deepEqual(
                directives(serverLevel(conf), "error_page"),
                expected.map(([status]) =>
                    status === 431 ? "494 =431 /_nginx_errors/431" : `${status} /_nginx_errors/${status}`,
                ),
            );
            const errors = blocks.get("^~ /_nginx_errors/") ?? "";
            assert.match(errors, /^\s*internal;$/m);
            assert.match(errors, /types \{ \}/);
            assert.match(errors, /^\s*default_type application\/json;$/m);
            for (const { status, code, message } of NGINX_JSON_ERRORS) {
                const block = blocks.get(`= /_nginx_errors/${status}`) ?? "";
                const [returned] = directives(block, "return");
                assert.ok(returned.startsWith(`${status} '`), returned);
                assert.deepEqual(JSON.parse(returned.slice(`${status} '`.length, -1)), {
                    error: { status, code, message },
                });
            }
        });

        it("sends every security header, always, from every context that sets headers", () => {
            const contexts = [
                ["server", serverLevel(conf)],
                ...[...blocks].filter(([, body]) => /add_header/.test(body)),
            ];
            assert.deepEqual(
                contexts.map(([name]) => name),
                ["server", "/"],
            );
            for (const [name, body] of contexts) {
                const added = directives(body, "add_header");
                for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
                    assert.ok(added.includes(`${header} "${value}" always`), `${name} lacks ${header}`);
                }
                assert.ok(added.includes("X-Request-ID $request_id always"), `${name} lacks X-Request-ID`);
            }
            assert.equal(SECURITY_HEADERS["Content-Security-Policy"].split("; ").at(-1), "frame-ancestors 'none'");
            assert.match(
                SECURITY_HEADERS["Content-Security-Policy"],
                /^default-src 'self'; script-src 'self'; style-src 'self';/,
            );
            assert.deepEqual(directives(conf, "server_tokens"), ["off"]);
        });

        it("lets browsers cache the page only with revalidation", () => {
            assert.deepEqual(
                directives(blocks.get("/") ?? "", "add_header").filter((h) => h.startsWith("Cache-Control")),
                ['Cache-Control "no-cache" always'],
            );
        });

        it("compresses CSS, JavaScript, JSON and text above 256 bytes", () => {
            assert.deepEqual(directives(conf, "gzip"), ["on"]);
            assert.deepEqual(directives(conf, "gzip_min_length"), ["256"]);
            assert.deepEqual(directives(conf, "gzip_types"), [
                "text/css application/javascript text/javascript application/json text/plain",
            ]);
        });
    });

    describe("options", () => {
        it("puts every option where it belongs", () => {
            const conf = renderNginxConf({
                backendServers: ["127.0.0.1:8001", "127.0.0.1:8002"],
                listenPort: 9090,
                listenAddress: "127.0.0.1",
                staticRoot: "/srv/page",
                runtimeDir: "/run/nginx",
                errorLog: "/var/log/e.log",
                accessLog: "/var/log/a.log",
                mimeTypesPath: "/opt/mime.types",
                workerProcesses: "auto",
                workerConnections: 512,
                workerShutdownTimeoutSeconds: 7,
                proxyConnectTimeoutSeconds: 3,
                proxyReadTimeoutSeconds: 30,
                proxySendTimeoutSeconds: 15,
                proxyNextUpstreamTimeoutSeconds: 31,
                upstreamFailTimeoutSeconds: 20,
                clientHeaderTimeoutSeconds: 7,
                clientBodyTimeoutSeconds: 8,
                sendTimeoutSeconds: 9,
                connectionsPerClient: 11,
                apiRequestsPerSecondPerClient: 12,
                apiBurstPerClient: 13,
                upstreamKeepalive: 4,
                upstreamKeepaliveTimeoutSeconds: 30,
                upstreamKeepaliveRequests: 50,
            });
            const expected: Record<string, string[]> = {
                server: ["127.0.0.1:8001 max_fails=1 fail_timeout=20s", "127.0.0.1:8002 max_fails=1 fail_timeout=20s"],
                listen: ["127.0.0.1:9090 default_server"],
                root: ["/srv/page"],
                pid: ["/run/nginx/nginx.pid"],
                proxy_temp_path: ["/run/nginx/proxy_temp"],
                error_log: ["/var/log/e.log warn"],
                access_log: ["/var/log/a.log json", "off", "off"],
                include: ["/opt/mime.types"],
                worker_processes: ["auto"],
                worker_connections: ["512"],
                worker_shutdown_timeout: ["7s"],
                proxy_connect_timeout: ["3s"],
                proxy_read_timeout: ["30s"],
                proxy_send_timeout: ["15s"],
                proxy_next_upstream_timeout: ["31s"],
                client_header_timeout: ["7s"],
                client_body_timeout: ["8s"],
                send_timeout: ["9s"],
                limit_conn: ["connections_per_client 11"],
                limit_req_zone: ["$limit_key zone=api_per_client:1m rate=12r/s"],
                limit_req: ["zone=api_per_client burst=13 nodelay"],
                keepalive: ["4"],
                keepalive_requests: ["50"],
                keepalive_timeout: ["75s", "30s"],
            };
            for (const [name, values] of Object.entries(expected)) {
                assert.deepEqual(directives(conf, name), values, name);
            }
        });

        it("accepts DNS names, IPv4 and bracketed IPv6 upstreams", () => {
            const conf = renderNginxConf({ backendServers: ["backend:8000", "10.0.0.7:80", "[::1]:8000"] });
            assert.deepEqual(
                directives(conf, "server").map((server) => server.split(" ")[0]),
                ["backend:8000", "10.0.0.7:80", "[::1]:8000"],
            );
        });
    });

    describe("validation", () => {
        const hostPort = (index: number, value: string) =>
            `backendServers[${index}] is "${value}": expected "host:port" with a port from 1 to 65535, ` +
            'e.g. "backend.first-k8s.svc.cluster.local:80"';
        const cases: [string, NginxConfOptions, string][] = [
            ["no upstream", { backendServers: [] }, 'backendServers is empty: expected at least one "host:port" entry'],
            ["no port", { backendServers: ["backend"] }, hostPort(0, "backend")],
            ["port 0", { backendServers: ["backend:0"] }, hostPort(0, "backend:0")],
            ["port 65536", { backendServers: ["backend:65536"] }, hostPort(0, "backend:65536")],
            ["a URL", { backendServers: ["http://backend:80"] }, hostPort(0, "http://backend:80")],
            ["a second bad entry", { backendServers: ["backend:80", " backend:80"] }, hostPort(1, " backend:80")],
            [
                "NGINX syntax",
                { backendServers: ["backend:80; include /etc/passwd"] },
                hostPort(0, "backend:80; include /etc/passwd"),
            ],
            ["an IPv6 address without brackets", { backendServers: ["::1:80"] }, hostPort(0, "::1:80")],
            [
                "listenPort 0",
                { backendServers: ["b:80"], listenPort: 0 },
                "listenPort is 0: expected an integer from 1 to 65535",
            ],
            [
                "listenAddress a name",
                { backendServers: ["b:80"], listenAddress: "localhost" },
                'listenAddress is "localhost": expected an IPv4 address or a bracketed IPv6 address',
            ],
            [
                "a relative runtimeDir",
                { backendServers: ["b:80"], runtimeDir: "tmp" },
                'runtimeDir is "tmp": expected an absolute path without spaces, quotes, ";", "{", "}", "$" or "\\"',
            ],
            [
                "a staticRoot with a space",
                { backendServers: ["b:80"], staticRoot: "/srv/my page" },
                'staticRoot is "/srv/my page": expected an absolute path without spaces, quotes, ";", "{", "}", "$" or "\\"',
            ],
            [
                "workerProcesses 0",
                { backendServers: ["b:80"], workerProcesses: 0 },
                "workerProcesses is 0: expected a positive integer",
            ],
            [
                "a negative upstreamKeepalive",
                { backendServers: ["b:80"], upstreamKeepalive: -1 },
                "upstreamKeepalive is -1: expected 0 (a new connection per request) or a positive integer",
            ],
            [
                "a retry budget no longer than the read timeout",
                { backendServers: ["b:80"], proxyNextUpstreamTimeoutSeconds: 5 },
                "proxyNextUpstreamTimeoutSeconds is 5: it must exceed the connect, send and read timeouts " +
                    "(2, 5 and 5 s), or a retry after one of them could never start",
            ],
            [
                "connectionsPerClient 0",
                { backendServers: ["b:80"], connectionsPerClient: 0 },
                "connectionsPerClient is 0: expected a positive integer",
            ],
            [
                "a fractional timeout",
                { backendServers: ["b:80"], proxyReadTimeoutSeconds: 1.5 },
                "proxyReadTimeoutSeconds is 1.5: expected a positive integer",
            ],
        ];
        for (const [name, options, message] of cases) {
            it(`rejects ${name}`, () => {
                assert.throws(() => renderNginxConf(options), { name: "Error", message });
            });
        }
    });
});

describe("nginx -t on the rendered config", function () {
    let dir: string | undefined;
    after(() => removeDir(dir));

    for (const upstreamKeepalive of [undefined, 0]) {
        it(`passes NGINX's own check with two loopback upstreams, as a non-root user (upstreamKeepalive ${upstreamKeepalive ?? "default"})`, async () => {
            const nginx = nginxBinary();
            const site = prepareNginxSite({
                backendServers: [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`],
                listenPort: await freePort(),
                upstreamKeepalive,
            });
            removeDir(dir);
            dir = site.dir;
            const { status, output } = runToCompletion(nginx, ["-t", ...site.args], {
                logFile: path.join(site.dir, "nginx-t.log"),
                identity: site.identity,
            });
            assert.equal(status, 0, output);
            assert.match(output, new RegExp(`the configuration file ${site.confFile} syntax is ok`));
            assert.match(output, new RegExp(`configuration file ${site.confFile} test is successful`));
        });
    }
});
