import { strict as assert } from "assert";
import { CONFIG_DEFAULTS, parseStackConfig } from "../../components/config";
import { onTheLocalCluster } from "../../components/config/localCluster";

const PROJECT = "first-k8s";
const STAND_IN = "first-k8s.local/nginx-unprivileged-stand-in@sha256:" + "a".repeat(64);

function config(values: Record<string, string>) {
    return parseStackConfig((key) => values[key], PROJECT);
}

const dev = config({ target: "minikube" });

describe("the dev stack on the project's own local cluster (FIRST_K8S_LOCAL_CLUSTER_DIR)", () => {
    it("changes nothing where the variable is unset or empty", () => {
        for (const dir of [undefined, ""]) {
            const result = onTheLocalCluster(dev, dir, () => assert.fail("no file is read"));
            assert.equal(result.config, dev);
            assert.equal(result.image, undefined);
        }
    });

    it("runs the frontend on the NGINX stand-in the cluster's node holds, read from its cluster.json", () => {
        const read: string[] = [];
        const result = onTheLocalCluster(dev, "/srv/cluster", (file) => {
            read.push(file);
            return JSON.stringify({ dir: "/srv/cluster", frontendImage: STAND_IN });
        });
        assert.deepEqual(read, ["/srv/cluster/cluster.json"]);
        assert.equal(result.config.app.frontendImage, STAND_IN);
        assert.deepEqual(result.image, { frontendImage: STAND_IN, replaced: CONFIG_DEFAULTS.frontendImage });
        assert.deepEqual(
            { ...result.config, app: { ...result.config.app, frontendImage: dev.app.frontendImage } },
            dev,
        );
    });

    it("refuses a folder without a cluster, a cluster without a real node, and another target", () => {
        assert.throws(
            () => onTheLocalCluster(dev, "/srv/none", () => undefined),
            new Error(
                "FIRST_K8S_LOCAL_CLUSTER_DIR names /srv/none, which holds no local cluster (no cluster.json): " +
                    "run ./scripts/deploy-dev.sh --local, or unset it to deploy to minikube",
            ),
        );
        assert.throws(
            () => onTheLocalCluster(dev, "/srv/kwok", () => JSON.stringify({ dir: "/srv/kwok" })),
            new Error(
                "The local cluster in /srv/kwok has no real node (its NGINX stand-in is made with one): " +
                    "run ./scripts/deploy-dev.sh --local",
            ),
        );
        const existing = config({
            target: "cluster",
            kubeContext: "kind-kind",
            backendImage: "example.com/backend:1.0.0",
        });
        assert.throws(
            () => onTheLocalCluster(existing, "/srv/cluster", () => assert.fail("no file is read")),
            new Error(
                "FIRST_K8S_LOCAL_CLUSTER_DIR is set (/srv/cluster), but the stack's target is cluster: " +
                    "the local cluster stands in for minikube only; unset it for this stack",
            ),
        );
    });
});
