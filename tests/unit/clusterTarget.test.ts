import { strict as assert } from "assert";
import { runProgram } from "../../tools/mockRuntime";
import { manifest, ofType } from "./programQueries";

const IMAGE = "ghcr.io/acme/first-k8s-backend:1.4.2";

describe("cluster target (an existing cluster, under the mock runtime)", function () {
    this.timeout(60000);

    it("deploys into the named context over three zones: zone spread required, nothing built, a load balancer", async () => {
        const run = await runProgram({
            stack: "dev",
            overrides: { target: "cluster", kubeContext: "k3d-lab", backendImage: IMAGE, clusterZones: "3" },
        });
        assert.equal(ofType(run, "command:local:Command").length, 0, "nothing is built");
        assert.deepEqual(
            ofType(run, "pulumi:providers:kubernetes").map((provider) => provider.inputs.context),
            ["k3d-lab"],
        );
        for (const tier of ["backend", "frontend"]) {
            const spread = manifest(run, "Deployment", tier).spec.template.spec.topologySpreadConstraints;
            const zone = spread.find(
                (rule: { topologyKey: string }) => rule.topologyKey === "topology.kubernetes.io/zone",
            );
            assert.equal(zone.whenUnsatisfiable, "DoNotSchedule", `${tier} zone spread`);
        }
        assert.equal(manifest(run, "Deployment", "backend").spec.template.spec.containers[0].image, IMAGE);
        assert.equal(manifest(run, "Service", "frontend").spec.type, "LoadBalancer");
        assert.equal(run.outputs.target, "cluster");
        assert.equal(
            run.outputs.frontendUrlCommand,
            "kubectl --context k3d-lab get -n first-k8s service/frontend -o jsonpath='{.status.loadBalancer.ingress[0]}'",
        );
    });

    it("reaches a NodePort frontend through kubectl port-forward, and prefers spread on one zone", async () => {
        const run = await runProgram({
            stack: "dev",
            overrides: {
                target: "cluster",
                kubeContext: "kind-kind",
                backendImage: IMAGE,
                clusterTrafficEntry: "NodePort",
            },
        });
        assert.equal(manifest(run, "Service", "frontend").spec.type, "NodePort");
        const spread = manifest(run, "Deployment", "backend").spec.template.spec.topologySpreadConstraints;
        const zone = spread.find((rule: { topologyKey: string }) => rule.topologyKey === "topology.kubernetes.io/zone");
        assert.equal(zone.whenUnsatisfiable, "ScheduleAnyway");
        assert.equal(
            run.outputs.frontendUrlCommand,
            "kubectl --context kind-kind port-forward -n first-k8s service/frontend 8080:80",
        );
        assert.equal(run.outputs.frontendUrl, "http://127.0.0.1:8080 (while the command runs)");
    });
});
