import { strict as assert } from "assert";
import { SpreadFacts, StackFacts } from "../../components/facts";
import {
    analyseFailures,
    controlPlaneAfter,
    etcdQuorum,
    podsLostWithNode,
    podsLostWithZone,
    ScenarioId,
    ScenarioOutcome,
    tiersHeldByDeadZone,
} from "../../components/report/failureAnalysis";
import { FailureReason } from "../../components/report/failureReasons";
import { maxPodsPerDomain } from "../../components/report/placement";
import { CLUSTER_AUTOSCALER_PODS, COREDNS_ADDON, METRICS_SERVER_ADDON } from "../../components/targets/eks/systemPods";
import {
    bothTiers,
    byTier,
    cluster,
    ClusterShape,
    ONE_NODE,
    ONE_PER_ZONE,
    PREFERRED,
    REQUIRED,
    stack,
    THREE_ZONES,
    tier,
} from "./reportFacts";

function scenario(outcomes: ScenarioOutcome[], id: ScenarioId): ScenarioOutcome {
    const found = outcomes.find((outcome) => outcome.scenario === id);
    assert.ok(found, id);
    return found;
}

/** The outcome's reason of `kind`; fails when it has none. */
function reason<K extends FailureReason["kind"]>(
    outcome: ScenarioOutcome,
    kind: K,
): Extract<FailureReason, { kind: K }> {
    const found = outcome.reasons.find((candidate) => candidate.kind === kind);
    assert.ok(found, `${outcome.scenario} has no ${kind} reason`);
    return found as Extract<FailureReason, { kind: K }>;
}

const kinds = (outcome: ScenarioOutcome) => outcome.reasons.map((candidate) => candidate.kind);

const survivors = (outcome: ScenarioOutcome) => Object.fromEntries(outcome.tiers.map((t) => [t.tier, t.survivors]));

