import { strict as assert } from "assert";
import { RebuildStepId } from "../../components/facts";
import { StackReport } from "../../components/report/report";
import { provisioningTime, rebuildSteps, timedPath } from "../../components/report/rebuildPath";
import { criticalPath, GraphNode, provisioningKind } from "./criticalPath";
import { eksRun } from "./recoveryGraph";

const node = (key: string, type: string, dependsOn: string[] = [], inputs = {}): GraphNode => ({
    key,
    type,
    inputs,
    dependsOn,
});

/** The steps of a path that take time, by kind: the chain the rebuild estimate sums. */
function timedKinds(path: readonly GraphNode[], end: "low" | "high"): string[] {
    return path.map(provisioningKind).filter((kind) => (provisioningTime(kind)?.minutes[end] ?? 0) > 0);
}

/** The rebuild path the stack's report states (its node mode's chain between the VPC and the NLB). */
function statedPath(report: StackReport): readonly RebuildStepId[] {
    const { runsOn } = report.facts.cluster;
    assert.equal(runsOn.kind, "cloudRegion");
    return runsOn.kind === "cloudRegion" ? runsOn.rebuildPath : [];
}

/** The kinds the stated path is timed by, to hold against the graph's critical path. */
const statedKinds = (report: StackReport) => rebuildSteps(statedPath(report)).map((step) => step.kind);

function find(graph: readonly GraphNode[], key: string): GraphNode {
    const found = graph.find((candidate) => candidate.key === key);
    assert.ok(found, key);
    return found;
}

describe("the rebuild of the eks stack: the critical path of its resource graph", function () {
    this.timeout(120000);

    describe("criticalPath", () => {
        it("follows the longest chain and sums it", () => {
            const graph = [
                node("vpc", "awsx:ec2:Vpc"),
                node("key", "aws:kms/key:Key"),
                node("cluster", "eks:index:Cluster", ["vpc", "key"]),
                node("repo", "aws:ecr/repository:Repository"),
                node("image", "docker-build:index:Image", ["repo"]),
                node("app", "kubernetes:apps/v1:Deployment", ["cluster", "image"]),
            ];
            const high = criticalPath(graph, "high");
            assert.deepEqual(
                high.path.map((step) => step.key),
                ["vpc", "cluster", "app"],
            );
            assert.equal(high.minutes, 3 + 15 + 2);
            assert.equal(criticalPath(graph, "low").minutes, 1 + 8 + 0.5);
        });

        it("times a LoadBalancer Service by its NLB and any other Service as seconds", () => {
            const service = (type: string) => node("svc", "kubernetes:core/v1:Service", [], { spec: { type } });
            assert.equal(provisioningKind(service("LoadBalancer")), "kubernetes:core/v1:Service (LoadBalancer)");
            assert.deepEqual(provisioningTime(provisioningKind(service("LoadBalancer")))?.minutes, { low: 2, high: 4 });
            assert.deepEqual(provisioningTime(provisioningKind(service("ClusterIP")))?.minutes, { low: 0, high: 0 });
        });

        it("refuses a resource it has no time for, and a cycle", () => {
            assert.throws(() => criticalPath([node("x", "aws:rds/instance:Instance")], "high"), {
                message: "resource graph: no provisioning time for aws:rds/instance:Instance (x)",
            });
            assert.throws(
                () => criticalPath([node("a", "aws:kms/key:Key", ["b"]), node("b", "aws:kms/key:Key", ["a"])], "high"),
                { message: "resource graph: a dependency cycle through a" },
            );
        });
    });

    describe("the eks stack under the mock runtime", () => {
        let graph: GraphNode[];
        let report: StackReport;
        before(async () => {
            ({ graph, report } = await eksRun());
        });

        it("records the dependencies pulumi up waits for: inputs, dependsOn and the app's component dependsOn", () => {
            for (const zone of [1, 2, 3]) {
                const nodeGroup = find(graph, `eks:index:ManagedNodeGroup::eks-nodes-group-zone-${zone}`);
                for (const dependency of [
                    "eks:index:Cluster::eks-control-plane-cluster",
                    "awsx:ec2:Vpc::eks-network-vpc",
                    "aws:eks/addon:Addon::eks-nodes-networking-vpc-cni",
                ]) {
                    assert.ok(nodeGroup.dependsOn.includes(dependency), dependency);
                }
            }
            assert.ok(
                find(graph, "eks:index:Cluster::eks-control-plane-cluster").dependsOn.includes(
                    "awsx:ec2:Vpc::eks-network-vpc",
                ),
            );
            // TwoTierApp's dependsOn on the target's workload dependencies holds its children back too.
            assert.ok(
                find(graph, "kubernetes:core/v1:Service::first-k8s-frontend-service").dependsOn.includes(
                    "aws:eks/addon:Addon::eks-coredns",
                ),
            );
        });

        it("has a provisioning time for every resource it makes", () => {
            const unknown = graph.map(provisioningKind).filter((kind) => provisioningTime(kind) === undefined);
            assert.deepEqual([...new Set(unknown)], []);
        });

        for (const end of ["low", "high"] as const) {
            it(`has the report's managed-nodes path as its longest chain (${end} estimates), each step depending on the one before`, () => {
                const { path, minutes } = criticalPath(graph, end);
                assert.deepEqual(timedKinds(path, end), statedKinds(report));
                for (let index = 1; index < path.length; index++) {
                    assert.ok(
                        path[index].dependsOn.includes(path[index - 1].key),
                        `${path[index].key} <- ${path[index - 1].key}`,
                    );
                }
                assert.equal(minutes, timedPath(statedPath(report)).minutes[end]);
            });
        }

        it("takes 14.5–33 minutes along that path, which the managed node mode states", () => {
            assert.deepEqual(statedPath(report), [
                "vpc",
                "controlPlane",
                "podIdentityAgent",
                "vpcCni",
                "nodeGroup",
                "podAddons",
                "loadBalancer",
            ]);
            assert.deepEqual(timedPath(statedPath(report)).minutes, { low: 14.5, high: 33 });
        });
    });

    it("is the same for the runbook's second stack in us-west-2", async () => {
        const { graph, report } = await eksRun({ awsRegion: "us-west-2" });
        assert.deepEqual(timedKinds(criticalPath(graph, "high").path, "high"), statedKinds(report));
    });

    it("in Auto Mode runs through the add-ons' pods instead of a node group", async () => {
        const { graph, report } = await eksRun({ nodes: "auto" });
        assert.deepEqual(statedPath(report), ["vpc", "autoModeControlPlane", "autoModeAddons", "loadBalancer"]);
        for (const end of ["low", "high"] as const) {
            const { path, minutes } = criticalPath(graph, end);
            assert.deepEqual(timedKinds(path, end), statedKinds(report));
            assert.equal(minutes, timedPath(statedPath(report)).minutes[end]);
        }
    });
});
