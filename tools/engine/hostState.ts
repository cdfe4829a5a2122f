/**
 * What a real node changes outside its own folder, and how `down` puts it back: host-wide sysctls the kubelet
 * writes, folders the kubelet, containerd and CNI hard-code, the kubelet's cgroups in every v1 hierarchy, and
 * the mounts of the pods (volumes, root filesystems, the pods' network namespaces).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * Host-wide sysctls the kubelet sets at start (its "kernel defaults": kernel.panic 10, panic_on_oops 1,
 * overcommit 1, the root keyring quotas) and the one kube-proxy would (conntrack's table size; its config here
 * sets none, recorded in case). Per-namespace ones (forwarding, bridge netfilter) die with the namespace.
 */
export const HOST_SYSCTLS = [
    "kernel.panic",
    "kernel.panic_on_oops",
    "kernel.keys.root_maxkeys",
    "kernel.keys.root_maxbytes",
    "vm.overcommit_memory",
    "vm.panic_on_oom",
    "net.netfilter.nf_conntrack_max",
] as const;

/** Folders outside the state folder that the kubelet, containerd's shims and CNI use whatever they are told. */
export const HARD_CODED_PATHS = [
    "/var/lib/kubelet",
    "/var/log/pods",
    "/var/log/containers",
    "/var/lib/cni",
    "/run/containerd",
] as const;

/** The kubelet's top cgroup (cgroupsPerQOS), made in every v1 hierarchy. */
export const KUBELET_CGROUP = "kubepods";
const CGROUP_ROOT = "/sys/fs/cgroup";

export interface HostSnapshot {
    readonly sysctls: Readonly<Record<string, string>>;
    /** Which of HARD_CODED_PATHS existed before: those are left in place. */
    readonly existingPaths: readonly string[];
    /** Network namespaces of pods (/run/netns/cni-*) that existed before, and so belong to someone else. */
    readonly existingPodNamespaces: readonly string[];
    /** Whether a kubepods cgroup existed in some hierarchy already (then it is not ours to remove). */
    readonly kubeletCgroupExisted: boolean;
    /**
     * Whether /run/netns existed, and was a mount point, before: the first `ip netns add` makes the folder and
     * bind-mounts it on itself (to share namespace mounts), and nothing undoes that when the last one goes.
     */
    readonly netnsFolder: "absent" | "folder" | "mounted";
}

function sysctlFile(key: string): string {
    return path.join("/proc/sys", ...key.split("."));
}

function readSysctl(key: string): string | undefined {
    try {
        return fs.readFileSync(sysctlFile(key), "utf8").trim();
    } catch {
        return undefined;
    }
}

/** The hierarchies mounted under /sys/fs/cgroup (v1: one folder per controller; v2: the root itself). */
export function cgroupHierarchies(): string[] {
    if (fs.existsSync(path.join(CGROUP_ROOT, "cgroup.controllers"))) {
        return [CGROUP_ROOT];
    }
    return fs
        .readdirSync(CGROUP_ROOT, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.isSymbolicLink())
        .map((entry) => path.join(CGROUP_ROOT, entry.name))
        .filter((dir) => fs.existsSync(path.join(dir, "cgroup.procs")));
}

export function kubeletCgroups(): string[] {
    return cgroupHierarchies()
        .map((hierarchy) => path.join(hierarchy, KUBELET_CGROUP))
        .filter((dir) => fs.existsSync(dir));
}

export function podNamespaces(): string[] {
    return fs.existsSync("/run/netns")
        ? fs
              .readdirSync("/run/netns")
              .filter((name) => name.startsWith("cni-"))
              .sort()
        : [];
}

export function snapshotHost(): HostSnapshot {
    const sysctls: Record<string, string> = {};
    for (const key of HOST_SYSCTLS) {
        const value = readSysctl(key);
        if (value !== undefined) {
            sysctls[key] = value;
        }
    }
    return {
        sysctls,
        existingPaths: HARD_CODED_PATHS.filter((dir) => fs.existsSync(dir)),
        existingPodNamespaces: podNamespaces(),
        kubeletCgroupExisted: kubeletCgroups().length > 0,
        netnsFolder: netnsFolderState(),
    };
}

