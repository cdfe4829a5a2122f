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

    it("prints the prose a target still writes itself as it stands", () => {
        const legacy = "in AWS's account, not on your nodes";
        for (const [name, text] of Object.entries(words)) {
            assert.equal(text(legacy), legacy, name);
        }
    });
});