describe("failure analysis", () => {
    describe("maxPodsPerDomain: the most pods one domain can hold, worst case", () => {
        const cases: [number, number, SpreadFacts | null, number, string][] = [
            [3, 3, REQUIRED, 1, "3 over 3 zones, maxSkew 1: one each"],
            [2, 3, REQUIRED, 1, "2 over 3: never two in one"],
            [4, 3, REQUIRED, 2, "4 over 3: ceil(4/3)"],
            [
                5,
                3,
                { whenUnsatisfiable: "DoNotSchedule", maxSkew: 2, nodeTaintsPolicy: "Honor", minDomains: null },
                3,
                "maxSkew 2 lets one zone run 3 while the others run 1",
            ],
            [6, 2, REQUIRED, 3, "6 over 2: 3 and 3"],
            [1, 3, REQUIRED, 1, "1 pod"],
            [3, 1, REQUIRED, 3, "one domain holds everything"],
            [2, 3, PREFERRED, 2, "ScheduleAnyway is a preference: all may share one"],
            [3, 3, null, 3, "no constraint"],
        ];
        for (const [replicas, domains, spread, expected, why] of cases) {
            it(`${replicas} pods, ${domains} domains, ${spread ? `${spread.whenUnsatisfiable} maxSkew ${spread.maxSkew}` : "no spread"} -> ${expected} (${why})`, () => {
                assert.equal(maxPodsPerDomain(replicas, domains, spread), expected);
            });
        }
    });

    it("3 replicas over 3 zones with maxSkew 1: a zone loss takes 1, 2 survive", () => {
        const nodes = cluster(THREE_ZONES).nodes;
        assert.equal(podsLostWithZone(tier("web", 3), nodes), 1);
    });

    it("2 replicas on one node: a node loss takes both, 0 survive", () => {
        const nodes = cluster(ONE_NODE).nodes;
        assert.equal(podsLostWithNode(tier("web", 2, { zone: PREFERRED }), nodes), 2);
    });

    it("a node never holds more than its zone's share, even when node spread is only preferred", () => {
        const nodes = cluster({ ...THREE_ZONES, nodes: 6 }).nodes;
        assert.equal(podsLostWithNode(tier("web", 3, { node: PREFERRED }), nodes), 1);
        assert.equal(podsLostWithNode(tier("web", 6, { node: PREFERRED }), nodes), 2);
    });

    it("a required node spread can bind harder than the zone spread", () => {
        const nodes = cluster({ ...THREE_ZONES, nodes: 6 }).nodes;
        assert.equal(podsLostWithNode(tier("web", 6, { zone: PREFERRED, node: REQUIRED }), nodes), 1);
        assert.equal(podsLostWithNode(tier("web", 6, { zone: PREFERRED, node: PREFERRED }), nodes), 6);
    });

    it("counts only zones that have a node: 2 nodes in a 3-zone VPC are 2 zones to the scheduler", () => {
        const nodes = cluster({ ...THREE_ZONES, nodes: 2 }).nodes;
        assert.equal(podsLostWithZone(tier("web", 3), nodes), 2);
    });

    it("without a node count (the cluster picks nodes), a node may hold its zone's share", () => {
        const nodes = cluster({ ...THREE_ZONES, nodes: null }).nodes;
        assert.equal(podsLostWithNode(tier("web", 3), nodes), 1);
        assert.equal(podsLostWithZone(tier("web", 3), nodes), 1);
    });

    it("etcd needs a majority: 1 of 1, 2 of 2, 2 of 3, 3 of 5", () => {
        assert.deepEqual([1, 2, 3, 5].map(etcdQuorum), [1, 2, 2, 3]);
    });

    it("keeps the API up while an API server is left and etcd has quorum", () => {
        const managed = cluster(THREE_ZONES).controlPlane;
        assert.deepEqual(controlPlaneAfter(managed, { apiServers: 1, etcdMembers: 1 }), {
            apiServers: 2,
            apiServersLeft: 1,
            etcdMembers: 3,
            etcdMembersLeft: 2,
            etcdQuorum: 2,
            available: true,
        });
        assert.equal(controlPlaneAfter(managed, { apiServers: 1, etcdMembers: 2 }).available, false, "etcd 1 of 3");
        assert.equal(controlPlaneAfter(managed, { apiServers: 2, etcdMembers: 0 }).available, false, "no API server");
        assert.equal(
            controlPlaneAfter(cluster(ONE_NODE).controlPlane, { apiServers: 1, etcdMembers: 1 }).available,
            false,
        );
    });

    describe("on one node that is also the control plane (minikube's shape)", () => {
        const outcomes = analyseFailures(
            stack(ONE_NODE, [tier("frontend", 2, { zone: PREFERRED }), tier("backend", 2, { zone: PREFERRED })]),
        );

        it("survives a pod: 1 of 2 per tier", () => {
            const pod = scenario(outcomes, "pod");
            assert.deepEqual(survivors(pod), { frontend: 1, backend: 1 });
            assert.equal(pod.appUp, true);
            assert.equal(pod.controlPlane.available, true);
        });

        it("loses everything with the node: no pod, no API", () => {
            const node = scenario(outcomes, "node");
            assert.deepEqual(survivors(node), { frontend: 0, backend: 0 });
            assert.equal(node.appUp, false);
            assert.equal(node.controlPlane.available, false);
            const only = { kind: "onlyDomain", domain: "node", replicas: 2 } as const;
            assert.deepEqual(node.reasons, [
                {
                    kind: "nodePlacement",
                    tiers: bothTiers(only),
                },
                { kind: "nodeRunsControlPlane", runs: "only" },
            ]);
        });

        it("loses everything with the zone", () => {
            const zone = scenario(outcomes, "zone");
            assert.deepEqual(survivors(zone), { frontend: 0, backend: 0 });
            assert.equal(zone.appUp, false);
            assert.equal(zone.controlPlane.available, false);
        });

        it("loses the API and, since the control plane node is the only worker, every pod with its node", () => {
            const controlPlaneNode = scenario(outcomes, "control-plane-node");
            assert.deepEqual(survivors(controlPlaneNode), { frontend: 0, backend: 0 });
            assert.equal(controlPlaneNode.controlPlane.available, false);
            assert.equal(controlPlaneNode.appUp, false);
            assert.deepEqual(controlPlaneNode.reasons, [
                { kind: "controlPlaneNodeLost", repairedBy: "you", pods: { kind: "onlyWorker" } },
            ]);
        });
    });

    describe("on three nodes in three zones under a managed control plane (EKS's shape)", () => {
        const outcomes = analyseFailures(stack(THREE_ZONES, [tier("frontend", 3), tier("backend", 3)]));

        it("keeps 2 of 3 per tier through a node or a zone loss", () => {
            for (const id of ["node", "zone"] as const) {
                assert.deepEqual(survivors(scenario(outcomes, id)), { frontend: 2, backend: 2 }, id);
                assert.equal(scenario(outcomes, id).appUp, true, id);
            }
        });

        it("keeps the API through a zone loss: 1 of 2 API servers, 2 of 3 etcd members", () => {
            const zone = scenario(outcomes, "zone");
            assert.equal(zone.controlPlane.available, true);
            // 1 of 2 API servers and 2 of 3 etcd members left, as controlPlaneAfter's own test pins.
            assert.deepEqual(
                zone.controlPlane,
                controlPlaneAfter(cluster(THREE_ZONES).controlPlane, { apiServers: 1, etcdMembers: 1 }),
            );
            const evicted = { kind: "evictedAndReplaced", tolerationSeconds: 300 } as const;
            assert.deepEqual(zone.reasons, [
                {
                    kind: "zonePlacement",
                    tiers: bothTiers(ONE_PER_ZONE),
                },
                {
                    kind: "scaleDownSkew",
                    tiers: [
                        { tier: "frontend", most: 2, replicas: 3, maxReplicas: 6 },
                        { tier: "backend", most: 2, replicas: 3, maxReplicas: 6 },
                    ],
                },
                {
                    kind: "zoneReplacements",
                    tiers: bothTiers(evicted),
                },
                { kind: "nodeCapacity", domain: "zone", scaledBy: "nothing" },
                { kind: "controlPlaneZones", zones: 3 },
            ]);
        });

        it("says the replacements stay Pending where the zone spread still counts the dead zone's nodes", () => {
            const countsDeadNodes = { ...REQUIRED, nodeTaintsPolicy: "Ignore" } as const;
            const zone = scenario(
                analyseFailures(
                    stack(THREE_ZONES, [tier("frontend", 3), tier("backend", 3, { zone: countsDeadNodes })]),
                ),
                "zone",
            );
            assert.deepEqual(survivors(zone), { frontend: 2, backend: 2 });
            assert.deepEqual(
                reason(zone, "zoneReplacements").tiers,
                byTier({ kind: "evictedAndReplaced", tolerationSeconds: 300 }, { kind: "deadZoneCounted" }),
            );
        });

        it("loses no pod when the control plane loses a node, and the API stays", () => {
            const controlPlaneNode = scenario(outcomes, "control-plane-node");
            assert.deepEqual(survivors(controlPlaneNode), { frontend: 3, backend: 3 });
            assert.equal(controlPlaneNode.controlPlane.available, true);
            assert.deepEqual(controlPlaneNode.reasons, [
                { kind: "controlPlaneNodeLost", repairedBy: "AWS", pods: { kind: "noPods" } },
            ]);
        });
    });

    it("calls the app down when a tier with one pod loses it", () => {
        const pod = scenario(analyseFailures(stack(THREE_ZONES, [tier("frontend", 2), tier("backend", 1)])), "pod");
        assert.deepEqual(survivors(pod), { frontend: 1, backend: 0 });
        assert.equal(pod.appUp, false);
        assert.deepEqual(pod.reasons, [{ kind: "podReplaced", fewestReplicas: 1 }]);
    });

    it("lists the four scenarios in order", () => {
        assert.deepEqual(
            analyseFailures(stack(ONE_NODE, [tier("web", 2)])).map((outcome) => outcome.scenario),
            ["pod", "node", "zone", "control-plane-node"],
        );
    });

    describe("nodes that scale, zones after a scale-down, minDomains, the NAT gateways and the cluster's own pods", () => {
        const AUTOSCALED: ClusterShape = { ...THREE_ZONES, scaledBy: "cluster-autoscaler" };
        const eksTiers = () => [tier("frontend", 3), { ...tier("backend", 3), maxReplicas: 9 }];
        /** In an AWS region, with `natGateways` NAT gateways. */
        const regional = (facts: StackFacts, natGateways: number): StackFacts => ({
            ...facts,
            cluster: {
                ...facts.cluster,
                region: "us-east-1",
                runsOn: { kind: "cloudRegion", rebuildPath: [] },
                cost: { ...facts.cluster.cost, natGateways },
            },
        });

        it("counts the zones that keep a node after the nodes scale down to their minimum, not the nodes running now", () => {
            const bounds = { chartVersion: "9.59.0", zones: [], min: 2, max: 9, desired: 6 };
            const nodes = {
                ...cluster(THREE_ZONES).nodes,
                autoscaling: { kind: "clusterAutoscaler", ...bounds } as const,
            };
            assert.equal(podsLostWithZone(tier("web", 3), nodes), 2, "2 nodes cover 2 zones: ceil(3/2)");
            const atLeastThree = { ...nodes, autoscaling: { ...nodes.autoscaling, min: 3 } };
            assert.equal(podsLostWithZone(tier("web", 3), atLeastThree), 1, "3 zones: ceil(3/3)");
        });

        it("says how much fuller a zone can be after an HPA scale-down: frontend 2 of 3 from 6, backend 3 of 3 from 9", () => {
            const zone = scenario(analyseFailures(stack(AUTOSCALED, eksTiers())), "zone");
            assert.deepEqual(survivors(zone), { frontend: 2, backend: 2 }, "the table counts ceil(3/3) = 1 lost");
            assert.deepEqual(reason(zone, "scaleDownSkew").tiers, [
                { tier: "frontend", most: 2, replicas: 3, maxReplicas: 6 },
                { tier: "backend", most: 3, replicas: 3, maxReplicas: 9 },
            ]);
        });

        it("a node: the Cluster Autoscaler adds nodes for replacements without room; without it they stay Pending", () => {
            const withAutoscaler = scenario(analyseFailures(stack(AUTOSCALED, eksTiers())), "node");
            assert.deepEqual(withAutoscaler.reasons.at(-1), {
                kind: "nodeCapacity",
                domain: "node",
                scaledBy: "cluster-autoscaler",
            });
            const without = scenario(analyseFailures(stack(THREE_ZONES, eksTiers())), "node");
            assert.deepEqual(without.reasons.at(-1), { kind: "nodeCapacity", domain: "node", scaledBy: "nothing" });
            const autoMode = scenario(
                analyseFailures(stack({ ...THREE_ZONES, nodes: null, scaledBy: "cluster" }, eksTiers())),
                "node",
            );
            assert.deepEqual(autoMode.reasons.at(-1), { kind: "nodeCapacity", domain: "node", scaledBy: "cluster" });
            assert.deepEqual(
                reason(autoMode, "nodePlacement").tiers,
                bothTiers({ kind: "zoneShare", zone: ONE_PER_ZONE, nodes: "pickedByCluster" }),
                "the cluster picks the nodes: one may hold a zone's share",
            );
            assert.deepEqual(
                survivors(withAutoscaler),
                survivors(without),
                "autoscaling brings pods back, it saves none",
            );
        });

        it("a zone: its node group stays in its zone, the other zones' groups grow", () => {
            const zone = scenario(analyseFailures(stack(AUTOSCALED, eksTiers())), "zone");
            assert.deepEqual(reason(zone, "nodeCapacity"), {
                kind: "nodeCapacity",
                domain: "zone",
                scaledBy: "cluster-autoscaler",
            });
        });

        it("a zone under minDomains: the replacements wait Pending for the zone, unless a zone left holds less than its share", () => {
            const counted = { ...REQUIRED, minDomains: 3 };
            const facts = stack({ ...THREE_ZONES, nodes: null, scaledBy: "cluster" }, [
                tier("frontend", 3, { zone: counted }),
                tier("backend", 3),
            ]);
            const zone = scenario(analyseFailures(facts), "zone");
            assert.deepEqual(survivors(zone), { frontend: 2, backend: 2 });
            assert.deepEqual(
                reason(zone, "zoneReplacements").tiers,
                byTier(
                    { kind: "minDomainsHold", minDomains: 3, zonesLeft: 2, maxSkew: 1 },
                    { kind: "evictedAndReplaced", tolerationSeconds: 300 },
                ),
            );
            assert.deepEqual(
                tiersHeldByDeadZone(facts.app.tiers, facts.cluster.nodes).map((held) => held.name),
                ["frontend"],
            );
            const two = tier("web", 2, { zone: counted });
            assert.deepEqual(
                tiersHeldByDeadZone([two], facts.cluster.nodes),
                [],
                "2 pods over 3 zones: a zone left has none, and takes the replacement",
            );
        });

        it("a zone with one NAT gateway: the zones left lose their way out; a pod starts only where its image is", () => {
            const tiers = [{ ...tier("frontend", 3), imagePullPolicy: "Always" as const }, tier("backend", 3)];
            const single = scenario(analyseFailures(regional(stack(AUTOSCALED, tiers), 1)), "zone");
            assert.deepEqual(reason(single, "sharedNat"), {
                kind: "sharedNat",
                natGateways: 1,
                zones: 3,
                pulls: byTier("Always", "IfNotPresent"),
            });
            const perZone = scenario(analyseFailures(regional(stack(AUTOSCALED, tiers), 3)), "zone");
            assert.ok(kinds(perZone).includes("natPerZone"));
            assert.ok(!kinds(perZone).includes("sharedNat"));
            const local = scenario(analyseFailures(stack(AUTOSCALED, tiers)), "zone");
            assert.ok(
                !kinds(local).some((kind) => kind === "natPerZone" || kind === "sharedNat"),
                "no NAT gateway, no egress reason",
            );
        });

        describe("the cluster's own pods, as the EKS add-ons and the Cluster Autoscaler's chart deploy them", () => {
            const facts = stack(
                { ...AUTOSCALED, systemPods: [COREDNS_ADDON, METRICS_SERVER_ADDON, CLUSTER_AUTOSCALER_PODS] },
                eksTiers(),
            );
            const outcomes = analyseFailures(facts);

            it("a zone may take both CoreDNS pods (their zone spread is ScheduleAnyway): no cluster DNS until one is back", () => {
                assert.deepEqual(reason(scenario(outcomes, "zone"), "systemPods"), {
                    kind: "systemPods",
                    domain: "zone",
                    pods: [
                        { name: "CoreDNS", replicas: 2, lost: 2 },
                        { name: "metrics-server", replicas: 2, lost: 2 },
                        { name: "Cluster Autoscaler", replicas: 1, lost: 1 },
                    ],
                });
            });

            it("a node may hold both CoreDNS pods too: their anti-affinity is only preferred", () => {
                assert.deepEqual(reason(scenario(outcomes, "node"), "systemPods").pods[0], {
                    name: "CoreDNS",
                    replicas: 2,
                    lost: 2,
                });
            });

            it("counts a required spread as it counts the app's: 2 of 3 left", () => {
                const spread = { ...COREDNS_ADDON, replicas: 3, zoneSpread: REQUIRED };
                const zone = scenario(
                    analyseFailures(stack({ ...AUTOSCALED, systemPods: [spread] }, eksTiers())),
                    "zone",
                );
                assert.deepEqual(reason(zone, "systemPods").pods, [{ name: "CoreDNS", replicas: 3, lost: 1 }]);
            });

            it("keeps the app up: its own tiers decide that", () => {
                assert.equal(scenario(outcomes, "zone").appUp, true);
            });
        });
    });
});
