import { ProbeFacts, StackFacts, TierFacts } from "../facts";
import { ScenarioId, ScenarioOutcome, tiersHeldByDeadZone } from "./failureAnalysis";
import { AUTO_MODE_REBUILD_PATH, MANAGED_NODES_REBUILD_PATH, timedPath } from "./rebuildPath";
import {
    CLIENT_CUTOVER,
    Estimate,
    LOCAL_CLUSTER_CREATION,
    LOCAL_DEPLOY,
    MinutesRange,
    minutesText,
    NEW_STACK_SETUP,
    nlbDetectionSeconds,
    nlbHealthCheck,
    NODE_MONITOR_GRACE_PERIOD,
    NODE_MONITOR_PERIOD,
    NODE_REPLACEMENT,
    UNREACHABLE_TOLERATION,
    WORKSTATION_SETUP,
} from "./recoveryTimings";

/*
 * Recovery time (RTO: how long the app answers nothing) and recovery point (RPO: what data is lost) of each
 * failure, from the stack's facts and the clocks in recoveryTimings.ts. A cluster in a cloud region can lose a
 * pod, a node, a zone or the region; a local one a pod, its node or the machine it runs on. Not counted anywhere:
 * the time to notice a failure and decide what to do, which is yours.
 */

export type RecoveryFailureId = "pod" | "node" | "zone" | "region" | "machine";

/** Seconds, quick case to slow one; high null: not before the lost part comes back. */
export interface SecondsRange {
    readonly low: number;
    readonly high: number | null;
}

export interface RecoveryEstimate {
    readonly failure: RecoveryFailureId;
    readonly title: string;
    /** RTO: how long the app answers no request; 0 when the pods left keep serving. */
    readonly appDown: SecondsRange;
    /** Until every lost pod (or the whole app) runs again. */
    readonly fullStrength: SecondsRange;
    /** RPO: the data lost. */
    readonly dataLost: string;
    /** What else goes with the failure, or has to be made again. */
    readonly lost: readonly string[];
    /** How the numbers come about. */
    readonly derivation: readonly string[];
    /** What to check before recovering this way. */
    readonly notes: readonly string[];
}

export const RECOVERY_FAILURES: Readonly<Record<RecoveryFailureId, string>> = {
    pod: "a pod dies",
    node: "a node dies",
    zone: "a zone dies",
    region: "the region is lost",
    machine: "your machine is lost",
};

const NONE: SecondsRange = { low: 0, high: 0 };
const minutes = (range: MinutesRange): SecondsRange => ({ low: range.low * 60, high: range.high * 60 });

function add(...ranges: SecondsRange[]): SecondsRange {
    return ranges.reduce((sum, range) => ({
        low: sum.low + range.low,
        high: sum.high === null || range.high === null ? null : sum.high + range.high,
    }));
}

const estimateText = (estimate: Estimate) => `${minutesText(estimate.minutes)}, ${estimate.basis}`;

/** Until the kubelet gives up on a probe: failureThreshold periods, the last probe timing out. */
export function probeDetectionSeconds(probe: ProbeFacts): number {
    return probe.failureThreshold * probe.periodSeconds + probe.timeoutSeconds;
}

/**
 * From a container's start to Ready: at best one startup and one readiness period; at worst the startup probe's
 * whole budget (after which the kubelet kills the container) and a readiness period.
 */
export function readyAfterStart(tier: TierFacts): SecondsRange {
    const { startup, readiness } = tier.probes;
    const readinessPeriod = readiness?.periodSeconds ?? 0;
    return {
        low: (startup?.periodSeconds ?? 0) + readinessPeriod,
        high: (startup ? startup.failureThreshold * startup.periodSeconds : 0) + readinessPeriod,
    };
}

/** A dead pod replaced and Ready: a crash restarts at once; a hang waits for liveness first. */
export function podReplacement(tier: TierFacts): SecondsRange {
    const ready = readyAfterStart(tier);
    const liveness = tier.probes.liveness;
    return {
        low: ready.low,
        high: liveness === null || ready.high === null ? null : probeDetectionSeconds(liveness) + ready.high,
    };
}

/** The slowest of the tiers. */
function slowest(tiers: readonly TierFacts[], range: (tier: TierFacts) => SecondsRange): SecondsRange {
    return tiers.map(range).reduce(
        (worst, next) => ({
            low: Math.max(worst.low, next.low),
            high: worst.high === null || next.high === null ? null : Math.max(worst.high, next.high),
        }),
        NONE,
    );
}

