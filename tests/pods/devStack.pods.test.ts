/**
 * The dev stack on a real node, deployed as scripts/deploy-dev.sh deploys it (the backend image built from
 * app/backend by `minikube image build`, here the stand-in that builds into the node): real containers, real
 * probes, kube-proxy's rules, kube-router's policies, metrics-server's CPU. Each scenario is asserted against the
 * cluster and against what a client on the host sees; the figures it measures are printed ("measured: ...").
 */
import { strict as assert } from "assert";
import { APP_NAME } from "../../components/labels";
import { forwardNodePort } from "../../tools/engine/nodePortForward";
import { CLUSTER_DIR_VARIABLE, STAND_IN_DIR } from "../../tools/engine/standIns/minikube";
import { condition, eventually, KubeObject, watchFewest } from "../engine/support/cluster";
import { conceptRows, shellWords } from "../support/concepts";
import { DEPLOY_DEV_UP_OPTIONS } from "../engine/support/deployDev";
import { EngineStack, createStack, destroyAndRemove, logTo, printLogIfFailed } from "../engine/support/stack";
import { launchBrowser } from "../support/browser";
import { kubectlAsync, realClusterForSuite } from "./support/realCluster";
import { Traffic, startTraffic } from "./support/traffic";

const NAMESPACE = "first-k8s";

function measured(what: string, ms: number): void {
    console.log(`      measured: ${what}: ${(ms / 1000).toFixed(1)} s`);
}

