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

/** "1–3 min", or "5 min" when both ends agree. */
export function minutesText(range: MinutesRange): string {
    return range.low === range.high ? `${range.low} min` : `${range.low}–${range.high} min`;
}

export type Basis = "documented" | "typical, observed" | "estimate";

/** A fixed setting, in seconds. */
export interface Timing {
    readonly seconds: number;
    /** What waits this long, in a few words. */
    readonly what: string;
    readonly source: string;
}

/** A duration nobody fixes: a range with its basis. */
export interface Estimate {
    readonly minutes: MinutesRange;
    readonly basis: Basis;
    readonly what: string;
    readonly source: string;
}

/** 40 s before Kubernetes 1.32 (kubernetes/kubernetes#126287); both stacks run 1.35. */
export const NODE_MONITOR_GRACE_PERIOD: Timing = {
    seconds: 50,
    what: "a node that stops reporting is marked NotReady (node-monitor-grace-period)",
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
};

export const NODE_MONITOR_PERIOD: Timing = {
    seconds: 5,
    what: "the node lifecycle controller checks node status (node-monitor-period)",
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
};

/** Added to every pod by the DefaultTolerationSeconds admission plugin; this app's pods set no toleration of their own. */
export const UNREACHABLE_TOLERATION: Timing = {
    seconds: 300,
    what: "pods tolerate a NotReady or unreachable node before they are evicted (tolerationSeconds)",
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
    what: "the NLB stops sending new connections to a node that fails its health check",
    source: "https://github.com/kubernetes/cloud-provider-aws/blob/master/pkg/providers/v1/aws_loadbalancer.go",
} as const;

/** An NLB's health check of its targets, and who set it. */
export interface HealthCheck {
    readonly intervalSeconds: number;
    readonly unhealthyThreshold: number;
    readonly timeoutSeconds: number;
    readonly setBy: string;
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
            setBy: "the Service's annotations",
            source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#health-check",
        };
    }
    return entry.loadBalancerClass === null
        ? { ...NLB_HEALTH_CHECK, setBy: "the AWS cloud provider's defaults" }
        : undefined;
}

/** Until the NLB takes a dead target out: the checks that must fail in a row, the last one timing out. */
export function nlbDetectionSeconds(check: Omit<HealthCheck, "setBy" | "source"> = NLB_HEALTH_CHECK): number {
    return check.intervalSeconds * check.unhealthyThreshold + check.timeoutSeconds;
}

/** Auto Scaling replaces an instance that is terminated or fails its EC2 status checks; the node must boot and join. */
export const NODE_REPLACEMENT: Estimate = {
    minutes: { low: 2, high: 5 },
    basis: "typical, observed",
    what: "the node group's Auto Scaling group launches a replacement instance, which boots, joins and turns Ready",
    source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html",
};

/** A local cluster made again: `minikube start` of a new profile, with its images pulled. */
export const LOCAL_CLUSTER_CREATION: Estimate = {
    minutes: { low: 1, high: 4 },
    basis: "typical, observed",
    what: "a new single-node cluster started (minikube start pulls its images on first use)",
    source: "https://minikube.sigs.k8s.io/docs/start/",
};

/** The program on a fresh local cluster: the backend image built, every object created, the pods Ready. */
export const LOCAL_DEPLOY: Estimate = {
    minutes: { low: 1, high: 4 },
    basis: "typical, observed",
    what: "`pulumi up` on the new cluster: the backend image built, the objects created, the pods Ready",
    source: "https://www.pulumi.com/docs/iac/cli/commands/pulumi_up/",
};

/** Docker, minikube, kubectl, Node.js and the Pulumi CLI on a new machine, the repository cloned, `npm ci`. */
export const WORKSTATION_SETUP: Estimate = {
    minutes: { low: 15, high: 45 },
    basis: "estimate",
    what: "the tools installed on a new machine, the repository cloned and `npm ci` run",
    source: "https://www.pulumi.com/docs/iac/download-install/",
};

/** `pulumi stack init --copy-config-from`, a `pulumi config set` or two, and reading the runbook. */
export const NEW_STACK_SETUP: Estimate = {
    minutes: { low: 2, high: 5 },
    basis: "estimate",
    what: "a second stack made from the first one's config, with another awsRegion",
    source: "https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_init/",
};

/** Clients follow the new load balancer: a DNS record you own changed, and its TTL run out in their caches. */
export const CLIENT_CUTOVER: Estimate = {
    minutes: { low: 1, high: 10 },
    basis: "estimate",
    what: "your DNS record pointed at the new load balancer's name, and its TTL expired in clients' caches",
    source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-basic.html#rrsets-values-basic-ttl",
};
