/**
 * The dev stack through the real Pulumi engine against a real API server: what `./scripts/deploy-dev.sh`
 * does for a user, minus the image build (backendImage is set, as a user without Docker would). Every
 * assertion reads the cluster through kubectl.
 */
import { strict as assert } from "assert";
import { OpType } from "@pulumi/pulumi/automation";
import { renderStack } from "../../tools/render/renderStack";
import { previewAwsMocks } from "../../tools/mockRuntime";
import {
    ClusterHandle,
    condition,
    eventually,
    KubeObject,
    localClusterForSuite,
    TEST_BACKEND_IMAGE,
    waitForNamespaceGone,
    watchFewest,
} from "./support/cluster";
import { EngineStack, createStack, destroyAndRemove, logTo, printLogIfFailed } from "./support/stack";
import { containsSpec } from "./support/specs";
import { conceptRows, readOnlyKubectlCommands } from "../support/concepts";

const BACKEND_IMAGE = TEST_BACKEND_IMAGE;
const NAMESPACE = "first-k8s";
/** The kinds of the app's namespaced objects, and how many of each the dev stack makes. */
const NAMESPACED_KINDS: Readonly<Record<string, number>> = {
    deployment: 2,
    service: 2,
    serviceaccount: 3, // the two tiers' and the namespace's "default"
    configmap: 2, // the frontend's and the cluster's kube-root-ca.crt
    poddisruptionbudget: 2,
    horizontalpodautoscaler: 2,
    networkpolicy: 5,
};

function onlySame(changes: Record<string, number> | undefined): boolean {
    return changes !== undefined && Object.keys(changes).every((op) => op === "same");
}

function readyPods(cluster: ClusterHandle, tier: string): KubeObject[] {
    return cluster
        .list("pods", NAMESPACE)
        .filter(
            (pod) =>
                pod.metadata.labels?.["app.kubernetes.io/name"] === tier &&
                pod.metadata.deletionTimestamp === undefined,
        )
        .filter((pod) => condition(pod, "Ready") === "True");
}

