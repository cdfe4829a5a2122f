/*
 * The clocks a recovery waits on, each stated once with where it comes from. Kubernetes' are defaults of the
 * control plane (neither minikube nor EKS changes them, and EKS does not let you); AWS publishes few provisioning
 * times, so where there is no official figure the range is marked "typical, observed" and says so.
 */

/** A span of minutes, from the quick case to the slow one. */
export interface MinutesRange {
    readonly low: number;
    readonly high: number;
}

export type Basis = "documented" | "typical, observed" | "estimate";

/** The clocks, by name; the comparison says what each one times. */
export type ClockId =
    | "nodeMonitorGracePeriod"
    | "nodeMonitorPeriod"
    | "unreachableToleration"
    | "nodeReplacement"
    | "localClusterCreation"
    | "localDeploy"
    | "workstationSetup"
    | "newStackSetup"
    | "clientCutover";

/** A fixed setting, in seconds. */
export interface Timing {
    readonly id: ClockId;
    readonly seconds: number;
    readonly source: string;
}

/** A duration nobody fixes: a range with its basis. */
export interface Estimate {
    readonly id: ClockId;
    readonly minutes: MinutesRange;
    readonly basis: Basis;
    readonly source: string;
}

/** 40 s before Kubernetes 1.32 (kubernetes/kubernetes#126287); both stacks run 1.36. */
export const NODE_MONITOR_GRACE_PERIOD: Timing = {
    id: "nodeMonitorGracePeriod",
    seconds: 50,
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
};

export const NODE_MONITOR_PERIOD: Timing = {
    id: "nodeMonitorPeriod",
    seconds: 5,
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
};

/** Added to every pod by the DefaultTolerationSeconds admission plugin; this app's pods set no toleration of their own. */
export const UNREACHABLE_TOLERATION: Timing = {
    id: "unreachableToleration",
    seconds: 300,
    source: "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions",
};

/**
 * The target group health check the AWS cloud provider gives an NLB it makes for a Service without a
 * loadBalancerClass: TCP to the node port, every 30 s, 3 failures to mark a node unhealthy.
 */
export const NLB_HEALTH_CHECK = {
    intervalSeconds: 30,
    unhealthyThreshold: 3,
    timeoutSeconds: 10,
    source: "https://github.com/kubernetes/cloud-provider-aws/blob/master/pkg/providers/v1/aws_loadbalancer.go",
} as const;

/** An NLB's health check of its targets, and who set it. */
export interface HealthCheck {
    readonly intervalSeconds: number;
    readonly unhealthyThreshold: number;
    readonly timeoutSeconds: number;
    /** The Service's annotations, or the AWS cloud provider's defaults. */
    readonly setBy: "annotations" | "cloudProviderDefaults";
    readonly source: string;
}

const HEALTH_CHECK_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-";

/**
 * The health check of the NLB in front of the entry Service: as the Service's annotations set it (read by the AWS
 * Load Balancer Controller), the AWS cloud provider's defaults for a Service without a class, or undefined where
 * neither says (a class whose defaults the report does not know).
 */
export function nlbHealthCheck(
    entry: { readonly loadBalancerClass: string | null; readonly annotations: Readonly<Record<string, string>> } | null,
): HealthCheck | undefined {
    if (entry === null) {
        return undefined;
    }
    const annotated = (name: string) => Number(entry.annotations[`${HEALTH_CHECK_ANNOTATION}${name}`]);
    const [interval, threshold, timeout] = [
        annotated("interval"),
        annotated("unhealthy-threshold"),
        annotated("timeout"),
    ];
    if (interval > 0 && threshold > 0 && timeout > 0) {
        return {
            intervalSeconds: interval,
            unhealthyThreshold: threshold,
            timeoutSeconds: timeout,
            setBy: "annotations",
            source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#health-check",
        };
    }
    return entry.loadBalancerClass === null ? { ...NLB_HEALTH_CHECK, setBy: "cloudProviderDefaults" } : undefined;
}

/** Until the NLB takes a dead target out: the checks that must fail in a row, the last one timing out. */
export function nlbDetectionSeconds(check: Omit<HealthCheck, "setBy" | "source"> = NLB_HEALTH_CHECK): number {
    return check.intervalSeconds * check.unhealthyThreshold + check.timeoutSeconds;
}

/** Auto Scaling replaces an instance that is terminated or fails its EC2 status checks; the node must boot and join. */
export const NODE_REPLACEMENT: Estimate = {
    id: "nodeReplacement",
    minutes: { low: 2, high: 5 },
    basis: "typical, observed",
    source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html",
};

/** A local cluster made again: `minikube start` of a new profile, with its images pulled. */
export const LOCAL_CLUSTER_CREATION: Estimate = {
    id: "localClusterCreation",
    minutes: { low: 1, high: 4 },
    basis: "typical, observed",
    source: "https://minikube.sigs.k8s.io/docs/start/",
};

/** The program on a fresh local cluster: the backend image built, every object created, the pods Ready. */
export const LOCAL_DEPLOY: Estimate = {
    id: "localDeploy",
    minutes: { low: 1, high: 4 },
    basis: "typical, observed",
    source: "https://www.pulumi.com/docs/iac/cli/commands/pulumi_up/",
};

/** Docker, minikube, kubectl, Node.js and the Pulumi CLI on a new machine, the repository cloned, `npm ci`. */
export const WORKSTATION_SETUP: Estimate = {
    id: "workstationSetup",
    minutes: { low: 15, high: 45 },
    basis: "estimate",
    source: "https://www.pulumi.com/docs/iac/download-install/",
};

/** `pulumi stack init --copy-config-from`, a `pulumi config set` or two, and reading the runbook. */
export const NEW_STACK_SETUP: Estimate = {
    id: "newStackSetup",
    minutes: { low: 2, high: 5 },
    basis: "estimate",
    source: "https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_init/",
};

/** Clients follow the new load balancer: a DNS record you own changed, and its TTL run out in their caches. */
export const CLIENT_CUTOVER: Estimate = {
    id: "clientCutover",
    minutes: { low: 1, high: 10 },
    basis: "estimate",
    source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-basic.html#rrsets-values-basic-ttl",
};
