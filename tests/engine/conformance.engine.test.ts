/**
 * The conformance gate's server-side dry run: both stacks' offline renders, as `npm run render` writes them,
 * go through a real API server's defaulting, validation and admission.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkManifests, checkStack } from "../../tools/conformance/gate";
import { loadKubeScoreConfig } from "../../tools/conformance/kubeScore";
import { engine, localClusterForSuite, tempDir } from "./support/cluster";

describe("conformance gate: server-side dry run against a real API server", function () {
    this.timeout(5 * 60_000);
    const cluster = localClusterForSuite("minikube");
    let out: string | undefined;
    before(() => {
        out = tempDir("conformance");
    });
    after(() => fs.rmSync(out ?? "", { recursive: true, force: true }));
    const apiServer = () => ({ kubeconfig: cluster().state.kubeconfig, kubectl: engine().binary("kubectl") });

    for (const stack of ["dev", "eks"]) {
        it(`accepts every object of the ${stack} render`, async () => {
            const result = await checkStack(stack, out ?? "", apiServer());
            assert.deepEqual(result.server, []);
            assert.equal(result.passed, true);
        });
    }

    it("refuses what the schema allows but the API server does not, naming the file", async () => {
        const dir = path.join(out ?? "", "bad");
        fs.mkdirSync(dir);
        fs.writeFileSync(
            path.join(dir, "00-namespace.yaml"),
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gate-check\n",
        );
        // Valid against the OpenAPI schema, refused by the Deployment's own validation.
        fs.writeFileSync(
            path.join(dir, "01-deployment.yaml"),
            [
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata: {name: mismatched, namespace: gate-check}",
                "spec:",
                "  selector: {matchLabels: {app: one}}",
                "  template:",
                "    metadata: {labels: {app: other}}",
                "    spec: {containers: [{name: c, image: 'registry.example.com/c:1.0.0'}]}",
                "",
            ].join("\n"),
        );
        const result = await checkManifests("bad", dir, loadKubeScoreConfig().stacks.dev, apiServer());
        assert.equal(result.server?.length, 1);
        assert.equal(result.server?.[0].file, "01-deployment.yaml");
        assert.match(result.server?.[0].message ?? "", /selector.*does not match template `labels`/);
        assert.equal(result.passed, false);
    });
});
