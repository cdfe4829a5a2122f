import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { NodeScaler, RebuildStepId, StackFacts, TierFacts } from "../../components/facts";
import { appFactsFromObjects } from "../../components/report/appFacts";
import { analyseFailures } from "../../components/report/failureAnalysis";
import {
    analyseRecovery,
    podReplacement,
    probeDetectionSeconds,
    RecoveryEstimate,
} from "../../components/report/recovery";
import { LostPart, RecoveryStep } from "../../components/report/recoveryReasons";
import { StackReport } from "../../components/report/report";
import { PROJECT_DIR } from "../../tools/mockRuntime";
import { compareRendered, comparisonText } from "../../tools/compare/compare";
import { durationText, REBUILD_STEP_TEXT } from "../../tools/compare/prose/recoveryProse";
import { ONE_NODE, PROBES, REQUIRED, stack, THREE_ZONES, tier, THREE_ZONE_NLB } from "./reportFacts";

function estimate(estimates: RecoveryEstimate[], failure: RecoveryEstimate["failure"]): RecoveryEstimate {
    const found = estimates.find((candidate) => candidate.failure === failure);
    assert.ok(found, failure);
    return found;
}

/** The estimate's step of `kind`; fails when it has none. */
function step<K extends RecoveryStep["kind"]>(estimate: RecoveryEstimate, kind: K): Extract<RecoveryStep, { kind: K }> {
    const found = estimate.steps.find((candidate) => candidate.kind === kind);
    assert.ok(found, `${estimate.failure} has no ${kind} step`);
    return found as Extract<RecoveryStep, { kind: K }>;
}

const lostKinds = (estimate: RecoveryEstimate) => estimate.lost.map((part: LostPart) => part.kind);
const stepKinds = (estimate: RecoveryEstimate) => estimate.steps.map((candidate) => candidate.kind);
const LAUNCH = { minutes: { low: 2, high: 5 }, basis: "typical, observed" } as const;

const recovery = (facts: StackFacts) => analyseRecovery(facts, analyseFailures(facts));

/** The chain of a fresh `pulumi up` that the eks target states for managed nodes (nodeModes.ts). */
const REBUILD_PATH: readonly RebuildStepId[] = [
    "vpc",
    "controlPlane",
    "podIdentityAgent",
    "vpcCni",
    "nodeGroup",
    "podAddons",
    "loadBalancer",
];
/** The same in Auto Mode: no node group. */
const AUTO_MODE_REBUILD_PATH: readonly RebuildStepId[] = [
    "vpc",
    "autoModeControlPlane",
    "autoModeAddons",
    "loadBalancer",
];

/** A stack in an AWS region, like eks: three nodes in three zones, a NAT gateway and an NLB per zone. */
function regional(
    tiers: TierFacts[],
    changes: {
        nodes?: number | null;
        natGateways?: number;
        scaledBy?: NodeScaler;
        rebuildPath?: readonly RebuildStepId[];
    } = {},
): StackFacts {
    const base = stack(
        { ...THREE_ZONES, nodes: changes.nodes === undefined ? 3 : changes.nodes, scaledBy: changes.scaledBy },
        tiers,
    );
    return {
        ...base,
        cluster: {
            ...base.cluster,
            region: "us-east-1",
            runsOn: { kind: "cloudRegion", rebuildPath: changes.rebuildPath ?? REBUILD_PATH },
            upgrades: { ...base.cluster.upgrades, kubernetesVersion: "1.35" },
            loadBalancer: THREE_ZONE_NLB,
            security: {
                ...base.cluster.security,
                controlPlaneLogs: ["api", "audit"],
                controlPlaneLogDestination: "CloudWatch Logs",
            },
            cost: { ...base.cluster.cost, natGateways: changes.natGateways ?? 3, kmsKeys: 1, storedImages: 10 },
        },
        app: {
            ...base.app,
            trafficEntry: { service: "web", type: "LoadBalancer", loadBalancerClass: null, annotations: {} },
        },
    };
}

