/**
 * One real-node local cluster per suite (tools/engine/realNodeCluster.ts), owned by this test process: up in
 * `before`, down with its folder in `after`, and the watchdog's `down` if the process dies first. Real pods:
 * kubelet, containerd, kube-proxy, kube-router, CoreDNS and metrics-server, in a network namespace of its own.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineInstall, ensureEngine } from "../../../tools/engine/binaries";
import { LocalClusterState, down } from "../../../tools/engine/localCluster";
import { realNodeUnsupported, upRealNode } from "../../../tools/engine/realNodeCluster";
import { ClusterHandle, handle } from "../../engine/support/cluster";

/** kubectl without blocking the event loop (execFileSync would stop every watcher while it runs). */
export function kubectlAsync(state: LocalClusterState, args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(
            realNodeEngine().binary("kubectl"),
            ["--kubeconfig", state.kubeconfig, "--context", state.context, ...args],
            { encoding: "utf8", timeout: 120_000 },
            (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        );
    });
}

let installed: EngineInstall | undefined;

/** The engine with the real node's binaries, built on first use (cached across runs by build.sh). */
export function realNodeEngine(): EngineInstall {
    installed ??= ensureEngine({ realNode: true });
    return installed;
}

export interface RealCluster extends ClusterHandle {
    readonly state: LocalClusterState & { readonly frontendImage: string };
}

export function realClusterForSuite(): () => RealCluster {
    let cluster: RealCluster | undefined;
    let dir: string | undefined;
    before(async function () {
        // Cold, the engine builds for about half an hour; warm, the node is Ready with its add-ons in about 30 s.
        this.timeout(60 * 60_000);
        const unsupported = realNodeUnsupported();
        if (unsupported !== undefined) {
            throw new Error(unsupported);
        }
        const engine = realNodeEngine();
        // Short: the forwarders' Unix sockets live under it, and a socket path holds at most 107 bytes.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk8s-pods-"));
        const started = Date.now();
        const state = await upRealNode(engine, { dir, layout: "minikube", context: "minikube", ownerPid: process.pid });
        console.log(
            `      measured: real node Ready with CoreDNS and metrics-server Available in ${Date.now() - started} ms`,
        );
        if (state.frontendImage === undefined) {
            throw new Error("The real node came up without the NGINX stand-in pinned by digest");
        }
        cluster = { ...handle(state), state: { ...state, frontendImage: state.frontendImage } };
    });
    after(async function () {
        this.timeout(120_000);
        if (dir !== undefined) {
            await down(dir, { removeDir: true });
        }
    });
    return () => {
        if (cluster === undefined) {
            throw new Error("The real-node cluster is not up (its before hook failed or has not run)");
        }
        return cluster;
    };
}
