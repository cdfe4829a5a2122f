import { RebuildStepId } from "../facts";
import { Basis, MinutesRange } from "./recoveryTimings";

/*
 * How long a fresh `pulumi up` of the eks stack takes, from its resource graph: each resource waits for the ones
 * it depends on, so the time is the longest chain of provisioning times through the graph (the critical path,
 * which tests/unit/criticalPath.ts finds in the graph; each target states its chain as ClusterFacts.runsOn's
 * rebuildPath, and this file times it). Durations count until the resource does its job, not until
 * Pulumi moves on: a LoadBalancer Service counts until its NLB is active, though `pulumi up` finishes once the NLB
 * has a name.
 */

export interface ProvisioningTime {
    readonly kind: string;
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

const PROVISIONING_TIMES: readonly ProvisioningTime[] = [
    {
        kind: "awsx:ec2:Vpc",
        minutes: { low: 1, high: 3 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html",
    },
    {
        kind: "eks:index:Cluster",
        minutes: { low: 8, high: 15 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
    },
    {
        kind: "aws:eks/addon:Addon",
        minutes: { low: 0.5, high: 2 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/eks/latest/userguide/creating-an-add-on.html",
    },
    {
        kind: "eks:index:ManagedNodeGroup",
        minutes: { low: 2, high: 5 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/cli/latest/reference/eks/wait/nodegroup-active.html",
    },
    {
        kind: "kubernetes:helm.sh/v3:Release",
        minutes: { low: 0.5, high: 2 },
        basis: "typical, observed",
        source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/",
    },
    {
        kind: "docker-build:index:Image",
        minutes: { low: 1, high: 5 },
        basis: "typical, observed",
        source: "https://docs.docker.com/build/",
    },
    {
        kind: "kubernetes:apps/v1:Deployment",
        minutes: { low: 0.5, high: 2 },
        basis: "typical, observed",
        source: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/apps/v1/deployment/",
    },
    {
        kind: LOAD_BALANCER_SERVICE,
        minutes: { low: 2, high: 4 },
        basis: "typical, observed",
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html",
    },
    ...SECONDS_SCALE_AWS.map((kind): ProvisioningTime => ({
        kind,
        minutes: SECONDS,
        basis: "typical, observed",
        source: "",
    })),
];

/**
 * How long a kind takes; undefined for one the table does not know. Providers and Kubernetes objects other than
 * Deployments and LoadBalancer Services take seconds: the API server stores them.
 */
export function provisioningTime(kind: string): ProvisioningTime | undefined {
    const listed = PROVISIONING_TIMES.find((time) => time.kind === kind);
    if (listed || !(kind.startsWith("pulumi:providers:") || kind.startsWith("kubernetes:"))) {
        return listed;
    }
    return { kind, minutes: SECONDS, basis: "typical, observed", source: "" };
}

/**
 * The kind each step of a rebuild path (ClusterFacts.runsOn, from the target) is timed by: the resource that makes
 * it. An add-on step is timed as one EKS add-on: the add-ons of one step (CoreDNS and metrics-server) install
 * side by side.
 */
const STEP_KINDS: Readonly<Record<RebuildStepId, string>> = {
    vpc: "awsx:ec2:Vpc",
    controlPlane: "eks:index:Cluster",
    autoModeControlPlane: "eks:index:Cluster",
    podIdentityAgent: "aws:eks/addon:Addon",
    vpcCni: "aws:eks/addon:Addon",
    nodeGroup: "eks:index:ManagedNodeGroup",
    podAddons: "aws:eks/addon:Addon",
    autoModeAddons: "aws:eks/addon:Addon",
    loadBalancer: LOAD_BALANCER_SERVICE,
};

/** One resource of the critical path: what it makes, and the kind it is timed by. */
export interface RebuildStep {
    readonly id: RebuildStepId;
    readonly kind: string;
}

/** The steps of a rebuild path with the kinds they are timed by. */
export function rebuildSteps(path: readonly RebuildStepId[]): readonly RebuildStep[] {
    return path.map((id) => ({ id, kind: STEP_KINDS[id] }));
}

export interface TimedStep extends RebuildStep {
    readonly time: ProvisioningTime;
}

/** The steps of a rebuild path with their provisioning times, and their sum. */
export function timedPath(path: readonly RebuildStepId[]): {
    readonly steps: readonly TimedStep[];
    readonly minutes: MinutesRange;
} {
    const timed = rebuildSteps(path).map((step): TimedStep => {
        const time = provisioningTime(step.kind);
        if (!time) {
            throw new Error(`rebuild path: no provisioning time for ${step.kind}`);
        }
        return { ...step, time };
    });
    const sum = (end: keyof MinutesRange) => timed.reduce((total, step) => total + step.time.minutes[end], 0);
    return { steps: timed, minutes: { low: sum("low"), high: sum("high") } };
}