describe("recovery time and recovery point", () => {
    describe("the probes' clocks", () => {
        it("a probe fails after failureThreshold periods, the last one timing out", () => {
            const { readiness, liveness } = PROBES;
            assert.ok(readiness && liveness);
            assert.equal(probeDetectionSeconds(readiness), 12, "readiness: 2 × 5 s + 2 s");
            assert.equal(probeDetectionSeconds(liveness), 32, "liveness: 3 × 10 s + 2 s");
            assert.equal(probeDetectionSeconds({ periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 }), 31);
        });

        it("a dead pod is back in 7 s (crash: startup 2 s + readiness 5 s) to 97 s (hang: 32 s + startup budget 60 s + 5 s)", () => {
            assert.deepEqual(podReplacement(tier("web", 2)), { low: 7, high: 97 });
        });

        it("without a liveness probe a hung container never comes back; without probes a new one is Ready at once", () => {
            const base = tier("web", 2);
            assert.deepEqual(podReplacement({ ...base, probes: { ...PROBES, liveness: null } }), {
                low: 7,
                high: null,
            });
            assert.deepEqual(podReplacement({ ...base, probes: { readiness: null, liveness: null, startup: null } }), {
                low: 0,
                high: null,
            });
        });

        it("are read from the Deployment, with Kubernetes' defaults where a field is unset", () => {
            const app = appFactsFromObjects([
                {
                    kind: "Deployment",
                    metadata: { name: "web" },
                    spec: {
                        replicas: 2,
                        template: {
                            spec: {
                                containers: [{ readinessProbe: { periodSeconds: 5 }, livenessProbe: {} }],
                                volumes: [
                                    { name: "tmp", emptyDir: {} },
                                    { name: "data", persistentVolumeClaim: {} },
                                ],
                            },
                        },
                    },
                },
            ]);
            assert.deepEqual(app.tiers[0].probes, {
                readiness: { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 1 },
                liveness: { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 },
                startup: null,
            });
            assert.equal(app.durableVolumes, 1, "the PersistentVolumeClaim, not the emptyDir");
        });
    });

    describe("a local single-node cluster (dev)", () => {
        const estimates = recovery(stack(ONE_NODE, [tier("frontend", 2), tier("backend", 2)]));

        it("knows a pod, its node and the machine", () => {
            assert.deepEqual(
                estimates.map((candidate) => candidate.failure),
                ["pod", "node", "machine"],
            );
        });

        it("a pod: the app stays up (2 pods a tier), the pod is back in 7–97 s, nothing is stored to lose", () => {
            const pod = estimate(estimates, "pod");
            assert.deepEqual(
                [pod.appDown, pod.fullStrength],
                [
                    { low: 0, high: 0 },
                    { low: 7, high: 97 },
                ],
            );
            assert.deepEqual(pod.dataLost, { durableVolumes: 0, clusterObjectsRemade: false });
            assert.deepEqual(step(pod, "probes").tiers[0], {
                tier: "frontend",
                reason: {
                    readiness: { failureThreshold: 2, periodSeconds: 5, timeoutSeconds: 2, detectionSeconds: 12 },
                    livenessSeconds: 32,
                    ready: { low: 7, high: 65 },
                },
            });
            assert.deepEqual(step(pod, "othersServe"), { kind: "othersServe", fewestReplicas: 2 });
        });

        it("a tier with one pod is down while it is replaced", () => {
            const pod = estimate(recovery(stack(ONE_NODE, [tier("web", 1)])), "pod");
            assert.deepEqual(pod.appDown, { low: 7, high: 97 });
            assert.deepEqual(step(pod, "othersServe"), { kind: "othersServe", fewestReplicas: 1 });
        });

        it("its node is the whole cluster: down 2–8 min while the cluster is made again and deployed", () => {
            const node = estimate(estimates, "node");
            assert.deepEqual(
                [node.appDown, node.fullStrength],
                [
                    { low: 120, high: 480 },
                    { low: 120, high: 480 },
                ],
            );
            assert.deepEqual(stepKinds(node), ["clusterIsOneNode", "remakeCluster", "snapshotForHandMadeObjects"]);
            assert.deepEqual(node.dataLost, { durableVolumes: 0, clusterObjectsRemade: true });
        });

        it("the machine: 17–53 min, mostly setting up a new one; the Pulumi state and etcd snapshots go if kept there", () => {
            const machine = estimate(estimates, "machine");
            assert.deepEqual(machine.appDown, { low: 17 * 60, high: 53 * 60 });
            assert.deepEqual(lostKinds(machine), ["everythingLocal", "localPulumiState", "localEtcdSnapshots"]);
        });
    });

    describe("a cluster in three zones of a region (eks)", () => {
        const tiers = [tier("frontend", 3), tier("backend", 3)];
        const estimates = recovery(regional(tiers));

        it("knows a pod, a node, a zone and the region", () => {
            assert.deepEqual(
                estimates.map((candidate) => candidate.failure),
                ["pod", "node", "zone", "region"],
            );
        });

        it("takes the zone and region failures from where the cluster runs, not from whether it names a region", () => {
            const facts = regional(tiers);
            const onYourMachine = { ...facts, cluster: { ...facts.cluster, runsOn: { kind: "yourMachine" } as const } };
            assert.deepEqual(
                recovery(onYourMachine).map((candidate) => candidate.failure),
                ["pod", "node", "machine"],
            );
        });

        it("a node: the app stays up; its pods run again after 50–55 s NotReady + 300 s toleration + 7–65 s start", () => {
            const node = estimate(estimates, "node");
            assert.deepEqual(
                [node.appDown, node.fullStrength],
                [
                    { low: 0, high: 0 },
                    { low: 357, high: 420 },
                ],
            );
            assert.deepEqual(step(node, "loadBalancerDrops"), {
                kind: "loadBalancerDrops",
                detectionSeconds: 100,
                unhealthyThreshold: 3,
                intervalSeconds: 30,
                timeoutSeconds: 10,
            });
            assert.deepEqual(step(node, "nodeReplacement").by, {
                kind: "nodeGroup",
                autoscaler: false,
                launch: LAUNCH,
            });
        });

        it("a node behind the AWS Load Balancer Controller: its NLB drops the node's pods as the Service's health check says", () => {
            const facts = regional(tiers);
            const annotated = (loadBalancerClass: string, annotations: Record<string, string>): StackFacts => ({
                ...facts,
                app: {
                    ...facts.app,
                    trafficEntry: { service: "web", type: "LoadBalancer", loadBalancerClass, annotations },
                },
            });
            const controller = annotated("service.k8s.aws/nlb", {
                "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval": "10",
                "service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout": "5",
                "service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold": "2",
            });
            assert.deepEqual(step(estimate(recovery(controller), "node"), "loadBalancerDrops"), {
                kind: "loadBalancerDrops",
                detectionSeconds: 25,
                unhealthyThreshold: 2,
                intervalSeconds: 10,
                timeoutSeconds: 5,
            });
            const autoMode = annotated("eks.amazonaws.com/nlb", {});
            assert.ok(
                !stepKinds(estimate(recovery(autoMode), "node")).includes("loadBalancerDrops"),
                "a class whose health check the report does not know: no figure",
            );
        });

        it("a node under the Cluster Autoscaler: the same clocks, and nodes added for replacements without room", () => {
            const node = estimate(recovery(regional(tiers, { scaledBy: "cluster-autoscaler" })), "node");
            assert.deepEqual(node.fullStrength, { low: 357, high: 420 });
            assert.deepEqual(step(node, "nodeReplacement").by, { kind: "nodeGroup", autoscaler: true, launch: LAUNCH });
        });

        it("a zone under the Cluster Autoscaler: the lost zone's group waits, the others grow; without it nothing does", () => {
            const scaled = estimate(recovery(regional(tiers, { scaledBy: "cluster-autoscaler" })), "zone");
            assert.deepEqual(step(scaled, "nodeReplacement"), {
                kind: "nodeReplacement",
                domain: "zone",
                by: { kind: "nodeGroup", autoscaler: true, launch: LAUNCH },
            });
            const fixed = estimate(estimates, "zone");
            assert.deepEqual(step(fixed, "nodeReplacement").by, {
                kind: "nodeGroup",
                autoscaler: false,
                launch: LAUNCH,
            });
            const autoMode = estimate(recovery(regional(tiers, { nodes: null, scaledBy: "cluster" })), "zone");
            assert.deepEqual(step(autoMode, "nodeReplacement").by, { kind: "autoMode" });
        });

        it("a zone under minDomains (Auto Mode): the replacements wait for the zone; a node loss does not hold them", () => {
            const counted = { ...REQUIRED, minDomains: 3 };
            const facts = regional([tier("web", 3, { zone: counted })], { nodes: null, scaledBy: "cluster" });
            const zone = estimate(recovery(facts), "zone");
            assert.deepEqual(zone.fullStrength, { low: 357, high: null });
            assert.deepEqual(step(zone, "replacementsHeld"), {
                kind: "replacementsHeld",
                domain: "zone",
                tiers: [{ tier: "web", reason: { kind: "minDomains", minDomains: 3 } }],
            });
            assert.deepEqual(estimate(recovery(facts), "node").fullStrength, { low: 357, high: 420 });
        });

        it("a zone: the same clocks; the control plane keeps quorum, each zone keeps its NAT gateway", () => {
            const zone = estimate(estimates, "zone");
            assert.deepEqual(zone.fullStrength, { low: 357, high: 420 });
            assert.deepEqual(step(zone, "etcdQuorum"), { kind: "etcdQuorum", kept: true });
            assert.deepEqual(step(zone, "egress"), { kind: "egress", natPerZone: true });
            const single = estimate(recovery(regional(tiers, { natGateways: 1 })), "zone");
            assert.deepEqual(step(single, "egress"), { kind: "egress", natPerZone: false });
        });

        it("a zone: a required spread that still counts the dead zone's nodes leaves the replacements Pending", () => {
            const stuck = { ...REQUIRED, nodeTaintsPolicy: "Ignore" as const };
            const zone = estimate(recovery(regional([tier("web", 3, { zone: stuck })])), "zone");
            assert.deepEqual(zone.fullStrength, { low: 357, high: null });
            assert.deepEqual(step(zone, "replacementsHeld").tiers, [
                { tier: "web", reason: { kind: "deadNodesCounted" } },
            ]);
            assert.equal(
                durationText(zone.fullStrength, "until the zone is back"),
                "at least 6 min, until the zone is back",
            );
        });

        it("the region: a second stack, its pulumi up along the critical path (14.5–33 min), and clients moved: 17.5–48 min", () => {
            const region = estimate(estimates, "region");
            assert.deepEqual(region.appDown, { low: 17.5 * 60, high: 48 * 60 });
            assert.deepEqual(step(region, "pulumiUp"), {
                kind: "pulumiUp",
                path: [
                    { step: "vpc", minutes: { low: 1, high: 3 } },
                    { step: "controlPlane", minutes: { low: 8, high: 15 } },
                    { step: "podIdentityAgent", minutes: { low: 0.5, high: 2 } },
                    { step: "vpcCni", minutes: { low: 0.5, high: 2 } },
                    { step: "nodeGroup", minutes: { low: 2, high: 5 } },
                    { step: "podAddons", minutes: { low: 0.5, high: 2 } },
                    { step: "loadBalancer", minutes: { low: 2, high: 4 } },
                ],
                minutes: { low: 14.5, high: 33 },
            });
            assert.deepEqual(region.lost, [
                { kind: "regionalCluster" },
                { kind: "regionalPulumiState" },
                { kind: "regionalImages" },
                { kind: "regionalLogs", logs: ["api", "audit"], destination: "CloudWatch Logs" },
                { kind: "regionalKmsKey" },
                { kind: "loadBalancerName" },
            ]);
            assert.deepEqual(region.checks, [
                { kind: "kubernetesVersion", version: "1.35", zones: 3 },
                { kind: "elasticIpQuota", natGateways: 3 },
                { kind: "certificateIsRegional" },
            ]);
        });

        it("the region in Auto Mode: no node group on the path, 11.5–24 min of pulumi up", () => {
            const autoMode = { nodes: null, scaledBy: "cluster", rebuildPath: AUTO_MODE_REBUILD_PATH } as const;
            const region = estimate(recovery(regional(tiers, autoMode)), "region");
            assert.deepEqual(region.appDown, { low: (2 + 11.5 + 1) * 60, high: (5 + 24 + 10) * 60 });
        });

        it("data: none without durable volumes; with them, what they held", () => {
            const facts = regional(tiers);
            const withVolumes = { ...facts, app: { ...facts.app, durableVolumes: 2 } };
            assert.deepEqual(estimate(recovery(withVolumes), "pod").dataLost, {
                durableVolumes: 2,
                clusterObjectsRemade: false,
            });
        });
    });

    describe("in the comparison and the runbook", function () {
        this.timeout(120000);
        let reports: readonly StackReport[];
        let markdown: string;
        let rows: string[][];

        before(async () => {
            const comparison = await compareRendered();
            reports = comparison.reports;
            markdown = comparisonText(comparison);
            const lines = markdown.split("\n");
            const start = lines.findIndex((line) => line.startsWith("| failure | stack | app down (RTO) |"));
            assert.ok(start >= 0, "the recovery table");
            rows = [];
            for (const line of lines.slice(start + 2)) {
                if (!line.startsWith("|")) {
                    break;
                }
                rows.push(line.slice(2, -2).split(" | "));
            }
        });

        it("has a row per failure and stack, RTO and the time until all is back", () => {
            assert.deepEqual(
                rows.map((cells) => cells.slice(0, 4)),
                [
                    ["a pod dies", "dev", "0", "7–97 s"],
                    ["a pod dies", "eks", "0", "7–97 s"],
                    ["a node dies", "dev", "2–8 min", "2–8 min"],
                    ["a node dies", "eks", "0", "6–7 min"],
                    ["a zone dies", "eks", "0", "6–7 min"],
                    ["the region is lost", "eks", "18–48 min", "18–48 min"],
                    ["your machine is lost", "dev", "17–53 min", "17–53 min"],
                ],
            );
            for (const report of reports) {
                assert.deepEqual(
                    report.recovery.map((estimate) => estimate.dataLost.durableVolumes),
                    report.recovery.map(() => 0),
                    `${report.facts.stack}: no pod mounts a volume that outlives it`,
                );
            }
        });

        it("derives the pod rows from the rendered probes of both stacks", () => {
            for (const report of reports) {
                const pod = estimate([...report.recovery], "pod");
                assert.deepEqual(
                    step(pod, "probes").tiers.map((tier) => [tier.tier, tier.reason.readiness?.detectionSeconds]),
                    [
                        ["frontend", 12],
                        ["backend", 12],
                    ],
                );
            }
        });

        it("itemises the eks region's critical path and links the runbook", () => {
            assert.ok(
                markdown.includes(
                    `| ${REBUILD_STEP_TEXT.controlPlane} | \`eks:index:Cluster\` | 8–15 min | typical, observed | [docs.aws.amazon.com`,
                ),
                "the control plane's step, its resource, time, basis and source",
            );
            assert.match(markdown, /^\| \*\*`pulumi up`\*\* \|  \| \*\*14\.5–33 min\*\* \|/m);
            assert.match(markdown, /^\| \*\*Total\*\* \|  \| \*\*18–48 min\*\* \|/m);
            assert.match(markdown, /\[disaster-recovery\.md\]\(disaster-recovery\.md\)/);
        });

        it("docs/disaster-recovery.md states the model's figures and the commands of the runbook", () => {
            const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "disaster-recovery.md"), "utf8");
            for (const report of reports) {
                for (const candidate of report.recovery) {
                    const figure = durationText(candidate.appDown);
                    if (figure !== "0") {
                        assert.ok(doc.includes(figure), `${report.facts.stack}, ${candidate.failure}: ${figure}`);
                    }
                }
            }
            for (const figure of ["14.5–33 min", "50 s", "300 s", "6–7 min", "7–97 s"]) {
                assert.ok(doc.includes(figure), figure);
            }
            for (const command of [
                "pulumi stack init eks-west --copy-config-from eks",
                "pulumi config set --stack eks-west awsRegion us-west-2",
                "pulumi up --stack eks-west",
                "pulumi stack rm --force --preserve-config eks",
                "./scripts/deploy-dev.sh",
                "npm run etcd -- backup",
            ]) {
                assert.ok(doc.includes(command), command);
            }
        });
    });
});
