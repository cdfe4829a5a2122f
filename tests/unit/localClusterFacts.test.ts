import { strict as assert } from "assert";
import { existingClusterFacts } from "../../components/targets/existingClusterFacts";
import { minikubeClusterFacts } from "../../components/targets/minikubeFacts";
import { sentencesIn } from "../../tools/metrics/reportSentences";

describe("the facts of minikube and of an existing cluster are data, not prose", () => {
    const minikube = minikubeClusterFacts({ profile: "lab" });
    const existing = existingClusterFacts({ kubeContext: "k3d-lab", zones: 3, trafficEntry: "LoadBalancer" });

    it("hold no string of six or more words (the renderer words them)", () => {
        assert.deepEqual(sentencesIn(minikube), []);
        assert.deepEqual(sentencesIn(existing), []);
    });

    it("minikube: the profile names the control plane's node and its upgrade; one fixed node on your machine", () => {
        assert.deepEqual(minikube.runsOn, { kind: "yourMachine" });
        assert.deepEqual(minikube.controlPlane.location, { kind: "minikubeNode", profile: "lab" });
        assert.deepEqual(minikube.upgrades, {
            kubernetesVersion: null,
            controlPlane: { kind: "minikubeStart", profile: "lab" },
            nodes: { kind: "withControlPlane" },
        });
        assert.deepEqual(minikube.controlPlane.etcdBackupHow, { kind: "etcdSnapshotTool" });
        assert.deepEqual(
            [minikube.nodes.machine, minikube.nodes.autoscaling, minikube.nodes.patching],
            [{ kind: "minikubeVm" }, { kind: "fixed", nodes: 1 }, { kind: "minikubeRestart" }],
        );
        assert.deepEqual(minikube.security.networkPolicies, {
            enforced: "depends",
            by: { kind: "calicoOnNewClusters" },
        });
        assert.deepEqual(minikube.security.authentication, { kind: "minikubeCertificates" });
        assert.deepEqual(minikube.cost.pricing, { provider: "none", reason: "ownMachine" });
    });

    it("an existing cluster: the context names it and its credentials; its tool does the rest; the bill is unknown", () => {
        assert.deepEqual(existing.runsOn, { kind: "yourMachine" });
        assert.deepEqual(existing.controlPlane.location, { kind: "unseenCluster", kubeContext: "k3d-lab" });
        assert.equal(existing.controlPlane.source, "clusterZones");
        assert.equal(existing.nodes.zones, 3);
        assert.deepEqual(existing.security.authentication, { kind: "kubeContextCredentials", kubeContext: "k3d-lab" });
        assert.deepEqual(
            [
                existing.controlPlane.etcdBackupHow,
                existing.nodes.patching,
                existing.upgrades.controlPlane,
                existing.upgrades.nodes,
            ],
            [{ kind: "clusterTool" }, { kind: "clusterTool" }, { kind: "clusterTool" }, { kind: "clusterTool" }],
        );
        assert.deepEqual(
            [existing.nodes.machine, existing.nodes.autoscaling, existing.security.networkPolicies.by],
            [{ kind: "clusterOwn" }, { kind: "notManaged" }, { kind: "unseenCni" }],
        );
        assert.deepEqual(existing.cost.pricing, { provider: "none", reason: "unknownBiller" });
    });
});
