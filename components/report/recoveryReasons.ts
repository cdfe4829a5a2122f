import { Domain, PerTier } from "./failureReasons";
import { RebuildStepId } from "../facts";
import { Basis, MinutesRange } from "./recoveryTimings";

/*
 * How a recovery comes about, what it loses and what to check first, as data: each item names its kind and
 * carries its figures. tools/compare/prose/ turns them into the comparison's sentences.
 */

/** Seconds, quick case to slow one; high null: not before the lost part comes back. */
export interface SecondsRange {
    readonly low: number;
    readonly high: number | null;
}

/** A duration nobody fixes, as a recovery step quotes it. */
export interface Duration {
    readonly minutes: MinutesRange;
    readonly basis: Basis;
}

/** One tier's probes, as the time to notice a dead pod and to have a new one Ready. */
export interface ProbeTimes {
    readonly readiness: {
        readonly failureThreshold: number;
        readonly periodSeconds: number;
        readonly timeoutSeconds: number;
        readonly detectionSeconds: number;
    } | null;
    /** Until liveness restarts a hung container; null: no liveness probe. */
    readonly livenessSeconds: number | null;
    readonly ready: SecondsRange;
}

/** Why a tier's replacements stay Pending. */
export type HeldBy =
    { readonly kind: "deadNodesCounted" } | { readonly kind: "minDomains"; readonly minDomains: number };

/** Who brings a lost node's or zone's capacity back. */
export type NodeReplacer =
    | { readonly kind: "autoMode" }
    | { readonly kind: "nodeGroup"; readonly autoscaler: boolean; readonly launch: Duration };

export type RecoveryStep =
    | { readonly kind: "probes"; readonly tiers: readonly PerTier<ProbeTimes>[] }
    | { readonly kind: "othersServe"; readonly fewestReplicas: number }
    | {
          readonly kind: "notReady";
          readonly domain: Domain;
          readonly after: SecondsRange;
          readonly gracePeriodSeconds: number;
          readonly monitorPeriodSeconds: number;
      }
    | { readonly kind: "evicted"; readonly tolerationSeconds: number; readonly ready: SecondsRange }
    | {
          readonly kind: "loadBalancerDrops";
          readonly detectionSeconds: number;
          readonly unhealthyThreshold: number;
          readonly intervalSeconds: number;
          readonly timeoutSeconds: number;
      }
    | { readonly kind: "replacementsHeld"; readonly domain: Domain; readonly tiers: readonly PerTier<HeldBy>[] }
    | { readonly kind: "appServes"; readonly up: boolean }
    | { readonly kind: "etcdQuorum"; readonly kept: boolean }
    | { readonly kind: "egress"; readonly natPerZone: boolean }
    | { readonly kind: "nodeReplacement"; readonly domain: Domain; readonly by: NodeReplacer }
    | { readonly kind: "clusterIsOneNode" }
    | { readonly kind: "remakeCluster"; readonly creation: Duration; readonly deploy: Duration }
    | { readonly kind: "snapshotForHandMadeObjects" }
    | { readonly kind: "setUpMachine"; readonly setup: Duration }
    | { readonly kind: "makeClusterAndDeploy"; readonly creation: Duration; readonly deploy: Duration }
    | { readonly kind: "stateStartsEmpty" }
    | { readonly kind: "newStack"; readonly setup: Duration }
    | {
          readonly kind: "pulumiUp";
          readonly path: readonly { readonly step: RebuildStepId; readonly minutes: MinutesRange }[];
          readonly minutes: MinutesRange;
      }
    | { readonly kind: "clientCutover"; readonly cutover: Duration };

/** What else goes with a failure, or has to be made again. */
export type LostPart =
    | { readonly kind: "podScratch" }
    | { readonly kind: "domainPods"; readonly domain: Domain }
    | { readonly kind: "localCluster" }
    | { readonly kind: "everythingLocal" }
    | { readonly kind: "localPulumiState" }
    | { readonly kind: "localEtcdSnapshots" }
    | { readonly kind: "regionalCluster" }
    | { readonly kind: "regionalPulumiState" }
    | { readonly kind: "regionalImages" }
    | { readonly kind: "regionalLogs"; readonly logs: readonly string[]; readonly destination: string }
    | { readonly kind: "regionalKmsKey" }
    | { readonly kind: "loadBalancerName" };

/** RPO: durable volumes lose what they held since their last backup; a remade cluster, its objects. */
export interface DataLoss {
    readonly durableVolumes: number;
    readonly clusterObjectsRemade: boolean;
}

/** What to check before rebuilding in another region. */
export type RegionCheck =
    | { readonly kind: "kubernetesVersion"; readonly version: string | null; readonly zones: number }
    | { readonly kind: "elasticIpQuota"; readonly natGateways: number }
    | { readonly kind: "certificateIsRegional" };
