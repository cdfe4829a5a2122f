import { ImagePullPolicy, NodeScaler, ResponsibleParty, SpreadPolicy } from "../facts";

/*
 * Why a failure takes what it takes, as data: each reason names its kind and carries the figures it rests on.
 * tools/compare/prose/ turns them into the comparison's sentences; tests assert them as values.
 */

export type Domain = "node" | "zone";

/** One tier's share of a reason that can differ by tier. */
export interface PerTier<T> {
    readonly tier: string;
    readonly reason: T;
}

/** Why one domain holds at most `most` of a tier's `replicas` pods, worst case. */
export type PlacementBound =
    | { readonly kind: "onlyDomain"; readonly domain: Domain; readonly replicas: number }
    | {
          readonly kind: "unspread";
          readonly domain: Domain;
          readonly replicas: number;
          /** none: no spread over this domain; ScheduleAnyway: only a preference. */
          readonly spread: "none" | "ScheduleAnyway";
      }
    | {
          readonly kind: "spreadBound";
          readonly domain: Domain;
          readonly replicas: number;
          readonly maxSkew: number;
          readonly domains: number;
          readonly most: number;
      };

/** What a node loss takes: a node bound, or its zone's share when the node spread binds less (or is unknown). */
export type NodeLossBound =
    | PlacementBound
    | {
          readonly kind: "zoneShare";
          readonly zone: PlacementBound;
          /** Why a node may hold it all: the cluster picks the nodes, or the node spread's policy (or none). */
          readonly nodes: "pickedByCluster" | SpreadPolicy | "absent";
      };

/** What becomes of a lost zone's pods. */
export type ZoneReplacement =
    | { readonly kind: "evictedAndReplaced"; readonly tolerationSeconds: number }
    /** DoNotSchedule with nodeTaintsPolicy Ignore still counts the dead zone's nodes. */
    | { readonly kind: "deadZoneCounted" }
    | {
          readonly kind: "minDomainsHold";
          readonly minDomains: number;
          readonly zonesLeft: number;
          readonly maxSkew: number;
      };

/** A cluster pod (CoreDNS, metrics-server, a controller) and how many of its pods the loss may take. */
export interface SystemPodLoss {
    readonly name: string;
    readonly replicas: number;
    readonly lost: number;
}

/** A tier that an HPA scale-down can leave fuller in one zone than the scheduler would place it. */
export interface ScaleDownSkew {
    readonly tier: string;
    readonly most: number;
    readonly replicas: number;
    readonly maxReplicas: number;
}

export type FailureReason =
    | { readonly kind: "podReplaced"; readonly fewestReplicas: number }
    | { readonly kind: "nodePlacement"; readonly tiers: readonly PerTier<NodeLossBound>[] }
    | { readonly kind: "zonePlacement"; readonly tiers: readonly PerTier<PlacementBound>[] }
    /** no: the control plane runs elsewhere; only: the one node is it; maybe: the lost node may be one of it. */
    | { readonly kind: "nodeRunsControlPlane"; readonly runs: "no" | "only" | "maybe" }
    | { readonly kind: "nodeCapacity"; readonly domain: Domain; readonly scaledBy: Exclude<NodeScaler, "unknown"> }
    | { readonly kind: "systemPods"; readonly domain: Domain; readonly pods: readonly SystemPodLoss[] }
    | { readonly kind: "scaleDownSkew"; readonly tiers: readonly ScaleDownSkew[] }
    | { readonly kind: "zoneReplacements"; readonly tiers: readonly PerTier<ZoneReplacement>[] }
    | { readonly kind: "natPerZone" }
    | {
          readonly kind: "sharedNat";
          readonly natGateways: number;
          readonly zones: number;
          readonly pulls: readonly PerTier<ImagePullPolicy>[];
      }
    | { readonly kind: "controlPlaneZones"; readonly zones: number }
    | {
          readonly kind: "controlPlaneNodeLost";
          readonly repairedBy: ResponsibleParty;
          /** onlyWorker: it was every pod's node too; sharedNodes: it runs pods; noPods: it runs none. */
          readonly pods:
              | { readonly kind: "onlyWorker" }
              | { readonly kind: "noPods" }
              | { readonly kind: "sharedNodes"; readonly tiers: readonly PerTier<NodeLossBound>[] };
      };
