import { strict as assert } from "assert";
import * as words from "../../tools/compare/prose/clusterProse";

// Each template of clusterProse.ts, asserted here once; the comparison tests check that a row is the prose of its fact.
describe("cluster facts in words (tools/compare/prose/clusterProse.ts)", () => {
    it("says where the control plane runs, naming the minikube profile or the kubeconfig context", () => {
        assert.equal(
            words.controlPlaneLocationText({ kind: "minikubeNode", profile: "lab" }),
            "static pods on the one node of minikube profile `lab`, on your machine",
        );
        assert.equal(
            words.controlPlaneLocationText({ kind: "unseenCluster", kubeContext: "k3d-lab" }),
            "whatever runs the cluster of context `k3d-lab`; assumed one control-plane node, as kind, k3d and Docker Desktop run it",
        );
    });

    it("says how etcd gets backed up", () => {
        assert.equal(
            words.etcdBackupText({ kind: "etcdSnapshotTool" }),
            "`npm run etcd -- backup --minikube`: a snapshot taken from outside the cluster, kept outside it; nothing takes one for you",
        );
        assert.equal(
            words.etcdBackupText({ kind: "clusterTool" }),
            "as the cluster's tool says; this stack cannot see its etcd",
        );
    });

    it("says what a node is, how many there are when fixed, and how they are patched", () => {
        assert.equal(words.nodeMachineText({ kind: "minikubeVm" }), "minikube VM or container on your machine");
        assert.equal(words.nodeMachineText({ kind: "clusterOwn" }), "the cluster's own nodes");
        assert.equal(words.nodeAutoscalingText({ kind: "fixed", nodes: 1 }), "none: one node");
        assert.equal(words.nodeAutoscalingText({ kind: "fixed", nodes: 3 }), "none: 3 nodes");
        assert.equal(
            words.nodeAutoscalingText({ kind: "notManaged" }),
            "whatever the cluster runs; not managed by this stack",
        );
        assert.equal(
            words.nodePatchingText({ kind: "minikubeRestart" }),
            "a newer minikube and `minikube start`, or `minikube delete` and start again",
        );
        assert.equal(words.nodePatchingText({ kind: "clusterTool" }), "with the cluster's own tool");
    });

    it("says what enforces NetworkPolicy where it depends on the CNI, and who the API server trusts", () => {
        assert.equal(
            words.networkPolicyEnforcerText({ kind: "calicoOnNewClusters" }),
            "only with a CNI that implements them: deploy-dev.sh starts new clusters with Calico, minikube's default CNI ignores them",
        );
        assert.equal(
            words.networkPolicyEnforcerText({ kind: "unseenCni" }),
            "only with a CNI that implements them, which the stack cannot see",
        );
        assert.equal(
            words.authenticationText({ kind: "minikubeCertificates" }),
            "client certificates signed by minikube's own CA, in your kubeconfig",
        );
        assert.equal(
            words.authenticationText({ kind: "kubeContextCredentials", kubeContext: "k3d-lab" }),
            "the credentials of kubeconfig context `k3d-lab`",
        );
    });

    it("says how the control plane and the nodes are upgraded, naming the minikube profile", () => {
        assert.equal(
            words.controlPlaneUpgradeText({ kind: "minikubeStart", profile: "lab" }),
            "you: `minikube start -p lab --kubernetes-version=<v>` upgrades the one node in place (deploy-dev.sh picks the version of a new cluster)",
        );
        assert.equal(words.controlPlaneUpgradeText({ kind: "clusterTool" }), "you, with the cluster's own tool");
        assert.equal(words.nodeUpgradeText({ kind: "withControlPlane" }), "the same node, the same command");
        assert.equal(words.nodeUpgradeText({ kind: "clusterTool" }), "you, with the cluster's own tool");
    });
});

