/**
 * The guide's "etcd ... periodic back-ups are recommended", for real: the dev stack deployed by the real engine,
 * a snapshot taken from outside the cluster with `npm run etcd -- backup`, the app's namespace deleted, the
 * snapshot restored into the stopped control plane, and every object back, the same objects (same uids).
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { listSnapshots, takeSnapshot, verifySnapshot } from "../../tools/etcd/snapshots";
import {
    ClusterHandle,
    engine,
    localClusterForSuite,
    tempDir,
    TEST_BACKEND_IMAGE,
    waitForAvailable,
    waitForNamespaceGone,
} from "./support/cluster";
import { EngineStack, REPO_ROOT, createStack, logTo, printLogIfFailed } from "./support/stack";

const NAMESPACE = "first-k8s";
const TS_NODE = path.join(REPO_ROOT, "node_modules", ".bin", "ts-node");
const ETCD_CLI = path.join(REPO_ROOT, "tools", "etcd", "cli.ts");

/** Every object of the app, by kind/name, with its uid. */
function appObjects(cluster: ClusterHandle): Map<string, string> {
    const kinds = "deployment,service,serviceaccount,configmap,poddisruptionbudget,hpa,networkpolicy";
    const list = cluster.getJson<{ items: { kind: string; metadata: { name: string; uid: string } }[] }>([
        "get",
        kinds,
        "-n",
        NAMESPACE,
    ]);
    const namespace = cluster.getJson(["get", "namespace", NAMESPACE]);
    return new Map([
        [`Namespace/${NAMESPACE}`, namespace.metadata.uid],
        ...list.items.map((item): [string, string] => [`${item.kind}/${item.metadata.name}`, item.metadata.uid]),
    ]);
}

describe("etcd backup and restore on the self-managed stack, real etcd and API server", function () {
    this.timeout(5 * 60_000);
    const cluster = localClusterForSuite("minikube");
    let dev: EngineStack | undefined;
    let backups: string | undefined;
    const tools = () => ({ etcdctl: engine().binary("etcdctl"), etcdutl: engine().binary("etcdutl") });

    before(async function () {
        this.timeout(5 * 60_000);
        backups = tempDir("etcd-backups");
        dev = await createStack("dev", cluster().state.kubeconfig, { backendImage: TEST_BACKEND_IMAGE });
        const result = await dev.stack.up(logTo(dev, "up"));
        assert.equal(result.summary.result, "succeeded");
    });
    afterEach(function () {
        printLogIfFailed(this.currentTest, dev, cluster());
    });
    after(() => {
        dev?.remove();
        fs.rmSync(backups ?? "", { recursive: true, force: true });
    });

    it("takes a snapshot from outside the cluster, with a timestamp and a checksum, verified", () => {
        const result = spawnSync(
            TS_NODE,
            [ETCD_CLI, "backup", "--endpoints", cluster().state.etcdUrl, "--name", "local", "--dir", backups ?? ""],
            { encoding: "utf8", cwd: REPO_ROOT },
        );
        assert.equal(result.status, 0, result.stderr);
        const [file] = listSnapshots(backups ?? "", "local");
        assert.match(path.basename(file), /^etcd-local-\d{8}T\d{6}Z\.db$/);
        assert.match(
            result.stdout,
            new RegExp(`${path.basename(file)}: revision \\d+, \\d+ keys, \\d+ bytes, sha256 [0-9a-f]{64}\\n`),
        );
        const snapshot = verifySnapshot(tools(), file);
        assert.ok(snapshot.status.totalKey > 100, `${snapshot.status.totalKey} keys`);
    });

    it("keeps only the newest N snapshots", () => {
        const endpoint = { url: cluster().state.etcdUrl };
        const dir = path.join(backups ?? "", "rotation");
        for (const second of ["01", "02", "03"]) {
            takeSnapshot(tools(), endpoint, {
                dir,
                name: "local",
                keep: 2,
                now: new Date(`2026-11-28T10:00:${second}Z`),
            });
        }
        assert.deepEqual(
            listSnapshots(dir, "local").map((file) => path.basename(file)),
            ["etcd-local-20261128T100002Z.db", "etcd-local-20261128T100003Z.db"],
        );
        assert.deepEqual(fs.readdirSync(dir).filter((file) => file.endsWith(".sha256")).length, 2);
    });

    it("refuses a snapshot whose bytes changed since it was taken", () => {
        const [file] = listSnapshots(backups ?? "", "local");
        const copy = path.join(backups ?? "", "etcd-damaged-20261128T000000Z.db");
        fs.copyFileSync(file, copy);
        fs.copyFileSync(`${file}.sha256`, `${copy}.sha256`);
        const bytes = fs.readFileSync(copy);
        bytes[bytes.length - 100] ^= 0xff;
        fs.writeFileSync(copy, bytes);
        assert.throws(
            () => verifySnapshot(tools(), copy),
            new RegExp(
                `^Error: ${copy.replace(/[.]/g, "\\.")}: sha256 [0-9a-f]{64} is not the [0-9a-f]{64} recorded when it was taken$`,
            ),
        );
    });

    it("brings back every object of a deleted namespace, the same objects, by restoring into the stopped control plane", async () => {
        const before = appObjects(cluster());
        // The namespace, 2 Deployments, Services, PDBs and HPAs, 3 ServiceAccounts, 2 ConfigMaps, 5 NetworkPolicies.
        assert.equal(before.size, 19, [...before.keys()].join(", "));
        cluster().kubectl(["delete", "namespace", NAMESPACE, "--wait=false"]);
        await waitForNamespaceGone(cluster(), NAMESPACE);
        const [snapshot] = listSnapshots(backups ?? "", "local");
        await cluster.restore(snapshot);
        assert.deepEqual(appObjects(cluster()), before);
        await waitForAvailable(cluster(), NAMESPACE, ["backend", "frontend"]);
        const drift = await dev?.stack.preview({ ...logTo(dev, "preview after restore"), refresh: true });
        assert.deepEqual(Object.keys(drift?.changeSummary ?? {}), ["same"], "the state and the restored cluster agree");
    });
});
