/**
 * docs/alternatives.md quotes figures the code decides: each alternative's bill, the prices behind it and the two
 * stacks' replica ranges and control planes. They are worked out here again, so the page cannot drift from them.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CostItem } from "../../components/report/cost";
import { loadPriceTable, PriceTable } from "../../components/report/priceTable";
import { StackReport } from "../../components/report/report";
import { usd } from "../../tools/compare/markdown";
import {
    AlternativeCost,
    alternativesCost,
    FARGATE_PRICES,
    fargateTaskSize,
} from "../../tools/compose/alternativesCost";
import { compareRendered } from "../../tools/compare/compare";
import { PROJECT_DIR } from "../../tools/mockRuntime";
import { parsedStackConfig } from "../../tools/mockRuntime/stackConfig";
import { stackFile } from "../../tools/render/renderStack";

const DOC = fs.readFileSync(path.join(PROJECT_DIR, "docs", "alternatives.md"), "utf8");
/** The page's text with every run of white space one space, so that rewrapping a paragraph changes nothing. */
const PROSE = DOC.replace(/\s+/g, " ");
const COLUMNS = ["Docker Compose, one server", "minikube (`dev`)", "EKS (`eks`)", "ECS on Fargate"];

/** Rows of the Markdown table right after `<!-- marker -->`, header included, as cell texts. */
function tableAfter(marker: string): string[][] {
    const start = DOC.indexOf(`<!-- ${marker} -->`);
    assert.ok(start >= 0, `no <!-- ${marker} --> before its table`);
    const lines = DOC.slice(start).split("\n").slice(1);
    const end = lines.findIndex((line) => !line.startsWith("|"));
    return lines
        .slice(0, end)
        .filter((_, index) => index !== 1)
        .map((line) =>
            line
                .slice(1, -1)
                .split("|")
                .map((cell) => cell.trim()),
        );
}

/** The side-by-side table's row for `concept`, one cell per column. */
function sideBySide(concept: string): Record<string, string> {
    const [header, ...rows] = tableAfter("alternatives");
    assert.deepEqual(header, ["concept", ...COLUMNS]);
    const row = rows.find((cells) => cells[0] === concept);
    assert.ok(row, `no row ${concept}`);
    return Object.fromEntries(COLUMNS.map((column, index) => [column, row[index + 1]]));
}

