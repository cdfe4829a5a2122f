import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ScenarioId, ScenarioOutcome, SCENARIOS } from "../../components/report/failureAnalysis";
import { StackReport } from "../../components/report/report";
import { awsMocks, PROJECT_DIR, runProgram } from "../../tools/mockRuntime";
import { bothTiers, ONE_PER_ZONE } from "./reportFacts";
import {
    Comparison,
    compareDeployed,
    compareRendered,
    comparisonJson,
    comparisonText,
    reportFromOutput,
} from "../../tools/compare/compare";
import {
    BEGIN_MARKER,
    comparisonInDoc,
    COMPARISON_DOC,
    END_MARKER,
    withComparison,
} from "../../tools/compare/comparisonDoc";
import * as clusterProse from "../../tools/compare/prose/clusterProse";
import { costItemText, costQuantityText, costSummary, unitPriceCell } from "../../tools/compare/prose/costProse";
import { failureReasoning, SCENARIO_TITLES } from "../../tools/compare/prose/failureProse";

const run = promisify(execFile);
const CLI = path.join(PROJECT_DIR, "tools", "compare", "cli.ts");
const TS_NODE = path.join(PROJECT_DIR, "node_modules", "ts-node", "dist", "bin.js");

/** The rows of the Markdown table whose header starts with `firstHeader`, as cell texts. */
function tableRows(markdown: string, firstHeader: string): string[][] {
    const lines = markdown.split("\n");
    const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
    assert.ok(start >= 0, `no table starting with ${firstHeader}`);
    const rows: string[][] = [];
    for (const line of lines.slice(start + 2)) {
        if (!line.startsWith("|")) {
            break;
        }
        rows.push(line.slice(2, -2).split(" | "));
    }
    return rows;
}

/** The row whose first cells are `keys`. */
function row(rows: string[][], ...keys: string[]): string[] {
    const found = rows.filter((cells) => keys.every((key, index) => cells[index] === key));
    assert.equal(found.length, 1, `one row ${keys.join(" / ")}`);
    return found[0];
}

const hourly = (usd: number) => ({ usd, per: "hour" });

function report(comparison: Comparison, stack: string): StackReport {
    const found = comparison.reports.find((candidate) => candidate.facts.stack === stack);
    assert.ok(found, stack);
    return found;
}

