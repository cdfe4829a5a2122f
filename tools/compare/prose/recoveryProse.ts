import { RebuildStepId } from "../../../components/facts";
import { RecoveryFailureId } from "../../../components/report/recovery";
import {
    DataLoss,
    Duration,
    HeldBy,
    LostPart,
    ProbeTimes,
    RecoveryStep,
    RegionCheck,
    SecondsRange,
} from "../../../components/report/recoveryReasons";
import { ClockId, MinutesRange } from "../../../components/report/recoveryTimings";
import { perTierText, plural } from "./words";

/** The recovery estimates in words: one function per kind of step, loss and check, each sentence written once. */

export const FAILURE_TITLES: Readonly<Record<RecoveryFailureId, string>> = {
    pod: "a pod dies",
    node: "a node dies",
    zone: "a zone dies",
    region: "the region is lost",
    machine: "your machine is lost",
};

/** What each clock times. */
export const CLOCK_TEXT: Readonly<Record<ClockId, string>> = {
    nodeMonitorGracePeriod: "a node that stops reporting is marked NotReady (node-monitor-grace-period)",
    nodeMonitorPeriod: "the node lifecycle controller checks node status (node-monitor-period)",
    unreachableToleration: "pods tolerate a NotReady or unreachable node before they are evicted (tolerationSeconds)",
    nodeReplacement:
        "the node group's Auto Scaling group launches a replacement instance, which boots, joins and turns Ready",
    localClusterCreation: "a new single-node cluster started (minikube start pulls its images on first use)",
    localDeploy: "`pulumi up` on the new cluster: the backend image built, the objects created, the pods Ready",
    workstationSetup: "the tools installed on a new machine, the repository cloned and `npm ci` run",
    newStackSetup: "a second stack made from the first one's config, with another awsRegion",
    clientCutover: "your DNS record pointed at the new load balancer's name, and its TTL expired in clients' caches",
};

/** What each step of the rebuild's critical path makes. */
export const REBUILD_STEP_TEXT: Readonly<Record<RebuildStepId, string>> = {
    vpc: "the VPC and a NAT gateway per zone",
    controlPlane: "the EKS control plane, in the VPC's private subnets",
    autoModeControlPlane: "the EKS control plane with Auto Mode",
    podIdentityAgent: "the Pod Identity Agent add-on, which a node needs to turn Ready",
    vpcCni: "the VPC CNI add-on, after the agent its Pod Identity association needs, which a node needs too",
    nodeGroup: "the managed node group",
    podAddons: "CoreDNS and metrics-server, whose pods need the nodes",
    autoModeAddons: "the metrics-server add-on, whose pods make Auto Mode launch a node",
    loadBalancer: "the frontend's LoadBalancer Service and its NLB, which wait for the add-ons",
};

/** "1–3 min", or "5 min" when both ends agree. */
export function minutesText(range: MinutesRange): string {
    return range.low === range.high ? `${range.low} min` : `${range.low}–${range.high} min`;
}

const durationOf = (estimate: Duration) => `${minutesText(estimate.minutes)}, ${estimate.basis}`;

/** Minutes to the half minute below ten, whole above. */
function roundedMinutes(seconds: number): string {
    const value = seconds / 60;
    return `${value < 10 ? Math.round(value * 2) / 2 : Math.round(value)}`;
}

/** "0", "7–97 s", "6–7 min", "at least 6 min, until the zone is back". */
export function durationText(range: SecondsRange, until = "until the lost part is back"): string {
    if (range.high === null) {
        return `at least ${range.low < 180 ? `${range.low} s` : `${roundedMinutes(range.low)} min`}, ${until}`;
    }
    if (range.high === 0) {
        return "0";
    }
    if (range.high < 180) {
        return range.low === range.high ? `${range.high} s` : `${range.low}–${range.high} s`;
    }
    const [low, high] = [roundedMinutes(range.low), roundedMinutes(range.high)];
    return low === high ? `${high} min` : `${low}–${high} min`;
}

