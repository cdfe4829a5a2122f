import { Basis, MinutesRange } from "./recoveryTimings";

/*
 * How long a fresh `pulumi up` of the eks stack takes, from its resource graph: each resource waits for the ones
 * it depends on, so the time is the longest chain of provisioning times through the graph (the critical path).
 * Durations count until the resource does its job, not until Pulumi moves on: a LoadBalancer Service counts until
 * its NLB is active, though `pulumi up` finishes once the NLB has a name.
 */

/** One resource of the graph, as the mock runtime records it: its type, inputs and what it waits for. */
export interface GraphNode {
    readonly key: string;
    readonly type: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly dependsOn: readonly string[];
}

export interface ProvisioningTime {
    readonly kind: string;
    readonly label: string;
    readonly minutes: MinutesRange;
    readonly basis: Basis;
    readonly source: string;
}

/** A Service of type LoadBalancer: the NLB behind it takes minutes, any other Service seconds. */
export const LOAD_BALANCER_SERVICE = "kubernetes:core/v1:Service (LoadBalancer)";

const SECONDS: MinutesRange = { low: 0, high: 0 };

/** Resources AWS or the API server makes in seconds (IAM is eventually consistent, but within seconds too). */
const SECONDS_SCALE_AWS = [
    "aws:iam/role:Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policy:Policy",
    "aws:kms/key:Key",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ecr/repository:Repository",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "command:local:Command",
    // The cluster name's random suffix (controlPlane.ts): made by the random provider, without a call to AWS.
    "random:index/randomId:RandomId",
];