describe("docs/alternatives.md", function () {
    this.timeout(120000);
    let dev: StackReport;
    let eks: StackReport;
    let table: PriceTable;
    let bills: AlternativeCost[];

    before(async () => {
        [dev, eks] = (await compareRendered(["dev", "eks"])).reports;
        const loaded = loadPriceTable(eks.facts.cluster.cost.pricing);
        assert.ok(loaded, "the eks stack's region has a price table");
        table = loaded;
        const app = parsedStackConfig(PROJECT_DIR, stackFile("eks")).app;
        bills = alternativesCost(
            dev,
            eks,
            [
                { name: "backend", resources: app.backendResources, tasks: app.backendReplicas.min },
                { name: "frontend", resources: app.frontendResources, tasks: app.frontendReplicas.min },
            ],
            table,
        );
    });

    it("bills each alternative item by item as the cost model does", () => {
        const [, ...rows] = tableAfter("alternatives cost");
        const expected = bills.flatMap((bill) => [
            ...bill.lines.map((line) => [bill.alternative, line.item, line.quantity, usd(line.monthlyUsd)]),
            [bill.alternative, "**total**", `**${usd(bill.totalUsd)}**`],
        ]);
        // The total rows' quantity cell is free text (empty, or where the items are); the rest must match.
        const documented = rows.map((cells) => (cells[1] === "**total**" ? [cells[0], cells[1], cells[3]] : cells));
        assert.deepEqual(documented, expected);
    });

    it("totals what the comparison totals for the two stacks, and Fargate below EKS", () => {
        const total = (name: string) => bills.find((bill) => bill.alternative === name)?.totalUsd;
        assert.equal(total("minikube"), 0);
        assert.equal(dev.cost.basis, "free");
        assert.equal(total("EKS"), eks.cost.totalUsd);
        assert.equal(eks.cost.complete, true);
        assert.deepEqual(
            [total("Docker Compose"), total("EKS"), total("ECS on Fargate")].map((value) => usd(value ?? NaN)),
            ["$35.62", "$313.01", "$222.61"],
        );
    });

    it("puts the same totals in the side-by-side table", () => {
        const cost = sideBySide("Cost a month (below)");
        const [compose, minikube, eksBill, fargate] = bills.map((bill) => usd(bill.totalUsd));
        assert.ok(cost[COLUMNS[0]].startsWith(`${compose} on one t3.medium in us-east-1; $0.00`), cost[COLUMNS[0]]);
        assert.ok(cost[COLUMNS[1]].startsWith(`${minikube}:`), cost[COLUMNS[1]]);
        assert.equal(cost[COLUMNS[2]], eksBill);
        assert.equal(cost[COLUMNS[3]], fargate);
    });

    it("states the prices it used, with their sources and dates", () => {
        const { vcpuHour, gbHour, asOf } = FARGATE_PRICES;
        const link = `[${vcpuHour.source.replace(/^https:\/\//, "").replace(/\/$/, "")}](${vcpuHour.source})`;
        assert.ok(PROSE.includes(`$${vcpuHour.usd} per vCPU-hour and $${gbHour.usd} per GB-hour`));
        assert.ok(PROSE.includes(`(Linux/x86, ${link}, as of ${asOf})`));
        assert.equal(gbHour.source, vcpuHour.source);
        assert.ok(PROSE.includes(`(\`data/prices/aws-${table.region}.json\`, as of ${table.asOf})`));
        assert.ok(PROSE.includes(`${table.hoursPerMonth} hours a month`));
    });

    it("quotes no dollar figure the code does not compute", () => {
        const eksLine = (item: CostItem["kind"]) =>
            eks.cost.lines.find((line) => line.item.kind === item)?.monthlyUsd ?? NaN;
        const computed = new Set([
            ...bills.flatMap((bill) => [bill.totalUsd, ...bill.lines.map((line) => line.monthlyUsd)]).map(usd),
            usd(eksLine("controlPlane")),
            usd(eksLine("nodes")),
            `$${FARGATE_PRICES.vcpuHour.usd}`,
            `$${FARGATE_PRICES.gbHour.usd}`,
        ]);
        const quoted = [...DOC.matchAll(/\$[0-9][0-9.,]*[0-9]/g)].map((match) => match[0]);
        assert.deepEqual(
            quoted.filter((figure) => !computed.has(figure)),
            [],
        );
        assert.ok(
            PROSE.includes(
                `the EKS control plane (${usd(eksLine("controlPlane"))}) and three nodes (${usd(eksLine("nodes"))})`,
            ),
        );
    });

    it("sizes the Fargate tasks to the pods' limits, as the text says", () => {
        const app = parsedStackConfig(PROJECT_DIR, stackFile("eks")).app;
        const backend = fargateTaskSize(app.backendResources);
        const frontend = fargateTaskSize(app.frontendResources);
        assert.deepEqual(
            [backend, frontend],
            [
                { vcpu: 0.5, memoryGB: 1 },
                { vcpu: 0.25, memoryGB: 0.5 },
            ],
        );
        assert.ok(
            PROSE.includes(
                `backend ${app.backendResources.cpuLimit} and ${app.backendResources.memoryLimit}: ${backend.vcpu} vCPU and ${backend.memoryGB} GB; ` +
                    `frontend ${app.frontendResources.cpuLimit} and ${app.frontendResources.memoryLimit}: ` +
                    `${frontend.vcpu} vCPU and ${frontend.memoryGB} GB, Fargate's smallest`,
            ),
        );
    });

    it("picks the smallest Fargate size that holds a limit, and refuses one beyond 2 vCPU", () => {
        const size = (cpuLimit: string, memoryLimit: string) =>
            fargateTaskSize({ cpuRequest: "10m", cpuLimit, memoryRequest: "16Mi", memoryLimit });
        assert.deepEqual(size("250m", "512Mi"), { vcpu: 0.25, memoryGB: 0.5 });
        assert.deepEqual(size("250m", "3Gi"), { vcpu: 0.5, memoryGB: 3 });
        assert.deepEqual(size("600m", "256Mi"), { vcpu: 1, memoryGB: 2 });
        assert.deepEqual(size("2", "10Gi"), { vcpu: 2, memoryGB: 10 });
        assert.throws(
            () => size("3", "4Gi"),
            new Error("No Fargate task size up to 2 vCPU holds cpu 3 and memory 4Gi"),
        );
    });

    it("refuses to price a Compose server like an eks node when Auto Mode picks the nodes", () => {
        const cluster = {
            ...eks.facts.cluster,
            cost: { ...eks.facts.cluster.cost, nodes: { kind: "chosenByCluster" } as const },
        };
        const autoMode: StackReport = { ...eks, facts: { ...eks.facts, cluster } };
        assert.throws(
            () => alternativesCost(dev, autoMode, [], table),
            new Error("A server like an eks node needs nodes of a fixed type with a root volume, not chosenByCluster"),
        );
    });

    it("gives each stack's replica ranges and control plane as the comparison has them", () => {
        const ranges = (report: StackReport) =>
            ["backend", "frontend"]
                .map((name) => report.facts.app.tiers.find((tier) => tier.name === name))
                .map((tier) => `${tier?.name} ${tier?.minReplicas}–${tier?.maxReplicas}`)
                .join(", ");
        const scaling = sideBySide("Horizontal scaling");
        assert.ok(scaling[COLUMNS[1]].startsWith(`HPA on CPU: ${ranges(dev)} pods`), scaling[COLUMNS[1]]);
        assert.ok(scaling[COLUMNS[2]].startsWith(`HPA on CPU: ${ranges(eks)} pods`), scaling[COLUMNS[2]]);
        const { apiServers, etcdMembers, zones } = eks.facts.cluster.controlPlane;
        assert.equal(
            sideBySide("Control plane and scheduler")[COLUMNS[2]],
            `AWS: ${apiServers} API servers and ${etcdMembers} etcd members across ${zones} zones`,
        );
        const { autoscaling, zones: nodeZones, machine } = eks.facts.cluster.nodes;
        assert.equal(autoscaling.kind, "clusterAutoscaler");
        assert.equal(machine.kind, "instanceTypes");
        const nodesToStart = autoscaling.kind === "clusterAutoscaler" ? autoscaling.desired : undefined;
        const instanceType = machine.kind === "instanceTypes" ? machine.types[0] : undefined;
        assert.ok(
            sideBySide("What runs the containers")[COLUMNS[2]].startsWith(
                `Kubernetes on ${nodesToStart} × ${instanceType} nodes in ${nodeZones} zones`,
            ),
        );
    });

    it("is linked from the README", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        assert.match(readme, /^- \[docs\/alternatives\.md\]\(docs\/alternatives\.md\): /m);
    });
});
