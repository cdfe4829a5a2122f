/**
 * The dev stack where the cluster and the stack's state disagree, as they do for real users: a cluster
 * recreated under an existing stack, objects applied by hand before the first `pulumi up`, and config that
 * must be refused before anything is created.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { previewAwsMocks } from "../../tools/mockRuntime";
import { renderStack } from "../../tools/render/renderStack";
import { writeRendering } from "../../tools/render/writeRendering";
import { DEPLOY_DEV_UP_OPTIONS } from "./support/deployDev";
import {
    ClusterHandle,
    condition,
    localClusterForSuite,
    tempDir,
    TEST_BACKEND_IMAGE,
    waitForAvailable,
} from "./support/cluster";
import { EngineStack, createStack, logTo, printLogIfFailed } from "./support/stack";

const BACKEND_IMAGE = TEST_BACKEND_IMAGE;
const NAMESPACE = "first-k8s";

function namespaceExists(cluster: ClusterHandle): boolean {
    return cluster.kubectl(["get", "namespace", NAMESPACE, "--ignore-not-found", "-o", "name"]).trim() !== "";
}

function appObjectCount(cluster: ClusterHandle): number {
    return cluster
        .kubectl([
            "get",
            "deployment,service,poddisruptionbudget,hpa,networkpolicy,configmap",
            "-n",
            NAMESPACE,
            "-o",
            "name",
        ])
        .split("\n")
        .filter((line) => line !== "" && line !== "configmap/kube-root-ca.crt").length;
}

describe("dev stack, real engine: state and cluster out of step", function () {
    this.timeout(5 * 60_000);
    const cluster = localClusterForSuite("minikube");
    let current: EngineStack | undefined;
    afterEach(function () {
        printLogIfFailed(this.currentTest, current, cluster());
    });
    after(() => current?.remove());

    it("refuses a misspelt key and an out-of-range value in preview, with the program's message, creating nothing", async () => {
        current = await createStack("dev", cluster().state.kubeconfig, {
            backendImage: BACKEND_IMAGE,
            backendMinReplica: "40",
            frontendMaxReplicas: "0",
        });
        const failure = await stack(current)
            .preview(logTo(current, "preview with bad config"))
            .then(
                () => assert.fail("the preview passed"),
                (error: Error) => error.message,
            );
        assert.match(failure, /Invalid stack configuration \(nothing was created\):/);
        assert.match(
            failure,
            /first-k8s:backendMinReplica = "40": expected no such key in first-k8s \(did you mean backendMinReplicas\?\)/,
        );
        assert.match(failure, /first-k8s:frontendMaxReplicas = "0": expected an integer from 1 to 50/);
        await assert.rejects(stack(current).up(logTo(current, "up with bad config")), /Invalid stack configuration/);
        assert.equal(namespaceExists(cluster()), false);
        current.remove();
        current = undefined;
    });

    it("takes over objects applied with kubectl from the offline render, without AlreadyExists or conflicts", async () => {
        const out = tempDir("render");
        try {
            const rendering = await renderStack("dev", previewAwsMocks(), { backendImage: BACKEND_IMAGE });
            const { manifestDir } = writeRendering(rendering, out);
            // The render command's own advice, as printed.
            cluster().kubectl(["apply", "-f", `${manifestDir}/`]);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
        const before = cluster().getJson(["get", "deployment", "backend", "-n", NAMESPACE]);
        current = await createStack("dev", cluster().state.kubeconfig, { backendImage: BACKEND_IMAGE });
        const result = await stack(current).up(logTo(current, "up over kubectl-applied objects"));
        assert.equal(result.summary.result, "succeeded");
        const after = cluster().getJson(["get", "deployment", "backend", "-n", NAMESPACE]);
        assert.equal(after.metadata.uid, before.metadata.uid, "adopted in place, not deleted and made again");
        assert.equal(condition(after, "Available"), "True");
        const again = await stack(current).preview({ ...logTo(current, "preview after adoption"), refresh: true });
        assert.deepEqual(Object.keys(again.changeSummary), ["same"]);
    });

    it("brings every object back, as deploy-dev.sh runs up, when the cluster is recreated under the stack", async () => {
        assert.ok(current, "the previous test made the stack");
        const objects = appObjectCount(cluster());
        assert.equal(objects, 14); // 2 Deployments, Services, PDBs and HPAs, 5 NetworkPolicies, 1 ConfigMap
        await cluster.recreate();
        assert.equal(namespaceExists(cluster()), false, "the new cluster is empty");
        // What a plain `pulumi up` would do: trust the state, see nothing to change, and deploy nothing.
        const stale = await stack(current).preview(logTo(current, "preview without refresh"));
        assert.deepEqual(Object.keys(stale.changeSummary), ["same"]);
        const result = await stack(current).up({
            ...logTo(current, "up as deploy-dev.sh runs it"),
            ...DEPLOY_DEV_UP_OPTIONS,
        });
        assert.equal(result.summary.result, "succeeded");
        assert.equal(appObjectCount(cluster()), objects);
        await waitForAvailable(cluster(), NAMESPACE, ["backend", "frontend"]);
        await stack(current).destroy(logTo(current, "destroy"));
    });
});

function stack(target: EngineStack | undefined) {
    assert.ok(target, "no stack");
    return target.stack;
}