export const PROVISIONING_TIMES: readonly ProvisioningTime[] = [
    {
        kind: "awsx:ec2:Vpc",
        label: "VPC: subnets, internet gateway, a NAT gateway per zone (the NAT gateways take longest)",
        minutes: { low: 1, high: 3 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html",
    },
    {
        kind: "eks:index:Cluster",
        label: "EKS control plane (AWS: “in most cases, it takes several minutes”)",
        minutes: { low: 8, high: 15 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
    },
    {
        kind: "aws:eks/addon:Addon",
        label: "EKS add-on, ACTIVE once its pods run",
        minutes: { low: 0.5, high: 2 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/eks/latest/userguide/creating-an-add-on.html",
    },
    {
        kind: "eks:index:ManagedNodeGroup",
        label: "managed node group: instances launched, joined and Ready",
        minutes: { low: 2, high: 5 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/cli/latest/reference/eks/wait/nodegroup-active.html",
    },
    {
        kind: "kubernetes:helm.sh/v3:Release",
        label: "Helm release installed and its pods Ready (the AWS Load Balancer Controller's two pods, the Cluster Autoscaler's one)",
        minutes: { low: 0.5, high: 2 },
        basis: "typical, observed",
        source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/",
    },
    {
        kind: "docker-build:index:Image",
        label: "backend image built and pushed to the new region's ECR",
        minutes: { low: 1, high: 5 },
        basis: "typical, observed",
        source: "https://docs.docker.com/build/",
    },
    {
        kind: "kubernetes:apps/v1:Deployment",
        label: "Deployment rolled out: images pulled, startup and readiness probes passed",
        minutes: { low: 0.5, high: 2 },
        basis: "typical, observed",
        source: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/apps/v1/deployment/",
    },
    {
        kind: LOAD_BALANCER_SERVICE,
        label: "Network Load Balancer from provisioning to active",
        minutes: { low: 2, high: 4 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html",
    },
    ...SECONDS_SCALE_AWS.map((kind): ProvisioningTime => ({
        kind,
        label: "seconds",
        minutes: SECONDS,
        basis: "typical, observed",
        source: "",
    })),
];

/** The kind a resource is timed by: its type, except that a LoadBalancer Service is one of its own. */
export function provisioningKind(node: Pick<GraphNode, "type" | "inputs">): string {
    const spec = node.inputs.spec as { type?: string } | undefined;
    return node.type === "kubernetes:core/v1:Service" && spec?.type === "LoadBalancer"
        ? LOAD_BALANCER_SERVICE
        : node.type;
}

/**
 * How long a kind takes; undefined for one the table does not know. Providers and Kubernetes objects other than
 * Deployments and LoadBalancer Services take seconds: the API server stores them.
 */
export function provisioningTime(kind: string): ProvisioningTime | undefined {
    const listed = PROVISIONING_TIMES.find((time) => time.kind === kind);
    if (listed || !(kind.startsWith("pulumi:providers:") || kind.startsWith("kubernetes:"))) {
        return listed;
    }
    return { kind, label: "seconds", minutes: SECONDS, basis: "typical, observed", source: "" };
}

/**
 * The longest chain of `nodes` by `minutes` (the critical path), first resource first. Ties go to the dependency
 * listed first, so the answer is stable. Throws on a dependency cycle or a node it has no time for.
 */
export function criticalPath(
    nodes: readonly GraphNode[],
    end: keyof MinutesRange,
): { readonly path: readonly GraphNode[]; readonly minutes: number } {
    const byKey = new Map(nodes.map((node) => [node.key, node]));
    const finish = new Map<string, { minutes: number; previous: string | undefined }>();
    const visiting = new Set<string>();
    const finishOf = (key: string): number => {
        const known = finish.get(key);
        if (known) {
            return known.minutes;
        }
        if (visiting.has(key)) {
            throw new Error(`resource graph: a dependency cycle through ${key}`);
        }
        visiting.add(key);
        const node = byKey.get(key);
        if (!node) {
            throw new Error(`resource graph: ${key} is depended on but not in the graph`);
        }
        const time = provisioningTime(provisioningKind(node));
        if (!time) {
            throw new Error(`resource graph: no provisioning time for ${provisioningKind(node)} (${key})`);
        }
        let start = 0;
        let previous: string | undefined;
        for (const dependency of node.dependsOn) {
            const ready = finishOf(dependency);
            if (previous === undefined || ready > start) {
                start = ready;
                previous = dependency;
            }
        }
        visiting.delete(key);
        finish.set(key, { minutes: start + time.minutes[end], previous });
        return start + time.minutes[end];
    };
    let last: string | undefined;
    for (const node of nodes) {
        const minutes = finishOf(node.key);
        if (last === undefined || minutes > finishOf(last)) {
            last = node.key;
        }
    }
    const path: GraphNode[] = [];
    for (let key = last; key !== undefined; key = finish.get(key)?.previous) {
        path.unshift(byKey.get(key) as GraphNode);
    }
    return { path, minutes: last === undefined ? 0 : finishOf(last) };
}

/** One resource of the critical path: what it makes, and why it waits for the step before. */
export interface RebuildStep {
    readonly kind: string;
    readonly what: string;
}

/**
 * The critical path of a fresh `pulumi up` with a managed node group, as tests/unit/recoveryPath.test.ts finds it
 * in the eks stack's resource graph (under the mock runtime): each step depends on the one before.
 */
export const MANAGED_NODES_REBUILD_PATH: readonly RebuildStep[] = [
    { kind: "awsx:ec2:Vpc", what: "the VPC and a NAT gateway per zone" },
    { kind: "eks:index:Cluster", what: "the EKS control plane, in the VPC's private subnets" },
    { kind: "aws:eks/addon:Addon", what: "the Pod Identity Agent add-on, which a node needs to turn Ready" },
    {
        kind: "aws:eks/addon:Addon",
        what: "the VPC CNI add-on, after the agent its Pod Identity association needs, which a node needs too",
    },
    { kind: "eks:index:ManagedNodeGroup", what: "the managed node group" },
    { kind: "aws:eks/addon:Addon", what: "CoreDNS and metrics-server, whose pods need the nodes" },
    {
        kind: LOAD_BALANCER_SERVICE,
        what: "the frontend's LoadBalancer Service and its NLB, which wait for the add-ons",
    },
];

/** The same in EKS Auto Mode, where no node group comes first: the add-ons' pods make Auto Mode launch a node. */
export const AUTO_MODE_REBUILD_PATH: readonly RebuildStep[] = [
    { kind: "awsx:ec2:Vpc", what: "the VPC and a NAT gateway per zone" },
    { kind: "eks:index:Cluster", what: "the EKS control plane with Auto Mode" },
    // metrics-server: Auto Mode has cluster DNS built in, so there is no CoreDNS add-on to wait for.
    { kind: "aws:eks/addon:Addon", what: "the metrics-server add-on, whose pods make Auto Mode launch a node" },
    {
        kind: LOAD_BALANCER_SERVICE,
        what: "the frontend's LoadBalancer Service and its NLB, which wait for the add-ons",
    },
];

export interface TimedStep extends RebuildStep {
    readonly time: ProvisioningTime;
}

/** The steps with their provisioning times, and their sum. */
export function timedPath(steps: readonly RebuildStep[]): {
    readonly steps: readonly TimedStep[];
    readonly minutes: MinutesRange;
} {
    const timed = steps.map((step): TimedStep => {
        const time = provisioningTime(step.kind);
        if (!time) {
            throw new Error(`rebuild path: no provisioning time for ${step.kind}`);
        }
        return { ...step, time };
    });
    const sum = (end: keyof MinutesRange) => timed.reduce((total, step) => total + step.time.minutes[end], 0);
    return { steps: timed, minutes: { low: sum("low"), high: sum("high") } };
}
