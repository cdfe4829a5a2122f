import { strict as assert } from "assert";
import {
    analyseFailures,
    controlPlaneAfter,
    etcdQuorum,
    maxPodsPerDomain,
    podsLostWithNode,
    podsLostWithZone,
    ScenarioId,
    ScenarioOutcome,
} from "../../components/report";
import { SpreadFacts, StackFacts } from "../../components/facts";
import { tiersHeldByDeadZone } from "../../components/report/failureAnalysis";
import { CLUSTER_AUTOSCALER_PODS, COREDNS_ADDON, METRICS_SERVER_ADDON } from "../../components/targets/eks/systemPods";
import { cluster, ClusterShape, ONE_NODE, PREFERRED, REQUIRED, stack, THREE_ZONES, tier } from "./reportFacts";

function scenario(outcomes: ScenarioOutcome[], id: ScenarioId): ScenarioOutcome {
    const found = outcomes.find((outcome) => outcome.scenario === id);
    assert.ok(found, id);
    return found;
}

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
            assert.equal(
                node.reasoning,
                "frontend, backend: the only node holds all 2 pods; it is the control plane too: 0 of 1 API server and 0 of 1 etcd member left (quorum 1)",
            );
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
            assert.match(
                controlPlaneNode.reasoning,
                /^0 of 1 API server and 0 of 1 etcd member left \(quorum 1\): the API is down, and bringing it back is your job; /,
            );
            assert.match(
                controlPlaneNode.reasoning,
                /had only the control plane's processes died, the running pods would keep serving/,
            );
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
            assert.equal(
                zone.reasoning,
                "frontend, backend: DoNotSchedule (maxSkew 1) over 3 zones puts at most 1 of 3 pods in one; counted as " +
                    "the scheduler places pods; an HPA scale-down removes pods without looking at zones, so until they are " +
                    "replaced one zone can hold more: frontend 2 of 3 (from 6), backend 2 of 3 (from 6); frontend, backend: " +
                    "the lost pods are evicted when their toleration of the unreachable nodes ends (300 s by default) and " +
                    "their replacements start in the zones left; nothing adds nodes: replacements that find no room on the " +
                    "nodes left stay Pending; the control plane spans 3 zones: 1 of 2 API servers and 2 of 3 etcd members " +
                    "left (quorum 2)",
            );
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
            assert.match(
                zone.reasoning,
                /; backend: the replacements stay Pending while the dead zone's nodes exist, as DoNotSchedule still counts that zone \(nodeTaintsPolicy Ignore\);/,
            );
        });

        it("loses no pod when the control plane loses a node, and the API stays", () => {
            const controlPlaneNode = scenario(outcomes, "control-plane-node");
            assert.deepEqual(survivors(controlPlaneNode), { frontend: 3, backend: 3 });
            assert.equal(controlPlaneNode.controlPlane.available, true);
            assert.equal(
                controlPlaneNode.reasoning,
                "1 of 2 API servers and 2 of 3 etcd members left (quorum 2): the API keeps answering, and AWS replaces the instance; no pod runs there, so the app is untouched",
            );
        });
    });

    it("calls the app down when a tier with one pod loses it", () => {
        const pod = scenario(analyseFailures(stack(THREE_ZONES, [tier("frontend", 2), tier("backend", 1)])), "pod");
        assert.deepEqual(survivors(pod), { frontend: 1, backend: 0 });
        assert.equal(pod.appUp, false);
        assert.match(
            pod.reasoning,
            /^a tier with 1 pod has none until the ReplicaSet controller's replacement is ready$/,
        );
    });

    it("lists the four scenarios in order", () => {
        assert.deepEqual(
            analyseFailures(stack(ONE_NODE, [tier("web", 2)])).map((outcome) => outcome.title),
            ["a pod dies", "a node dies", "a zone dies", "the control plane loses a node"],
        );
    });

    describe("nodes that scale, zones after a scale-down, minDomains, the NAT gateways and the cluster's own pods", () => {
        const AUTOSCALED: ClusterShape = { ...THREE_ZONES, scaledBy: "cluster-autoscaler" };
        const eksTiers = () => [tier("frontend", 3), { ...tier("backend", 3), maxReplicas: 9 }];
        /** In an AWS region, with `natGateways` NAT gateways. */
        const regional = (facts: StackFacts, natGateways: number): StackFacts => ({
            ...facts,
            cluster: { ...facts.cluster, region: "us-east-1", cost: { ...facts.cluster.cost, natGateways } },
        });

        it("counts the zones that keep a node after the nodes scale down to their minimum, not the nodes running now", () => {
            const nodes = { ...cluster(THREE_ZONES).nodes, count: 6, min: 2, max: 9 };
            assert.equal(podsLostWithZone(tier("web", 3), nodes), 2, "2 nodes cover 2 zones: ceil(3/2)");
            assert.equal(podsLostWithZone(tier("web", 3), { ...nodes, min: 3 }), 1, "3 zones: ceil(3/3)");
        });

        it("says how much fuller a zone can be after an HPA scale-down: frontend 2 of 3 from 6, backend 3 of 3 from 9", () => {
            const zone = scenario(analyseFailures(stack(AUTOSCALED, eksTiers())), "zone");
            assert.deepEqual(survivors(zone), { frontend: 2, backend: 2 }, "the table counts ceil(3/3) = 1 lost");
            assert.match(
                zone.reasoning,
                /; counted as the scheduler places pods; an HPA scale-down removes pods without looking at zones, so until they are replaced one zone can hold more: frontend 2 of 3 \(from 6\), backend 3 of 3 \(from 9\);/,
            );
        });

        it("a node: the Cluster Autoscaler adds nodes for replacements without room; without it they stay Pending", () => {
            const withAutoscaler = scenario(analyseFailures(stack(AUTOSCALED, eksTiers())), "node");
            assert.match(
                withAutoscaler.reasoning,
                /; replacements that find no room on the nodes left make the Cluster Autoscaler add nodes in the zones where they fit, up to each zone group's maximum$/,
            );
            const without = scenario(analyseFailures(stack(THREE_ZONES, eksTiers())), "node");
            assert.match(
                without.reasoning,
                /; nothing adds nodes: replacements that find no room on the nodes left stay Pending$/,
            );
            const autoMode = scenario(
                analyseFailures(stack({ ...THREE_ZONES, nodes: null, scaledBy: "cluster" }, eksTiers())),
                "node",
            );
            assert.match(autoMode.reasoning, /; EKS Auto Mode launches nodes for replacements that find no room$/);
            assert.deepEqual(
                survivors(withAutoscaler),
                survivors(without),
                "autoscaling brings pods back, it saves none",
            );
        });

        it("a zone: its node group stays in its zone, the other zones' groups grow", () => {
            const zone = scenario(analyseFailures(stack(AUTOSCALED, eksTiers())), "zone");
            assert.match(
                zone.reasoning,
                /; the lost zone's node group cannot launch in another zone \(one group per zone\); replacements that find no room in the zones left make the Cluster Autoscaler grow those zones' groups, up to their maximum;/,
            );
        });

        it("a zone under minDomains: the replacements wait Pending for the zone, unless a zone left holds less than its share", () => {
            const counted = { ...REQUIRED, minDomains: 3 };
            const facts = stack({ ...THREE_ZONES, nodes: null, scaledBy: "cluster" }, [
                tier("frontend", 3, { zone: counted }),
                tier("backend", 3),
            ]);
            const zone = scenario(analyseFailures(facts), "zone");
            assert.deepEqual(survivors(zone), { frontend: 2, backend: 2 });
            assert.match(
                zone.reasoning,
                /; frontend: the replacements stay Pending until the zone is back: with minDomains 3 and 2 zones left the scheduler counts the emptiest zone as 0, so a zone takes a pod only while it holds fewer than 1 \(maxSkew\), and each zone left already holds its share; backend: the lost pods are evicted when their toleration of the unreachable nodes ends \(300 s by default\) and their replacements start in the zones left;/,
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
            assert.match(
                single.reasoning,
                new RegExp(
                    "; one NAT gateway for 3 zones: if the lost zone held it, the zones left lose their way out too: no image pull " +
                        "from outside the VPC \\(ECR included: no VPC endpoints\\), no AWS API call \\(a new node cannot turn Ready, " +
                        "the controllers' calls fail\\); a pod's start needs nothing from outside the VPC but its image, and that only " +
                        "where its node lacks it or the pull policy is Always; frontend: imagePullPolicy Always asks the registry at " +
                        "every start, so no replacement starts; backend: imagePullPolicy IfNotPresent, so replacements start on nodes " +
                        "that already hold the image \\(those that ran the tier\\), not on new ones;",
                ),
            );
            const perZone = scenario(analyseFailures(regional(stack(AUTOSCALED, tiers), 3)), "zone");
            assert.match(
                perZone.reasoning,
                /; each zone has its own NAT gateway, so the zones left keep their way out \(image pulls, AWS APIs\);/,
            );
            const local = scenario(analyseFailures(stack(AUTOSCALED, tiers)), "zone");
            assert.doesNotMatch(local.reasoning, /NAT gateway/, "no region, no NAT gateway");
        });

        describe("the cluster's own pods, as the EKS add-ons and the Cluster Autoscaler's chart deploy them", () => {
            const facts = stack(
                { ...AUTOSCALED, systemPods: [COREDNS_ADDON, METRICS_SERVER_ADDON, CLUSTER_AUTOSCALER_PODS] },
                eksTiers(),
            );
            const outcomes = analyseFailures(facts);

            it("a zone may take both CoreDNS pods (their zone spread is ScheduleAnyway): no cluster DNS until one is back", () => {
                assert.match(
                    scenario(outcomes, "zone").reasoning,
                    /; the cluster's own pods: CoreDNS: both its pods may be on the lost zone, its zone spread being a preference: no cluster DNS: running pods keep the connections and addresses they have, but a name lookup fails, so a pod that resolves a name as it starts does not start, until a replacement is Ready; metrics-server: both its pods may be on the lost zone, its zone spread being a preference: no pod metrics: the HorizontalPodAutoscalers keep their replica counts, neither adding nor removing pods, until a replacement is Ready; Cluster Autoscaler: its one pod may be on the lost zone: no node scaling: pods that find no room stay Pending, and idle nodes stay, until a replacement is Ready; the control plane spans 3 zones/,
                );
            });

            it("a node may hold both CoreDNS pods too: their anti-affinity is only preferred", () => {
                assert.match(
                    scenario(outcomes, "node").reasoning,
                    /; the cluster's own pods: CoreDNS: both its pods may be on the lost node, its node spread being a preference: no cluster DNS/,
                );
            });

            it("counts a required spread as it counts the app's: 2 of 3 left", () => {
                const spread = { ...COREDNS_ADDON, replicas: 3, zoneSpread: REQUIRED };
                const zone = scenario(
                    analyseFailures(stack({ ...AUTOSCALED, systemPods: [spread] }, eksTiers())),
                    "zone",
                );
                assert.match(zone.reasoning, /; the cluster's own pods: CoreDNS: 2 of 3 pods left;/);
            });

            it("keeps the app up: its own tiers decide that", () => {
                assert.equal(scenario(outcomes, "zone").appUp, true);
            });
        });
    });
});
