import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ENGINE_DIR = __dirname;
export const BUILD_SCRIPT = path.join(ENGINE_DIR, "build.sh");

/** The pinned versions of tools/engine/versions.env, by key. */
export function engineVersions(): Readonly<Record<string, string>> {
    const versions: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(ENGINE_DIR, "versions.env"), "utf8").split("\n")) {
        const match = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
        if (match) {
            versions[match[1]] = match[2];
        }
    }
    return versions;
}

export type EngineBinary =
    | "etcd"
    | "etcdctl"
    | "etcdutl"
    | "kube-apiserver"
    | "kube-controller-manager"
    | "kube-scheduler"
    | "kubectl"
    | "kwok"
    | "pulumi"
    | "pulumi-language-nodejs"
    | "pulumi-resource-kubernetes"
    // The real node's (tools/engine/build.sh --real-node).
    | "kubelet"
    | "kube-proxy"
    | "kube-router"
    | "coredns"
    | "metrics-server"
    | "pause"
    | "wget"
    // The backend image's in the real-pod tests: a Debian rootfs with python3, and the list of the pinned wheels.
    | "rootfs.tar"
    | "wheels.txt";

/** Where the cached engine lives: the folders build.sh prints, each holding some of the binaries. */
export interface EngineInstall {
    /** PATH entries, in build order. */
    readonly pathEntries: readonly string[];
    /** The kwok stage files (node and pod lifecycles) next to the kwok binary. */
    readonly kwokStages: readonly string[];
    binary(name: EngineBinary): string;
}

/**
 * Builds whatever is not cached yet (tools/engine/build.sh; minutes cold, well under a second warm) and
 * returns where each binary is; with `realNode`, the real node's binaries too. Progress goes to this process's stderr.
 */
export function ensureEngine(options: { readonly realNode?: boolean } = {}): EngineInstall {
    const printed = execFileSync(BUILD_SCRIPT, ["--print-path", ...(options.realNode ? ["--real-node"] : [])], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 20,
    });
    const pathEntries = printed.trim().split(":").filter(Boolean);
    const binary = (name: EngineBinary): string => {
        for (const dir of pathEntries) {
            const candidate = path.join(dir, name);
            if (fs.existsSync(candidate)) {
                return candidate;
            }
        }
        throw new Error(`${name} is not among the engine binaries in ${pathEntries.join(", ")}; run ${BUILD_SCRIPT}`);
    };
    const stagesDir = path.join(path.dirname(binary("kwok")), "stages");
    const kwokStages = fs
        .readdirSync(stagesDir)
        .filter((file) => file.endsWith(".yaml"))
        .sort()
        .map((file) => path.join(stagesDir, file));
    return { pathEntries, kwokStages, binary };
}