function probesText({ readiness, livenessSeconds, ready }: ProbeTimes): string {
    return [
        readiness
            ? `readiness (${readiness.failureThreshold} × ${readiness.periodSeconds} s + ${readiness.timeoutSeconds} s timeout) takes a hung pod out of its Service within ${readiness.detectionSeconds} s, a crashed one at once`
            : "no readiness probe: a hung pod stays in its Service",
        livenessSeconds !== null
            ? `liveness restarts a hung container after ${livenessSeconds} s`
            : "no liveness probe: a hung container is never restarted",
        `a new container is Ready ${ready.low}–${ready.high ?? "?"} s after it starts (startup, then readiness probe)`,
    ].join(", ");
}

const heldText = (what: string) => (held: HeldBy) =>
    `the replacements stay Pending until the ${what} is back (${
        held.kind === "deadNodesCounted"
            ? "DoNotSchedule still counts its nodes"
            : `minDomains ${held.minDomains} counts the lost zone as empty`
    })`;

function nodeReplacementText(step: Extract<RecoveryStep, { kind: "nodeReplacement" }>): string {
    const { by, domain } = step;
    if (by.kind === "autoMode") {
        return "EKS Auto Mode launches nodes for pods that have none";
    }
    if (domain === "node") {
        return (
            `the node's group replaces an instance that is terminated or fails its EC2 status checks (${durationOf(by.launch)}); ` +
            (by.autoscaler
                ? "meanwhile the Cluster Autoscaler adds nodes for replacements that find no room, and removes a node left unready for 20 minutes (scale-down-unready-time)"
                : "one that runs but stops reporting stays until you replace it")
        );
    }
    return by.autoscaler
        ? `the lost zone's node group waits for its zone; the Cluster Autoscaler grows the other zones' groups for replacements that find no room, within their maximum (a node in ${durationOf(by.launch)})`
        : "the lost zone's node group waits for its zone; nothing adds nodes in the zones left";
}

export function recoveryStepText(step: RecoveryStep): string {
    switch (step.kind) {
        case "probes":
            return perTierText(step.tiers, probesText);
        case "othersServe":
            return step.fewestReplicas > 1
                ? `every tier runs at least ${step.fewestReplicas} pods, so the others answer meanwhile (requests the dead pod gets before it leaves its Service fail)`
                : "a tier with 1 pod answers nothing until its replacement is Ready";
        case "notReady":
            return `${step.domain === "node" ? "the node is" : "the zone's nodes are"} NotReady after ${step.after.low}–${step.after.high} s (node-monitor-grace-period ${step.gracePeriodSeconds} s, checked every ${step.monitorPeriodSeconds} s) and their pods leave their Services; requests sent to them until then fail`;
        case "evicted":
            return `their pods are evicted ${step.tolerationSeconds} s later (the default tolerationSeconds) and start elsewhere, Ready ${step.ready.low}–${step.ready.high ?? "?"} s after`;
        case "loadBalancerDrops":
            return `the NLB stops sending to them within ${step.detectionSeconds} s (${step.unhealthyThreshold} failed checks ${step.intervalSeconds} s apart, ${step.timeoutSeconds} s timeout)`;
        case "replacementsHeld":
            return perTierText(step.tiers, heldText(step.domain));
        case "appServes":
            return step.up
                ? "the pods left answer throughout"
                : "no pod of some tier is left: the app is down until the replacements are Ready";
        case "etcdQuorum":
            return step.kept ? "the control plane keeps its etcd quorum" : "the control plane loses its etcd quorum";
        case "egress":
            return step.natPerZone
                ? "each zone has its own NAT gateway, so the zones left keep their way out (image pulls included)"
                : "one NAT gateway: if the lost zone held it, the nodes left pull no image from outside the VPC until it is back, so a replacement starts only on a node that holds its image (imagePullPolicy IfNotPresent)";
        case "nodeReplacement":
            return nodeReplacementText(step);
        case "clusterIsOneNode":
            return "the one node is the control plane and runs every pod: nothing can reschedule";
        case "remakeCluster":
            return `make the cluster again (${durationOf(step.creation)}) and \`pulumi up --refresh\` (${durationOf(step.deploy)})`;
        case "snapshotForHandMadeObjects":
            return "an etcd snapshot is only needed for objects made by hand, outside the program";
        case "setUpMachine":
            return `install the tools and clone the repository (${durationOf(step.setup)})`;
        case "makeClusterAndDeploy":
            return `make the cluster (${durationOf(step.creation)}) and deploy (${durationOf(step.deploy)})`;
        case "stateStartsEmpty":
            return "with no Pulumi state left, a new stack of the same name starts empty: nothing to reconcile, as its cluster is gone too";
        case "newStack":
            return `a second stack from the first one's config with another awsRegion (${durationOf(step.setup)})`;
        case "pulumiUp": {
            const steps = step.path
                .map((part) => `${REBUILD_STEP_TEXT[part.step]} (${minutesText(part.minutes)})`)
                .join(" → ");
            return `its \`pulumi up\`, along the critical path of the resource graph: ${steps} = ${minutesText(step.minutes)}`;
        }
        case "clientCutover":
            return `clients moved to the new load balancer (${durationOf(step.cutover)})`;
    }
}

