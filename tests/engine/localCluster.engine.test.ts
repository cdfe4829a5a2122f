/**
 * The local control plane itself: it starts, reports and stops exactly its own processes, and a cluster whose
 * owner dies (an interrupted test run) leaves no process and no folder behind.
 */
import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ClusterProcess, down, isAlive, readState, status, up } from "../../tools/engine/localCluster";
import { engine, eventually, tempDir } from "./support/cluster";
import { REPO_ROOT } from "./support/stack";

const TS_NODE = path.join(REPO_ROOT, "node_modules", ".bin", "ts-node");
const CLI = path.join(REPO_ROOT, "tools", "engine", "cli.ts");

describe("local control plane", function () {
    this.timeout(3 * 60_000);
    before(function () {
        this.timeout(60 * 60_000);
        engine();
    });

    it("starts every component on loopback, reports them, and stops exactly those processes", async () => {
        const dir = tempDir("cluster");
        try {
            const state = await up(engine(), { dir, layout: "minikube", context: "minikube" });
            assert.deepEqual(
                state.processes.map((process) => process.name),
                ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"],
            );
            assert.match(state.apiServerUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
            const current = status(engine(), dir);
            assert.equal(current?.apiServerReady, true);
            assert.ok(current?.processes.every((process) => process.running));
            // Every listening socket of every component is on loopback.
            const sockets = spawnSync("ss", ["-Hltnp"], { encoding: "utf8" }).stdout.split("\n");
            for (const process of state.processes) {
                const own = sockets.filter((line) => line.includes(`pid=${process.pid},`));
                assert.ok(own.length > 0 || process.name === "kwok", `${process.name} listens somewhere`);
                for (const line of own) {
                    assert.match(line.split(/\s+/)[3], /^127\.0\.0\.1:\d+$/, `${process.name}: ${line}`);
                }
            }
            const stopped = await down(dir);
            assert.deepEqual(stopped, ["kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"]);
            assert.ok(state.processes.every((process) => !isAlive(process)));
            assert.deepEqual(await down(dir), [], "a second down has nothing to stop");
        } finally {
            await down(dir, { removeDir: true });
        }
    });

    it("stops the cluster and deletes its folder when the process that owns it is killed", async () => {
        const dir = tempDir("cluster-owner");
        // A stand-in for a test run: it starts an owned cluster, says so, and waits to be killed.
        const owner = spawn(
            TS_NODE,
            [
                "-e",
                `require(${JSON.stringify(path.join(REPO_ROOT, "tools", "engine", "localCluster"))})` +
                    `.up(require(${JSON.stringify(path.join(REPO_ROOT, "tools", "engine", "binaries"))}).ensureEngine(),` +
                    ` { dir: ${JSON.stringify(dir)}, layout: "zones", context: "minikube", ownerPid: process.pid })` +
                    `.then(() => { console.log("up"); setInterval(() => undefined, 1000); })`,
            ],
            { stdio: ["ignore", "pipe", "inherit"] },
        );
        await new Promise<void>((resolve, reject) => {
            owner.stdout.on("data", (chunk: Buffer) => (chunk.toString().includes("up") ? resolve() : undefined));
            owner.once("exit", (code) => reject(new Error(`the owner exited (${code}) before the cluster was up`)));
        });
        const processes: readonly ClusterProcess[] = readState(dir)?.processes ?? [];
        assert.equal(processes.length, 7, "etcd, the API server, controller manager, scheduler and three kwoks");
        assert.ok(processes.every(isAlive));
        owner.kill("SIGKILL");
        await eventually(
            "every process gone and the folder deleted",
            () => (processes.every((process) => !isAlive(process)) && !fs.existsSync(dir) ? true : undefined),
            30_000,
        );
    });

    it("refuses an unknown layout on the command line with exit code 2", () => {
        const result = spawnSync(TS_NODE, [CLI, "up", "--layout", "moon"], { encoding: "utf8", cwd: REPO_ROOT });
        assert.equal(result.status, 2);
        assert.equal(result.stderr.trim(), 'error: --layout must be one of minikube, zones, not "moon"');
    });
});
