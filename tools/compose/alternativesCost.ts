/**
 * What docs/alternatives.md says each way of running the app costs a month, from the same price table and cost
 * model as the comparison (components/report), plus Fargate's prices, which that table does not hold.
 */
import { TierResources } from "../../components/config";
import { mebibytes, millicores } from "../../components/config/resources";
import {
    CostInputs,
    costInputsOf,
    estimateMonthlyCost,
    Price,
    PriceTable,
    roundUsd,
    StackReport,
} from "../../components/report";
import { costItemText, costNoteText, costQuantityText } from "../compare/prose/costProse";

/** Fargate on-demand, Linux/x86, us-east-1; billed per second for the task's size, whatever it uses. */
export const FARGATE_PRICES: {
    readonly region: string;
    readonly asOf: string;
    readonly vcpuHour: Price;
    readonly gbHour: Price;
} = {
    region: "us-east-1",
    asOf: "2026-11-28",
    vcpuHour: { usd: 0.04048, per: "hour", source: "https://aws.amazon.com/fargate/pricing/", note: "per vCPU" },
    gbHour: { usd: 0.004445, per: "hour", source: "https://aws.amazon.com/fargate/pricing/", note: "per GB of memory" },
};

/**
 * The task sizes Fargate offers: vCPU, and the memory (GB) allowed with it (docs.aws.amazon.com/AmazonECS/latest/
 * developerguide/task_definition_parameters.html#task_size). Larger sizes exist; this app needs none of them.
 */
const FARGATE_SIZES: readonly { vcpu: number; memoryGB: readonly number[] }[] = [
    { vcpu: 0.25, memoryGB: [0.5, 1, 2] },
    { vcpu: 0.5, memoryGB: [1, 2, 3, 4] },
    { vcpu: 1, memoryGB: [2, 3, 4, 5, 6, 7, 8] },
    { vcpu: 2, memoryGB: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] },
];

export interface FargateTaskSize {
    readonly vcpu: number;
    readonly memoryGB: number;
}

/**
 * The smallest task that holds a pod's limits. A task gets exactly its size and cannot burst above it, so the
 * size has to cover what the pod may use (its limit), not what it asks for (its request).
 */
export function fargateTaskSize(resources: TierResources): FargateTaskSize {
    const vcpu = (millicores(resources.cpuLimit) ?? NaN) / 1000;
    const memoryGB = (mebibytes(resources.memoryLimit) ?? NaN) / 1024;
    for (const size of FARGATE_SIZES.filter((candidate) => candidate.vcpu >= vcpu)) {
        const memory = size.memoryGB.find((gb) => gb >= memoryGB);
        if (memory !== undefined) {
            return { vcpu: size.vcpu, memoryGB: memory };
        }
    }
    throw new Error(
        `No Fargate task size up to 2 vCPU holds cpu ${resources.cpuLimit} and memory ${resources.memoryLimit}`,
    );
}

/** One item of an alternative's bill. */
export interface BillLine {
    readonly item: string;
    /** How many, in words ("3 × 0.5 vCPU, 1 GB"). */
    readonly quantity: string;
    readonly monthlyUsd: number;
}

export interface AlternativeCost {
    readonly alternative: "Docker Compose" | "minikube" | "EKS" | "ECS on Fargate";
    /** Each item billed; empty where the total is all there is to say (nothing, or the comparison's bill). */
    readonly lines: readonly BillLine[];
    readonly totalUsd: number;
}

/** An ECS service on Fargate in place of one Deployment: its pods' limits and the HPA's minimum. */
export interface FargateTier {
    readonly name: string;
    readonly resources: TierResources;
    readonly tasks: number;
}

function sum(lines: readonly BillLine[]): number {
    return roundUsd(lines.reduce((total, line) => total + line.monthlyUsd, 0));
}

