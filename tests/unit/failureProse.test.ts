import { strict as assert } from "assert";
import { controlPlaneAfter, ScenarioOutcome } from "../../components/report/failureAnalysis";
import { FailureReason, PlacementBound } from "../../components/report/failureReasons";
import { failureReasoning, failureReasonText, nodeLossText } from "../../tools/compare/prose/failureProse";
import { perTierText } from "../../tools/compare/prose/words";
import { bothTiers, byTier, cluster, ONE_PER_ZONE, stack, THREE_ZONES, tier } from "./reportFacts";

/** Each sentence of the failure table, once: the analysis' tests assert the reasons, these the words. */

const FACTS = stack({ ...THREE_ZONES, systemPods: [] }, [tier("web", 3)]);
function outcome(reasons: FailureReason[], available = true): ScenarioOutcome {
    return {
        scenario: "zone",
        tiers: [],
        // A managed control plane after a zone loss: 1 of 2 API servers, 2 of 3 etcd members.
        controlPlane: {
            ...controlPlaneAfter(cluster(THREE_ZONES).controlPlane, { apiServers: 1, etcdMembers: 1 }),
            available,
        },
        appUp: true,
        reasons,
    };
}

const capacity = (domain: "node" | "zone", scaledBy: "cluster-autoscaler" | "cluster" | "nothing"): FailureReason => ({
    kind: "nodeCapacity",
    domain,
    scaledBy,
});

const text = (reason: FailureReason, available = true) =>
    failureReasonText(reason, outcome([reason], available), FACTS);

const spreadBound: PlacementBound = ONE_PER_ZONE;

