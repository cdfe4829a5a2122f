import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CostInputs, costInputsOf, CostItem, estimateMonthlyCost, roundUsd } from "../../components/report/cost";
import { loadPriceTable, parsePriceTable, Price, PRICES_DIR, PriceTable } from "../../components/report/priceTable";
import { PROJECT_DIR } from "../../tools/mockRuntime";
import { CLUSTER_AUTOSCALER_PODS, COREDNS_ADDON } from "../../components/targets/eks/systemPods";
import { cluster, stack, THREE_ZONES, tier, THREE_ZONE_NLB } from "./reportFacts";
import type { StackFacts } from "../../components/facts";

const price = (usd: number, per: Price["per"]): Price => ({ usd, per, source: "https://example.com/pricing/" });

/** A made-up table: round numbers, so every expected figure below can be checked by hand. */
const TABLE: PriceTable = {
    provider: "aws",
    region: "test-1",
    currency: "USD",
    asOf: "2026-01-01",
    hoursPerMonth: 730,
    prices: {
        eksControlPlaneStandardSupport: price(0.1, "hour"),
        eksControlPlaneExtendedSupport: price(0.6, "hour"),
        ec2Instances: { "t3.medium": price(0.0416, "hour") },
        ebsVolumes: { gp3: price(0.08, "GB-month") },
        natGateway: price(0.045, "hour"),
        publicIpv4Address: price(0.005, "hour"),
        networkLoadBalancer: price(0.0225, "hour"),
        networkLoadBalancerCapacityUnit: price(0.006, "hour"),
        kmsKey: price(1, "month"),
        cloudWatchLogsIngestion: price(0.5, "GB"),
        cloudWatchLogsStorage: price(0.03, "GB-month"),
        ecrStorage: price(0.1, "GB-month"),
        crossZoneDataTransfer: price(0.01, "GB"),
    },
    usage: {
        loadBalancerCapacityUnits: { value: 1, note: "test" },
        logGBPerStreamPerMonth: { value: 1, note: "test" },
        imageGB: { value: 0.5, note: "test" },
        copiedImageGB: { value: 0.25, note: "test" },
        crossZoneGBPerMonth: { value: 10, note: "test" },
    },
    excluded: ["traffic"],
};

/** Three t3.medium without volumes. */
const THREE_T3_MEDIUM = { kind: "instances", count: 3, instanceType: "t3.medium", rootVolume: null } as const;

/** Only nodes: three t3.medium without volumes, nothing else. */
const NODES_ONLY: CostInputs = {
    pricing: { provider: "aws", region: "test-1" },
    managedControlPlanes: 0,
    controlPlaneSupport: "standard",
    nodes: THREE_T3_MEDIUM,
    natGateways: 0,
    kmsKeys: 0,
    controlPlaneLogStreams: 0,
    storedImages: 0,
    controlPlaneLogRetentionDays: null,
    copiedImages: 0,
    zones: 1,
    nodeControllers: [],
    loadBalancers: 0,
    loadBalancerZones: 0,
};

/** The Cluster Autoscaler as the eks target installs it (systemPods.ts). */
const AUTOSCALER = {
    name: "Cluster Autoscaler",
    replicas: 1,
    requests: { cpu: "100m", memory: "600Mi" },
    source: CLUSTER_AUTOSCALER_PODS.source,
};

/** A line's item as a key: its kind, with the support tier or the controller's name where it has one. */
const itemKey = (item: CostItem) =>
    item.kind === "controlPlane" ? `controlPlane ${item.support}` : item.kind === "controller" ? item.name : item.kind;

const monthlyOf = (inputs: CostInputs, table: PriceTable = TABLE) =>
    Object.fromEntries(estimateMonthlyCost(inputs, table).lines.map((line) => [itemKey(line.item), line.monthlyUsd]));

const EXAMPLE_SOURCE = "https://example.com/pricing/";

