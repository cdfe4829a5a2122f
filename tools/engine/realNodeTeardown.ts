/**
 * Taking a real node down without a trace: its containers (killed through their cgroups, as the kubelet is
 * stopped first and restarts nothing), containerd's shims, then, once every process of the cluster is gone,
 * the mounts, the pods' network namespaces, the kubelet's cgroups, the node's namespace, the host-wide sysctls
 * the kubelet wrote and the folders it made outside the state folder.
 */
import * as fs from "fs";
import * as path from "path";
import {
    HARD_CODED_PATHS,
    HostSnapshot,
    KUBELET_CGROUP,
    cgroupHierarchies,
    podNamespaces,
    processesInCgroup,
    removeCgroupTree,
    restoreSysctls,
    restoreNetnsFolder,
    unmountUnder,
} from "./hostState";
import { NodePaths } from "./nodeConfig";
import { NodeNamespace, deleteNodeNamespace } from "./nodeNetwork";
import { sleep } from "./processes";
import { signal } from "./signals";

export interface RealNodeState {
    readonly namespace: NodeNamespace;
    readonly host: HostSnapshot;
    readonly paths: NodePaths;
}

/** A real node uses machine-wide paths and cgroups (HARD_CODED_PATHS, kubepods): one per machine. */
export const REAL_NODE_LOCK = "/run/first-k8s-real-node";

/** The state folder of the real node that holds the machine's lock, if one does. */
export function realNodeHolder(): string | undefined {
    return fs.existsSync(REAL_NODE_LOCK) ? fs.readFileSync(REAL_NODE_LOCK, "utf8").trim() : undefined;
}

function ourCgroups(node: RealNodeState): string[] {
    return node.host.kubeletCgroupExisted
        ? []
        : cgroupHierarchies()
              .map((hierarchy) => path.join(hierarchy, KUBELET_CGROUP))
              .filter((dir) => fs.existsSync(dir));
}

/** PIDs whose command line names `needle` (containerd's shims carry our socket's path). */
function processesMentioning(needle: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
            try {
                return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(needle);
            } catch {
                return false;
            }
        })
        .map(Number);
}

async function killUntilGone(list: () => number[], what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (let pids = list(); pids.length > 0; pids = list()) {
        if (Date.now() > deadline) {
            throw new Error(`${what} would not exit: ${pids.join(", ")}`);
        }
        pids.forEach((pid) => signal(pid, "SIGKILL"));
        await sleep(100);
    }
}

/** Kills every container and shim of the node. Call with the kubelet stopped and containerd still running. */
export async function killPods(node: RealNodeState): Promise<void> {
    await killUntilGone(() => ourCgroups(node).flatMap(processesInCgroup), "The pods' processes");
    await killUntilGone(() => processesMentioning(node.paths.containerdSocket), "containerd's shims");
}

/** Puts the host back as `node.host` found it. Call once no process of the cluster runs. */
export function restoreHost(node: RealNodeState, stateDir: string): void {
    const newPodNamespaces = podNamespaces().filter((name) => !node.host.existingPodNamespaces.includes(name));
    const podNamespacePaths = newPodNamespaces.map((name) => path.join("/run/netns", name));
    const newPaths = HARD_CODED_PATHS.filter((dir) => !node.host.existingPaths.includes(dir));
    unmountUnder([...node.paths.mountRoots, ...podNamespacePaths, ...newPaths, stateDir]);
    podNamespacePaths.forEach((file) => fs.rmSync(file, { force: true }));
    ourCgroups(node).forEach(removeCgroupTree);
    deleteNodeNamespace(node.namespace);
    restoreNetnsFolder(node.host.netnsFolder);
    restoreSysctls(node.host);
    newPaths.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
    if (realNodeHolder() === stateDir) {
        fs.rmSync(REAL_NODE_LOCK, { force: true });
    }
}