// The eks target's members (tests/unit/eksFacts.test.ts checks that it fills them in).
describe("the eks members of the cluster facts in words", () => {
    it("the control plane: in AWS's account, backed up by it, upgraded by it at the end of standard support", () => {
        assert.equal(
            words.controlPlaneLocationText({ kind: "providerAccount", provider: "AWS" }),
            "in AWS's account, not on your nodes",
        );
        assert.equal(
            words.etcdBackupText({ kind: "managedControlPlane" }),
            "part of the managed control plane, which you can neither reach nor restore from; the app's objects live in this code and the Pulumi state, and anything stateful (volumes, databases) would need a backup of its own",
        );
        assert.equal(
            words.controlPlaneUpgradeText({ kind: "eksManaged", support: "standard" }),
            "you pick the minor version (kubernetesVersion); AWS applies patch releases and upgrades in place, and at the end of standard support upgrades it itself",
        );
        assert.equal(
            words.controlPlaneUpgradeText({ kind: "eksManaged", support: "extended" }),
            "you pick the minor version (kubernetesVersion); AWS applies patch releases and upgrades in place, and keeps an old version in extended support at extended-support prices",
        );
    });

    it("managed node groups: instance types, the Cluster Autoscaler's bounds per zone, rollouts", () => {
        assert.equal(
            words.nodeMachineText({ kind: "instanceTypes", types: ["t3.medium", "t3a.medium"] }),
            "t3.medium/t3a.medium",
        );
        const scaled = { kind: "clusterAutoscaler", chartVersion: "9.59.0", min: 3, max: 6, desired: 3 } as const;
        const even = { min: 1, max: 2 };
        assert.equal(
            words.nodeAutoscalingText({ ...scaled, zones: [even, even, even] }),
            "the Cluster Autoscaler (chart 9.59.0, the release of the cluster's Kubernetes version) sizes one node group per zone, 1–2 nodes in each of 3 zones (3–6 in all, 3 to start): it adds a node in the zone where a pending pod fits, and removes a node that stays under half requested for 10 minutes",
        );
        assert.match(
            words.nodeAutoscalingText({
                ...scaled,
                min: 4,
                max: 7,
                desired: 5,
                zones: [{ min: 2, max: 3 }, even, even],
            }),
            / node group per zone, 2–3, 1–2 and 1–2 nodes per zone \(4–7 in all, 5 to start\): /,
        );
        assert.equal(
            words.nodePatchingText({ kind: "nodeGroupRollout" }),
            "apply a new AMI release or kubernetesVersion, and EKS replaces the nodes one at a time, respecting PodDisruptionBudgets",
        );
        assert.equal(
            words.nodeUpgradeText({ kind: "nodeGroupRollout" }),
            "after the control plane, each zone's node group rolls its nodes to the new version, one at a time",
        );
    });

    it("Auto Mode: its nodes, their scaling, patching and upgrades", () => {
        assert.equal(words.nodeMachineText({ kind: "autoMode" }), "chosen by EKS Auto Mode");
        assert.equal(
            words.nodeAutoscalingText({ kind: "autoMode" }),
            "EKS Auto Mode launches nodes for pending pods and removes idle ones",
        );
        assert.equal(
            words.nodePatchingText({ kind: "autoModeReplacement", maxNodeAgeDays: 21 }),
            "Auto Mode replaces every node with a patched one at least every 21 days",
        );
        assert.equal(
            words.nodeUpgradeText({ kind: "autoMode" }),
            "Auto Mode moves its nodes to the control plane's version itself",
        );
    });

    it("security: the NetworkPolicy enforcers, KMS encryption of Secrets, IAM by authentication mode", () => {
        assert.deepEqual(
            (["vpcCniAgent", "autoModeController", "nothing"] as const).map((kind) =>
                words.networkPolicyEnforcerText({ kind }),
            ),
            [
                "the VPC CNI's network policy agent",
                "EKS Auto Mode's network policy controller",
                "nothing in the cluster implements them",
            ],
        );
        assert.equal(
            words.secretsEncryptionText({ kind: "kmsEnvelope", keyRotatedYearly: true }),
            "KMS envelope encryption with the stack's own key, rotated yearly",
        );
        assert.equal(
            words.secretsEncryptionText({ kind: "kmsEnvelope", keyRotatedYearly: false }),
            "KMS envelope encryption with the stack's own key",
        );
        assert.deepEqual(
            (["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"] as const).map((mode) =>
                words.authenticationText({ kind: "eksIam", mode }),
            ),
            [
                "IAM identities through EKS access entries (no aws-auth ConfigMap)",
                "IAM identities through EKS access entries and the aws-auth ConfigMap",
                "IAM identities through the aws-auth ConfigMap",
            ],
        );
    });

    it("the NLB, by who makes it and in how many zones", () => {
        const nlb = (madeBy: "loadBalancerController" | "autoMode", zones: number) =>
            words.loadBalancerText({
                product: "network-load-balancer",
                description: { kind: "awsNetworkLoadBalancer", scheme: "internet-facing", madeBy },
                zones,
            });
        assert.equal(
            nlb("loadBalancerController", 3),
            "an AWS Network Load Balancer, internet-facing, in 3 zones, made by the AWS Load Balancer Controller, which the stack runs on your nodes",
        );
        assert.equal(
            nlb("autoMode", 1),
            "an AWS Network Load Balancer, internet-facing, in 1 zone, made by EKS Auto Mode",
        );
    });

    it("what stops without each system pod", () => {
        assert.deepEqual(
            (["clusterDns", "podMetrics", "loadBalancerRegistration", "nodeScaling"] as const).map((kind) =>
                words.withoutSystemPodText({ kind }),
            ),
            [
                "no cluster DNS: running pods keep the connections and addresses they have, but a name lookup fails, so a pod that resolves a name as it starts does not start",
                "no pod metrics: the HorizontalPodAutoscalers keep their replica counts, neither adding nor removing pods",
                "the NLB keeps its targets and keeps health-checking them, but no new pod is registered with it, so replacements get no traffic from it",
                "no node scaling: pods that find no room stay Pending, and idle nodes stay",
            ],
        );
    });
});
