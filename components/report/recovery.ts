import { ProbeFacts, RebuildStepId, StackFacts, TierFacts } from "../facts";
import { ScenarioId, ScenarioOutcome, tiersHeldByDeadZone } from "./failureAnalysis";
import { PerTier } from "./failureReasons";
import { isSingleNode } from "./placement";
import { timedPath } from "./rebuildPath";
import { DataLoss, LostPart, ProbeTimes, RecoveryStep, RegionCheck, SecondsRange } from "./recoveryReasons";
import {
    CLIENT_CUTOVER,
    Estimate,
    LOCAL_CLUSTER_CREATION,
    LOCAL_DEPLOY,
    MinutesRange,
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

/** The failures, in the order the comparison lists them. */
export const RECOVERY_FAILURES: readonly RecoveryFailureId[] = ["pod", "node", "zone", "region", "machine"];

export interface RecoveryEstimate {
    readonly failure: RecoveryFailureId;
    /** RTO: how long the app answers no request; 0 when the pods left keep serving. */
    readonly appDown: SecondsRange;
    /** Until every lost pod (or the whole app) runs again. */
    readonly fullStrength: SecondsRange;
    /** RPO: the data lost. */
    readonly dataLost: DataLoss;
    /** What else goes with the failure, or has to be made again. */
    readonly lost: readonly LostPart[];
    /** How the numbers come about. */
    readonly steps: readonly RecoveryStep[];
    /** What to check before recovering this way. */
    readonly checks: readonly RegionCheck[];
}

const NONE: SecondsRange = { low: 0, high: 0 };
const minutes = (range: MinutesRange): SecondsRange => ({ low: range.low * 60, high: range.high * 60 });

function add(...ranges: SecondsRange[]): SecondsRange {
    return ranges.reduce((sum, range) => ({
        low: sum.low + range.low,
        high: sum.high === null || range.high === null ? null : sum.high + range.high,
    }));
}

/** A clock as a step quotes it: its range and basis, without its source. */
const duration = ({ minutes, basis }: Estimate) => ({ minutes, basis });

/** Until the kubelet gives up on a probe: failureThreshold periods, the last probe timing out. */
export function probeDetectionSeconds(probe: ProbeFacts): number {
    return probe.failureThreshold * probe.periodSeconds + probe.timeoutSeconds;
}

/**
 * From a container's start to Ready: at best one startup and one readiness period; at worst the startup probe's
 * whole budget (after which the kubelet kills the container) and a readiness period.
 */
function readyAfterStart(tier: TierFacts): SecondsRange {
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

const perTier = <T>(tiers: readonly TierFacts[], reason: (tier: TierFacts) => T): PerTier<T>[] =>
    tiers.map((tier) => ({ tier: tier.name, reason: reason(tier) }));

function probeTimes(tier: TierFacts): ProbeTimes {
    const { readiness, liveness } = tier.probes;
    return {
        readiness: readiness && {
            failureThreshold: readiness.failureThreshold,
            periodSeconds: readiness.periodSeconds,
            timeoutSeconds: readiness.timeoutSeconds,
            detectionSeconds: probeDetectionSeconds(readiness),
        },
        livenessSeconds: liveness && probeDetectionSeconds(liveness),
        ready: readyAfterStart(tier),
    };
}

const dataLost = (facts: StackFacts, clusterObjectsRemade = false): DataLoss => ({
    durableVolumes: facts.app.durableVolumes,
    clusterObjectsRemade,
});

function podDies(facts: StackFacts): RecoveryEstimate {
    const { tiers } = facts.app;
    const replacement = slowest(tiers, podReplacement);
    const fewestReplicas = Math.min(...tiers.map((tier) => tier.minReplicas));
    return {
        failure: "pod",
        appDown: fewestReplicas > 1 ? NONE : replacement,
        fullStrength: replacement,
        dataLost: dataLost(facts),
        lost: [{ kind: "podScratch" }],
        steps: [
            { kind: "probes", tiers: perTier(tiers, probeTimes) },
            { kind: "othersServe", fewestReplicas },
        ],
        checks: [],
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
    const steps: RecoveryStep[] = [
        {
            kind: "notReady",
            domain: what,
            after: notReady,
            gracePeriodSeconds: NODE_MONITOR_GRACE_PERIOD.seconds,
            monitorPeriodSeconds: NODE_MONITOR_PERIOD.seconds,
        },
        { kind: "evicted", tolerationSeconds: UNREACHABLE_TOLERATION.seconds, ready: start },
    ];
    const check =
        trafficEntry?.type === "LoadBalancer" && facts.cluster.loadBalancer ? nlbHealthCheck(trafficEntry) : undefined;
    if (check) {
        steps.push({
            kind: "loadBalancerDrops",
            detectionSeconds: nlbDetectionSeconds(check),
            unhealthyThreshold: check.unhealthyThreshold,
            intervalSeconds: check.intervalSeconds,
            timeoutSeconds: check.timeoutSeconds,
        });
    }
    if (stuck.length > 0) {
        steps.push({
            kind: "replacementsHeld",
            domain: what,
            tiers: perTier(stuck, (tier) =>
                tier.zoneSpread?.nodeTaintsPolicy === "Ignore"
                    ? { kind: "deadNodesCounted" as const }
                    : { kind: "minDomains" as const, minDomains: tier.zoneSpread?.minDomains ?? 0 },
            ),
        });
    }
    steps.push({ kind: "appServes", up: outcome.appUp });
    if (what === "zone") {
        const { cost, nodes } = facts.cluster;
        steps.push(
            { kind: "etcdQuorum", kept: outcome.controlPlane.available },
            { kind: "egress", natPerZone: cost.natGateways >= nodes.zones },
        );
    }
    const replacement = nodeReplacement(facts, what);
    if (replacement !== undefined) {
        steps.push(replacement);
    }
    return {
        failure: what,
        appDown: outcome.appUp ? NONE : podsBack,
        fullStrength: podsBack,
        dataLost: dataLost(facts),
        lost: [{ kind: "domainPods", domain: what }],
        steps,
        checks: [],
    };
}

/**
 * Who brings the lost capacity back: EKS Auto Mode, or the node groups (one per zone), under the Cluster Autoscaler
 * or not; undefined where the stack cannot see what does (a cluster it did not make). A one-node cluster never
 * gets here: losing its node is losing the cluster.
 */
function nodeReplacement(facts: StackFacts, what: "node" | "zone"): RecoveryStep | undefined {
    const { scaledBy } = facts.cluster.nodes;
    if (scaledBy === "unknown") {
        return undefined;
    }
    return {
        kind: "nodeReplacement",
        domain: what,
        by:
            scaledBy === "cluster"
                ? { kind: "autoMode" }
                : {
                      kind: "nodeGroup",
                      autoscaler: scaledBy === "cluster-autoscaler",
                      launch: duration(NODE_REPLACEMENT),
                  },
    };
}

/** The only node is the control plane and every pod: nothing reschedules, the cluster is made again. */
function wholeClusterDies(facts: StackFacts): RecoveryEstimate {
    const rebuild = add(minutes(LOCAL_CLUSTER_CREATION.minutes), minutes(LOCAL_DEPLOY.minutes));
    return {
        failure: "node",
        appDown: rebuild,
        fullStrength: rebuild,
        dataLost: dataLost(facts, true),
        lost: [{ kind: "localCluster" }],
        steps: [
            { kind: "clusterIsOneNode" },
            { kind: "remakeCluster", creation: duration(LOCAL_CLUSTER_CREATION), deploy: duration(LOCAL_DEPLOY) },
            { kind: "snapshotForHandMadeObjects" },
        ],
        checks: [],
    };
}

function machineLost(facts: StackFacts): RecoveryEstimate {
    const rebuild = add(
        minutes(WORKSTATION_SETUP.minutes),
        minutes(LOCAL_CLUSTER_CREATION.minutes),
        minutes(LOCAL_DEPLOY.minutes),
    );
    const lost: LostPart[] = [{ kind: "everythingLocal" }, { kind: "localPulumiState" }];
    if (facts.cluster.controlPlane.etcdBackup === "you") {
        lost.push({ kind: "localEtcdSnapshots" });
    }
    return {
        failure: "machine",
        appDown: rebuild,
        fullStrength: rebuild,
        dataLost: dataLost(facts, true),
        lost,
        steps: [
            { kind: "setUpMachine", setup: duration(WORKSTATION_SETUP) },
            {
                kind: "makeClusterAndDeploy",
                creation: duration(LOCAL_CLUSTER_CREATION),
                deploy: duration(LOCAL_DEPLOY),
            },
            { kind: "stateStartsEmpty" },
        ],
        checks: [],
    };
}

/** The region: a second stack of the same program with another awsRegion, its `pulumi up` timed by its critical path. */
function regionLost(facts: StackFacts, rebuildPath: readonly RebuildStepId[]): RecoveryEstimate {
    const { cluster } = facts;
    const path = timedPath(rebuildPath);
    const total = add(minutes(NEW_STACK_SETUP.minutes), minutes(path.minutes), minutes(CLIENT_CUTOVER.minutes));
    const lost: LostPart[] = [{ kind: "regionalCluster" }, { kind: "regionalPulumiState" }];
    if (cluster.cost.storedImages > 0) {
        lost.push({ kind: "regionalImages" });
    }
    const { controlPlaneLogs, controlPlaneLogDestination } = cluster.security;
    if (controlPlaneLogs.length > 0 && controlPlaneLogDestination) {
        lost.push({ kind: "regionalLogs", logs: controlPlaneLogs, destination: controlPlaneLogDestination });
    }
    if (cluster.cost.kmsKeys > 0) {
        lost.push({ kind: "regionalKmsKey" });
    }
    if (cluster.loadBalancer) {
        lost.push({ kind: "loadBalancerName" });
    }
    return {
        failure: "region",
        appDown: total,
        fullStrength: total,
        dataLost: dataLost(facts),
        lost,
        steps: [
            { kind: "newStack", setup: duration(NEW_STACK_SETUP) },
            {
                kind: "pulumiUp",
                path: path.steps.map((step) => ({ step: step.id, minutes: step.time.minutes })),
                minutes: path.minutes,
            },
            { kind: "clientCutover", cutover: duration(CLIENT_CUTOVER) },
        ],
        checks: [
            { kind: "kubernetesVersion", version: cluster.upgrades.kubernetesVersion, zones: cluster.nodes.zones },
            { kind: "elasticIpQuota", natGateways: cluster.cost.natGateways },
            { kind: "certificateIsRegional" },
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
    const { nodes, controlPlane, runsOn } = facts.cluster;
    const wholeCluster = isSingleNode(nodes) && controlPlane.sharesNodesWithWorkloads;
    const node = wholeCluster ? wholeClusterDies(facts) : nodeLifecycle(facts, outcome("node"), "node");
    // A cluster in a cloud region can lose its zones and the region; a local one, the machine it runs on.
    switch (runsOn.kind) {
        case "yourMachine":
            return [podDies(facts), node, machineLost(facts)];
        case "cloudRegion":
            return [
                podDies(facts),
                node,
                nodeLifecycle(facts, outcome("zone"), "zone"),
                regionLost(facts, runsOn.rebuildPath),
            ];
    }
}