/** The cost model's lines for `inputs`; every one of them has a price here (the eks stack's are all priced). */
function pricedLines(inputs: CostInputs, table: PriceTable): BillLine[] {
    return estimateMonthlyCost(inputs, table).lines.map((line) => {
        const [item, quantity] = [costItemText(line.item), costQuantityText(line.quantity)];
        if (line.monthlyUsd === null) {
            throw new Error(`No price for ${item} (${quantity}): ${line.note ? costNoteText(line.note, table) : ""}`);
        }
        return { item, quantity, monthlyUsd: line.monthlyUsd };
    });
}

/** One server like an eks node, with a public address of its own; Compose builds the image there (no registry). */
function composeLines(eks: CostInputs, table: PriceTable): BillLine[] {
    if (eks.nodes.kind !== "instances" || eks.nodes.rootVolume === null) {
        throw new Error(
            `A server like an eks node needs nodes of a fixed type with a root volume, not ${eks.nodes.kind}`,
        );
    }
    const { instanceType: nodeInstanceType, rootVolume } = eks.nodes;
    const { gib: nodeVolumeGiB, type: nodeVolumeType } = rootVolume;
    const instance = table.prices.ec2Instances[nodeInstanceType];
    const volume = table.prices.ebsVolumes[nodeVolumeType];
    if (instance === undefined || volume === undefined) {
        throw new Error(
            `The price table has no instance ${nodeInstanceType} or volume ${nodeVolumeType} to price a server with`,
        );
    }
    return [
        {
            item: "EC2 instance",
            quantity: `1 × ${nodeInstanceType}`,
            monthlyUsd: roundUsd(instance.usd * table.hoursPerMonth),
        },
        {
            item: "root volume",
            quantity: `${nodeVolumeGiB} GiB ${nodeVolumeType}`,
            monthlyUsd: roundUsd(volume.usd * nodeVolumeGiB),
        },
        {
            item: "public IPv4 address",
            quantity: "1",
            monthlyUsd: roundUsd(table.prices.publicIpv4Address.usd * table.hoursPerMonth),
        },
    ];
}

/** A service's tasks, each the smallest Fargate size that holds the pod's limits, running all month. */
function fargateLines(tiers: readonly FargateTier[], hoursPerMonth: number): BillLine[] {
    return tiers.map((tier) => {
        const size = fargateTaskSize(tier.resources);
        const hourUsd = size.vcpu * FARGATE_PRICES.vcpuHour.usd + size.memoryGB * FARGATE_PRICES.gbHour.usd;
        return {
            item: `${tier.name} tasks`,
            quantity: `${tier.tasks} × ${size.vcpu} vCPU, ${size.memoryGB} GB`,
            monthlyUsd: roundUsd(tier.tasks * hourUsd * hoursPerMonth),
        };
    });
}

/**
 * The four bills: Compose on one instance like an eks node; minikube's (none); the eks stack's, as the comparison
 * computes it; and ECS on Fargate, with the eks stack's network and registry but neither control plane nor nodes.
 */
export function alternativesCost(
    dev: StackReport,
    eks: StackReport,
    fargateTiers: readonly FargateTier[],
    table: PriceTable,
): AlternativeCost[] {
    if (table.region !== FARGATE_PRICES.region) {
        throw new Error(`The Fargate prices are for ${FARGATE_PRICES.region}, the price table for ${table.region}`);
    }
    const eksInputs = costInputsOf(eks.facts);
    const compose = composeLines(eksInputs, table);
    // ECS has no control plane fee, no nodes (and so no controllers on them), no etcd to encrypt and no control plane
    // logs.
    const fargate = [
        ...fargateLines(fargateTiers, table.hoursPerMonth),
        ...pricedLines(
            {
                ...eksInputs,
                managedControlPlanes: 0,
                nodes: { kind: "none" },
                kmsKeys: 0,
                controlPlaneLogStreams: 0,
                nodeControllers: [],
            },
            table,
        ),
    ];
    return [
        { alternative: "Docker Compose", lines: compose, totalUsd: sum(compose) },
        { alternative: "minikube", lines: [], totalUsd: dev.cost.totalUsd },
        { alternative: "EKS", lines: [], totalUsd: eks.cost.totalUsd },
        { alternative: "ECS on Fargate", lines: fargate, totalUsd: sum(fargate) },
    ];
}
