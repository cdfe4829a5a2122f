import { strict as assert } from "assert";
import { AppTier, AppTierArgs } from "../../components/app/tier";
import { ProgramRun, programMocks, runInMockStack } from "../../tools/mockRuntime";
import { manifest } from "./programQueries";

const BASE: AppTierArgs = {
    namespace: "demo",
    tierName: "web",
    instance: "demo",
    component: "web",
    image: "example.com/web:1.0.0",
    containerPort: 8080,
    replicas: { min: 3, max: 6 },
    cpuTargetUtilization: 60,
    resources: { requests: { cpu: "10m" }, limits: { cpu: "20m" } },
    probes: { readiness: "/ready", liveness: "/live", startup: "/start" },
    runAsUser: 1000,
    zoneSpread: "DoNotSchedule",
};

async function runTier(args: AppTierArgs): Promise<ProgramRun> {
    return runInMockStack(programMocks(), { project: "first-k8s", stack: "test" }, () => {
        new AppTier("web", args);
    });
}

describe("AppTier", function () {
    this.timeout(30000);

    it("requires zone spread when the cluster spans zones", async () => {
        const run = await runTier(BASE);
        const constraints = manifest(run, "Deployment", "web").spec.template.spec.topologySpreadConstraints;
        assert.deepEqual(constraints[0], {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "demo" } },
            matchLabelKeys: ["pod-template-hash"],
            // A dead zone's tainted nodes must not hold the replacements Pending (tests/engine/zoneLoss).
            nodeTaintsPolicy: "Honor",
        });
        assert.equal(constraints[1].whenUnsatisfiable, "ScheduleAnyway");
        assert.equal(manifest(run, "Service", "web").spec.type, "ClusterIP");
    });

    it("asks the cloud for a load balancer when the target's traffic entry says so", async () => {
        const run = await runTier({
            ...BASE,
            trafficEntry: {
                kind: "LoadBalancer",
                annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
                loadBalancerClass: "eks.amazonaws.com/nlb",
            },
        });
        const service = manifest(run, "Service", "web");
        assert.equal(service.spec.type, "LoadBalancer");
        assert.equal(service.spec.loadBalancerClass, "eks.amazonaws.com/nlb");
        assert.deepEqual(service.metadata.annotations, {
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        });
        assert.deepEqual(service.spec.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    });

    it("sets the version label only when there is a version", async () => {
        const withVersion = await runTier({ ...BASE, version: "1.0.0" });
        assert.equal(manifest(withVersion, "Deployment", "web").metadata.labels["app.kubernetes.io/version"], "1.0.0");
        const without = await runTier(BASE);
        assert.equal("app.kubernetes.io/version" in manifest(without, "Deployment", "web").metadata.labels, false);
    });

    it("rejects a grace period that the preStop pause would use up", () => {
        assert.throws(
            () => new AppTier("bad", { ...BASE, preStopDelaySeconds: 30, terminationGracePeriodSeconds: 30 }),
            {
                message: "AppTier bad: terminationGracePeriodSeconds (30) must exceed preStopDelaySeconds (30)",
            },
        );
    });
});
