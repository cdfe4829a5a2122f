import { strict as assert } from "assert";
import type { EksSettings } from "../../components/config";
import { eksClusterFacts, eksObservation } from "../../components/targets/eks/eksFacts";
import { sentencesIn } from "../../tools/metrics/reportSentences";

/** The eks stack's settings as its defaults give them (tests/unit/eksConfig.test.ts checks those defaults). */
const DEFAULTS: EksSettings = {
    region: "us-east-1",
    profile: undefined,
    kubernetesVersion: "1.36",
    supportType: "STANDARD",
    zoneCount: 3,
    natGateways: "OnePerAz",
    publicAccessCidrs: ["0.0.0.0/0"],
    nodes: { mode: "managed", instanceTypes: ["t3.medium", "t3a.medium"], scaling: { min: 3, desired: 3, max: 6 } },
    ecrKeepImages: 10,
    controlPlaneLogTypes: ["api", "audit", "authenticator"],
    controlPlaneLogRetentionDays: 30,
    tlsCertificateArn: undefined,
};

describe("the facts of an EKS cluster are data, not prose (components/targets/eks/eksFacts.ts)", () => {
    const managed = eksClusterFacts(eksObservation(DEFAULTS));
    const auto = eksClusterFacts(eksObservation({ ...DEFAULTS, nodes: { mode: "auto" } }));

    it("hold no string of six or more words, in either node mode (the renderer words them)", () => {
        assert.deepEqual(sentencesIn(managed), []);
        assert.deepEqual(sentencesIn(auto), []);
    });

    it("the control plane: in AWS's account, its etcd backed up by it, upgraded by it at the end of standard support", () => {
        assert.deepEqual(managed.controlPlane.location, { kind: "providerAccount", provider: "AWS" });
        assert.deepEqual(managed.controlPlane.etcdBackupHow, { kind: "managedControlPlane" });
        assert.deepEqual(managed.upgrades.controlPlane, { kind: "eksManaged", support: "standard" });
        const extended = eksClusterFacts(eksObservation({ ...DEFAULTS, supportType: "EXTENDED" }));
        assert.deepEqual(extended.upgrades.controlPlane, { kind: "eksManaged", support: "extended" });
        assert.equal(extended.cost.controlPlaneSupport, "extended");
    });

    it("managed nodes: the instance types, the Cluster Autoscaler's bounds, node group rollouts", () => {
        assert.deepEqual(managed.nodes.machine, { kind: "instanceTypes", types: ["t3.medium", "t3a.medium"] });
        assert.deepEqual(managed.nodes.autoscaling, {
            kind: "clusterAutoscaler",
            chartVersion: "9.59.0",
            zones: [
                { min: 1, max: 2 },
                { min: 1, max: 2 },
                { min: 1, max: 2 },
            ],
            min: 3,
            max: 6,
            desired: 3,
        });
        assert.deepEqual(managed.nodes.patching, { kind: "nodeGroupRollout" });
        assert.deepEqual(managed.upgrades.nodes, { kind: "nodeGroupRollout" });
    });

    it("the bill: the desired count of the first instance type with their root volumes, or what Auto Mode picks", () => {
        assert.deepEqual(managed.cost.nodes, {
            kind: "instances",
            count: 3,
            instanceType: "t3.medium",
            rootVolume: { gib: 20, type: "gp3" },
        });
        assert.deepEqual(auto.cost.nodes, { kind: "chosenByCluster" });
    });

    it("Auto Mode: EKS picks, scales, patches (every 21 days at most) and upgrades the nodes", () => {
        assert.deepEqual(
            [auto.nodes.machine, auto.nodes.autoscaling, auto.nodes.patching, auto.upgrades.nodes],
            [
                { kind: "autoMode" },
                { kind: "autoMode" },
                { kind: "autoModeReplacement", maxNodeAgeDays: 21 },
                { kind: "autoMode" },
            ],
        );
    });

    it("security: the policy enforcer of each mode, the stack's KMS key rotated yearly, IAM through access entries", () => {
        assert.deepEqual(managed.security.networkPolicies, { enforced: "yes", by: { kind: "vpcCniAgent" } });
        assert.deepEqual(auto.security.networkPolicies, { enforced: "yes", by: { kind: "autoModeController" } });
        assert.deepEqual(managed.security.secretsEncryption, { kind: "kmsEnvelope", keyRotatedYearly: true });
        assert.deepEqual(managed.security.authentication, { kind: "eksIam", mode: "API" });
    });

    it("the NLB: internet-facing in every zone, made by the mode's controller", () => {
        assert.deepEqual(managed.loadBalancer, {
            product: "network-load-balancer",
            description: {
                kind: "awsNetworkLoadBalancer",
                scheme: "internet-facing",
                madeBy: "loadBalancerController",
            },
            zones: 3,
        });
        assert.deepEqual(auto.loadBalancer?.description, {
            kind: "awsNetworkLoadBalancer",
            scheme: "internet-facing",
            madeBy: "autoMode",
        });
    });

    it("what stops without each system pod", () => {
        assert.deepEqual(
            managed.systemPods.map((pod) => [pod.name, pod.withoutIt]),
            [
                ["CoreDNS", { kind: "clusterDns" }],
                ["metrics-server", { kind: "podMetrics" }],
                ["AWS Load Balancer Controller", { kind: "loadBalancerRegistration" }],
                ["Cluster Autoscaler", { kind: "nodeScaling" }],
            ],
        );
        assert.deepEqual(
            auto.systemPods.map((pod) => [pod.name, pod.withoutIt]),
            [["metrics-server", { kind: "podMetrics" }]],
        );
    });

    it("the rebuild in another region: the VPC, then the node mode's chain, then the NLB", () => {
        assert.deepEqual(managed.runsOn, {
            kind: "cloudRegion",
            rebuildPath: [
                "vpc",
                "controlPlane",
                "podIdentityAgent",
                "vpcCni",
                "nodeGroup",
                "podAddons",
                "loadBalancer",
            ],
        });
        assert.deepEqual(auto.runsOn, {
            kind: "cloudRegion",
            rebuildPath: ["vpc", "autoModeControlPlane", "autoModeAddons", "loadBalancer"],
        });
    });
});
