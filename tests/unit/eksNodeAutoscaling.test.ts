import { strict as assert } from "assert";
import { EKS_VERSIONS } from "../../components/config/eksVersions";
import {
    CLUSTER_AUTOSCALER_IMAGE_TAGS,
    clusterAutoscalerImageTag,
    clusterAutoscalerPolicy,
} from "../../components/targets/eks/clusterAutoscaler";
import { eksNodeMode } from "../../components/targets/eks/nodeModes";
import { zoneScaling } from "../../components/targets/eks/nodeScaling";
import { RecordedResource } from "../../tools/mockRuntime";
import { AWS_PROVIDER, clusterNameOf, EKS_K8S_PROVIDER, EksRun, one, policyDocument, runEksStack } from "./eksQueries";
import { ofType } from "./programQueries";
import { eksResourceGraph } from "./recoveryGraph";

const RELEASE = "kubernetes:helm.sh/v3:Release";

function autoscalerRelease(run: EksRun["run"]): RecordedResource {
    return one(run, RELEASE, "eks-node-autoscaler-release");
}

describe("nodes that scale with the pods (nodes: managed): a node group per zone and the Cluster Autoscaler", function () {
    this.timeout(120000);

    describe("the zones' share of nodeMinSize, nodeDesiredSize and nodeMaxSize", () => {
        const cases: [[number, number, number], number, [number, number, number][]][] = [
            [
                [3, 3, 6],
                3,
                [
                    [1, 1, 2],
                    [1, 1, 2],
                    [1, 1, 2],
                ],
            ],
            [
                [3, 4, 9],
                3,
                [
                    [1, 2, 3],
                    [1, 1, 3],
                    [1, 1, 3],
                ],
            ],
            [
                [4, 5, 7],
                3,
                [
                    [2, 2, 3],
                    [1, 2, 2],
                    [1, 1, 2],
                ],
            ],
            [
                [2, 2, 6],
                2,
                [
                    [1, 1, 3],
                    [1, 1, 3],
                ],
            ],
            [
                [6, 6, 6],
                6,
                [
                    [1, 1, 1],
                    [1, 1, 1],
                    [1, 1, 1],
                    [1, 1, 1],
                    [1, 1, 1],
                    [1, 1, 1],
                ],
            ],
        ];
        for (const [[min, desired, max], zones, expected] of cases) {
            it(`${min}/${desired}/${max} over ${zones} zones -> ${expected.map((zone) => zone.join("/")).join(", ")}`, () => {
                const shares = zoneScaling({ min, desired, max }, zones);
                assert.deepEqual(
                    shares.map((zone) => [zone.min, zone.desired, zone.max]),
                    expected,
                );
                const sum = (key: "min" | "desired" | "max") => shares.reduce((total, zone) => total + zone[key], 0);
                assert.deepEqual([sum("min"), sum("desired"), sum("max")], [min, desired, max], "the totals hold");
                for (const zone of shares) {
                    assert.ok(
                        1 <= zone.min && zone.min <= zone.desired && zone.desired <= zone.max,
                        JSON.stringify(zone),
                    );
                }
            });
        }

        it("gives the report each zone's bounds and the totals, as the Cluster Autoscaler's facts", () => {
            const autoscaling = (scaling: { min: number; desired: number; max: number }) =>
                eksNodeMode({ mode: "managed", instanceTypes: ["t3.medium"], scaling }).nodeFacts(3).autoscaling;
            const even = { min: 1, max: 2 };
            assert.deepEqual(autoscaling({ min: 3, desired: 3, max: 6 }), {
                kind: "clusterAutoscaler",
                chartVersion: "9.59.0",
                zones: [even, even, even],
                min: 3,
                max: 6,
                desired: 3,
            });
            assert.deepEqual(autoscaling({ min: 4, desired: 5, max: 7 }), {
                kind: "clusterAutoscaler",
                chartVersion: "9.59.0",
                zones: [{ min: 2, max: 3 }, even, even],
                min: 4,
                max: 7,
                desired: 5,
            });
        });
    });

    describe("the Cluster Autoscaler's release follows the cluster's Kubernetes version", () => {
        it("has a release pinned for every version EKS offers, of that minor version", () => {
            for (const { version } of EKS_VERSIONS) {
                assert.match(
                    clusterAutoscalerImageTag(version),
                    new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+$`),
                );
            }
            assert.deepEqual(CLUSTER_AUTOSCALER_IMAGE_TAGS, {
                "1.32": "v1.32.7",
                "1.33": "v1.33.6",
                "1.34": "v1.34.5",
                "1.35": "v1.35.2",
                "1.36": "v1.36.1",
            });
        });

        it("refuses a version it has no release for", () => {
            assert.throws(() => clusterAutoscalerImageTag("1.37"), {
                message:
                    "cluster autoscaler: no release pinned for Kubernetes 1.37 (pinned: 1.32, 1.33, 1.34, 1.35, 1.36; EKS offers 1.32, 1.33, 1.34, 1.35, 1.36)",
            });
        });
    });

    describe("the eks stack under the mock runtime", () => {
        let eks: EksRun;
        /** The cluster's name as the program made it (project, stack and its random suffix). */
        let CLUSTER = "";
        before(async () => {
            eks = await runEksStack();
            CLUSTER = clusterNameOf(eks.run);
        });
        const run = () => eks.run;

        it("installs the pinned cluster-autoscaler chart into kube-system with the cluster's provider", () => {
            const release = autoscalerRelease(run());
            assert.equal(release.inputs.chart, "cluster-autoscaler");
            assert.equal(release.inputs.version, "9.59.0");
            assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://kubernetes.github.io/autoscaler" });
            assert.equal(release.inputs.name, "cluster-autoscaler");
            assert.equal(release.inputs.namespace, "kube-system");
            assert.equal(release.inputs.skipAwait, false, "waits for its pod");
            assert.equal(release.provider, EKS_K8S_PROVIDER);
            assert.equal((release.state.status as { status: string }).status, "deployed");
        });

        it("finds the node groups by their tags, balances the zones, runs one pod with requests at system-cluster-critical", () => {
            assert.deepEqual(autoscalerRelease(run()).inputs.values, {
                cloudProvider: "aws",
                awsRegion: "us-east-1",
                autoDiscovery: { clusterName: CLUSTER },
                image: { tag: "v1.36.1" },
                rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
                replicaCount: 1,
                priorityClassName: "system-cluster-critical",
                resources: {
                    requests: { cpu: "100m", memory: "600Mi" },
                    limits: { cpu: "100m", memory: "600Mi" },
                },
                securityContext: {
                    runAsNonRoot: true,
                    runAsUser: 65534,
                    runAsGroup: 65534,
                    fsGroup: 65534,
                    seccompProfile: { type: "RuntimeDefault" },
                },
                containerSecurityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                },
                extraArgs: {
                    "balance-similar-node-groups": true,
                    "balancing-ignore-label": "topology.k8s.aws/zone-id",
                    expander: "least-waste",
                    "skip-nodes-with-local-storage": false,
                    "skip-nodes-with-system-pods": false,
                },
            });
            assert.equal(
                (one(run(), "eks:index:Cluster").state.eksCluster as { name: string }).name,
                CLUSTER,
                "the policy and the chart name the cluster EKS makes",
            );
        });

        it("takes the release of the cluster's version", async () => {
            const { run: older } = await runEksStack({ kubernetesVersion: "1.33" });
            assert.deepEqual((autoscalerRelease(older).inputs.values as { image: unknown }).image, { tag: "v1.33.6" });
        });

        it("gets its AWS permissions through EKS Pod Identity, for its service account only", () => {
            const association = ofType(run(), "aws:eks/podIdentityAssociation:PodIdentityAssociation").find(
                (candidate) => candidate.inputs.serviceAccount === "cluster-autoscaler",
            );
            assert.ok(association);
            assert.equal(association.inputs.namespace, "kube-system");
            assert.equal(association.inputs.clusterName, CLUSTER);
            assert.equal(association.provider, AWS_PROVIDER);
            const role = one(run(), "aws:iam/role:Role", "eks-node-autoscaler-role-role");
            assert.equal(association.inputs.roleArn, role.state.arn);
            assert.deepEqual(policyDocument(role.inputs.assumeRolePolicy).Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                },
            ]);
            const policy = one(run(), "aws:iam/policy:Policy", "eks-node-autoscaler-role-policy");
            const attachment = one(
                run(),
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "eks-node-autoscaler-role-policy-attachment",
            );
            assert.deepEqual(
                [attachment.inputs.role, attachment.inputs.policyArn],
                [role.state.name, policy.state.arn],
            );
        });

        it("may resize and terminate only in Auto Scaling groups tagged as this cluster's (EKS tags its node groups so)", () => {
            const policy = one(run(), "aws:iam/policy:Policy", "eks-node-autoscaler-role-policy");
            assert.deepEqual(policyDocument(policy.inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadNodeGroups",
                        Effect: "Allow",
                        Action: [
                            "autoscaling:DescribeAutoScalingGroups",
                            "autoscaling:DescribeAutoScalingInstances",
                            "autoscaling:DescribeLaunchConfigurations",
                            "autoscaling:DescribeScalingActivities",
                            "ec2:DescribeImages",
                            "ec2:DescribeInstanceTypes",
                            "ec2:DescribeLaunchTemplateVersions",
                            "ec2:GetInstanceTypesFromInstanceRequirements",
                        ],
                        Resource: "*",
                    },
                    {
                        Sid: "DescribeThisClustersNodeGroups",
                        Effect: "Allow",
                        Action: "eks:DescribeNodegroup",
                        Resource: `arn:aws:eks:*:*:nodegroup/${CLUSTER}/*`,
                    },
                    {
                        Sid: "ResizeThisClustersNodeGroups",
                        Effect: "Allow",
                        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                        Resource: "*",
                        Condition: {
                            StringEquals: {
                                "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                                [`aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`]: "owned",
                            },
                        },
                    },
                ],
            });
            assert.equal(
                policyDocument(clusterAutoscalerPolicy("other", "cn-north-1")).Statement[1].Resource,
                "arn:aws-cn:eks:*:*:nodegroup/other/*",
                "the region's partition",
            );
        });

        it("starts after every zone's node group, the Pod Identity Agent and its role's policy and association", async () => {
            const graph = await eksResourceGraph();
            const release = graph.find((node) => node.key === `${RELEASE}::eks-node-autoscaler-release`);
            assert.ok(release);
            for (const dependency of [
                "eks:index:ManagedNodeGroup::eks-nodes-group-zone-1",
                "eks:index:ManagedNodeGroup::eks-nodes-group-zone-2",
                "eks:index:ManagedNodeGroup::eks-nodes-group-zone-3",
                "aws:eks/addon:Addon::eks-nodes-networking-pod-identity-agent",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-node-autoscaler-role-policy-attachment",
                "aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-node-autoscaler-role-association",
            ]) {
                assert.ok(release.dependsOn.includes(dependency), dependency);
            }
            assert.equal(
                graph.some((node) => node.dependsOn.includes(release.key)),
                false,
                "nothing waits for it: the app runs on the nodes there are",
            );
        });
    });

    it("installs nothing in Auto Mode, where EKS scales the nodes", async () => {
        const { run } = await runEksStack({ nodes: "auto" });
        assert.equal(
            ofType(run, RELEASE).some((release) => release.inputs.chart === "cluster-autoscaler"),
            false,
        );
        assert.equal(ofType(run, "eks:index:ManagedNodeGroup").length, 0);
    });
});