/** Tiers with the same text share one clause: "frontend, backend: ...". */
function perTier(tiers: readonly TierFacts[], text: (tier: TierFacts) => string): string {
    const groups = new Map<string, string[]>();
    for (const tier of tiers) {
        groups.set(text(tier), [...(groups.get(text(tier)) ?? []), tier.name]);
    }
    return [...groups].map(([clause, names]) => `${names.join(", ")}: ${clause}`).join("; ");
}

function probeClause(tier: TierFacts): string {
    const { readiness, liveness } = tier.probes;
    const ready = readyAfterStart(tier);
    return [
        readiness
            ? `readiness (${readiness.failureThreshold} × ${readiness.periodSeconds} s + ${readiness.timeoutSeconds} s timeout) takes a hung pod out of its Service within ${probeDetectionSeconds(readiness)} s, a crashed one at once`
            : "no readiness probe: a hung pod stays in its Service",
        liveness
            ? `liveness restarts a hung container after ${probeDetectionSeconds(liveness)} s`
            : "no liveness probe: a hung container is never restarted",
        `a new container is Ready ${ready.low}–${ready.high ?? "?"} s after it starts (startup, then readiness probe)`,
    ].join(", ");
}

function dataLost(facts: StackFacts): string {
    const volumes = facts.app.durableVolumes;
    return volumes === 0
        ? "none: no pod mounts a volume that outlives it"
        : `what ${volumes} durable volume${volumes === 1 ? "" : "s"} held since the last backup (not modelled)`;
}

function podDies(facts: StackFacts): RecoveryEstimate {
    const { tiers } = facts.app;
    const replacement = slowest(tiers, podReplacement);
    const fewest = Math.min(...tiers.map((tier) => tier.minReplicas));
    const serving =
        fewest > 1
            ? `every tier runs at least ${fewest} pods, so the others answer meanwhile (requests the dead pod gets before it leaves its Service fail)`
            : "a tier with 1 pod answers nothing until its replacement is Ready";
    return {
        failure: "pod",
        title: RECOVERY_FAILURES.pod,
        appDown: fewest > 1 ? NONE : replacement,
        fullStrength: replacement,
        dataLost: dataLost(facts),
        lost: ["the pod's emptyDir (/tmp) and the requests it was answering"],
        derivation: [perTier(tiers, probeClause), serving],
        notes: [],
    };
}

/** What the node lifecycle controller does with the pods of nodes that stop reporting, and when. */
function nodeLifecycle(facts: StackFacts, outcome: ScenarioOutcome, what: "node" | "zone"): RecoveryEstimate {
    const { tiers, trafficEntry } = facts.app;
    const notReady: SecondsRange = {
        low: NODE_MONITOR_GRACE_PERIOD.seconds,
        high: NODE_MONITOR_GRACE_PERIOD.seconds + NODE_MONITOR_PERIOD.seconds,
    };
    const evicted = add(notReady, { low: UNREACHABLE_TOLERATION.seconds, high: UNREACHABLE_TOLERATION.seconds });
    const start = slowest(tiers, readyAfterStart);
    const held = tiersHeldByDeadZone(tiers, facts.cluster.nodes);
    // minDomains only holds replacements when a whole zone is gone; a spread that counts dead nodes holds them always.
    const stuck = what === "zone" ? held : held.filter((tier) => tier.zoneSpread?.nodeTaintsPolicy === "Ignore");
    const replaced = add(evicted, start);
    const podsBack = stuck.length > 0 ? { ...replaced, high: null } : replaced;
    const subject = what === "node" ? "the node is" : "the zone's nodes are";
    const derivation = [
        `${subject} NotReady after ${notReady.low}–${notReady.high} s (node-monitor-grace-period ${NODE_MONITOR_GRACE_PERIOD.seconds} s, checked every ${NODE_MONITOR_PERIOD.seconds} s) and their pods leave their Services; requests sent to them until then fail`,
        `their pods are evicted ${UNREACHABLE_TOLERATION.seconds} s later (the default tolerationSeconds) and start elsewhere, Ready ${start.low}–${start.high ?? "?"} s after`,
    ];
    const check =
        trafficEntry?.type === "LoadBalancer" && facts.cluster.loadBalancer ? nlbHealthCheck(trafficEntry) : undefined;
    if (check) {
        derivation.push(
            `the NLB stops sending to them within ${nlbDetectionSeconds(check)} s (${check.unhealthyThreshold} failed checks ${check.intervalSeconds} s apart, ${check.timeoutSeconds} s timeout)`,
        );
    }
    if (stuck.length > 0) {
        const why = (tier: TierFacts) =>
            tier.zoneSpread?.nodeTaintsPolicy === "Ignore"
                ? "DoNotSchedule still counts its nodes"
                : `minDomains ${tier.zoneSpread?.minDomains} counts the lost zone as empty`;
        derivation.push(
            perTier(stuck, (tier) => `the replacements stay Pending until the ${what} is back (${why(tier)})`),
        );
    }
    derivation.push(
        outcome.appUp
            ? "the pods left answer throughout"
            : "no pod of some tier is left: the app is down until the replacements are Ready",
    );
    if (what === "zone") {
        const { cost, nodes } = facts.cluster;
        derivation.push(
            outcome.controlPlane.available
                ? "the control plane keeps its etcd quorum"
                : "the control plane loses its etcd quorum",
            cost.natGateways >= nodes.zones
                ? "each zone has its own NAT gateway, so the zones left keep their way out (image pulls included)"
                : "one NAT gateway: if the lost zone held it, the nodes left pull no image from outside the VPC until it is back, so a replacement starts only on a node that holds its image (imagePullPolicy IfNotPresent)",
        );
    }
    const replacement = nodeReplacement(facts, what);
    if (replacement !== undefined) {
        derivation.push(replacement);
    }
    return {
        failure: what,
        title: RECOVERY_FAILURES[what],
        appDown: outcome.appUp ? NONE : podsBack,
        fullStrength: podsBack,
        dataLost: dataLost(facts),
        lost: [`the ${what}'s pods and their emptyDirs`],
        derivation,
        notes: [],
    };
}

