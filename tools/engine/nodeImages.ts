/**
 * Images for the real node without a registry: a folder made into a one-layer image (a docker-archive tar, the
 * format `docker save` writes) and imported into the node's containerd, where the kubelet finds it by name.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export interface ImageConfig {
    readonly entrypoint?: readonly string[];
    readonly cmd?: readonly string[];
    /** "uid:gid", as the image's USER. */
    readonly user?: string;
    readonly env?: readonly string[];
    readonly workingDir?: string;
}

function sha256File(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * Writes `rootfs` as a one-layer docker-archive named `reference` to `archive`. The layer is reproducible (names
 * sorted, owners numeric, times zero), so the same folder gives the same image ID.
 */
export function writeDockerArchive(rootfs: string, reference: string, config: ImageConfig, archive: string): void {
    const work = fs.mkdtempSync(`${archive}.work-`);
    try {
        const layer = path.join(work, "layer.tar");
        execFileSync("tar", [
            "--create",
            `--file=${layer}`,
            `--directory=${rootfs}`,
            "--sort=name",
            "--mtime=@0",
            "--numeric-owner",
            "--owner=0",
            "--group=0",
            ".",
        ]);
        const diffId = sha256File(layer);
        fs.mkdirSync(path.join(work, diffId));
        fs.renameSync(layer, path.join(work, diffId, "layer.tar"));
        const imageConfig = JSON.stringify({
            architecture: "amd64",
            os: "linux",
            config: {
                Entrypoint: config.entrypoint,
                Cmd: config.cmd,
                User: config.user,
                Env: config.env ?? ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                WorkingDir: config.workingDir ?? "/",
            },
            rootfs: { type: "layers", diff_ids: [`sha256:${diffId}`] },
        });
        const configId = crypto.createHash("sha256").update(imageConfig).digest("hex");
        fs.writeFileSync(path.join(work, `${configId}.json`), imageConfig);
        fs.writeFileSync(
            path.join(work, "manifest.json"),
            JSON.stringify([{ Config: `${configId}.json`, RepoTags: [reference], Layers: [`${diffId}/layer.tar`] }]),
        );
        execFileSync("tar", [
            "--create",
            `--file=${archive}`,
            `--directory=${work}`,
            "manifest.json",
            `${configId}.json`,
            diffId,
        ]);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** Imports a docker-archive into the node's containerd, in the namespace the kubelet's CRI uses. */
export function importImage(containerdSocket: string, archive: string): void {
    execFileSync("ctr", ["--address", containerdSocket, "--namespace", "k8s.io", "images", "import", archive], {
        stdio: ["ignore", "ignore", "pipe"],
        timeout: 300_000,
    });
}

/** The image references the node's containerd holds. */
export function importedImages(containerdSocket: string): string[] {
    const listed = execFileSync(
        "ctr",
        ["--address", containerdSocket, "--namespace", "k8s.io", "images", "list", "--quiet"],
        {
            encoding: "utf8",
        },
    );
    return listed.split("\n").filter(Boolean);
}

/**
 * Gives the node's image `reference` a second name pinned by its manifest digest (repository@sha256:...) and
 * returns it: a pod naming an image by digest gets pull policy IfNotPresent from the app, as for the upstream
 * images, and the node has it under that name, so nothing is pulled.
 */
export function pinByDigest(containerdSocket: string, reference: string): string {
    const ctr = (args: readonly string[]) =>
        execFileSync("ctr", ["--address", containerdSocket, "--namespace", "k8s.io", "images", ...args], {
            encoding: "utf8",
        });
    const row = ctr(["list"])
        .split("\n")
        .map((line) => line.split(/\s+/))
        .find((columns) => columns[0] === reference);
    const digest = row?.find((column) => column.startsWith("sha256:"));
    if (digest === undefined) {
        throw new Error(`The node's containerd holds no image ${reference} to pin by digest`);
    }
    const repository = reference.replace(/:[^:/]+$/, "");
    const pinned = `${repository}@${digest}`;
    ctr(["tag", "--force", reference, pinned]);
    return pinned;
}

/** A rootfs holding one static binary (and the folders any program expects), for an image of a Go program. */
export function staticBinaryRootfs(rootfs: string, binary: string, target: string): void {
    fs.mkdirSync(path.join(rootfs, path.dirname(target)), { recursive: true });
    fs.copyFileSync(binary, path.join(rootfs, target));
    fs.chmodSync(path.join(rootfs, target), 0o755);
    for (const folder of ["tmp", "etc"]) {
        fs.mkdirSync(path.join(rootfs, folder), { recursive: true, mode: 0o1777 });
    }
    fs.chmodSync(path.join(rootfs, "tmp"), 0o1777);
    fs.chmodSync(path.join(rootfs, "etc"), 0o755);
    fs.writeFileSync(
        path.join(rootfs, "etc", "passwd"),
        "root:x:0:0:root:/:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n",
    );
    fs.writeFileSync(path.join(rootfs, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
}
