/**
 * The frontend's complete nginx.conf (passed with `nginx -c`). One renderer serves the cluster and the
 * loopback tests; only the upstream address and the paths differ. Directives stay within NGINX 1.22
 * (Debian bookworm, used by the tests) so the same text also runs on nginx-unprivileged:1.28.
 */

export interface NginxConfOptions {
    /** Upstream "host:port" entries, at least one. Required: the backend Service's DNS name in the cluster, loopback ports in tests. */
    readonly backendServers: readonly string[];
    /** Port to listen on. Default: 8080, nginx-unprivileged's port (a non-root process cannot bind below 1024). */
    readonly listenPort?: number;
    /** Address to bind. Default: none, i.e. every address (the kubelet probes the pod IP); tests pass 127.0.0.1. */
    readonly listenAddress?: string;
    /** Directory holding index.html, app.js and styles.css. Default: /usr/share/nginx/html. */
    readonly staticRoot?: string;
    /** Writable directory for the pid file and every *_temp_path. Default: /tmp (the root filesystem is read-only). */
    readonly runtimeDir?: string;
    /** error_log target. Default: /dev/stderr, so `kubectl logs` shows it. */
    readonly errorLog?: string;
    /** access_log target (JSON lines). Default: /dev/stdout, so `kubectl logs` shows it. */
    readonly accessLog?: string;
    /** The MIME types file to include. Default: /etc/nginx/mime.types (present in both images). */
    readonly mimeTypesPath?: string;
    /** worker_processes. Default: 2 (see the comment at the top of renderNginxConf). */
    readonly workerProcesses?: number | "auto";
    /** worker_connections per worker (each proxied request holds two). Default: 1024. */
    readonly workerConnections?: number;
    /** Seconds a graceful stop (SIGQUIT) waits for open connections. Default: 20, inside the pod's 30 s grace period minus preStop. */
    readonly workerShutdownTimeoutSeconds?: number;
    /** proxy_connect_timeout in seconds. Default: 2. */
    readonly proxyConnectTimeoutSeconds?: number;
    /** proxy_read_timeout in seconds: the longest wait between two reads of the backend's answer. Default: 5. */
    readonly proxyReadTimeoutSeconds?: number;
    /** proxy_send_timeout in seconds: the longest wait between two writes of the request. Default: 5. */
    readonly proxySendTimeoutSeconds?: number;
    /**
     * proxy_next_upstream_timeout in seconds: no retry starts after this long. Must exceed the connect, send
     * and read timeouts, or a retry after one of them could never start. Default: 8.
     */
    readonly proxyNextUpstreamTimeoutSeconds?: number;
    /** Seconds an upstream server that failed (error, timeout, 502, 503) gets no requests (fail_timeout). Default: 10. */
    readonly upstreamFailTimeoutSeconds?: number;
    /** Seconds a client may take to send all its request headers (client_header_timeout). Default: 5. */
    readonly clientHeaderTimeoutSeconds?: number;
    /** Longest pause, in seconds, between two reads of a request body (client_body_timeout). Default: 5. */
    readonly clientBodyTimeoutSeconds?: number;
    /** Longest pause, in seconds, between two writes of a response to the client (send_timeout). Default: 10. */
    readonly sendTimeoutSeconds?: number;
    /** Connections one client address may have with a request in progress (limit_conn). Default: 32. */
    readonly connectionsPerClient?: number;
    /** API requests per second one client address may make on average (limit_req rate). Default: 20. */
    readonly apiRequestsPerSecondPerClient?: number;
    /** API requests one client address may make above the rate at once before it gets a 429 (limit_req burst). Default: 40. */
    readonly apiBurstPerClient?: number;
    /** Idle keepalive connections to the backend each worker keeps; 0: a new connection per request. Default: 16. */
    readonly upstreamKeepalive?: number;
    /** Seconds an idle backend connection is kept. Default: 60, below gunicorn's keepalive of 75 s. */
    readonly upstreamKeepaliveTimeoutSeconds?: number;
    /** Requests one backend connection carries before NGINX closes it. Default: 100. */
    readonly upstreamKeepaliveRequests?: number;
}

/** The request-body limit, in bytes; the backend refuses the same size with its own 413. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Headers on every response, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    // The page has no inline script or style and loads nothing from elsewhere, so 'self' is all it needs.
    "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** KiB of one request line or header line; four such buffers hold all of a request's headers. */
