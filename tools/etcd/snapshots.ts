/**
 * etcd snapshots taken from outside the cluster, kept outside it: each one a file with a timestamp in its name,
 * its sha256 beside it, verified with etcdutl before it counts, and only the newest N kept.
 */
import { createHash } from "crypto";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Snapshots of one name that `npm run etcd -- backup` keeps unless told otherwise: a week of daily ones. */
export const DEFAULT_KEEP = 7;

/** How to reach etcd: its client URL and, for a TLS endpoint, the client certificate etcd trusts. */
export interface EtcdEndpoint {
    readonly url: string;
    readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
}

export interface EtcdTools {
    readonly etcdctl: string;
    readonly etcdutl: string;
}

/** What `etcdutl snapshot status` reports. */
export interface SnapshotStatus {
    readonly hash: number;
    readonly revision: number;
    readonly totalKey: number;
    readonly totalSize: number;
}

export interface Snapshot {
    readonly file: string;
    readonly sha256: string;
    readonly status: SnapshotStatus;
}

const SNAPSHOT = /^etcd-(.+)-(\d{8}T\d{6}Z)\.db$/;

function compactTimestamp(now: Date): string {
    return now
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
}

function sha256Of(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function snapshotStatus(tools: EtcdTools, file: string): SnapshotStatus {
    const json = execFileSync(tools.etcdutl, ["snapshot", "status", file, "-w", "json"], { encoding: "utf8" });
    return JSON.parse(json) as SnapshotStatus;
}

/**
 * Verifies `file` against the sha256 written beside it and etcdutl's own integrity check; throws, naming
 * the file, when either fails.
 */
export function verifySnapshot(tools: EtcdTools, file: string): Snapshot {
    const recorded = fs.readFileSync(`${file}.sha256`, "utf8").split(/\s+/)[0];
    const actual = sha256Of(file);
    if (recorded !== actual) {
        throw new Error(`${file}: sha256 ${actual} is not the ${recorded} recorded when it was taken`);
    }
    return { file, sha256: actual, status: snapshotStatus(tools, file) };
}

/** The snapshots of `name` in `dir`, oldest first. */
export function listSnapshots(dir: string, name: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir)
        .filter((file) => SNAPSHOT.exec(file)?.[1] === name)
        .sort()
        .map((file) => path.join(dir, file));
}

/**
 * Takes a snapshot of `endpoint` into `dir` as etcd-<name>-<UTC time>.db with its .sha256, verifies it, and
 * deletes all but the newest `keep` snapshots of `name`. Returns the new snapshot and the files deleted.
 */
export function takeSnapshot(
    tools: EtcdTools,
    endpoint: EtcdEndpoint,
    options: { readonly dir: string; readonly name: string; readonly keep: number; readonly now?: Date },
): { snapshot: Snapshot; deleted: string[] } {
    fs.mkdirSync(options.dir, { recursive: true });
    const file = path.join(options.dir, `etcd-${options.name}-${compactTimestamp(options.now ?? new Date())}.db`);
    const tls = endpoint.tls
        ? [`--cacert=${endpoint.tls.caFile}`, `--cert=${endpoint.tls.certFile}`, `--key=${endpoint.tls.keyFile}`]
        : [];
    // etcdctl writes to <file>.part and renames it when the snapshot is whole.
    execFileSync(tools.etcdctl, [`--endpoints=${endpoint.url}`, ...tls, "snapshot", "save", file], {
        stdio: ["ignore", "ignore", "pipe"],
        timeout: 120_000,
    });
    fs.writeFileSync(`${file}.sha256`, `${sha256Of(file)}  ${path.basename(file)}\n`);
    const snapshot = verifySnapshot(tools, file);
    const all = listSnapshots(options.dir, options.name);
    const deleted = all.slice(0, Math.max(0, all.length - options.keep));
    for (const old of deleted) {
        fs.rmSync(old);
        fs.rmSync(`${old}.sha256`, { force: true });
    }
    return { snapshot, deleted };
}

/**
 * Restores `file` into `dataDir`, which must not exist: the data directory of a stopped, single-member etcd.
 * The revision jumps far ahead and is marked compacted, as the Kubernetes documentation asks, so that watchers
 * (controllers, kubelets) see newer revisions and relist instead of trusting their caches.
 */
export function restoreSnapshot(
    tools: EtcdTools,
    file: string,
    member: { readonly dataDir: string; readonly name: string; readonly peerUrl: string },
): Snapshot {
    const snapshot = verifySnapshot(tools, file);
    if (fs.existsSync(member.dataDir)) {
        throw new Error(`${member.dataDir} exists: restore into a new data directory, with etcd stopped`);
    }
    execFileSync(
        tools.etcdutl,
        [
            "snapshot",
            "restore",
            file,
            `--data-dir=${member.dataDir}`,
            `--name=${member.name}`,
            `--initial-cluster=${member.name}=${member.peerUrl}`,
            `--initial-advertise-peer-urls=${member.peerUrl}`,
            "--bump-revision=1000000000",
            "--mark-compacted",
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
    );
    return snapshot;
}
