import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { NodeScaler, StackFacts, TierFacts } from "../../components/facts";
import {
    analyseFailures,
    analyseRecovery,
    appFactsFromObjects,
    durationText,
    podReplacement,
    probeDetectionSeconds,
    RecoveryEstimate,
    StackReport,
} from "../../components/report";
import { PROJECT_DIR } from "../../tools/mockRuntime";
import { compareRendered, comparisonText } from "../../tools/compare/compare";
import { ONE_NODE, PROBES, REQUIRED, stack, THREE_ZONES, tier } from "./reportFacts";

function estimate(estimates: RecoveryEstimate[], failure: RecoveryEstimate["failure"]): RecoveryEstimate {
    const found = estimates.find((candidate) => candidate.failure === failure);
    assert.ok(found, failure);
    return found;
}

const recovery = (facts: StackFacts) => analyseRecovery(facts, analyseFailures(facts));

/** A stack in an AWS region, like eks: three nodes in three zones, a NAT gateway and an NLB per zone. */
function regional(
    tiers: TierFacts[],
    changes: { nodes?: number | null; natGateways?: number; scaledBy?: NodeScaler } = {},
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
            upgrades: { ...base.cluster.upgrades, kubernetesVersion: "1.35" },
            loadBalancer: { product: "network-load-balancer", description: "an NLB", zones: 3 },
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
            assert.equal(pod.dataLost, "none: no pod mounts a volume that outlives it");
            assert.match(
                pod.derivation[0],
                /within 12 s, a crashed one at once, liveness restarts a hung container after 32 s/,
            );
        });

        it("a tier with one pod is down while it is replaced", () => {
            const pod = estimate(recovery(stack(ONE_NODE, [tier("web", 1)])), "pod");
            assert.deepEqual(pod.appDown, { low: 7, high: 97 });
            assert.match(pod.derivation[1], /^a tier with 1 pod answers nothing until its replacement is Ready$/);
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
            assert.match(node.derivation[0], /^the one node is the control plane and runs every pod/);
        });

        it("the machine: 17–53 min, mostly setting up a new one; the Pulumi state and etcd snapshots go if kept there", () => {
            const machine = estimate(estimates, "machine");
            assert.deepEqual(machine.appDown, { low: 17 * 60, high: 53 * 60 });
            assert.match(machine.lost.join("\n"), /the Pulumi state, if its backend was only on this machine/);
            assert.match(machine.lost.join("\n"), /your etcd snapshots, if they were kept on this machine/);
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

        it("a node: the app stays up; its pods run again after 50–55 s NotReady + 300 s toleration + 7–65 s start", () => {
            const node = estimate(estimates, "node");
            assert.deepEqual(
                [node.appDown, node.fullStrength],
                [
                    { low: 0, high: 0 },
                    { low: 357, high: 420 },
                ],
            );
            assert.match(node.derivation.join("\n"), /the NLB stops sending to them within 100 s/);
            assert.match(
                node.derivation.join("\n"),
                /^the node's group replaces an instance that is terminated or fails its EC2 status checks \(2–5 min, typical, observed\); one that runs but stops reporting stays until you replace it$/m,
            );
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
            assert.match(
                estimate(recovery(controller), "node").derivation.join("\n"),
                /^the NLB stops sending to them within 25 s \(2 failed checks 10 s apart, 5 s timeout\)$/m,
            );
            const autoMode = annotated("eks.amazonaws.com/nlb", {});
            assert.doesNotMatch(
                estimate(recovery(autoMode), "node").derivation.join("\n"),
                /the NLB stops sending/,
                "a class whose health check the report does not know: no figure",
            );
        });

        it("a node under the Cluster Autoscaler: the same clocks, and nodes added for replacements without room", () => {
            const node = estimate(recovery(regional(tiers, { scaledBy: "cluster-autoscaler" })), "node");
            assert.deepEqual(node.fullStrength, { low: 357, high: 420 });
            assert.match(
                node.derivation.join("\n"),
                /^the node's group replaces an instance that is terminated or fails its EC2 status checks \(2–5 min, typical, observed\); meanwhile the Cluster Autoscaler adds nodes for replacements that find no room, and removes a node left unready for 20 minutes \(scale-down-unready-time\)$/m,
            );
        });

        it("a zone under the Cluster Autoscaler: the lost zone's group waits, the others grow; without it nothing does", () => {
            const scaled = estimate(recovery(regional(tiers, { scaledBy: "cluster-autoscaler" })), "zone");
            assert.match(
                scaled.derivation.join("\n"),
                /^the lost zone's node group waits for its zone; the Cluster Autoscaler grows the other zones' groups for replacements that find no room, within their maximum \(a node in 2–5 min, typical, observed\)$/m,
            );
            const fixed = estimate(estimates, "zone");
            assert.match(
                fixed.derivation.join("\n"),
                /^the lost zone's node group waits for its zone; nothing adds nodes in the zones left$/m,
            );
            const autoMode = estimate(recovery(regional(tiers, { nodes: null, scaledBy: "cluster" })), "zone");
            assert.match(autoMode.derivation.join("\n"), /^EKS Auto Mode launches nodes for pods that have none$/m);
        });

        it("a zone under minDomains (Auto Mode): the replacements wait for the zone; a node loss does not hold them", () => {
            const counted = { ...REQUIRED, minDomains: 3 };
            const facts = regional([tier("web", 3, { zone: counted })], { nodes: null, scaledBy: "cluster" });
            const zone = estimate(recovery(facts), "zone");
            assert.deepEqual(zone.fullStrength, { low: 357, high: null });
            assert.match(
                zone.derivation.join("\n"),
                /^web: the replacements stay Pending until the zone is back \(minDomains 3 counts the lost zone as empty\)$/m,
            );
            assert.deepEqual(estimate(recovery(facts), "node").fullStrength, { low: 357, high: 420 });
        });

        it("a zone: the same clocks; the control plane keeps quorum, each zone keeps its NAT gateway", () => {
            const zone = estimate(estimates, "zone");
            assert.deepEqual(zone.fullStrength, { low: 357, high: 420 });
            assert.match(zone.derivation.join("\n"), /the control plane keeps its etcd quorum/);
            assert.match(zone.derivation.join("\n"), /each zone has its own NAT gateway/);
            const single = estimate(recovery(regional(tiers, { natGateways: 1 })), "zone");
            assert.match(
                single.derivation.join("\n"),
                /^one NAT gateway: if the lost zone held it, the nodes left pull no image from outside the VPC until it is back, so a replacement starts only on a node that holds its image \(imagePullPolicy IfNotPresent\)$/m,
            );
        });

        it("a zone: a required spread that still counts the dead zone's nodes leaves the replacements Pending", () => {
            const stuck = { ...REQUIRED, nodeTaintsPolicy: "Ignore" as const };
            const zone = estimate(recovery(regional([tier("web", 3, { zone: stuck })])), "zone");
            assert.deepEqual(zone.fullStrength, { low: 357, high: null });
            assert.match(zone.derivation.join("\n"), /web: the replacements stay Pending until the zone is back/);
            assert.equal(
                durationText(zone.fullStrength, "until the zone is back"),
                "at least 6 min, until the zone is back",
            );
        });

        it("the region: a second stack, its pulumi up along the critical path (14.5–33 min), and clients moved: 17.5–48 min", () => {
            const region = estimate(estimates, "region");
            assert.deepEqual(region.appDown, { low: 17.5 * 60, high: 48 * 60 });
            assert.match(region.derivation[1], / = 14\.5–33 min$/);
            assert.equal(region.lost.length, 6);
            assert.match(region.lost.join("\n"), /the backend images in ECR \(a repository is regional\)/);
            assert.match(
                region.lost.join("\n"),
                /the control plane logs \(api, audit\) in the region's CloudWatch Logs/,
            );
            assert.match(
                region.notes[0],
                /^the new region must offer Kubernetes 1\.35 on EKS, and 3 zones EKS accepts/,
            );
        });

        it("the region in Auto Mode: no node group on the path, 11.5–24 min of pulumi up", () => {
            const region = estimate(recovery(regional(tiers, { nodes: null })), "region");
            assert.deepEqual(region.appDown, { low: (2 + 11.5 + 1) * 60, high: (5 + 24 + 10) * 60 });
        });

        it("data: none without durable volumes; with them, what they held", () => {
            const facts = regional(tiers);
            const withVolumes = { ...facts, app: { ...facts.app, durableVolumes: 2 } };
            assert.equal(
                estimate(recovery(withVolumes), "pod").dataLost,
                "what 2 durable volumes held since the last backup (not modelled)",
            );
        });
    });

    describe("durations as the comparison shows them", () => {
        const cases: [Parameters<typeof durationText>[0], string][] = [
            [{ low: 0, high: 0 }, "0"],
            [{ low: 7, high: 97 }, "7–97 s"],
            [{ low: 357, high: 420 }, "6–7 min"],
            [{ low: 120, high: 480 }, "2–8 min"],
            [{ low: 1020, high: 2760 }, "17–46 min"],
            [{ low: 870, high: 2340 }, "15–39 min"],
            [{ low: 300, high: 570 }, "5–9.5 min"],
        ];
        for (const [range, text] of cases) {
            it(`${JSON.stringify(range)} -> ${text}`, () => assert.equal(durationText(range), text));
        }
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
            for (const cells of rows) {
                assert.match(cells[4], /^none: no pod mounts a volume that outlives it/, `${cells[0]} ${cells[1]}`);
            }
        });

        it("derives the pod rows from the rendered probes of both stacks", () => {
            for (const report of reports) {
                const pod = estimate([...report.recovery], "pod");
                assert.match(pod.derivation[0], /^frontend, backend: readiness \(2 × 5 s \+ 2 s timeout\)/);
            }
        });

        it("itemises the eks region's critical path and links the runbook", () => {
            assert.match(
                markdown,
                /^\| the EKS control plane, in the VPC's private subnets \| `eks:index:Cluster` \| 8–15 min \| typical, observed \| \[docs\.aws\.amazon\.com/m,
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
                        assert.ok(doc.includes(figure), `${report.facts.stack}, ${candidate.title}: ${figure}`);
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