export const HEADER_BUFFER_KIB = 4;

/**
 * Client addresses exempt from the per-client limits: the pod's own loopback, where `kubectl port-forward`
 * and the benchmark connect from. The kubelet's probes come from the node's address and are not API requests.
 */
export const UNLIMITED_CLIENTS = ["127.0.0.1"] as const;

/**
 * Every error NGINX itself can answer, as JSON in the backend's shape: {"error": {status, code, message}}.
 * `from` is NGINX's internal status where it differs: 494 (a header too large) is sent as 431, the status
 * HTTP defines for it, instead of NGINX's 400.
 */
export const NGINX_JSON_ERRORS: readonly {
    readonly status: number;
    readonly code: string;
    readonly message: string;
    readonly from?: number;
}[] = [
    { status: 400, code: "bad_request", message: "The request is not valid HTTP." },
    { status: 403, code: "forbidden", message: "This path cannot be listed." },
    { status: 404, code: "not_found", message: "There is no page at this path." },
    { status: 405, code: "method_not_allowed", message: "The page accepts only GET and HEAD." },
    {
        status: 413,
        code: "payload_too_large",
        message: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`,
    },
    {
        status: 414,
        code: "uri_too_long",
        message: `The request line is longer than ${HEADER_BUFFER_KIB} KiB.`,
    },
    { status: 429, code: "too_many_requests", message: "Too many requests from this address. Try again in a moment." },
    {
        status: 431,
        from: 494,
        code: "request_header_fields_too_large",
        message: `A request header is longer than ${HEADER_BUFFER_KIB} KiB, or all of them together than ${4 * HEADER_BUFFER_KIB} KiB.`,
    },
    { status: 500, code: "internal_error", message: "Something went wrong on the server." },
    { status: 501, code: "not_implemented", message: "This transfer encoding or method is not supported." },
    { status: 502, code: "backend_unavailable", message: "The backend is unavailable. Try again in a moment." },
    { status: 503, code: "backend_unavailable", message: "The backend is unavailable. Try again in a moment." },
    { status: 504, code: "backend_timeout", message: "The backend did not answer in time." },
    { status: 505, code: "http_version_not_supported", message: "Only HTTP/1.0 and HTTP/1.1 are supported." },
];

/**
 * Every option's default, in one place: the config the cluster gets. The tests and the benchmark read the
 * timeouts and limits they exercise from here.
 */
export const NGINX_DEFAULTS = {
    listenPort: 8080,
    staticRoot: "/usr/share/nginx/html",
    runtimeDir: "/tmp",
    errorLog: "/dev/stderr",
    accessLog: "/dev/stdout",
    mimeTypesPath: "/etc/nginx/mime.types",
    workerProcesses: 2,
    workerConnections: 1024,
    workerShutdownTimeoutSeconds: 20,
    proxyConnectTimeoutSeconds: 2,
    proxyReadTimeoutSeconds: 5,
    proxySendTimeoutSeconds: 5,
    proxyNextUpstreamTimeoutSeconds: 8,
    upstreamFailTimeoutSeconds: 10,
    clientHeaderTimeoutSeconds: 5,
    clientBodyTimeoutSeconds: 5,
    sendTimeoutSeconds: 10,
    connectionsPerClient: 32,
    apiRequestsPerSecondPerClient: 20,
    apiBurstPerClient: 40,
    upstreamKeepalive: 16,
    upstreamKeepaliveTimeoutSeconds: 60,
    upstreamKeepaliveRequests: 100,
} as const;

function keepaliveLines(connections: number, requests: number, timeoutSeconds: number): string {
    return `        # Reused connections skip a TCP handshake per request, but they also pin a worker to the pod
        # kube-proxy chose for that connection; ending each after ${requests} requests lets new pods
        # (after a scale-up or a rollout) receive traffic.
        keepalive ${connections};
        keepalive_requests ${requests};
        # Shorter than gunicorn's keepalive (75 s): NGINX closes an idle connection before the backend
        # does, so it never sends a request down a connection the backend is closing (a spurious 502).
        keepalive_timeout ${timeoutSeconds}s;`;
}

function noKeepalive(): string {
    return `        # No keepalive pool: a new connection per request, and kube-proxy, which balances connections,
        # picks a ready backend pod for each request.`;
}

export function renderNginxConf(options: NginxConfOptions): string {
    const backendServers = validateBackendServers(options.backendServers);
    const listenPort = options.listenPort ?? NGINX_DEFAULTS.listenPort;
    const listenAddress = options.listenAddress;
    const staticRoot = options.staticRoot ?? NGINX_DEFAULTS.staticRoot;
    const runtimeDir = options.runtimeDir ?? NGINX_DEFAULTS.runtimeDir;
    const errorLog = options.errorLog ?? NGINX_DEFAULTS.errorLog;
    const accessLog = options.accessLog ?? NGINX_DEFAULTS.accessLog;
    const mimeTypesPath = options.mimeTypesPath ?? NGINX_DEFAULTS.mimeTypesPath;
    // Not "auto": it counts the node's CPUs, not the container's CPU limit, so on a 16-core node a 250m
    // pod would start 16 workers, each with its own memory and backend keepalive pool. Scale with pods.
    const workerProcesses = options.workerProcesses ?? NGINX_DEFAULTS.workerProcesses;
    const workerConnections = options.workerConnections ?? NGINX_DEFAULTS.workerConnections;
    const workerShutdownTimeout = options.workerShutdownTimeoutSeconds ?? NGINX_DEFAULTS.workerShutdownTimeoutSeconds;
    const connectTimeout = options.proxyConnectTimeoutSeconds ?? NGINX_DEFAULTS.proxyConnectTimeoutSeconds;
    const readTimeout = options.proxyReadTimeoutSeconds ?? NGINX_DEFAULTS.proxyReadTimeoutSeconds;
    const sendTimeout = options.proxySendTimeoutSeconds ?? NGINX_DEFAULTS.proxySendTimeoutSeconds;
    const nextUpstreamTimeout =
        options.proxyNextUpstreamTimeoutSeconds ?? NGINX_DEFAULTS.proxyNextUpstreamTimeoutSeconds;
    const failTimeout = options.upstreamFailTimeoutSeconds ?? NGINX_DEFAULTS.upstreamFailTimeoutSeconds;
    const clientHeaderTimeout = options.clientHeaderTimeoutSeconds ?? NGINX_DEFAULTS.clientHeaderTimeoutSeconds;
    const clientBodyTimeout = options.clientBodyTimeoutSeconds ?? NGINX_DEFAULTS.clientBodyTimeoutSeconds;
    const clientSendTimeout = options.sendTimeoutSeconds ?? NGINX_DEFAULTS.sendTimeoutSeconds;
    const connectionsPerClient = options.connectionsPerClient ?? NGINX_DEFAULTS.connectionsPerClient;
    const apiRate = options.apiRequestsPerSecondPerClient ?? NGINX_DEFAULTS.apiRequestsPerSecondPerClient;
    const apiBurst = options.apiBurstPerClient ?? NGINX_DEFAULTS.apiBurstPerClient;
    const keepalive = options.upstreamKeepalive ?? NGINX_DEFAULTS.upstreamKeepalive;
    const keepaliveTimeout = options.upstreamKeepaliveTimeoutSeconds ?? NGINX_DEFAULTS.upstreamKeepaliveTimeoutSeconds;
    const keepaliveRequests = options.upstreamKeepaliveRequests ?? NGINX_DEFAULTS.upstreamKeepaliveRequests;

    checkPort("listenPort", listenPort);
    if (listenAddress !== undefined && !/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])$/.test(listenAddress)) {
        throw new Error(`listenAddress is "${listenAddress}": expected an IPv4 address or a bracketed IPv6 address`);
    }
    for (const [key, value] of Object.entries({ staticRoot, runtimeDir, mimeTypesPath, errorLog, accessLog })) {
        checkPath(key, value);
    }
    if (workerProcesses !== "auto") {
        checkPositiveInteger("workerProcesses", workerProcesses);
    }
    const positives = {
        workerConnections,
        workerShutdownTimeoutSeconds: workerShutdownTimeout,
        proxyConnectTimeoutSeconds: connectTimeout,
        proxyReadTimeoutSeconds: readTimeout,
        proxySendTimeoutSeconds: sendTimeout,
        proxyNextUpstreamTimeoutSeconds: nextUpstreamTimeout,
        upstreamKeepaliveTimeoutSeconds: keepaliveTimeout,
        upstreamKeepaliveRequests: keepaliveRequests,
        upstreamFailTimeoutSeconds: failTimeout,
        clientHeaderTimeoutSeconds: clientHeaderTimeout,
        clientBodyTimeoutSeconds: clientBodyTimeout,
        sendTimeoutSeconds: clientSendTimeout,
        connectionsPerClient,
        apiRequestsPerSecondPerClient: apiRate,
        apiBurstPerClient: apiBurst,
    };
    for (const [key, value] of Object.entries(positives)) {
        checkPositiveInteger(key, value);
    }
    if (!Number.isInteger(keepalive) || keepalive < 0) {
        throw new Error(
            `upstreamKeepalive is ${keepalive}: expected 0 (a new connection per request) or a positive integer`,
        );
    }
    const longestAttempt = Math.max(connectTimeout, sendTimeout, readTimeout);
    if (nextUpstreamTimeout <= longestAttempt) {
        throw new Error(
            `proxyNextUpstreamTimeoutSeconds is ${nextUpstreamTimeout}: it must exceed the connect, send and read ` +
                `timeouts (${connectTimeout}, ${sendTimeout} and ${readTimeout} s), or a retry after one of them could never start`,
        );
    }

    const listen = listenAddress === undefined ? `${listenPort}` : `${listenAddress}:${listenPort}`;
    const headers = (indent: string) =>
        responseHeaderLines()
            .map((line) => indent + line)
            .join("\n");

    return `# Rendered by components/nginx/nginxConf.ts; edit that file, not this one.
# Runs as a non-root user on a read-only root filesystem: no "user" directive, and everything NGINX
# writes (pid, temp files) goes to ${runtimeDir}, which in the pod is an emptyDir.
worker_processes ${workerProcesses};
pid ${runtimeDir}/nginx.pid;
error_log ${errorLog} warn;
# On SIGQUIT (the image's STOPSIGNAL) workers finish open requests, but idle keepalive clients could
# hold them until SIGKILL; this bound ends the drain inside the pod's termination grace period.
worker_shutdown_timeout ${workerShutdownTimeout}s;

events {
    worker_connections ${workerConnections};
}

http {
    include ${mimeTypesPath};
    default_type application/octet-stream;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    # Above the 60 s idle timeout of common cloud load balancers, so they, not NGINX, close idle
    # connections first and never forward a request onto a connection NGINX is closing.
    keepalive_timeout 75s;

    # Slow clients: all headers within ${clientHeaderTimeout} s (one timer for the whole header), at most ${clientBodyTimeout} s between
    # two reads of a body and ${clientSendTimeout} s between two writes of an answer; then NGINX closes the connection and
    # frees its memory at once. A body trickled faster is bounded by its ${MAX_BODY_BYTES / 1024} KiB and by limit_conn.
    client_header_timeout ${clientHeaderTimeout}s;
    client_body_timeout ${clientBodyTimeout}s;
    send_timeout ${clientSendTimeout}s;
    reset_timedout_connection on;
    # A request line over ${HEADER_BUFFER_KIB} KiB gets a 414; a header line over it, or headers over ${4 * HEADER_BUFFER_KIB} KiB in all, a 431.
    # gunicorn's own limits are higher, so its HTML error pages never reach a client.
    large_client_header_buffers 4 ${HEADER_BUFFER_KIB}k;

    # Per-client limits, keyed by the client's address. Where a load balancer or NodePort hides it (SNAT),
    # every client behind one node shares a key, so the limits leave room for a few users each. The pod's
    # own loopback (kubectl port-forward, the benchmark) is not limited: an empty key is never counted.
    geo $limit_exempt {
        default 0;
${UNLIMITED_CLIENTS.map((address) => `        ${address} 1;`).join("\n")}
    }
    map $limit_exempt $limit_key {
        0 $binary_remote_addr;
        1 "";
    }
    limit_conn_zone $limit_key zone=connections_per_client:1m;
    limit_req_zone $limit_key zone=api_per_client:1m rate=${apiRate}r/s;
    limit_conn_status 429;
    limit_req_status 429;
    limit_conn_log_level warn;
    limit_req_log_level warn;

    client_body_temp_path ${runtimeDir}/client_temp;
    proxy_temp_path ${runtimeDir}/proxy_temp;
    fastcgi_temp_path ${runtimeDir}/fastcgi_temp;
    uwsgi_temp_path ${runtimeDir}/uwsgi_temp;
    scgi_temp_path ${runtimeDir}/scgi_temp;

    # One JSON object per line: log collectors parse it, and request_id joins it to the backend's logs.
    log_format json escape=json '{"time":"$time_iso8601","request_id":"$request_id",'
        '"remote_addr":"$remote_addr","method":"$request_method","uri":"$request_uri",'
        '"status":$status,"body_bytes_sent":$body_bytes_sent,"request_time":$request_time,'
        '"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status",'
        '"upstream_response_time":"$upstream_response_time","user_agent":"$http_user_agent"}';
    access_log ${accessLog} json;

    gzip on;
    gzip_min_length 256;
    gzip_vary on;
    # Clients behind a proxy (a Via header) still get compressed answers.
    gzip_proxied any;
    # text/html is always compressed. Both JavaScript types: newer mime.types files map .js to text/javascript.
    gzip_types text/css application/javascript text/javascript application/json text/plain;

    # The backend Service's DNS name is resolved once, at startup, to its ClusterIP, which never changes
    # while the Service exists; kube-proxy then spreads each new connection over the ready backend pods.
    upstream backend {
        # Shared memory: every worker sees the same round robin and the same failed servers, instead of
        # each learning about a failure on its own.
        zone backend 64k;
        # Passive health: one failed attempt (as proxy_next_upstream counts failures: an error, a timeout,
        # a 502 or 503) keeps a server out for ${failTimeout} s, then one request tries it again. NGINX ignores
        # this for a group of one server, such as the cluster's Service address (see the retry note below).
${backendServers.map((server) => `        server ${server} max_fails=1 fail_timeout=${failTimeout}s;`).join("\n")}
${keepalive === 0 ? noKeepalive() : keepaliveLines(keepalive, keepaliveRequests, keepaliveTimeout)}
    }

    server {
        # IPv4 only, like the minikube and EKS pod networks; a dual-stack cluster would add [::]:port.
        listen ${listen} default_server;
        server_name _;
        root ${staticRoot};
        index index.html;
        # Redirects keep the client's own host and port (a NodePort or port-forward, not 8080).
        absolute_redirect off;

${headers("        ")}

        # The backend refuses larger bodies too; NGINX refuses them before they cross the network.
        client_max_body_size ${MAX_BODY_BYTES / 1024}k;
        # Bodies up to the limit stay in memory, never in temp files on the pod's ephemeral storage.
        client_body_buffer_size ${MAX_BODY_BYTES / 1024}k;
        limit_conn connections_per_client ${connectionsPerClient};

        # URIs, not named locations: NGINX cannot redirect a request whose request line it could not parse
        # (a 400, 414 or 505) to a named location, and would answer its own HTML 500 instead.
${NGINX_JSON_ERRORS.map((e) => `        error_page ${e.from === undefined ? e.status : `${e.from} =${e.status}`} ${errorPageUri(e.status)};`).join("\n")}

        # The frontend's own probes. They must not touch the backend: if they did, a backend outage
        # would take every frontend pod out of the Service (and restart them), and the page could no
        # longer even say that the backend is down.
        # Liveness: the worker answers at all.
        location = /healthz {
            access_log off;
            default_type text/plain;
            return 200 "ok\\n";
        }

        # Readiness: this pod also has the page to serve (its ConfigMap volume is mounted).
        location = /readyz {
            access_log off;
            default_type text/plain;
            if (!-f $document_root/index.html) {
                return 503 "page not mounted\\n";
            }
            return 200 "ready\\n";
        }

        location / {
            # The file names carry no content hash, so the browser must revalidate them (a cheap 304)
            # to pick up a new page version at once. An add_header here drops every add_header the
            # server level set, hence the repeat.
            add_header Cache-Control "no-cache" always;
${headers("            ")}
            charset utf-8;
        }

        location /api/ {
            # Up to ${apiBurst} requests at once, then ${apiRate} a second on average; more get the JSON 429.
            limit_req zone=api_per_client burst=${apiBurst} nodelay;
            proxy_pass http://backend;
            # HTTP/1.1 with an empty Connection header is what lets upstream keepalive work.
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Request-ID $request_id;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # The scheme NGINX saw: "http" even when a load balancer in front of it terminated TLS.
            proxy_set_header X-Forwarded-Proto $scheme;
            # The frontend owns these headers; hiding the backend's copies avoids duplicates.
${Object.keys(SECURITY_HEADERS)
    .map((name) => `            proxy_hide_header ${name};`)
    .join("\n")}

            proxy_connect_timeout ${connectTimeout}s;
            proxy_send_timeout ${sendTimeout}s;
            proxy_read_timeout ${readTimeout}s;

            # Try another server when one cannot be reached, hangs or says it is failing: a GET that timed
            # out after ${readTimeout} s on a hung server is answered by the next one. The retry budget
            # (${nextUpstreamTimeout} s) exceeds every single timeout, or a retry after one could never start; a client
            # waits at most two attempts. NGINX retries a POST only if it never reached the backend: once sent it
            # may have been processed, and repeating it could store the message twice. A retry needs a second
            # address: the cluster's upstream is one Service address, so there a hung pod is the readiness
            # probe's job (it leaves the Service, and kube-proxy sends new connections elsewhere).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout ${nextUpstreamTimeout}s;
        }

        # Errors NGINX itself answers, as JSON in the backend's shape so the page handles one format.
        # internal: a client asking for these paths gets the JSON 404. The empty types map keeps the type
        # JSON even for a URI such as /api/x.html.
        location ^~ ${ERROR_PAGE_PREFIX} {
            internal;
            types { }
            default_type application/json;

${NGINX_JSON_ERRORS.map((e) => jsonErrorLocation(e.status, e.code, e.message)).join("\n")}
        }
    }
}
`;
}