describe("monthly cost", () => {
    it("prices 3 t3.medium at 3 × $0.0416 × 730 hours = $91.104", () => {
        const cost = estimateMonthlyCost(NODES_ONLY, TABLE);
        assert.equal(cost.basis, "priced");
        assert.deepEqual(cost.lines, [
            {
                item: { kind: "nodes" },
                quantity: { kind: "instances", count: 3, type: "t3.medium" },
                unitPrice: { usd: 0.0416, per: "hour" },
                monthlyUsd: 91.104,
                source: EXAMPLE_SOURCE,
                note: null,
            },
        ]);
        assert.equal(cost.totalUsd, 91.104);
        assert.equal(cost.complete, true);
        assert.deepEqual([cost.region, cost.asOf, cost.hoursPerMonth], ["test-1", "2026-01-01", 730]);
    });

    it("prices every item of a managed cluster with hand-checked figures", () => {
        const inputs: CostInputs = {
            ...NODES_ONLY,
            managedControlPlanes: 1,
            nodes: { ...THREE_T3_MEDIUM, rootVolume: { gib: 20, type: "gp3" } },
            natGateways: 3,
            kmsKeys: 1,
            controlPlaneLogStreams: 3,
            controlPlaneLogRetentionDays: 30,
            storedImages: 10,
            copiedImages: 1,
            zones: 3,
            nodeControllers: [AUTOSCALER],
            loadBalancers: 1,
            loadBalancerZones: 3,
        };
        assert.deepEqual(monthlyOf(inputs), {
            "controlPlane standard": 73, // 0.10 × 730
            nodes: 91.104,
            nodeVolumes: 4.8, // 3 × 20 GB × 0.08
            natGateways: 98.55, // 3 × 0.045 × 730
            publicIpv4: 21.9, // (3 NAT + 1 NLB × 3 zones) × 0.005 × 730
            loadBalancer: 16.425, // 0.0225 × 730
            loadBalancerCapacity: 4.38, // 1 × 0.006 × 730
            kmsKey: 1,
            logIngestion: 1.5, // 3 streams × 1 GB × 0.50
            logStorage: 0.088767, // 3 GB × 30 of 30.42 days kept × 0.03
            images: 0.5, // 10 × 0.5 GB × 0.10
            copiedImages: 0.025, // 1 × 0.25 GB × 0.10
            crossZone: 0.2, // 10 GB × 2 directions × 0.01
            "Cluster Autoscaler": 0,
        });
        assert.equal(estimateMonthlyCost(inputs, TABLE).totalUsd, 313.472767);
    });

    describe("the lines issue 9 added", () => {
        const line = (inputs: CostInputs, item: string) => {
            const found = estimateMonthlyCost(inputs, TABLE).lines.find(
                (candidate) => itemKey(candidate.item) === item,
            );
            assert.ok(found, item);
            return found;
        };

        it("stores what the log group keeps: 30 of 30.4 days of each month's logs", () => {
            const logs = { ...NODES_ONLY, controlPlaneLogStreams: 3, controlPlaneLogRetentionDays: 30 };
            assert.deepEqual(line(logs, "logStorage"), {
                item: { kind: "logStorage" },
                quantity: { kind: "keptLogs", gb: 2.958904, days: 30 },
                unitPrice: { usd: 0.03, per: "GB-month" },
                monthlyUsd: 0.088767,
                source: EXAMPLE_SOURCE,
                note: { kind: "logRetention", days: 30, daysPerMonth: 730 / 24, monthlyGB: 3 },
            });
            assert.deepEqual(
                line({ ...logs, controlPlaneLogRetentionDays: 365 }, "logStorage").quantity,
                { kind: "keptLogs", gb: 36, days: 365 },
                "a year kept: twelve months' logs",
            );
        });

        it("prices the registry images the stack copies into its ECR as ECR storage, per image", () => {
            assert.deepEqual(line({ ...NODES_ONLY, copiedImages: 2 }, "copiedImages"), {
                item: { kind: "copiedImages" },
                quantity: { kind: "images", gb: 0.5, images: 2 },
                unitPrice: { usd: 0.1, per: "GB-month" },
                monthlyUsd: 0.05,
                source: EXAMPLE_SOURCE,
                note: { kind: "assumed", usage: "copiedImageGB", value: 0.25 },
            });
        });

        it("charges the assumed cross-zone traffic twice, leaving one zone and entering the other; one zone has none", () => {
            assert.deepEqual(line({ ...NODES_ONLY, zones: 3 }, "crossZone"), {
                item: { kind: "crossZone" },
                quantity: { kind: "crossZone", gb: 10 },
                unitPrice: { usd: 0.01, per: "GB" },
                monthlyUsd: 0.2,
                source: EXAMPLE_SOURCE,
                note: { kind: "assumed", usage: "crossZoneGBPerMonth", value: 10 },
            });
            assert.equal(
                estimateMonthlyCost({ ...NODES_ONLY, zones: 1 }, TABLE).lines.some((l) => l.item.kind === "crossZone"),
                false,
            );
        });

        it("lists the controllers the stack runs on the nodes at $0, with their requests", () => {
            assert.deepEqual(line({ ...NODES_ONLY, nodeControllers: [AUTOSCALER] }, "Cluster Autoscaler"), {
                item: { kind: "controller", name: "Cluster Autoscaler" },
                quantity: { kind: "pods", pods: 1, cpu: "100m", memory: "600Mi" },
                unitPrice: "inNodePrice",
                monthlyUsd: 0,
                source: AUTOSCALER.source,
                note: { kind: "inNodePrice" },
            });
        });

        it("takes the controllers from the cluster's own pods the stack installs, not the EKS add-ons", () => {
            const facts = stack({ ...THREE_ZONES, systemPods: [COREDNS_ADDON, CLUSTER_AUTOSCALER_PODS] }, [
                tier("web", 3),
            ]);
            assert.deepEqual(costInputsOf(facts).nodeControllers, [AUTOSCALER]);
        });
    });

    it("charges the extended support rate when the control plane may enter extended support", () => {
        const inputs: CostInputs = {
            ...NODES_ONLY,
            managedControlPlanes: 1,
            controlPlaneSupport: "extended",
            nodes: { ...THREE_T3_MEDIUM, count: 0 },
        };
        assert.deepEqual(monthlyOf(inputs), { "controlPlane extended": 438 }, "0.60 × 730; no line for 0 nodes");
    });

    it("leaves nodes unpriced when the cluster picks them, and calls the total a lower bound", () => {
        const cost = estimateMonthlyCost(
            { ...NODES_ONLY, nodes: { kind: "chosenByCluster" }, managedControlPlanes: 1 },
            TABLE,
        );
        assert.deepEqual(
            cost.lines.map((line) => [itemKey(line.item), line.quantity, line.monthlyUsd]),
            [
                ["controlPlane standard", { kind: "count", count: 1 }, 73],
                ["nodes", { kind: "chosenByCluster" }, null],
            ],
        );
        assert.equal(cost.complete, false);
        assert.equal(cost.totalUsd, 73);
        assert.deepEqual(cost.lines[1].note, { kind: "clusterPicksNodes" });
    });

    it("does not invent a price for an instance type the table lacks", () => {
        const cost = estimateMonthlyCost(
            { ...NODES_ONLY, nodes: { ...THREE_T3_MEDIUM, instanceType: "m7i.large" } },
            TABLE,
        );
        assert.deepEqual(cost.lines[0], {
            item: { kind: "nodes" },
            quantity: { kind: "instances", count: 3, type: "m7i.large" },
            unitPrice: null,
            monthlyUsd: null,
            source: null,
            note: { kind: "noPrice", type: "m7i.large" },
        });
        assert.equal(cost.complete, false);
    });

    it("costs nothing on your own machine, and says why", () => {
        const cost = estimateMonthlyCost({ ...NODES_ONLY, pricing: { provider: "none", reason: "ownMachine" } }, TABLE);
        assert.equal(cost.basis, "free");
        assert.equal(cost.totalUsd, 0);
        assert.deepEqual(cost.lines, []);
    });

    it("says so when there is no price table for the region, rather than borrowing another region's", () => {
        const inputs: CostInputs = { ...NODES_ONLY, pricing: { provider: "aws", region: "eu-west-1" } };
        assert.equal(loadPriceTable(inputs.pricing), undefined);
        const cost = estimateMonthlyCost(inputs, loadPriceTable(inputs.pricing));
        assert.equal(cost.basis, "unpriced");
        assert.equal(cost.complete, false);
        assert.deepEqual([cost.region, cost.totalUsd, cost.lines], ["eu-west-1", 0, []]);
    });

    it("bills one load balancer per LoadBalancer Service, in the zones the cluster's load balancers span", () => {
        const facts = stack(THREE_ZONES, [tier("web", 3)]);
        const withBalancer: StackFacts = {
            ...facts,
            cluster: {
                ...cluster(THREE_ZONES),
                loadBalancer: THREE_ZONE_NLB,
            },
            app: { ...facts.app, loadBalancerServices: 1 },
        };
        assert.deepEqual(
            [costInputsOf(withBalancer).loadBalancers, costInputsOf(withBalancer).loadBalancerZones],
            [1, 3],
        );
        assert.deepEqual(
            [costInputsOf(facts).loadBalancers, costInputsOf(facts).loadBalancerZones],
            [0, 0],
            "no cloud load balancer",
        );
    });

    it("rounds to a millionth of a dollar", () => {
        assert.equal(0.1 + 0.2 === 0.3, false, "floating point alone");
        assert.equal(roundUsd(0.1 + 0.2), 0.3);
    });

    describe("the repository's price table", () => {
        const table = loadPriceTable({ provider: "aws", region: "us-east-1" });

        it("is dated, for 730 hours a month, and cites a source for every price", () => {
            assert.ok(table);
            assert.equal(table.asOf, "2026-11-25");
            assert.equal(table.hoursPerMonth, 730);
            const prices = [
                ...Object.values(table.prices.ec2Instances),
                ...Object.values(table.prices.ebsVolumes),
                ...Object.entries(table.prices)
                    .filter(([key]) => key !== "ec2Instances" && key !== "ebsVolumes")
                    .map(([, value]) => value as Price),
            ];
            assert.equal(prices.length, 13);
            for (const item of prices) {
                assert.match(item.source, /^https:\/\/aws\.amazon\.com\//);
            }
        });

        it("holds the rates docs/eks.md cites, as of the date it gives", () => {
            assert.ok(table);
            assert.deepEqual(
                [
                    table.prices.eksControlPlaneStandardSupport.usd,
                    table.prices.eksControlPlaneExtendedSupport.usd,
                    table.prices.ec2Instances["t3.medium"].usd,
                    table.prices.ebsVolumes.gp3.usd,
                    table.prices.natGateway.usd,
                    table.prices.publicIpv4Address.usd,
                    table.prices.networkLoadBalancer.usd,
                    table.prices.networkLoadBalancerCapacityUnit.usd,
                    table.prices.kmsKey.usd,
                    table.prices.cloudWatchLogsIngestion.usd,
                    table.prices.cloudWatchLogsStorage.usd,
                    table.prices.ecrStorage.usd,
                    table.prices.crossZoneDataTransfer.usd,
                ],
                [0.1, 0.6, 0.0416, 0.08, 0.045, 0.005, 0.0225, 0.006, 1, 0.5, 0.03, 0.1, 0.01],
            );
            assert.equal(
                table.prices.crossZoneDataTransfer.source,
                "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region",
            );
            assert.deepEqual(
                [table.usage.crossZoneGBPerMonth.value, table.usage.copiedImageGB.value],
                [10, 0.02],
                "stated assumptions: 10 GB a month between zones, a 20 MB NGINX image",
            );
            const eks = fs.readFileSync(path.join(PROJECT_DIR, "docs", "eks.md"), "utf8");
            assert.match(eks, /On-demand prices in \*\*us-east-1\*\*, \*\*as of 2026-11-25\*\*/);
            assert.equal(table.asOf, "2026-11-25");
        });

        it("lives where loadPriceTable looks", () => {
            assert.equal(PRICES_DIR, path.join(PROJECT_DIR, "data", "prices"));
        });
    });

    it("refuses a price table with a price that cites no source, naming the entry", () => {
        const bad = { ...TABLE, prices: { ...TABLE.prices, kmsKey: { usd: 1, per: "month" } } };
        assert.throws(() => parsePriceTable("bad.json", JSON.stringify(bad)), {
            message: 'bad.json: prices.kmsKey must be { usd: number >= 0, per, source: "https://..." }',
        });
        assert.throws(() => parsePriceTable("bad.json", JSON.stringify({ ...TABLE, asOf: "November" })), {
            message: "bad.json: needs asOf (YYYY-MM-DD), hoursPerMonth > 0 and currency USD",
        });
    });

    it("refuses a table whose region is not its file's", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
        fs.writeFileSync(path.join(dir, "aws-test-2.json"), JSON.stringify(TABLE));
        assert.throws(
            () => loadPriceTable({ provider: "aws", region: "test-2" }, dir),
            /holds prices for test-1, not test-2$/,
        );
    });
});