/**
 * Who brings the lost capacity back in a cloud region (an EKS cluster: managed node groups, one per zone, under the
 * Cluster Autoscaler, or Auto Mode); undefined elsewhere.
 */
function nodeReplacement(facts: StackFacts, what: "node" | "zone"): string | undefined {
    const { nodes, region } = facts.cluster;
    if (region === null) {
        return undefined;
    }
    if (nodes.scaledBy === "cluster") {
        return "EKS Auto Mode launches nodes for pods that have none";
    }
    const autoscaler = nodes.scaledBy === "cluster-autoscaler";
    if (what === "node") {
        return (
            `the node's group replaces an instance that is terminated or fails its EC2 status checks (${estimateText(NODE_REPLACEMENT)}); ` +
            (autoscaler
                ? "meanwhile the Cluster Autoscaler adds nodes for replacements that find no room, and removes a node left unready for 20 minutes (scale-down-unready-time)"
                : "one that runs but stops reporting stays until you replace it")
        );
    }
    return autoscaler
        ? `the lost zone's node group waits for its zone; the Cluster Autoscaler grows the other zones' groups for replacements that find no room, within their maximum (a node in ${estimateText(NODE_REPLACEMENT)})`
        : "the lost zone's node group waits for its zone; nothing adds nodes in the zones left";
}

/** The only node is the control plane and every pod: nothing reschedules, the cluster is made again. */
function wholeClusterDies(facts: StackFacts): RecoveryEstimate {
    const rebuild = add(minutes(LOCAL_CLUSTER_CREATION.minutes), minutes(LOCAL_DEPLOY.minutes));
    return {
        failure: "node",
        title: RECOVERY_FAILURES.node,
        appDown: rebuild,
        fullStrength: rebuild,
        dataLost: `${dataLost(facts)}; the cluster's objects: the program makes every one again`,
        lost: [
            "the cluster: control plane, etcd and every pod (a stopped VM that starts again keeps them on its disk)",
        ],
        derivation: [
            "the one node is the control plane and runs every pod: nothing can reschedule",
            `make the cluster again (${estimateText(LOCAL_CLUSTER_CREATION)}) and \`pulumi up --refresh\` (${estimateText(LOCAL_DEPLOY)})`,
            "an etcd snapshot is only needed for objects made by hand, outside the program",
        ],
        notes: [],
    };
}