const NETNS_DIR = "/run/netns";

function netnsFolderState(): HostSnapshot["netnsFolder"] {
    if (!fs.existsSync(NETNS_DIR)) {
        return "absent";
    }
    return mountsUnder([NETNS_DIR]).includes(NETNS_DIR) ? "mounted" : "folder";
}

/** Puts /run/netns back as it was before, once no namespace is left in it (another user's would keep it). */
export function restoreNetnsFolder(before: HostSnapshot["netnsFolder"]): void {
    if (before === "mounted" || !fs.existsSync(NETNS_DIR) || fs.readdirSync(NETNS_DIR).length > 0) {
        return;
    }
    unmountUnder([NETNS_DIR]);
    if (before === "absent") {
        fs.rmdirSync(NETNS_DIR);
    }
}

/** The sysctls whose value differs from the snapshot's, as "key: now (was before)". */
export function changedSysctls(snapshot: HostSnapshot): string[] {
    return Object.entries(snapshot.sysctls)
        .filter(([key, value]) => readSysctl(key) !== value)
        .map(([key, value]) => `${key}: ${readSysctl(key)} (was ${value})`);
}

export function restoreSysctls(snapshot: HostSnapshot): void {
    for (const [key, value] of Object.entries(snapshot.sysctls)) {
        if (readSysctl(key) !== value) {
            fs.writeFileSync(sysctlFile(key), value);
        }
    }
}

/** Mount points at or under one of `roots`, deepest first (the order they must be unmounted in). */
export function mountsUnder(roots: readonly string[]): string[] {
    const mountPoints = fs
        .readFileSync("/proc/self/mountinfo", "utf8")
        .split("\n")
        .filter(Boolean)
        // Field 5 is the mount point, with spaces and other octal escapes as \040 and the like.
        .map((line) =>
            line.split(" ")[4].replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))),
        );
    const under = mountPoints.filter((point) => roots.some((root) => point === root || point.startsWith(`${root}/`)));
    return [...new Set(under)].sort((a, b) => b.split("/").length - a.split("/").length || b.localeCompare(a));
}

/** Unmounts every mount under `roots`; a busy one is detached (lazy), as nothing of the cluster uses it now. */
export function unmountUnder(roots: readonly string[]): void {
    for (const point of mountsUnder(roots)) {
        try {
            execFileSync("umount", [point], { stdio: "ignore" });
        } catch {
            execFileSync("umount", ["--lazy", point], { stdio: "ignore" });
        }
    }
}

/** The PIDs in a cgroup tree (every level's cgroup.procs). */
export function processesInCgroup(dir: string): number[] {
    const pids: number[] = [];
    // A container's cgroup may go while the tree is read (its last process exited): that one holds no PID.
    // Reading a cgroup that is being removed fails with ENOENT, or with ENODEV once the kernel has let it go.
    const readIfPresent = <T>(read: () => T, absent: T): T => {
        try {
            return read();
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "ENOENT" || code === "ENODEV") {
                return absent;
            }
            throw error;
        }
    };
    const visit = (folder: string) => {
        for (const entry of readIfPresent(() => fs.readdirSync(folder, { withFileTypes: true }), [])) {
            if (entry.isDirectory()) {
                visit(path.join(folder, entry.name));
            }
        }
        const procs = readIfPresent(() => fs.readFileSync(path.join(folder, "cgroup.procs"), "utf8"), "");
        pids.push(...procs.split("\n").filter(Boolean).map(Number));
    };
    if (fs.existsSync(dir)) {
        visit(dir);
    }
    return pids;
}

/** Removes a cgroup tree, deepest first; a cgroup can only be removed once no process is in it. */
export function removeCgroupTree(dir: string): void {
    if (!fs.existsSync(dir)) {
        return;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
            removeCgroupTree(path.join(dir, entry.name));
        }
    }
    fs.rmdirSync(dir);
}
