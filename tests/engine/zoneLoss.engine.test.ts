/**
 * The app with the eks stack's app settings (three zones, HPA minimum 3, zone spread DoNotSchedule), deployed by
 * the real engine through the `cluster` target onto three zone-labelled nodes; then one zone's node stops
 * answering (kwok stops its heartbeats), and the real controllers and scheduler decide what happens to the pods.
 * The stack's own failure analysis (its `report` output, the same one `npm run compare` prints) must agree.
 */
import { strict as assert } from "assert";
import type { FailureReason, PerTier, ZoneReplacement } from "../../components/report/failureReasons";
import { compareRendered } from "../../tools/compare/compare";
import { loseZone } from "../../tools/engine/localCluster";
import { LOCAL_ZONES, ZONE_LABEL } from "../../tools/engine/nodes";
import {
    ClusterHandle,
    KubeObject,
    condition,
    eventually,
    localClusterForSuite,
    TEST_BACKEND_IMAGE,
} from "./support/cluster";
import { EngineStack, createStack, logTo, printLogIfFailed } from "./support/stack";

const NAMESPACE = "first-k8s";
const TIERS = ["backend", "frontend"] as const;
const LOST_ZONE = LOCAL_ZONES[2];
const LOST_NODE = `node-${LOST_ZONE}`;

/**
 * Node failure detection scaled down from upstream's 50 s grace and 300 s tolerations, so that the suite
 * waits seconds; the order of events and where pods go do not depend on the durations.
 */
const TIMINGS = { nodeMonitorGracePeriodSeconds: 12, podEvictionTolerationSeconds: 4, nodeLeaseDurationSeconds: 8 };

interface ScenarioTier {
    readonly tier: string;
    readonly replicas: number;
    readonly lost: number;
    readonly survivors: number;
}

function tierPods(cluster: ClusterHandle, tier: string): KubeObject[] {
    return cluster.list("pods", NAMESPACE).filter((pod) => pod.metadata.labels?.["app.kubernetes.io/name"] === tier);
}

function zoneOf(nodes: Map<string, string>, pod: KubeObject): string | undefined {
    return pod.spec?.nodeName === undefined ? undefined : nodes.get(pod.spec.nodeName);
}

function nodeZones(cluster: ClusterHandle): Map<string, string> {
    return new Map(cluster.list("nodes").map((node) => [node.metadata.name, node.metadata.labels?.[ZONE_LABEL] ?? ""]));
}

/** Pods that serve: Ready, not being deleted. */
function serving(pods: readonly KubeObject[]): KubeObject[] {
    return pods.filter((pod) => pod.metadata.deletionTimestamp === undefined && condition(pod, "Ready") === "True");
}