describe("the dev stack on a real node (real pods)", function () {
    this.timeout(10 * 60_000);
    const cluster = realClusterForSuite();
    let dev: EngineStack | undefined;
    let appUrl = "";
    const stack = () => {
        assert.ok(dev, "the stack was not created");
        return dev;
    };
    const pods = (tier: string): KubeObject[] =>
        cluster()
            .list("pods", NAMESPACE)
            .filter(
                (pod) =>
                    pod.metadata.labels?.["app.kubernetes.io/name"] === tier &&
                    pod.metadata.deletionTimestamp === undefined,
            );
    const readyPods = (tier: string) => pods(tier).filter((pod) => condition(pod, "Ready") === "True");

    before(async function () {
        this.timeout(15 * 60_000);
        const state = cluster().state;
        dev = await createStack(
            "dev",
            state.kubeconfig,
            { frontendImage: state.frontendImage },
            { pathFirst: [STAND_IN_DIR], variables: { [CLUSTER_DIR_VARIABLE]: state.dir } },
        );
        const started = Date.now();
        await dev.stack.up({ ...DEPLOY_DEV_UP_OPTIONS, ...logTo(dev, "up") });
        await eventually(
            "two Ready pods of each tier",
            () => (readyPods("backend").length === 2 && readyPods("frontend").length === 2 ? true : undefined),
            180_000,
        );
        measured("pulumi up (backend image built from source) to every pod Ready", Date.now() - started);
        const frontend = cluster().getJson(["get", "service", "frontend", "-n", NAMESPACE]);
        const nodePort = (frontend.spec as { ports: { nodePort: number }[] }).ports[0].nodePort;
        appUrl = await forwardNodePort(state.dir, nodePort);
    });
    // A scenario that fails half-way must not leave its client running into the next one, where its requests
    // would count against the same per-address rate limit (NGINX's 429).
    const clients = new Set<Traffic>();
    const trafficTo = (url: string): Traffic => {
        const client = startTraffic(url);
        clients.add(client);
        return client;
    };
    afterEach(async function () {
        await Promise.all([...clients].map((client) => client.stop()));
        clients.clear();
        printLogIfFailed(this.currentTest, dev, cluster());
    });
    after(async function () {
        this.timeout(5 * 60_000);
        await destroyAndRemove(dev);
    });

    it("runs every pod Ready through its own probes, admitted by Pod Security restricted, read-only root", () => {
        const namespace = cluster().getJson(["get", "namespace", NAMESPACE]);
        assert.equal(namespace.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
        for (const pod of [...pods("backend"), ...pods("frontend")]) {
            const spec = pod.spec as {
                containers: { name: string; image: string; securityContext: { readOnlyRootFilesystem: boolean } }[];
            };
            for (const container of spec.containers) {
                assert.equal(
                    container.securityContext.readOnlyRootFilesystem,
                    true,
                    `${pod.metadata.name}/${container.name}`,
                );
            }
            const statuses = (pod.status as { containerStatuses: { ready: boolean; restartCount: number }[] })
                .containerStatuses;
            assert.deepEqual(
                statuses.map((status) => [status.ready, status.restartCount]),
                spec.containers.map(() => [true, 0]),
                pod.metadata.name,
            );
        }
        const backendImage = (pods("backend")[0].spec as { containers: { image: string }[] }).containers[0].image;
        assert.match(backendImage, /^first-k8s\/backend:src-[0-9a-f]{12}$/);
    });

    it("answers kubectl logs and kubectl exec", () => {
        const logs = cluster().kubectl(["logs", "-n", NAMESPACE, "deploy/backend"]);
        assert.match(logs, /Listening at: http:\/\/0\.0\.0\.0:8000/);
        assert.equal(cluster().kubectl(["exec", "-n", NAMESPACE, "deploy/backend", "--", "id", "-u"]).trim(), "10001");
        assert.throws(
            () => cluster().kubectl(["exec", "-n", NAMESPACE, "deploy/backend", "--", "touch", "/app/x"]),
            /Read-only file system/,
        );
    });

    it('serves the page through the frontend\'s NodePort; in Chromium, "Send 20" is answered by both backend pods', async () => {
        const browser = await launchBrowser();
        try {
            const page = await browser.newPage();
            await page.goto(appUrl);
            await page.locator('#backend-status[data-state="available"]').waitFor({ timeout: 10_000 });
            await page.getByRole("button", { name: "Send 20" }).click();
            await page
                .getByRole("status")
                .filter({ hasText: "20 of 20 messages answered." })
                .waitFor({ timeout: 30_000 });
            const answered = await Promise.all(
                (await page.locator("#distribution-body tr").all()).map((row) => row.getAttribute("data-pod")),
            );
            assert.deepEqual(
                answered.sort(),
                readyPods("backend")
                    .map((pod) => pod.metadata.name)
                    .sort(),
            );
            assert.equal(
                ((await page.locator("#distribution-summary").textContent()) ?? "").trim(),
                "20 answers from 2 pods on 1 node.",
            );
            assert.deepEqual(browser.pageErrors, []);
            assert.deepEqual(browser.offLoopbackRequests, []);
        } finally {
            await browser.close();
        }
    });

    /** The README row's first `kubectl ...` command, as a shell would split it, without "kubectl". */
    const rowCommand = (concept: string): string[] => {
        const row = conceptRows().find((candidate) => candidate.concept === concept);
        assert.ok(row, `the README's concepts table has no row "${concept}"`);
        const command = /`(kubectl [^`]+)`/.exec(row.command)?.[1];
        assert.ok(command, `the row "${concept}" runs no kubectl command`);
        return shellWords(command).slice(1);
    };
    const restarts = (pod: KubeObject) =>
        (pod.status as { containerStatuses?: { restartCount: number }[] }).containerStatuses?.[0]?.restartCount ?? 0;
    /** Records each backend pod's restart count now; the returned check lists the pods restarted since. */
    const backendRestartsNow = () => {
        const before = new Map(pods("backend").map((pod) => [pod.metadata.name, restarts(pod)]));
        return () => pods("backend").filter((pod) => restarts(pod) > (before.get(pod.metadata.name) ?? 0));
    };
    const bothTiersReady = () =>
        eventually(
            "every pod of both tiers Ready again",
            () =>
                pods("backend").length >= 2 &&
                readyPods("backend").length === pods("backend").length &&
                readyPods("frontend").length === pods("frontend").length
                    ? true
                    : undefined,
            120_000,
        );
    const readyEndpoints = (): string[] =>
        cluster()
            .list("endpointslices", NAMESPACE)
            .filter((slice) => slice.metadata.labels?.["kubernetes.io/service-name"] === "backend")
            .flatMap(
                (slice) =>
                    (
                        slice as unknown as {
                            endpoints?: { targetRef?: { name: string }; conditions?: { ready?: boolean } }[];
                        }
                    ).endpoints ?? [],
            )
            .filter((endpoint) => endpoint.conditions?.ready === true)
            .map((endpoint) => endpoint.targetRef?.name ?? "");

    /** NGINX's own JSON answers when the backend cannot be reached (502) or does not answer in time (504). */
    const NGINX_BACKEND_ERROR =
        /^status (502: \{"error":\{"status":502,"code":"backend_unavailable"|504: \{"error":\{"status":504,"code":"backend_timeout")/;

    it("restarts a crashed backend container (the README's `kill 1`) while a client through the frontend loses no GET", async () => {
        const restartedSince = backendRestartsNow();
        const traffic = trafficTo(`${appUrl}api/info`);
        const started = Date.now();
        cluster().kubectl(rowCommand("Health checks fail traffic over (a crash)"));
        const crashed = await eventually("a backend container restarted", () => restartedSince().at(0), 60_000);
        measured("crash to the container restarted (RESTARTS 1)", Date.now() - started);
        await eventually(
            `${crashed.metadata.name} Ready again`,
            () => (readyPods("backend").some((pod) => pod.metadata.name === crashed.metadata.name) ? true : undefined),
            60_000,
        );
        measured("crash to the restarted pod Ready again", Date.now() - started);
        // Another stretch of traffic with both pods Ready, in which nothing may fail either.
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        const result = await traffic.stop();
        console.log(`      measured: requests during the crash: ${result.sent} sent, ${result.failed} lost`);
        // The crashed pod drains (BACKEND_PROCESS_ENV.SHUTDOWN_DRAIN_SECONDS) until its failed readiness probes
        // have taken it out of kube-proxy's rules, so no new connection reaches a closed listener.
        assert.equal(result.failed, 0, result.failures.join("\n"));
        assert.ok(result.sent >= 100, `only ${result.sent} requests were sent`);
        assert.ok(result.pods.size >= 2, `answers came from ${[...result.pods].join(", ")}`);
    });

    it("takes a hung backend (the README's `kill -STOP -1`) out of the endpoints within 12 s, and has it restarted or its workers replaced within 65 s", async () => {
        await bothTiersReady();
        const restartedSince = backendRestartsNow();
        const traffic = trafficTo(`${appUrl}api/info`);
        const started = Date.now();
        cluster().kubectl(rowCommand("Health checks fail traffic over (a hang)"));
        const hung = await eventually(
            "a backend pod out of the endpoints",
            () => {
                const ready = readyEndpoints();
                return ready.length === 1
                    ? pods("backend").find((pod) => !ready.includes(pod.metadata.name))
                    : undefined;
            },
            30_000,
        );
        const outOfEndpoints = Date.now() - started;
        measured("hang to the pod out of the endpoints", outOfEndpoints);
        // Whichever comes first (the README says both): the liveness probe has the kubelet restart the container,
        // or gunicorn's arbiter (PID 1, not stopped) kills the silent workers after its 30 s timeout and starts
        // new ones, and the pod passes its readiness probe again without a restart.
        const recovery = await eventually(
            `${hung.metadata.name} restarted or serving again`,
            () => {
                if (restartedSince().some((pod) => pod.metadata.name === hung.metadata.name)) {
                    return "the container restarted";
                }
                return readyEndpoints().includes(hung.metadata.name) ? "its workers replaced by gunicorn" : undefined;
            },
            70_000,
        );
        const restarted = Date.now() - started;
        measured(`hang to ${recovery}`, restarted);
        const result = await traffic.stop();
        console.log(
            `      measured: requests during the hang: ${result.sent} sent, ${result.failed} failed (${result.failures.join("; ")})`,
        );
        assert.ok(
            outOfEndpoints <= 12_000,
            `out of the endpoints after ${outOfEndpoints} ms, the README says within 12 s`,
        );
        assert.ok(restarted <= 65_000, `${recovery} after ${restarted} ms, the README says within 65 s`);
        // Only requests sent before the hung pod left the endpoints may fail, and then with NGINX's JSON 504
        // (no answer within its read timeout) or 502 (the connection refused).
        assert.ok(
            result.failures.every((failure) => NGINX_BACKEND_ERROR.test(failure)),
            result.failures.join("\n"),
        );
        const leftEndpoints = started + outOfEndpoints;
        assert.ok(
            result.failedSentAt.every((sentAt) => sentAt < leftEndpoints),
            `requests sent at ${result.failedSentAt.map((at) => ((at - started) / 1000).toFixed(1)).join(", ")} s failed; ` +
                `the pod left the endpoints at ${(outOfEndpoints / 1000).toFixed(1)} s`,
        );
    });

    it("adds backend pods under the README's load (the HPA reads real CPU from metrics-server)", async () => {
        await bothTiersReady();
        const row = conceptRows().find((candidate) => candidate.concept === "Horizontal scaling");
        const loadCommand = /`(kubectl create deployment load [^`]+)`/.exec(row?.command ?? "")?.[1];
        assert.ok(loadCommand, "the Horizontal scaling row has no `kubectl create deployment load` command");
        const args = shellWords(loadCommand).slice(1);
        const started = Date.now();
        cluster().kubectl(args);
        try {
            await eventually(
                "the backend HPA above two replicas",
                () => {
                    const hpa = cluster().getJson(["get", "hpa", "backend", "-n", NAMESPACE]);
                    return ((hpa.status as { desiredReplicas?: number }).desiredReplicas ?? 0) > 2 ? true : undefined;
                },
                240_000,
            );
            measured("load started to the HPA asking for a third backend pod", Date.now() - started);
            await eventually(
                "a third backend pod Ready",
                () => (readyPods("backend").length > 2 ? true : undefined),
                120_000,
            );
            measured("load started to the third backend pod Ready", Date.now() - started);
        } finally {
            cluster().kubectl(["delete", "deployment", "load", "-n", "default", "--wait=false"]);
        }
    });

    it("shows each pod's CPU and memory in kubectl top (metrics-server)", async () => {
        const rows = await eventually(
            "kubectl top figures for every pod",
            () => {
                const lines = cluster().kubectl(["top", "pods", "-n", NAMESPACE, "--no-headers"]).trim().split("\n");
                return lines.length >= pods("backend").length + pods("frontend").length ? lines : undefined;
            },
            90_000,
        );
        for (const line of rows) {
            const [name, cpu, memory] = line.trim().split(/\s+/);
            assert.match(cpu, /^\d+m$/, line);
            assert.match(memory, /^[1-9]\d*Mi$/, line);
            console.log(`      measured: kubectl top ${name}: ${cpu} CPU, ${memory}`);
        }
    });

    it("rolls every backend pod for a vertical change (backendCpuRequest 200m) and loses no request", async () => {
        await bothTiersReady();
        const old = new Set(pods("backend").map((pod) => pod.metadata.name));
        const traffic = trafficTo(`${appUrl}api/info`);
        const started = Date.now();
        await stack().stack.setConfig("backendCpuRequest", { value: "200m" });
        await stack().stack.up({ ...DEPLOY_DEV_UP_OPTIONS, ...logTo(stack(), "up backendCpuRequest 200m") });
        await eventually(
            "every backend pod replaced and Ready",
            () => {
                const current = pods("backend");
                return current.every((pod) => !old.has(pod.metadata.name)) &&
                    readyPods("backend").length === current.length
                    ? current
                    : undefined;
            },
            180_000,
        );
        measured("vertical change: pulumi up to every backend pod replaced", Date.now() - started);
        const result = await traffic.stop();
        console.log(`      measured: requests during the rollout: ${result.sent} sent, ${result.failed} lost`);
        assert.equal(result.failed, 0, result.failures.join("\n"));
        for (const pod of pods("backend")) {
            const spec = pod.spec as { containers: { resources: { requests: { cpu: string } } }[] };
            assert.equal(spec.containers[0].resources.requests.cpu, "200m", pod.metadata.name);
        }
    });

    it("lets a drain evict at most one pod of each tier at a time (the PodDisruptionBudgets)", async () => {
        await bothTiersReady();
        const backends = pods("backend").length;
        const frontends = pods("frontend").length;
        const fewestBackends = watchFewest(() => readyPods("backend").length);
        const fewestFrontends = watchFewest(() => readyPods("frontend").length);
        let refused = "";
        try {
            // A real drain, not the row's dry run: with one node, evicted pods cannot go anywhere, so the budget
            // stops the second eviction of each tier and the drain gives up at its timeout. Only the app's pods:
            // evicting CoreDNS too (one replica, no budget, as in minikube) would leave a new frontend pod unable
            // to resolve the backend's name at startup, crash-looping long after the uncordon.
            // Asynchronous, so that the watchers sample while it runs.
            await kubectlAsync(cluster().state, [
                "drain",
                "minikube",
                `--pod-selector=app.kubernetes.io/part-of=${APP_NAME}`,
                "--delete-emptydir-data",
                "--timeout=20s",
            ]);
        } catch (error) {
            refused = String(error);
        } finally {
            cluster().kubectl(["uncordon", "minikube"]);
        }
        assert.match(refused, /disruption budget/);
        assert.equal(await fewestBackends.stop(), backends - 1);
        assert.equal(await fewestFrontends.stop(), frontends - 1);
        await bothTiersReady();
    });

    /** Runs `command` in a pod of `default` (which no policy of the app selects) to completion; its output. */
    const logsOfPodInDefault = async (name: string, image: string, command: readonly string[]): Promise<string> => {
        cluster().kubectl([
            "run",
            name,
            "-n",
            "default",
            `--image=${image}`,
            "--restart=Never",
            "--command",
            "--",
            ...command,
        ]);
        try {
            await eventually(
                `the pod ${name} done`,
                () =>
                    (cluster().getJson(["get", "pod", name, "-n", "default"]).status as { phase: string }).phase ===
                    "Succeeded"
                        ? true
                        : undefined,
                60_000,
            );
            return cluster().kubectl(["logs", name, "-n", "default"]).trim();
        } finally {
            cluster().kubectl(["delete", "pod", name, "-n", "default", "--wait=false"]);
        }
    };

    it("enforces the NetworkPolicies: backend closed to other namespaces, frontend open, DNS works, other egress refused", async () => {
        const script = [
            // wget's own error line (a timeout) goes nowhere: kubectl logs would mix it into the verdicts.
            "if wget -q -T 3 -O /dev/null http://backend.first-k8s:8000/api/info 2>/dev/null; then echo backend=open; else echo backend=closed; fi",
            "if wget -q -T 3 -O /dev/null http://frontend.first-k8s/ 2>/dev/null; then echo frontend=open; else echo frontend=closed; fi",
        ].join("; ");
        assert.deepEqual((await logsOfPodInDefault("policy-check", "busybox:1.37", ["sh", "-c", script])).split("\n"), [
            "backend=closed",
            "frontend=open",
        ]);
        const python = (code: string) =>
            cluster().kubectl(["exec", "-n", NAMESPACE, "deploy/backend", "--", "python", "-c", code]).trim();
        const backendIp = (
            cluster().getJson(["get", "service", "backend", "-n", NAMESPACE]).spec as { clusterIP: string }
        ).clusterIP;
        assert.equal(
            python("import socket; print(socket.gethostbyname('backend.first-k8s.svc.cluster.local'))"),
            backendIp,
        );
        // The API server's Service: open to a pod in `default`, which no policy selects; from the backend,
        // allowed by nothing in the app's policies. kube-router rejects what a policy denies (a refused
        // connection); Calico and the VPC CNI's agent drop it (a timeout).
        const connectToApiServer =
            "import socket\ntry:\n socket.create_connection(('10.96.0.1', 443), 3); print('open')\nexcept OSError as e: print(type(e).__name__)";
        const backendImage = (pods("backend")[0].spec as { containers: { image: string }[] }).containers[0].image;
        assert.equal(
            await logsOfPodInDefault("egress-check", backendImage, ["python", "-c", connectToApiServer]),
            "open",
        );
        assert.equal(python(connectToApiServer), "ConnectionRefusedError");
    });
});