const SERVER_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

function validateBackendServers(servers: readonly string[]): readonly string[] {
    if (servers.length === 0) {
        throw new Error('backendServers is empty: expected at least one "host:port" entry');
    }
    servers.forEach((server, index) => {
        const match = SERVER_PATTERN.exec(server);
        const port = match === null ? NaN : Number(match[1]);
        if (!(port >= 1 && port <= 65535)) {
            throw new Error(
                `backendServers[${index}] is "${server}": expected "host:port" with a port from 1 to 65535, ` +
                    'e.g. "backend.first-k8s.svc.cluster.local:80"',
            );
        }
    });
    return servers;
}

function checkPort(key: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
        throw new Error(`${key} is ${value}: expected an integer from 1 to 65535`);
    }
}

function checkPositiveInteger(key: string, value: number): void {
    if (!Number.isInteger(value) || value < 1) {
        throw new Error(`${key} is ${value}: expected a positive integer`);
    }
}

/** Paths are pasted into directives unquoted, so they must be absolute and free of NGINX syntax. */
function checkPath(key: string, value: string): void {
    if (!/^\/[^\s;{}'"$\\]*$/.test(value)) {
        throw new Error(
            `${key} is "${value}": expected an absolute path without spaces, quotes, ";", "{", "}", "$" or "\\"`,
        );
    }
}

/**
 * The security headers plus X-Request-ID, which lets a user quote the id that the access log and the
 * backend's log carry. `always` adds them to error responses too.
 */
function responseHeaderLines(): string[] {
    return [
        ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `add_header ${name} "${value}" always;`),
        "add_header X-Request-ID $request_id always;",
    ];
}

/** The JSON body NGINX sends for `status`, as a client receives it. */
function nginxErrorBody(status: number, code: string, message: string): string {
    return JSON.stringify({ error: { status, code, message } });
}

/** Where NGINX's own error answers live; `internal`, so clients cannot request them. */
const ERROR_PAGE_PREFIX = "/_nginx_errors/";

function errorPageUri(status: number): string {
    return `${ERROR_PAGE_PREFIX}${status}`;
}

function jsonErrorLocation(status: number, code: string, message: string): string {
    const body = nginxErrorBody(status, code, message);
    // The body is pasted into a single-quoted NGINX string, where ' ends it and $ starts a variable.
    if (/['$\\]/.test(body)) {
        throw new Error(`The ${status} error body contains ', $ or \\, which NGINX would misread: ${body}`);
    }
    return `            location = ${errorPageUri(status)} {
                return ${status} '${body}';
            }`;
}
