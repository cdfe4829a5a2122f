import { strict as assert } from "assert";
import { CostEstimate, CostItem, CostNote, CostQuantity } from "../../components/report/cost";
import { PriceTable } from "../../components/report/priceTable";
import {
    costItemText,
    costNoteText,
    costQuantityText,
    costSummary,
    unitPriceCell,
} from "../../tools/compare/prose/costProse";

/** Each sentence of the bill, once: the cost tests assert the figures and notes as data, these the words. */

const price = (note?: string) => ({ usd: 1, per: "hour" as const, source: "https://example.com/", note });
const usage = (note: string) => ({ value: 1, note });
const TABLE = {
    provider: "aws",
    region: "test-1",
    currency: "USD",
    asOf: "2026-01-01",
    hoursPerMonth: 730,
    prices: { natGateway: price("plus $0.045 per GB processed"), ec2Instances: { "t3.medium": price("on demand") } },
    usage: {
        loadBalancerCapacityUnits: usage("one NLCU"),
        logGBPerStreamPerMonth: usage("a guess"),
        imageGB: usage("60 MB"),
        copiedImageGB: usage("20 MB"),
        crossZoneGBPerMonth: usage("most hops"),
    },
    excluded: [],
} as unknown as PriceTable;

const priced = (complete: boolean): CostEstimate => ({
    basis: "priced",
    region: "test-1",
    asOf: "2026-01-01",
    hoursPerMonth: 730,
    lines: [],
    totalUsd: 91.104,
    complete,
});

describe("the bill's words", () => {
    it("sums up a priced bill, and a lower bound when a line has no price", () => {
        const aws = { provider: "aws", region: "test-1" } as const;
        assert.equal(costSummary(priced(true), aws), "$91.10/month in test-1, on-demand prices as of 2026-01-01");
        assert.equal(
            costSummary(priced(false), aws),
            "at least $91.10/month in test-1, on-demand prices as of 2026-01-01",
        );
    });

    it("says why a bill is $0, and where a missing price table should be", () => {
        const free = { ...priced(true), basis: "free" } as const;
        assert.equal(
            costSummary(free, { provider: "none", reason: "ownMachine" }),
            "$0: minikube runs on your own machine, so there is no cloud bill",
        );
        assert.equal(
            costSummary(free, { provider: "none", reason: "unknownBiller" }),
            "$0: the stack does not know who bills this cluster",
        );
        assert.equal(
            costSummary({ ...priced(false), basis: "unpriced" }, { provider: "aws", region: "eu-west-1" }),
            "not estimated: there is no price table for aws eu-west-1 (data/prices/aws-eu-west-1.json)",
        );
    });

    const notes: [CostNote, string][] = [
        [{ kind: "price", path: ["natGateway"] }, "plus $0.045 per GB processed"],
        [{ kind: "price", path: ["ec2Instances", "t3.medium"] }, "on demand"],
        [{ kind: "assumed", usage: "loadBalancerCapacityUnits", value: 1 }, "assumed: one NLCU"],
        [{ kind: "assumed", usage: "logGBPerStreamPerMonth", value: 1 }, "assumed 1 GB per stream: a guess"],
        [{ kind: "assumed", usage: "imageGB", value: 0.06 }, "assumed 0.06 GB per image: 60 MB"],
        [{ kind: "assumed", usage: "copiedImageGB", value: 0.02 }, "assumed 0.02 GB per image: 20 MB"],
        [
            { kind: "assumed", usage: "crossZoneGBPerMonth", value: 10 },
            "assumed 10 GB a month between zones: most hops",
        ],
        [
            { kind: "logRetention", days: 30, daysPerMonth: 730 / 24, monthlyGB: 3 },
            "kept 30 days (controlPlaneLogRetentionDays): 30 of 30.4 days' share of 3 GB a month",
        ],
        [{ kind: "noPrice", type: "m7i.large" }, "no price for m7i.large in the table"],
        [{ kind: "clusterPicksNodes" }, "no fixed instance type or count to price"],
        [
            { kind: "inNodePrice" },
            "no charge of its own: its requests take room on the nodes above, and more nodes cost more",
        ],
    ];
    for (const [note, expected] of notes) {
        it(`note ${note.kind}: ${expected}`, () => assert.equal(costNoteText(note, TABLE), expected));
    }
});

describe("the bill's items, quantities and unit prices", () => {
    const items: [CostItem, string][] = [
        [{ kind: "controlPlane", support: "extended" }, "EKS control plane, extended support"],
        [{ kind: "controller", name: "Cluster Autoscaler" }, "Cluster Autoscaler (on the nodes)"],
        [{ kind: "copiedImages" }, "ECR storage, copied images"],
        [{ kind: "publicIpv4" }, "public IPv4 addresses"],
    ];
    for (const [item, expected] of items) {
        it(`item ${item.kind}: ${expected}`, () => assert.equal(costItemText(item), expected));
    }

    const quantities: [CostQuantity, string][] = [
        [{ kind: "count", count: 3 }, "3"],
        [{ kind: "instances", count: 3, type: "t3.medium" }, "3 × t3.medium"],
        [{ kind: "chosenByCluster" }, "chosen by the cluster"],
        [{ kind: "volumes", count: 3, gib: 20, type: "gp3" }, "3 × 20 GiB gp3"],
        [
            { kind: "addresses", count: 6, natGateways: 3, loadBalancers: 1, zones: 3 },
            "6 (3 NAT gateways, 1 load balancer × 3 zones)",
        ],
        [{ kind: "capacityUnits", units: 1 }, "1 NLCU"],
        [{ kind: "logs", gb: 3, streams: 3 }, "3 GB (3 streams)"],
        [{ kind: "keptLogs", gb: 2.958904, days: 30 }, "2.96 GB (30 days kept)"],
        [{ kind: "images", gb: 0.25, images: 1 }, "0.25 GB (1 image)"],
        [{ kind: "images", gb: 5, images: 10 }, "5 GB (10 images)"],
        [{ kind: "crossZone", gb: 10 }, "10 GB × 2 (out of one zone, into the other)"],
        [{ kind: "pods", pods: 2, cpu: "50m", memory: "128Mi" }, "2 pods × 50m CPU, 128Mi requested"],
    ];
    for (const [quantity, expected] of quantities) {
        it(`quantity ${quantity.kind}: ${expected}`, () => assert.equal(costQuantityText(quantity), expected));
    }

    it("unit prices: cents always shown, every digit kept; a controller's is in the node price; none is -", () => {
        assert.deepEqual(
            [
                { usd: 0.1, per: "hour" as const },
                { usd: 0.0416, per: "hour" as const },
                { usd: 1, per: "month" as const },
                "inNodePrice" as const,
                null,
            ].map(unitPriceCell),
            ["$0.10/hour", "$0.0416/hour", "$1.00/month", "in the node price", "-"],
        );
    });
});
