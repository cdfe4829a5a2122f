import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { StackReport } from "../../components/report";
import { awsMocks, PROJECT_DIR, runProgram } from "../../tools/mockRuntime";
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

        it("says who runs the control plane, with how many API servers and etcd members in how many zones", () => {
            assert.match(
                row(rows, "Control plane: who runs it")[1],
                /^you: static pods on the one node of minikube profile `minikube`/,
            );
            assert.equal(row(rows, "Control plane: who runs it")[2], "AWS: in AWS's account, not on your nodes");
            assert.deepEqual(row(rows, "Control plane: API servers"), ["Control plane: API servers", "1", "2"]);
            assert.deepEqual(row(rows, "Control plane: zones"), ["Control plane: zones", "1", "3"]);
            assert.deepEqual(row(rows, "etcd"), ["etcd", "1 member", "3 members"]);
            assert.match(row(rows, "etcd backups")[1], /^you: `npm run etcd -- backup --minikube`/);
            assert.match(row(rows, "etcd backups")[2], /^AWS: /);
        });

        it("sizes the nodes from the stack config, and says the Cluster Autoscaler scales a group per zone", () => {
            assert.equal(
                row(rows, "Worker nodes")[1],
                "1 × minikube VM or container on your machine, also the control plane",
            );
            assert.equal(row(rows, "Worker nodes")[2], "3 × t3.medium (min 3, max 6)");
            assert.deepEqual(row(rows, "Worker node zones"), ["Worker node zones", "1", "3"]);
            assert.equal(
                row(rows, "Node autoscaling")[2],
                "the Cluster Autoscaler (chart 9.59.0, the release of the cluster's Kubernetes version) sizes one node " +
                    "group per zone, 1–2 nodes in each of 3 zones (3–6 in all, 3 to start): it adds a node in the zone " +
                    "where a pending pod fits, and removes a node that stays under half requested for 10 minutes",
            );
            assert.equal(row(rows, "Node autoscaling")[1], "none: one node");
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
            assert.match(
                row(rows, "NetworkPolicies")[1],
                /^5, enforced: depends \(only with a CNI that implements them/,
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
            assert.match(
                row(rows, "Control plane upgrades")[1],
                /^you: `minikube start -p minikube --kubernetes-version=<v>`/,
            );
            assert.equal(
                row(rows, "Node upgrades")[2],
                "after the control plane, each zone's node group rolls its nodes to the new version, one at a time",
            );
            assert.deepEqual(row(rows, "Monthly cost").slice(1), [
                "$0: minikube runs on your own machine, so there is no cloud bill",
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

        it("eks, a node dies: 2 of 3 left, the control plane is not on the nodes, the Cluster Autoscaler adds room", () => {
            const cells = row(rows, "a node dies", "eks");
            assert.deepEqual(cells.slice(2, 6), ["2 of 3", "2 of 3", "up", "up"]);
            assert.match(
                cells[6],
                /; the control plane does not run on your nodes; replacements that find no room on the nodes left make the Cluster Autoscaler add nodes in the zones where they fit, up to each zone group's maximum; the cluster's own pods: CoreDNS: both its pods may be on the lost node/,
            );
            assert.match(
                cells[6],
                /; Cluster Autoscaler: its one pod may be on the lost node: no node scaling: pods that find no room stay Pending, and idle nodes stay, until a replacement is Ready$/,
            );
        });

        it("eks, a zone dies: the zones' groups, the NAT gateway of each zone, and the cluster's own pods", () => {
            const reasoning = row(rows, "a zone dies", "eks")[6];
            for (const clause of [
                "; counted as the scheduler places pods; an HPA scale-down removes pods without looking at zones, so until they are replaced one zone can hold more: frontend 2 of 3 (from 6), backend 3 of 3 (from 9);",
                "; the lost zone's node group cannot launch in another zone (one group per zone); replacements that find no room in the zones left make the Cluster Autoscaler grow those zones' groups, up to their maximum;",
                "; each zone has its own NAT gateway, so the zones left keep their way out (image pulls, AWS APIs);",
                "; the cluster's own pods: CoreDNS: both its pods may be on the lost zone, its zone spread being a preference: no cluster DNS: running pods keep the connections and addresses they have, but a name lookup fails, so a pod that resolves a name as it starts does not start, until a replacement is Ready;",
                "; AWS Load Balancer Controller: both its pods may be on the lost zone, its zone spread being a preference: the NLB keeps its targets and keeps health-checking them, but no new pod is registered with it, so replacements get no traffic from it, until a replacement is Ready;",
            ]) {
                assert.ok(reasoning.includes(clause), clause);
            }
        });

        it("eks, a zone dies: 2 of 3 backend pods left, 2 of 3 etcd members keep quorum, the app stays up", () => {
            const cells = row(rows, "a zone dies", "eks");
            assert.deepEqual(cells.slice(2, 6), ["2 of 3", "2 of 3", "up", "up"]);
            assert.match(cells[6], /1 of 2 API servers and 2 of 3 etcd members left \(quorum 2\)$/);
        });

        it("the control plane loses a node: minikube's one node takes the API and every pod; EKS loses neither", () => {
            const dev = row(rows, "the control plane loses a node", "dev");
            assert.deepEqual(dev.slice(2, 6), ["0 of 2", "0 of 2", "**down**", "**down**"]);
            assert.match(dev[6], /that node is also the only worker, so every pod goes with it/);
            const eks = row(rows, "the control plane loses a node", "eks");
            assert.deepEqual(eks.slice(2, 6), ["3 of 3", "3 of 3", "up", "up"]);
            assert.match(eks[6], /AWS replaces the instance; no pod runs there/);
        });

        it("a pod dies: both stacks stay up", () => {
            assert.deepEqual(row(rows, "a pod dies", "dev").slice(2, 6), ["1 of 2", "1 of 2", "up", "up"]);
            assert.deepEqual(row(rows, "a pod dies", "eks").slice(2, 6), ["2 of 3", "2 of 3", "up", "up"]);
        });
    });

    describe("what each stack costs a month", () => {
        it("itemises the eks bill from the price table and totals it", () => {
            const rows = tableRows(markdown, "item");
            assert.deepEqual(row(rows, "nodes").slice(0, 4), ["nodes", "3 × t3.medium", "$0.0416/hour", "$91.10"]);
            assert.deepEqual(row(rows, "NAT gateways").slice(0, 4), ["NAT gateways", "3", "$0.045/hour", "$98.55"]);
            assert.deepEqual(row(rows, "public IPv4 addresses").slice(1, 4), [
                "6 (3 NAT gateways, 1 load balancer × 3 zones)",
                "$0.005/hour",
                "$21.90",
            ]);
            assert.deepEqual(row(rows, "**Total**").slice(0, 4), ["**Total**", "", "", "**$313.01**"]);
            assert.deepEqual(row(rows, "CloudWatch Logs storage").slice(1, 4), [
                "2.96 GB (30 days kept)",
                "$0.03/GB-month",
                "$0.09",
            ]);
            assert.deepEqual(row(rows, "ECR storage, copied images").slice(1, 4), [
                "0.02 GB (1 image)",
                "$0.10/GB-month",
                "$0.00",
            ]);
            assert.deepEqual(row(rows, "cross-zone data transfer").slice(1, 4), [
                "10 GB × 2 (out of one zone, into the other)",
                "$0.01/GB",
                "$0.20",
            ]);
            assert.deepEqual(row(rows, "AWS Load Balancer Controller (on the nodes)").slice(1, 4), [
                "2 pods × 50m CPU, 128Mi requested",
                "in the node price",
                "$0.00",
            ]);
            assert.deepEqual(row(rows, "Cluster Autoscaler (on the nodes)").slice(1, 4), [
                "1 pod × 100m CPU, 600Mi requested",
                "in the node price",
                "$0.00",
            ]);
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
            assert.deepEqual(
                [
                    output.facts.cluster.nodes.count,
                    output.facts.cluster.nodes.zones,
                    output.facts.cluster.cost.natGateways,
                ],
                [null, 2, 1],
            );
            assert.equal(output.facts.cluster.nodes.patchedBy, "AWS");
            assert.equal(output.facts.cluster.security.networkPolicies.by, "EKS Auto Mode's network policy controller");
            assert.equal(output.cost.complete, false);
            assert.match(output.cost.summary, /^at least \$/);
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
            for (const clause of [
                "frontend, backend: the replacements stay Pending until the zone is back: with minDomains 2 and 1 zone left the scheduler counts the emptiest zone as 0, so a zone takes a pod only while it holds fewer than 1 (maxSkew), and each zone left already holds its share;",
                "; EKS Auto Mode launches nodes for replacements that find no room;",
                "; one NAT gateway for 2 zones: if the lost zone held it, the zones left lose their way out too: no image pull from outside the VPC (ECR included: no VPC endpoints), no AWS API call (a new node cannot turn Ready, the controllers' calls fail); a pod's start needs nothing from outside the VPC but its image, and that only where its node lacks it or the pull policy is Always;",
            ]) {
                assert.ok(zone?.reasoning.includes(clause), clause);
            }
            assert.deepEqual(
                output.cost.lines.filter((line) => line.item.endsWith("(on the nodes)")),
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
                /has schema 0, this program reads 3/,
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
