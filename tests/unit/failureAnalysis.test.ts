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
import { SpreadFacts } from "../../components/facts";
import { cluster, ONE_NODE, PREFERRED, REQUIRED, stack, THREE_ZONES, tier } from "./reportFacts";

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
                { whenUnsatisfiable: "DoNotSchedule", maxSkew: 2, nodeTaintsPolicy: "Honor" },
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
                "frontend, backend: DoNotSchedule (maxSkew 1) over 3 zones puts at most 1 of 3 pods in one; the lost " +
                    "pods are evicted when their toleration of the unreachable nodes ends (300 s by default) and their " +
                    "replacements start in the zones left; the control plane spans 3 zones: 1 of 2 API servers and 2 of 3 " +
                    "etcd members left (quorum 2)",
            );
        });

        it("says the replacements stay Pending where the zone spread still counts the dead zone's nodes", () => {
            const countsDeadNodes = { ...REQUIRED, nodeTaintsPolicy: "Ignore" } as const;
            const zone = scenario(
                analyseFailures(stack(THREE_ZONES, [tier("frontend", 3), tier("backend", 3, { zone: countsDeadNodes })])),
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
        assert.match(pod.reasoning, /^a tier with 1 pod has none until the ReplicaSet controller's replacement is ready$/);
    });

    it("lists the four scenarios in order", () => {
        assert.deepEqual(
            analyseFailures(stack(ONE_NODE, [tier("web", 2)])).map((outcome) => outcome.title),
            ["a pod dies", "a node dies", "a zone dies", "the control plane loses a node"],
        );
    });
});
