import { strict as assert } from "assert";
import { programMocks, runProgram } from "../../tools/mockRuntime";
import { countByKind, manifest, ofType } from "./programQueries";

describe("dev stack variants", function () {
    this.timeout(60000);

    it("runs a configured backendImage instead of building one", async () => {
        const image = "ghcr.io/acme/first-k8s-backend:1.4.2";
        const run = await runProgram({
            stack: "dev",
            overrides: { backendImage: image, backendMinReplicas: "3", backendMaxReplicas: "7" },
        });
        assert.equal(ofType(run, "command:local:Command").length, 0, "nothing is built");
        const backend = manifest(run, "Deployment", "backend");
        assert.equal(backend.spec.template.spec.containers[0].image, image);
        assert.equal(backend.spec.template.spec.containers[0].imagePullPolicy, "Always");
        assert.equal(backend.metadata.labels["app.kubernetes.io/version"], "1.4.2");
        const hpa = manifest(run, "HorizontalPodAutoscaler", "backend").spec;
        assert.deepEqual([hpa.minReplicas, hpa.maxReplicas], [3, 7]);
        assert.equal(run.outputs.backendImage, image);
    });

    it("pulls an image named by tag on every start, one pinned by digest only when the node lacks it", async () => {
        const backendImage = `ghcr.io/acme/first-k8s-backend@sha256:${"c".repeat(64)}`;
        const frontendImage = "registry.example.com:5000/web/nginx:1.27.4";
        const run = await runProgram({ stack: "dev", overrides: { backendImage, frontendImage } });
        const backend = manifest(run, "Deployment", "backend").spec.template.spec.containers[0];
        assert.deepEqual([backend.image, backend.imagePullPolicy], [backendImage, "IfNotPresent"]);
        const frontend = manifest(run, "Deployment", "frontend").spec.template.spec.containers[0];
        assert.deepEqual([frontend.image, frontend.imagePullPolicy], [frontendImage, "Always"]);
        assert.equal(ofType(run, "command:local:Command").length, 0, "minikube copies no registry image");
    });

    it("deploys into the configured namespace and points NGINX at the backend there", async () => {
        const run = await runProgram({ stack: "dev", overrides: { namespace: "shop", kubeContext: "lab" } });
        assert.equal(manifest(run, "Namespace", "shop").metadata.name, "shop");
        assert.equal(manifest(run, "Deployment", "backend").metadata.namespace, "shop");
        assert.match(
            manifest(run, "ConfigMap", "frontend-content").data["nginx.conf"],
            /server backend\.shop\.svc\.cluster\.local:80/,
        );
        assert.equal(ofType(run, "pulumi:providers:kubernetes")[0].inputs.context, "lab");
        assert.equal(run.outputs.frontendUrlCommand, "minikube -p lab service frontend -n shop --url");
        assert.equal(countByKind(run).NetworkPolicy, 5);
    });

    it("stops on bad config before it creates anything", async () => {
        const recorder = programMocks();
        await assert.rejects(
            runProgram({ stack: "dev", overrides: { frontendMinReplicas: "3", frontendMaxReplicas: "2" }, recorder }),
            {
                name: "ConfigError",
                message:
                    'Invalid stack configuration (nothing was created):\n  - first-k8s:frontendMaxReplicas = "2": expected an integer >= frontendMinReplicas (3)',
            },
        );
        assert.deepEqual(
            recorder.resources.map((resource) => resource.type),
            ["pulumi:pulumi:Stack"],
        );
    });
});