describe("npm run compare: self-managed (dev) vs managed (eks)", function () {
    this.timeout(120000);
    let comparison: Comparison;
    let markdown: string;

    before(async () => {
        comparison = await compareRendered();
        markdown = comparisonText(comparison);
    });

    describe("side by side", () => {
        let rows: string[][];
        before(() => {
            rows = tableRows(markdown, "concept");
        });

        it("has a column per stack, self-managed first", () => {
            assert.match(markdown, /^\| concept \| dev: minikube \(self-managed\) \| eks: Amazon EKS \(managed\) \|$/m);
        });

        // dev's cells are its typed facts in clusterProse's words (whose templates clusterProse.test checks).
        it("says who runs the control plane, with how many API servers and etcd members in how many zones", () => {
            const dev = report(comparison, "dev").facts.cluster.controlPlane;
            assert.deepEqual(dev.location, { kind: "minikubeNode", profile: "minikube" });
            assert.equal(
                row(rows, "Control plane: who runs it")[1],
                `you: ${clusterProse.controlPlaneLocationText(dev.location)}`,
            );
            assert.equal(row(rows, "Control plane: who runs it")[2], "AWS: in AWS's account, not on your nodes");
            assert.deepEqual(row(rows, "Control plane: API servers"), ["Control plane: API servers", "1", "2"]);
            assert.deepEqual(row(rows, "Control plane: zones"), ["Control plane: zones", "1", "3"]);
            assert.deepEqual(row(rows, "etcd"), ["etcd", "1 member", "3 members"]);
            assert.deepEqual(dev.etcdBackupHow, { kind: "etcdSnapshotTool" });
            assert.equal(row(rows, "etcd backups")[1], `you: ${clusterProse.etcdBackupText(dev.etcdBackupHow)}`);
            assert.match(row(rows, "etcd backups")[2], /^AWS: /);
        });

        it("sizes the nodes from the stack config, and says the Cluster Autoscaler scales a group per zone", () => {
            const dev = report(comparison, "dev").facts.cluster.nodes;
            assert.deepEqual([dev.machine, dev.autoscaling], [{ kind: "minikubeVm" }, { kind: "fixed", nodes: 1 }]);
            assert.equal(
                row(rows, "Worker nodes")[1],
                `1 × ${clusterProse.nodeMachineText(dev.machine)}, also the control plane`,
            );
            assert.equal(row(rows, "Worker nodes")[2], "3 × t3.medium (min 3, max 6)");
            assert.deepEqual(row(rows, "Worker node zones"), ["Worker node zones", "1", "3"]);
            assert.equal(
                row(rows, "Node autoscaling")[2],
                "the Cluster Autoscaler (chart 9.59.0, the release of the cluster's Kubernetes version) sizes one node " +
                    "group per zone, 1–2 nodes in each of 3 zones (3–6 in all, 3 to start): it adds a node in the zone " +
                    "where a pending pod fits, and removes a node that stays under half requested for 10 minutes",
            );
            assert.equal(row(rows, "Node autoscaling")[1], clusterProse.nodeAutoscalingText(dev.autoscaling));
            assert.match(row(rows, "Node patching")[1], /^you: /);
        });

        it("reads each tier's replicas, spread and PodDisruptionBudget from the rendered objects", () => {
            assert.deepEqual(row(rows, "`frontend` pods"), [
                "`frontend` pods",
                "2–4 (HPA, 70% CPU)",
                "3–6 (HPA, 70% CPU)",
            ]);
            assert.deepEqual(row(rows, "`backend` pods"), [
                "`backend` pods",
                "2–5 (HPA, 70% CPU)",
                "3–9 (HPA, 70% CPU)",
            ]);
            assert.deepEqual(row(rows, "`backend` spread"), [
                "`backend` spread",
                "zones: ScheduleAnyway, maxSkew 1; nodes: ScheduleAnyway, maxSkew 1",
                "zones: DoNotSchedule, maxSkew 1, dead nodes not counted; nodes: ScheduleAnyway, maxSkew 1",
            ]);
            assert.deepEqual(row(rows, "`frontend` PodDisruptionBudget").slice(1), [
                "maxUnavailable 1",
                "maxUnavailable 1",
            ]);
        });

        it("names the traffic entry: NodePort on minikube, an NLB on EKS", () => {
            assert.match(row(rows, "Traffic entry")[1], /^NodePort Service `frontend`: /);
            assert.match(
                row(rows, "Traffic entry")[2],
                /^LoadBalancer Service `frontend`: an AWS Network Load Balancer, internet-facing, in 3 zones/,
            );
        });

        it("compares security: policies and who enforces them, secrets at rest, audit logs, authentication", () => {
            const enforcer = report(comparison, "dev").facts.cluster.security.networkPolicies.by;
            assert.deepEqual(enforcer, { kind: "calicoOnNewClusters" });
            assert.equal(
                row(rows, "NetworkPolicies")[1],
                `5, enforced: depends (${clusterProse.networkPolicyEnforcerText(enforcer)})`,
            );
            assert.equal(row(rows, "NetworkPolicies")[2], "5, enforced: yes (the VPC CNI's network policy agent)");
            assert.deepEqual(row(rows, "Secrets at rest").slice(1), [
                "not encrypted",
                "KMS envelope encryption with the stack's own key, rotated yearly",
            ]);
            assert.deepEqual(row(rows, "Control plane logs").slice(1), [
                "none kept",
                "api, audit, authenticator to CloudWatch Logs",
            ]);
            assert.match(row(rows, "API authentication")[2], /^IAM identities through EKS access entries/);
        });

        it("compares upgrades and cost", () => {
            assert.deepEqual(row(rows, "Kubernetes version").slice(1), ["not pinned", "1.36"]);
            const dev = report(comparison, "dev");
            assert.deepEqual(dev.facts.cluster.upgrades.controlPlane, { kind: "minikubeStart", profile: "minikube" });
            assert.equal(
                row(rows, "Control plane upgrades")[1],
                clusterProse.controlPlaneUpgradeText(dev.facts.cluster.upgrades.controlPlane),
            );
            assert.equal(
                row(rows, "Node upgrades")[2],
                "after the control plane, each zone's node group rolls its nodes to the new version, one at a time",
            );
            assert.deepEqual(dev.facts.cluster.cost.pricing, { provider: "none", reason: "ownMachine" });
            assert.deepEqual(row(rows, "Monthly cost").slice(1), [
                costSummary(dev.cost, dev.facts.cluster.cost.pricing),
                "$313.01/month in us-east-1, on-demand prices as of 2026-11-25",
            ]);
        });
    });

    describe("what survives a failure", () => {
        let rows: string[][];
        before(() => {
            rows = tableRows(markdown, "failure");
        });

        it("has one row per failure and stack", () => {
            assert.deepEqual(
                rows.map((cells) => `${cells[0]} / ${cells[1]}`),
                [
                    "a pod dies / dev",
                    "a pod dies / eks",
                    "a node dies / dev",
                    "a node dies / eks",
                    "a zone dies / dev",
                    "a zone dies / eks",
                    "the control plane loses a node / dev",
                    "the control plane loses a node / eks",
                ],
            );
        });

        it("dev, a node dies: 0 of 2 pods of each tier left, API and app down", () => {
            assert.deepEqual(row(rows, "a node dies", "dev").slice(2, 6), ["0 of 2", "0 of 2", "**down**", "**down**"]);
        });

        /** The stack's outcome of a scenario, as its report holds it. */
        const outcome = (stack: string, scenario: ScenarioId): ScenarioOutcome => {
            const found = report(comparison, stack).failures.find((candidate) => candidate.scenario === scenario);
            assert.ok(found, `${stack} ${scenario}`);
            return found;
        };
        /** Every cluster pod of eks on the lost domain: CoreDNS and metrics-server as add-ons, the two charts. */
        const allEksSystemPodsLost = [
            { name: "CoreDNS", replicas: 2, lost: 2 },
            { name: "metrics-server", replicas: 2, lost: 2 },
            { name: "AWS Load Balancer Controller", replicas: 2, lost: 2 },
            { name: "Cluster Autoscaler", replicas: 1, lost: 1 },
        ];

        it("words every row's reasons with the one prose module", () => {
            for (const cells of rows) {
                const stack = cells[1];
                const scenario = SCENARIOS.find((id) => SCENARIO_TITLES[id] === cells[0]);
                assert.ok(scenario, cells[0]);
                assert.equal(cells[6], failureReasoning(outcome(stack, scenario), report(comparison, stack).facts));
            }
        });

        it("eks, a node dies: 2 of 3 left, the control plane is not on the nodes, the Cluster Autoscaler adds room", () => {
            assert.deepEqual(row(rows, "a node dies", "eks").slice(2, 6), ["2 of 3", "2 of 3", "up", "up"]);
            assert.deepEqual(outcome("eks", "node").reasons, [
                {
                    kind: "nodePlacement",
                    tiers: bothTiers({ kind: "zoneShare", zone: ONE_PER_ZONE, nodes: "ScheduleAnyway" }),
                },
                { kind: "nodeRunsControlPlane", runs: "no" },
                { kind: "nodeCapacity", domain: "node", scaledBy: "cluster-autoscaler" },
                { kind: "systemPods", domain: "node", pods: allEksSystemPodsLost },
            ]);
        });

        it("eks, a zone dies: the zones' groups, the NAT gateway of each zone, and the cluster's own pods", () => {
            assert.deepEqual(outcome("eks", "zone").reasons, [
                { kind: "zonePlacement", tiers: bothTiers(ONE_PER_ZONE) },
                {
                    kind: "scaleDownSkew",
                    tiers: [
                        { tier: "frontend", most: 2, replicas: 3, maxReplicas: 6 },
                        { tier: "backend", most: 3, replicas: 3, maxReplicas: 9 },
                    ],
                },
                { kind: "zoneReplacements", tiers: bothTiers({ kind: "evictedAndReplaced", tolerationSeconds: 300 }) },
                { kind: "nodeCapacity", domain: "zone", scaledBy: "cluster-autoscaler" },
                { kind: "natPerZone" },
                { kind: "systemPods", domain: "zone", pods: allEksSystemPodsLost },
                { kind: "controlPlaneZones", zones: 3 },
            ]);
        });

        it("eks, a zone dies: 2 of 3 backend pods left, 2 of 3 etcd members keep quorum, the app stays up", () => {
            assert.deepEqual(row(rows, "a zone dies", "eks").slice(2, 6), ["2 of 3", "2 of 3", "up", "up"]);
            const { apiServersLeft, etcdMembersLeft, etcdQuorum } = outcome("eks", "zone").controlPlane;
            assert.deepEqual([apiServersLeft, etcdMembersLeft, etcdQuorum], [1, 2, 2]);
        });

        it("the control plane loses a node: minikube's one node takes the API and every pod; EKS loses neither", () => {
            assert.deepEqual(row(rows, "the control plane loses a node", "dev").slice(2, 6), [
                "0 of 2",
                "0 of 2",
                "**down**",
                "**down**",
            ]);
            assert.deepEqual(outcome("dev", "control-plane-node").reasons, [
                { kind: "controlPlaneNodeLost", repairedBy: "you", pods: { kind: "onlyWorker" } },
            ]);
            assert.deepEqual(row(rows, "the control plane loses a node", "eks").slice(2, 6), [
                "3 of 3",
                "3 of 3",
                "up",
                "up",
            ]);
            assert.deepEqual(outcome("eks", "control-plane-node").reasons, [
                { kind: "controlPlaneNodeLost", repairedBy: "AWS", pods: { kind: "noPods" } },
            ]);
        });

        it("a pod dies: both stacks stay up", () => {
            assert.deepEqual(row(rows, "a pod dies", "dev").slice(2, 6), ["1 of 2", "1 of 2", "up", "up"]);
            assert.deepEqual(row(rows, "a pod dies", "eks").slice(2, 6), ["2 of 3", "2 of 3", "up", "up"]);
        });
    });

    describe("what each stack costs a month", () => {
        it("itemises the eks bill from the price table and totals it", () => {
            const eks = report(comparison, "eks").cost;
            assert.deepEqual(
                eks.lines.map((line) => [line.item, line.quantity, line.unitPrice, line.monthlyUsd]),
                [
                    [{ kind: "controlPlane", support: "standard" }, { kind: "count", count: 1 }, hourly(0.1), 73],
                    [{ kind: "nodes" }, { kind: "instances", count: 3, type: "t3.medium" }, hourly(0.0416), 91.104],
                    [
                        { kind: "nodeVolumes" },
                        { kind: "volumes", count: 3, gib: 20, type: "gp3" },
                        { usd: 0.08, per: "GB-month" },
                        4.8,
                    ],
                    [{ kind: "natGateways" }, { kind: "count", count: 3 }, hourly(0.045), 98.55],
                    [
                        { kind: "publicIpv4" },
                        { kind: "addresses", count: 6, natGateways: 3, loadBalancers: 1, zones: 3 },
                        hourly(0.005),
                        21.9,
                    ],
                    [{ kind: "loadBalancer" }, { kind: "count", count: 1 }, hourly(0.0225), 16.425],
                    [{ kind: "loadBalancerCapacity" }, { kind: "capacityUnits", units: 1 }, hourly(0.006), 4.38],
                    [{ kind: "kmsKey" }, { kind: "count", count: 1 }, { usd: 1, per: "month" }, 1],
                    [{ kind: "logIngestion" }, { kind: "logs", gb: 3, streams: 3 }, { usd: 0.5, per: "GB" }, 1.5],
                    [
                        { kind: "logStorage" },
                        { kind: "keptLogs", gb: 2.958904, days: 30 },
                        { usd: 0.03, per: "GB-month" },
                        0.088767,
                    ],
                    [{ kind: "images" }, { kind: "images", gb: 0.6, images: 10 }, { usd: 0.1, per: "GB-month" }, 0.06],
                    [
                        { kind: "copiedImages" },
                        { kind: "images", gb: 0.02, images: 1 },
                        { usd: 0.1, per: "GB-month" },
                        0.002,
                    ],
                    [{ kind: "crossZone" }, { kind: "crossZone", gb: 10 }, { usd: 0.01, per: "GB" }, 0.2],
                    [
                        { kind: "controller", name: "AWS Load Balancer Controller" },
                        { kind: "pods", pods: 2, cpu: "50m", memory: "128Mi" },
                        "inNodePrice",
                        0,
                    ],
                    [
                        { kind: "controller", name: "Cluster Autoscaler" },
                        { kind: "pods", pods: 1, cpu: "100m", memory: "600Mi" },
                        "inNodePrice",
                        0,
                    ],
                ],
            );
            // The table shows each line in that order, worded by prose/costProse.ts, and the total.
            const rows = tableRows(markdown, "item");
            assert.deepEqual(
                rows.slice(0, -1).map((cells) => cells.slice(0, 3)),
                eks.lines.map((line) => [
                    costItemText(line.item),
                    costQuantityText(line.quantity),
                    unitPriceCell(line.unitPrice),
                ]),
            );
            assert.deepEqual(rows.at(-1)?.slice(0, 4), ["**Total**", "", "", "**$313.01**"]);
            assert.doesNotMatch(markdown, /never expires/);
            assert.match(
                markdown,
                /^\*\*dev\*\*: \$0: minikube runs on your own machine, so there is no cloud bill\.$/m,
            );
            assert.match(markdown, /prices from `data\/prices\/aws-us-east-1\.json` \(as of 2026-11-25\)/);
        });

        it("gives the same figures as JSON", () => {
            const json = JSON.parse(comparisonJson(comparison)) as { stacks: StackReport[] };
            assert.deepEqual(
                json.stacks.map((stack) => [
                    stack.facts.stack,
                    stack.cost.basis,
                    stack.cost.totalUsd,
                    stack.cost.complete,
                ]),
                [
                    ["dev", "free", 0, true],
                    ["eks", "priced", 313.009767, true],
                ],
            );
            const zone = json.stacks[1].failures.find((outcome) => outcome.scenario === "zone");
            assert.deepEqual(zone?.tiers, [
                { tier: "frontend", replicas: 3, lost: 1, survivors: 2 },
                { tier: "backend", replicas: 3, lost: 1, survivors: 2 },
            ]);
        });
    });

    describe("docs/comparison.md", () => {
        it("shows the current comparison between its markers (npm run compare -- --write-docs)", () => {
            const doc = fs.readFileSync(COMPARISON_DOC, "utf8");
            assert.equal(
                comparisonInDoc(doc),
                markdown.trim(),
                "docs/comparison.md is stale: run npm run compare -- --write-docs",
            );
            assert.match(doc, /^npm run compare -- --write-docs$/m);
        });

        it("rewrites only what lies between the markers", () => {
            const before = `# title\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\nafter\n`;
            assert.equal(withComparison(before, "new\n"), `# title\n\n${BEGIN_MARKER}\nnew\n${END_MARKER}\n\nafter\n`);
            assert.throws(
                () => withComparison("no markers", "x"),
                /docs\/comparison\.md needs exactly one <!-- compare:begin -->/,
            );
        });
    });

    describe("the report stack output", () => {
        it("on dev equals the report computed offline from the rendering", async () => {
            const live = await runProgram({ stack: "dev" });
            assert.deepEqual(live.outputs.report, report(comparison, "dev"));
        });

        it("on eks equals the report computed offline from the rendering", async () => {
            const live = await runProgram({ stack: "eks", mocks: awsMocks() });
            // Only the live report names the zones: a zone's name is the account's, chosen at deploy time.
            const { zoneNames, ...cluster } = (live.outputs.report as StackReport).facts.cluster;
            assert.deepEqual(zoneNames, ["us-east-1a", "us-east-1c", "us-east-1d"]);
            const liveReport = live.outputs.report as StackReport;
            assert.deepEqual({ ...liveReport, facts: { ...liveReport.facts, cluster } }, report(comparison, "eks"));
        });

        it("follows the config: Auto Mode has no node count to price, a single NAT gateway costs less", async () => {
            const live = await runProgram({
                stack: "eks",
                mocks: awsMocks(),
                // Two zones need four pods per tier (the EKS minimum-replica rule).
                overrides: {
                    nodes: "auto",
                    natGatewayStrategy: "Single",
                    zoneCount: "2",
                    backendMinReplicas: "4",
                    frontendMinReplicas: "4",
                },
            });
            const output = live.outputs.report as StackReport;
            const { nodes, security, upgrades, loadBalancer, runsOn } = output.facts.cluster;
            assert.deepEqual(
                [nodes.machine, nodes.autoscaling, nodes.zones, output.facts.cluster.cost.natGateways],
                [{ kind: "autoMode" }, { kind: "autoMode" }, 2, 1],
            );
            assert.equal(nodes.patchedBy, "AWS");
            assert.deepEqual(nodes.patching, { kind: "autoModeReplacement", maxNodeAgeDays: 21 });
            assert.deepEqual(upgrades.nodes, { kind: "autoMode" });
            assert.deepEqual(security.networkPolicies, { enforced: "yes", by: { kind: "autoModeController" } });
            assert.deepEqual(loadBalancer, {
                product: "network-load-balancer",
                description: { kind: "awsNetworkLoadBalancer", scheme: "internet-facing", madeBy: "autoMode" },
                zones: 2,
            });
            assert.deepEqual(runsOn, {
                kind: "cloudRegion",
                rebuildPath: ["vpc", "autoModeControlPlane", "autoModeAddons", "loadBalancer"],
            });
            assert.equal(output.cost.complete, false);
            const zone = output.failures.find((outcome) => outcome.scenario === "zone");
            assert.deepEqual(
                zone?.tiers.map((tier) => tier.survivors),
                [2, 2],
                "4 pods over 2 zones: a zone may hold 2",
            );
            assert.equal(output.facts.cluster.nodes.scaledBy, "cluster");
            assert.deepEqual(
                output.facts.cluster.systemPods.map((pod) => pod.name),
                ["metrics-server"],
                "cluster DNS is part of Auto Mode's nodes",
            );
            const held = { kind: "minDomainsHold", minDomains: 2, zonesLeft: 1, maxSkew: 1 } as const;
            assert.deepEqual(
                zone?.reasons.filter((reason) =>
                    ["zoneReplacements", "nodeCapacity", "sharedNat"].includes(reason.kind),
                ),
                [
                    {
                        kind: "zoneReplacements",
                        tiers: bothTiers(held),
                    },
                    { kind: "nodeCapacity", domain: "zone", scaledBy: "cluster" },
                    {
                        kind: "sharedNat",
                        natGateways: 1,
                        zones: 2,
                        pulls: bothTiers("IfNotPresent"),
                    },
                ],
            );
            assert.deepEqual(
                output.cost.lines.filter((line) => line.item.kind === "controller"),
                [],
                "Auto Mode: the stack installs no controller on the nodes",
            );
        });

        it("is what --from-stacks reads back, recomputed by this version", async () => {
            const deployed = await compareDeployed(["dev", "eks"], async (stack) =>
                JSON.parse(JSON.stringify(report(comparison, stack))),
            );
            assert.deepEqual(deployed.reports, comparison.reports);
            assert.equal(
                comparisonText(deployed).split("\n").slice(1).join("\n"),
                markdown.split("\n").slice(1).join("\n"),
                "the same table; only the origin line differs",
            );
            assert.match(
                comparisonText(deployed),
                /^_Generated by `npm run compare` from the `report` outputs of the deployed `dev` and `eks` stacks/,
            );
        });

        it("refuses a stack without a report, or with a report of another shape", () => {
            assert.throws(() => reportFromOutput("dev", undefined), {
                message: "stack dev has no report output: run `pulumi up --stack dev` with this version of the program",
            });
            assert.throws(
                () => reportFromOutput("dev", { ...report(comparison, "dev"), schema: 0 }),
                /has schema 0, this program reads 5/,
            );
            assert.throws(() => reportFromOutput("eks", report(comparison, "dev")), {
                message: "stack eks's report describes stack dev",
            });
        });
    });

    describe("the command line", () => {
        const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
            run(process.execPath, [TS_NODE, CLI, ...args], { cwd: PROJECT_DIR, env, maxBuffer: 16 * 1024 * 1024 });

        it("prints the Markdown, or --json", async () => {
            const json = await cli(["--json"]);
            const parsed = JSON.parse(json.stdout) as { origin: string; stacks: StackReport[] };
            assert.deepEqual(parsed, JSON.parse(comparisonJson(comparison)));
        });

        it("explains its usage, and rejects what it does not know", async () => {
            assert.match(
                (await cli(["--help"])).stdout,
                /^usage: npm run compare -- \[--json\] \[--from-stacks\] \[--write-docs\] \[stack\.\.\.\]/,
            );
            await assert.rejects(cli(["--yaml"]), (error: { code: number; stderr: string }) => {
                assert.equal(error.code, 2);
                assert.match(error.stderr, /error: unknown option --yaml$/m);
                return true;
            });
            await assert.rejects(cli(["prod"]), (error: { code: number; stderr: string }) => {
                assert.equal(error.code, 2);
                assert.match(error.stderr, /error: no Pulumi\.<stack>\.yaml for prod/);
                return true;
            });
        });

        it("--from-stacks without the Pulumi CLI fails with a clear error", async () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
            await assert.rejects(
                cli(["--from-stacks"], { ...process.env, PATH: empty }),
                (error: { code: number; stderr: string }) => {
                    assert.equal(error.code, 1);
                    assert.match(
                        error.stderr,
                        /^error: --from-stacks needs the Pulumi CLI, and `pulumi` is not on PATH/,
                    );
                    return true;
                },
            );
        });

        it("--from-stacks prints the same table from `pulumi stack output report --json`", async () => {
            // A stand-in for the Pulumi CLI: shell builtins only, answering exactly the command compare runs.
            const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
            for (const stack of ["dev", "eks"]) {
                fs.writeFileSync(path.join(bin, `${stack}.json`), JSON.stringify(report(comparison, stack)));
            }
            fs.writeFileSync(
                path.join(bin, "pulumi"),
                [
                    "#!/bin/sh",
                    '[ "$1 $2 $3 $4 $5" = "stack output report --json --stack" ] || { echo "unexpected: $*" >&2; exit 3; }',
                    'while IFS= read -r line || [ -n "$line" ]; do printf "%s\\n" "$line"; done < "$(dirname "$0")/$6.json"',
                    "",
                ].join("\n"),
                { mode: 0o755 },
            );
            const result = await cli(["--from-stacks"], { ...process.env, PATH: `${bin}:/bin:/usr/bin` });
            assert.equal(result.stdout.split("\n").slice(1).join("\n"), markdown.split("\n").slice(1).join("\n"));
        });
    });
});