describe("the failure table's words", () => {
    const cases: [string, FailureReason, string][] = [
        [
            "others serve",
            { kind: "podReplaced", fewestReplicas: 2 },
            "every tier runs at least 2 pods, so the others answer while readiness takes the dead one out of its Service and the ReplicaSet controller starts a replacement",
        ],
        [
            "a tier of one",
            { kind: "podReplaced", fewestReplicas: 1 },
            "a tier with 1 pod has none until the ReplicaSet controller's replacement is ready",
        ],
        [
            "the spread bound, tiers grouped",
            {
                kind: "zonePlacement",
                tiers: bothTiers(spreadBound),
            },
            "frontend, backend: DoNotSchedule (maxSkew 1) over 3 zones puts at most 1 of 3 pods in one",
        ],
        [
            "the only domain, and a missing spread",
            {
                kind: "nodePlacement",
                tiers: byTier(
                    { kind: "onlyDomain", domain: "node", replicas: 2 },
                    { kind: "unspread", domain: "node", replicas: 2, spread: "none" },
                ),
            },
            "frontend: the only node holds all 2 pods; backend: no node spread: all 2 pods may share one node",
        ],
        ["off the nodes", { kind: "nodeRunsControlPlane", runs: "no" }, "the control plane does not run on your nodes"],
        [
            "the only node",
            { kind: "nodeRunsControlPlane", runs: "only" },
            "it is the control plane too: 1 of 2 API servers and 2 of 3 etcd members left (quorum 2)",
        ],
        [
            "maybe a control plane node",
            { kind: "nodeRunsControlPlane", runs: "maybe" },
            "it may be a control plane node too: 1 of 2 API servers and 2 of 3 etcd members left (quorum 2)",
        ],
        [
            "the Cluster Autoscaler, a node",
            capacity("node", "cluster-autoscaler"),
            "replacements that find no room on the nodes left make the Cluster Autoscaler add nodes in the zones where they fit, up to each zone group's maximum",
        ],
        [
            "the Cluster Autoscaler, a zone",
            capacity("zone", "cluster-autoscaler"),
            "the lost zone's node group cannot launch in another zone (one group per zone); replacements that find no room in the zones left make the Cluster Autoscaler grow those zones' groups, up to their maximum",
        ],
        ["Auto Mode", capacity("node", "cluster"), "EKS Auto Mode launches nodes for replacements that find no room"],
        [
            "nothing scales",
            capacity("zone", "nothing"),
            "nothing adds nodes: replacements that find no room on the nodes left stay Pending",
        ],
        [
            "a scale-down's skew",
            { kind: "scaleDownSkew", tiers: [{ tier: "backend", most: 3, replicas: 3, maxReplicas: 9 }] },
            "counted as the scheduler places pods; an HPA scale-down removes pods without looking at zones, so until they are replaced one zone can hold more: backend 3 of 3 (from 9)",
        ],
        [
            "the three fates of a lost zone's pods",
            {
                kind: "zoneReplacements",
                tiers: [
                    { tier: "a", reason: { kind: "evictedAndReplaced", tolerationSeconds: 300 } },
                    { tier: "b", reason: { kind: "deadZoneCounted" } },
                    { tier: "c", reason: { kind: "minDomainsHold", minDomains: 3, zonesLeft: 1, maxSkew: 1 } },
                ],
            },
            "a: the lost pods are evicted when their toleration of the unreachable nodes ends (300 s by default) and their replacements start in the zones left; " +
                "b: the replacements stay Pending while the dead zone's nodes exist, as DoNotSchedule still counts that zone (nodeTaintsPolicy Ignore); " +
                "c: the replacements stay Pending until the zone is back: with minDomains 3 and 1 zone left the scheduler counts the emptiest zone as 0, so a zone takes a pod only while it holds fewer than 1 (maxSkew), and each zone left already holds its share",
        ],
        [
            "a NAT gateway per zone",
            { kind: "natPerZone" },
            "each zone has its own NAT gateway, so the zones left keep their way out (image pulls, AWS APIs)",
        ],
        [
            "one NAT gateway, and each pull policy",
            {
                kind: "sharedNat",
                natGateways: 1,
                zones: 3,
                pulls: byTier("Always", "IfNotPresent"),
            },
            "one NAT gateway for 3 zones: if the lost zone held it, the zones left lose their way out too: no image pull from outside the VPC (ECR included: no VPC endpoints), no AWS API call (a new node cannot turn Ready, the controllers' calls fail); a pod's start needs nothing from outside the VPC but its image, and that only where its node lacks it or the pull policy is Always; " +
                "frontend: imagePullPolicy Always asks the registry at every start, so no replacement starts; backend: imagePullPolicy IfNotPresent, so replacements start on nodes that already hold the image (those that ran the tier), not on new ones",
        ],
        [
            "the control plane's zones",
            { kind: "controlPlaneZones", zones: 3 },
            "the control plane spans 3 zones: 1 of 2 API servers and 2 of 3 etcd members left (quorum 2)",
        ],
        [
            "a managed control plane node",
            { kind: "controlPlaneNodeLost", repairedBy: "AWS", pods: { kind: "noPods" } },
            "1 of 2 API servers and 2 of 3 etcd members left (quorum 2): the API keeps answering, and AWS replaces the instance; no pod runs there, so the app is untouched",
        ],
        [
            "a control plane node that runs pods",
            {
                kind: "controlPlaneNodeLost",
                repairedBy: "you",
                pods: { kind: "sharedNodes", tiers: [{ tier: "web", reason: spreadBound }] },
            },
            "1 of 2 API servers and 2 of 3 etcd members left (quorum 2): the API keeps answering, and bringing it back is your job; it runs pods too: web: DoNotSchedule (maxSkew 1) over 3 zones puts at most 1 of 3 pods in one",
        ],
    ];
    for (const [what, reason, expected] of cases) {
        it(what, () => assert.equal(text(reason), expected));
    }

    it("the only worker, and the API down", () => {
        assert.equal(
            text({ kind: "controlPlaneNodeLost", repairedBy: "you", pods: { kind: "onlyWorker" } }, false),
            "1 of 2 API servers and 2 of 3 etcd members left (quorum 2): the API is down, and bringing it back is your job; that node is also the only worker, so every pod goes with it (had only the control plane's processes died, the running pods would keep serving, but nothing could be scheduled, scaled or changed)",
        );
    });

    it("a node that may hold its zone's share: the cluster picks the nodes, or the node spread is a preference", () => {
        assert.equal(
            nodeLossText({ kind: "zoneShare", zone: spreadBound, nodes: "pickedByCluster" }),
            "DoNotSchedule (maxSkew 1) over 3 zones puts at most 1 of 3 pods in one, and the cluster picks the nodes, so one node may hold a zone's share",
        );
        assert.equal(
            nodeLossText({ kind: "zoneShare", zone: spreadBound, nodes: "ScheduleAnyway" }),
            "DoNotSchedule (maxSkew 1) over 3 zones puts at most 1 of 3 pods in one, and node spread is ScheduleAnyway, so one node may hold a zone's share",
        );
    });

    it("the cluster's own pods: some left, or all on the lost domain, with what stops without them", () => {
        const reason: FailureReason = {
            kind: "systemPods",
            domain: "zone",
            pods: [
                { name: "metrics-server", replicas: 3, lost: 1 },
                { name: "CoreDNS", replicas: 2, lost: 2 },
                { name: "Cluster Autoscaler", replicas: 1, lost: 1 },
            ],
        };
        const facts = {
            ...FACTS,
            cluster: {
                ...FACTS.cluster,
                systemPods: (
                    [
                        ["CoreDNS", "clusterDns"],
                        ["Cluster Autoscaler", "nodeScaling"],
                    ] as const
                ).map(([name, role]) => ({
                    name,
                    replicas: 1,
                    zoneSpread: null,
                    nodeSpread: null,
                    disruptionBudget: null,
                    withoutIt: { kind: role },
                    requests: null,
                    installedBy: "an EKS add-on" as const,
                    source: "",
                })),
            },
        };
        assert.equal(
            failureReasonText(reason, outcome([reason]), facts),
            "the cluster's own pods: metrics-server: 2 of 3 pods left; CoreDNS: both its pods may be on the lost zone, its zone spread being a preference: no cluster DNS: running pods keep the connections and addresses they have, but a name lookup fails, so a pod that resolves a name as it starts does not start, until a replacement is Ready; Cluster Autoscaler: its one pod may be on the lost zone: no node scaling: pods that find no room stay Pending, and idle nodes stay, until a replacement is Ready",
        );
    });

    it("joins a scenario's reasons in order, with semicolons", () => {
        const reasons: FailureReason[] = [{ kind: "natPerZone" }, { kind: "controlPlaneZones", zones: 1 }];
        assert.equal(
            failureReasoning(outcome(reasons), FACTS),
            "each zone has its own NAT gateway, so the zones left keep their way out (image pulls, AWS APIs); the control plane spans 1 zone: 1 of 2 API servers and 2 of 3 etcd members left (quorum 2)",
        );
    });

    it("groups tiers only where their words are the same, in the order the tiers come", () => {
        const tiers = ["a", "b", "c"].map((name, index) => ({ tier: name, reason: index % 2 }));
        assert.equal(
            perTierText(tiers, (reason) => `r${reason}`),
            "a, c: r0; b: r1",
        );
    });
});