export function lostPartText(part: LostPart): string {
    switch (part.kind) {
        case "podScratch":
            return "the pod's emptyDir (/tmp) and the requests it was answering";
        case "domainPods":
            return `the ${part.domain}'s pods and their emptyDirs`;
        case "localCluster":
            return "the cluster: control plane, etcd and every pod (a stopped VM that starts again keeps them on its disk)";
        case "everythingLocal":
            return "the cluster and everything in it";
        case "localPulumiState":
            return "the Pulumi state, if its backend was only on this machine (the deploy scripts' default: .pulumi-state in the repository)";
        case "localEtcdSnapshots":
            return "your etcd snapshots, if they were kept on this machine";
        case "regionalCluster":
            return "the cluster and its etcd: AWS's backups of it stay with the region, and the program makes every object again";
        case "regionalPulumiState":
            return "the Pulumi state, if its backend is in that region (an S3 bucket there); the deploy scripts' default, a folder on your machine, is not";
        case "regionalImages":
            return "the backend images in ECR (a repository is regional): the new stack builds them again from source";
        case "regionalLogs":
            return `the control plane logs (${part.logs.join(", ")}) in the region's ${part.destination}, until it returns`;
        case "regionalKmsKey":
            return "the KMS key of the cluster's Secrets (keys are regional): the new cluster gets its own";
        case "loadBalancerName":
            return "the load balancer's DNS name: the new NLB has another, and clients must be pointed at it";
    }
}

export function dataLostText({ durableVolumes, clusterObjectsRemade }: DataLoss): string {
    const volumes =
        durableVolumes === 0
            ? "none: no pod mounts a volume that outlives it"
            : `what ${plural(durableVolumes, "durable volume")} held since the last backup (not modelled)`;
    return clusterObjectsRemade ? `${volumes}; the cluster's objects: the program makes every one again` : volumes;
}

export function regionCheckText(check: RegionCheck): string {
    switch (check.kind) {
        case "kubernetesVersion":
            return `the new region must offer Kubernetes ${check.version ?? "(the cluster's version)"} on EKS, and ${check.zones} zones EKS accepts for zoneCount`;
        case "elasticIpQuota":
            return `its quotas must allow ${check.natGateways} more Elastic IPs for the NAT gateways (5 per region by default) and the nodes' vCPUs`;
        case "certificateIsRegional":
            return "an ACM certificate, if you add one for TLS, is regional: request or import it in the new region too";
    }
}