describe("dev stack, real engine, real API server (one minikube-like node)", function () {
    // Each engine operation starts the language host and the provider: seconds, not milliseconds.
    this.timeout(5 * 60_000);
    const cluster = localClusterForSuite("minikube");
    let dev: EngineStack | undefined;
    const stack = () => {
        assert.ok(dev, "the stack was not created");
        return dev;
    };

    before(async function () {
        this.timeout(5 * 60_000);
        dev = await createStack("dev", cluster().state.kubeconfig, { backendImage: BACKEND_IMAGE });
    });
    afterEach(function () {
        printLogIfFailed(this.currentTest, dev, cluster());
    });
    after(async function () {
        this.timeout(5 * 60_000);
        // Leave the cluster to its own after hook; the state and the project copy go here.
        await destroyAndRemove(dev);
    });

    it("previews the creates the offline render lists, and creates nothing", async () => {
        const rendering = await renderStack("dev", previewAwsMocks(), { backendImage: BACKEND_IMAGE });
        const preview = await stack().stack.preview(logTo(stack(), "preview"));
        // The render lists every resource but the stack itself; the engine counts the stack as a create too.
        assert.deepEqual(preview.changeSummary, { create: rendering.plan.length + 1 } as Record<OpType, number>);
        assert.equal(cluster().kubectl(["get", "namespace", NAMESPACE, "--ignore-not-found", "-o", "name"]), "");
    });

    it("creates every object, and each holds the spec the render shows", async () => {
        const result = await stack().stack.up(logTo(stack(), "up"));
        assert.equal(result.summary.result, "succeeded");
        const rendering = await renderStack("dev", previewAwsMocks(), { backendImage: BACKEND_IMAGE });
        for (const object of rendering.objects) {
            const { kind, metadata } = object.manifest;
            const live = cluster().getJson([
                "get",
                kind.toLowerCase(),
                metadata.name,
                ...(metadata.namespace ? ["-n", metadata.namespace] : []),
            ]);
            const mismatch = containsSpec(live, object.manifest);
            assert.equal(mismatch, undefined, `${kind} ${metadata.name}: ${mismatch}`);
        }
        for (const [kind, count] of Object.entries(NAMESPACED_KINDS)) {
            assert.equal(cluster().list(kind, NAMESPACE).length, count, `${kind} objects in ${NAMESPACE}`);
        }
    });

    it("runs both Deployments Available, at the HPA minimum, with pods admitted under Pod Security restricted", async () => {
        const namespace = cluster().getJson(["get", "namespace", NAMESPACE]);
        assert.equal(namespace.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
        for (const tier of ["backend", "frontend"]) {
            const deployment = cluster().getJson(["get", "deployment", tier, "-n", NAMESPACE]);
            assert.equal(condition(deployment, "Available"), "True", `${tier} Available`);
            // The HPA, not the Deployment, owns the count: it raises the Deployment's default of 1 to its minimum.
            await eventually(
                `${tier} at 2 ready pods`,
                () => (readyPods(cluster(), tier).length === 2 ? true : undefined),
                60_000,
            );
        }
        const backendPod = readyPods(cluster(), "backend")[0];
        assert.equal(backendPod.spec?.nodeName, "minikube");
    });

    it("refuses a privileged root pod in the app's namespace (Pod Security admission is enforcing)", () => {
        const pod = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "privileged", namespace: NAMESPACE },
            spec: {
                containers: [{ name: "c", image: "busybox:1.37", securityContext: { privileged: true, runAsUser: 0 } }],
            },
        };
        assert.throws(
            () => cluster().kubectl(["apply", "--dry-run=server", "-f", "-"], JSON.stringify(pod)),
            /violates PodSecurity "restricted:latest": privileged/,
        );
    });

    it("answers the README's concept commands (kubectl get and drain) with what the README says", () => {
        // The rows whose output a control plane without real containers or static pods matches; the other
        // commands must still run (right resource names, flags and selectors).
        const expected: Readonly<Record<string, readonly RegExp[]>> = {
            Node: [/^minikube\s+Ready\s/m],
            Pod: [/^backend-\S+\s+1\/1\s+Running\s[\s\S]*^frontend-\S+\s+1\/1\s+Running\s/m],
            Scheduler: [new RegExp(`Successfully assigned ${NAMESPACE}/backend-\\S+ to minikube`)],
            "Load balancing": [/^backend-\S+\s+IPv4\s+8000\s+\S+,\S+/m],
            "Redundancy (PDB)": [/^backend\s+N\/A\s+1\s/m, /^node\/minikube drained \(server dry run\)$/m],
            "Network policies": [/^default-deny\s/m],
        };
        const ran: string[] = [];
        for (const row of conceptRows()) {
            const outputs = readOnlyKubectlCommands(row).map((args) => {
                ran.push(`${row.concept}: kubectl ${args.join(" ")}`);
                return cluster().kubectl(args);
            });
            for (const pattern of expected[row.concept] ?? []) {
                assert.match(outputs.join("\n"), pattern, `${row.concept}:\n${outputs.join("\n")}`);
            }
        }
        assert.equal(ran.length, 9, ran.join("\n"));
        // The dry run neither cordoned the node nor evicted anything.
        assert.equal(cluster().getJson(["get", "node", "minikube"]).spec?.unschedulable, undefined);
        assert.equal(readyPods(cluster(), "backend").length, 2);
    });

    it("exports the outputs a user clicks and reads, with their types", async () => {
        const outputs = await stack().stack.outputs();
        assert.equal(outputs.target.value, "minikube");
        assert.equal(outputs.namespace.value, NAMESPACE);
        assert.equal(outputs.backendImage.value, BACKEND_IMAGE);
        const service = cluster().getJson(["get", "service", "frontend", "-n", NAMESPACE]);
        const nodePort = (service.spec?.ports as { nodePort: number }[])[0].nodePort;
        assert.ok(nodePort >= 30000 && nodePort <= 32767, `NodePort ${nodePort}`);
        assert.match(String(outputs.frontendUrl.value), new RegExp(`:${nodePort}$`));
        assert.equal(outputs.frontendUrlCommand.value, `minikube -p minikube service frontend -n ${NAMESPACE} --url`);
        assert.equal(typeof outputs.report.value, "object");
        assert.equal(outputs.report.secret, false);
    });

    it("changes nothing on a second up, and a refresh finds no drift", async () => {
        const again = await stack().stack.up(logTo(stack(), "second up"));
        assert.ok(onlySame(again.summary.resourceChanges), JSON.stringify(again.summary.resourceChanges));
        const refresh = await stack().stack.refresh(logTo(stack(), "refresh"));
        assert.ok(onlySame(refresh.summary.resourceChanges), JSON.stringify(refresh.summary.resourceChanges));
        const preview = await stack().stack.preview({ ...logTo(stack(), "preview after refresh"), refresh: true });
        assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
    });

    it("raises backendMinReplicas 2 -> 3 by updating the HPA only: no replacement, never fewer ready pods", async () => {
        const before = cluster().getJson(["get", "deployment", "backend", "-n", NAMESPACE]);
        await stack().stack.setConfig("backendMinReplicas", { value: "3" });
        const preview = await stack().stack.preview(logTo(stack(), "preview backendMinReplicas=3"));
        assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
        assert.equal(preview.changeSummary.replace, undefined);

        const watcher = watchFewest(() => readyPods(cluster(), "backend").length);
        const result = await stack().stack.up(logTo(stack(), "up backendMinReplicas=3"));
        await eventually(
            "3 ready backend pods",
            () => (readyPods(cluster(), "backend").length === 3 ? true : undefined),
            60_000,
        );
        const fewest = await watcher.stop();

        assert.deepEqual(
            Object.keys(result.summary.resourceChanges ?? {}).sort(),
            ["same", "update"],
            JSON.stringify(result.summary.resourceChanges),
        );
        const hpa = cluster().getJson(["get", "hpa", "backend", "-n", NAMESPACE]);
        assert.equal(hpa.spec?.minReplicas, 3);
        const after = cluster().getJson(["get", "deployment", "backend", "-n", NAMESPACE]);
        assert.equal(after.metadata.uid, before.metadata.uid, "the Deployment was replaced");
        assert.equal(fewest, 2, "ready backend pods dipped below the two there were");
    });

    it("scales the backend vertically from config: a rolling update to bigger pods, never fewer ready than 3", async () => {
        const before = cluster().getJson(["get", "deployment", "backend", "-n", NAMESPACE]);
        const oldPods = new Set(readyPods(cluster(), "backend").map((pod) => pod.metadata.name));
        await stack().stack.setAllConfig({
            backendCpuRequest: { value: "200m" },
            backendMemoryLimit: { value: "384Mi" },
        });

        const watcher = watchFewest(() => readyPods(cluster(), "backend").length);
        const result = await stack().stack.up(logTo(stack(), "up backendCpuRequest=200m"));
        const pods = await eventually(
            "3 new backend pods ready",
            () => {
                const ready = readyPods(cluster(), "backend");
                return ready.length === 3 && ready.every((pod) => !oldPods.has(pod.metadata.name)) ? ready : undefined;
            },
            60_000,
        );
        const fewest = await watcher.stop();

        assert.equal(result.summary.resourceChanges?.update, 1, JSON.stringify(result.summary.resourceChanges));
        const after = cluster().getJson(["get", "deployment", "backend", "-n", NAMESPACE]);
        assert.equal(after.metadata.uid, before.metadata.uid, "the Deployment was replaced");
        for (const pod of pods) {
            const container = (pod.spec?.containers as { resources: Record<string, Record<string, string>> }[])[0];
            assert.deepEqual(
                [container.resources.requests.cpu, container.resources.limits.memory],
                ["200m", "384Mi"],
                pod.metadata.name,
            );
        }
        assert.equal(fewest, 3, "ready backend pods dipped below the HPA's minimum during the rollout");
    });

    it("destroys everything, the namespace included, within a minute", async () => {
        const result = await stack().stack.destroy(logTo(stack(), "destroy"));
        assert.equal(result.summary.result, "succeeded");
        await waitForNamespaceGone(cluster(), NAMESPACE);
    });
});