describe("a zone dies: three zones, real scheduler and controllers, the cluster target", function () {
    this.timeout(5 * 60_000);
    const cluster = localClusterForSuite("zones", { timings: TIMINGS, controlsNodes: true });
    let lab: EngineStack | undefined;
    const stack = () => {
        assert.ok(lab, "the stack was not created");
        return lab;
    };
    let claimed: Map<string, ScenarioTier> | undefined;
    /** What `npm run compare` says of the eks stack, whose app settings this suite deploys. */
    let eksClaimed: Map<string, ScenarioTier> | undefined;
    /** What the report output says becomes of the lost zone's pods, per tier. */
    let claimedReplacements: readonly PerTier<ZoneReplacement>[] = [];

    before(async function () {
        this.timeout(5 * 60_000);
        lab = await createStack("lab", cluster().state.kubeconfig, {
            target: "cluster",
            kubeContext: cluster().state.context,
            backendImage: TEST_BACKEND_IMAGE,
            clusterZones: "3",
            // NodePort: a LoadBalancer Service would wait for an address no controller here hands out.
            clusterTrafficEntry: "NodePort",
            backendMinReplicas: "3",
            backendMaxReplicas: "9",
            frontendMinReplicas: "3",
            frontendMaxReplicas: "6",
        });
    });
    before(async function () {
        this.timeout(2 * 60_000);
        const [eks] = (await compareRendered(["eks"])).reports;
        for (const tier of eks.facts.app.tiers) {
            // The settings this suite deploys, so that what the cluster does here is what eks would do.
            assert.equal(tier.minReplicas, 3, `eks ${tier.name} minimum`);
            // No minDomains with managed nodes: it would hold a lost zone's replacements Pending.
            assert.deepEqual(tier.zoneSpread, {
                whenUnsatisfiable: "DoNotSchedule",
                maxSkew: 1,
                nodeTaintsPolicy: "Honor",
                minDomains: null,
            });
        }
        assert.equal(eks.facts.cluster.nodes.zones, 3);
        const zoneLoss = eks.failures.find((outcome) => outcome.scenario === "zone");
        eksClaimed = new Map(zoneLoss?.tiers.map((tier) => [tier.tier, tier]));
    });
    afterEach(function () {
        printLogIfFailed(this.currentTest, lab, cluster());
    });
    after(() => lab?.remove());

    it("puts one pod of each tier in each zone", async () => {
        const result = await stack().stack.up(logTo(stack(), "up"));
        assert.equal(result.summary.result, "succeeded");
        const report = result.outputs.report.value as {
            failures: { scenario: string; tiers: ScenarioTier[]; reasons: FailureReason[] }[];
        };
        const zoneLoss = report.failures.find((outcome) => outcome.scenario === "zone");
        claimed = new Map(zoneLoss?.tiers.map((tier) => [tier.tier, tier]));
        const replacements = zoneLoss?.reasons.find((reason) => reason.kind === "zoneReplacements");
        claimedReplacements = replacements?.kind === "zoneReplacements" ? replacements.tiers : [];
        const zones = nodeZones(cluster());
        for (const tier of TIERS) {
            const pods = await eventually(
                `3 ready ${tier} pods`,
                () => {
                    const ready = serving(tierPods(cluster(), tier));
                    return ready.length === 3 ? ready : undefined;
                },
                60_000,
            );
            assert.deepEqual(pods.map((pod) => zoneOf(zones, pod)).sort(), [...LOCAL_ZONES], `${tier} zones`);
        }
    });

    it("keeps serving from the other two zones what the stack's failure analysis claims", async () => {
        assert.ok(claimed, "the report output has no zone scenario");
        // The zone's kubelets stop, as a zone outage looks to the control plane: nothing deletes its node.
        await loseZone(cluster().state.dir, LOST_ZONE);
        const notReady = await eventually(
            `${LOST_NODE} NotReady`,
            () => {
                const node = cluster().getJson(["get", "node", LOST_NODE]);
                return condition(node, "Ready") === "Unknown" ? node : undefined;
            },
            60_000,
        );
        assert.equal(condition(notReady, "Ready"), "Unknown");
        for (const tier of TIERS) {
            // The node lifecycle controller marks the lost node's pods not ready, so Services stop sending to them.
            const left = await eventually(
                `${tier}: the lost zone's pod no longer serving`,
                () => {
                    const ready = serving(tierPods(cluster(), tier)).filter((pod) => pod.spec?.nodeName !== LOST_NODE);
                    return serving(tierPods(cluster(), tier)).length === ready.length ? ready : undefined;
                },
                30_000,
            );
            const claim = claimed.get(tier);
            assert.ok(claim, `the analysis has no ${tier}`);
            assert.equal(claim.replicas, 3);
            assert.equal(left.length, claim.survivors, `${tier}: pods still serving, against the analysis' survivors`);
            assert.equal(left.length, eksClaimed?.get(tier)?.survivors, `${tier}: against npm run compare's eks row`);
        }
    });

    it("replaces the lost pods in the zones that are left once the pods are evicted, as the analysis says", async () => {
        assert.deepEqual(
            [...claimedReplacements].map((claim) => claim.tier).sort(),
            [...TIERS],
            "the analysis says what becomes of every tier's lost pods",
        );
        for (const claim of claimedReplacements) {
            assert.equal(claim.reason.kind, "evictedAndReplaced", `${claim.tier}: replaced in the zones left`);
        }
        const zones = nodeZones(cluster());
        for (const tier of TIERS) {
            const pods = await eventually(
                `${tier} back at 3 serving pods`,
                () => {
                    const ready = serving(tierPods(cluster(), tier)).filter((pod) => pod.spec?.nodeName !== LOST_NODE);
                    return ready.length === 3 ? ready : undefined;
                },
                60_000,
            );
            const placed = pods.map((pod) => zoneOf(zones, pod)).sort();
            assert.ok(!placed.includes(LOST_ZONE), `${tier} placed in ${placed.join(", ")}`);
            // DoNotSchedule with maxSkew 1 over the two zones left: two in one, one in the other.
            assert.deepEqual(
                [...new Set(placed)].map((zone) => placed.filter((z) => z === zone).length).sort(),
                [1, 2],
                `${tier} placed in ${placed.join(", ")}`,
            );
        }
    });
});