function machineLost(facts: StackFacts): RecoveryEstimate {
    const rebuild = add(
        minutes(WORKSTATION_SETUP.minutes),
        minutes(LOCAL_CLUSTER_CREATION.minutes),
        minutes(LOCAL_DEPLOY.minutes),
    );
    const lost = [
        "the cluster and everything in it",
        "the Pulumi state, if its backend was only on this machine (the deploy scripts' default: .pulumi-state in the repository)",
    ];
    if (facts.cluster.controlPlane.etcdBackup === "you") {
        lost.push("your etcd snapshots, if they were kept on this machine");
    }
    return {
        failure: "machine",
        title: RECOVERY_FAILURES.machine,
        appDown: rebuild,
        fullStrength: rebuild,
        dataLost: `${dataLost(facts)}; the cluster's objects: the program makes every one again`,
        lost,
        derivation: [
            `install the tools and clone the repository (${estimateText(WORKSTATION_SETUP)})`,
            `make the cluster (${estimateText(LOCAL_CLUSTER_CREATION)}) and deploy (${estimateText(LOCAL_DEPLOY)})`,
            "with no Pulumi state left, a new stack of the same name starts empty: nothing to reconcile, as its cluster is gone too",
        ],
        notes: [],
    };
}

/** The region: a second stack of the same program with another awsRegion, its `pulumi up` timed by its critical path. */
function regionLost(facts: StackFacts): RecoveryEstimate {
    const { cluster } = facts;
    const path = timedPath(cluster.nodes.count === null ? AUTO_MODE_REBUILD_PATH : MANAGED_NODES_REBUILD_PATH);
    const total = add(minutes(NEW_STACK_SETUP.minutes), minutes(path.minutes), minutes(CLIENT_CUTOVER.minutes));
    const lost = [
        "the cluster and its etcd: AWS's backups of it stay with the region, and the program makes every object again",
        "the Pulumi state, if its backend is in that region (an S3 bucket there); the deploy scripts' default, a folder on your machine, is not",
    ];
    if (cluster.cost.storedImages > 0) {
        lost.push("the backend images in ECR (a repository is regional): the new stack builds them again from source");
    }
    if (cluster.security.controlPlaneLogs.length > 0 && cluster.security.controlPlaneLogDestination) {
        lost.push(
            `the control plane logs (${cluster.security.controlPlaneLogs.join(", ")}) in the region's ${cluster.security.controlPlaneLogDestination}, until it returns`,
        );
    }
    if (cluster.cost.kmsKeys > 0) {
        lost.push("the KMS key of the cluster's Secrets (keys are regional): the new cluster gets its own");
    }
    if (cluster.loadBalancer) {
        lost.push("the load balancer's DNS name: the new NLB has another, and clients must be pointed at it");
    }
    const steps = path.steps.map((step) => `${step.what} (${minutesText(step.time.minutes)})`).join(" → ");
    return {
        failure: "region",
        title: RECOVERY_FAILURES.region,
        appDown: total,
        fullStrength: total,
        dataLost: dataLost(facts),
        lost,
        derivation: [
            `a second stack from the first one's config with another awsRegion (${estimateText(NEW_STACK_SETUP)})`,
            `its \`pulumi up\`, along the critical path of the resource graph: ${steps} = ${minutesText(path.minutes)}`,
            `clients moved to the new load balancer (${estimateText(CLIENT_CUTOVER)})`,
        ],
        notes: [
            `the new region must offer Kubernetes ${cluster.upgrades.kubernetesVersion ?? "(the cluster's version)"} on EKS, and ${cluster.nodes.zones} zones EKS accepts for zoneCount`,
            `its quotas must allow ${cluster.cost.natGateways} more Elastic IPs for the NAT gateways (5 per region by default) and the nodes' vCPUs`,
            "an ACM certificate, if you add one for TLS, is regional: request or import it in the new region too",
        ],
    };
}

/** Every failure that applies to the stack, pod first. `failures` is the stack's failure analysis. */
export function analyseRecovery(facts: StackFacts, failures: readonly ScenarioOutcome[]): RecoveryEstimate[] {
    const outcome = (id: ScenarioId): ScenarioOutcome => {
        const found = failures.find((candidate) => candidate.scenario === id);
        if (!found) {
            throw new Error(`recovery: the failure analysis of ${facts.stack} has no "${id}" outcome`);
        }
        return found;
    };
    const { nodes, controlPlane, region } = facts.cluster;
    const wholeCluster = nodes.count === 1 && controlPlane.sharesNodesWithWorkloads;
    const node = wholeCluster ? wholeClusterDies(facts) : nodeLifecycle(facts, outcome("node"), "node");
    if (region === null) {
        return [podDies(facts), node, machineLost(facts)];
    }
    return [podDies(facts), node, nodeLifecycle(facts, outcome("zone"), "zone"), regionLost(facts)];
}
