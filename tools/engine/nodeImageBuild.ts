/**
 * Builds an image from a Dockerfile straight into the real node's containerd, as `minikube image build` builds
 * into minikube's runtime: buildah, daemonless (chroot isolation, vfs storage in the cluster's state folder), no
 * network during the build, then `ctr images import`. The backend's base is made here from the engine's Debian
 * rootfs and its pinned wheels, so its `pip install` needs no index.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineInstall } from "./binaries";
import { readState } from "./localCluster";
import { importImage } from "./nodeImages";
import { NodeNamespace, inNamespace } from "./nodeNetwork";

/** The BASE build argument the tests pass to app/backend/Dockerfile. */
export const PYTHON_BASE_IMAGE = "first-k8s.local/python-base:local";
/** Where the base keeps the wheels; /etc/pip.conf points pip there, with no index. */
const WHEELS_DIR = "/usr/share/first-k8s/wheels";
const PIP_CONF = `[global]\nno-index = true\nfind-links = ${WHEELS_DIR}\n`;

export interface NodeImageBuild {
    /** The local cluster's state folder (a real node's). */
    readonly clusterDir: string;
    readonly contextDir: string;
    /** As `docker build -t` takes it; a name without a registry is Docker Hub's, as the kubelet reads it. */
    readonly tag: string;
    readonly buildArgs?: Readonly<Record<string, string>>;
}

/** `first-k8s/backend:x` as the kubelet and containerd name it: docker.io/first-k8s/backend:x. */
export function fullyQualified(tag: string): string {
    const first = tag.split("/")[0];
    const hasRegistry = tag.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    if (hasRegistry) {
        return tag;
    }
    return tag.includes("/") ? `docker.io/${tag}` : `docker.io/library/${tag}`;
}

/** Runs buildah on the cluster's storage; with `namespace`, inside that network namespace. */
function buildah(clusterDir: string, args: readonly string[], namespace?: NodeNamespace): string {
    const storage = path.join(clusterDir, "buildah");
    const argv = [
        "buildah",
        "--root",
        path.join(storage, "root"),
        "--runroot",
        path.join(storage, "run"),
        "--storage-driver",
        "vfs",
        ...args,
    ];
    const [command, ...rest] = namespace === undefined ? argv : inNamespace(namespace, argv);
    return execFileSync(command, rest, {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 600_000,
        maxBuffer: 64 << 20,
    });
}

function imageExists(clusterDir: string, reference: string): boolean {
    try {
        buildah(clusterDir, ["inspect", "--type", "image", "--format", "{{.FromImageID}}", reference]);
        return true;
    } catch {
        return false;
    }
}

/** The Python base in the cluster's buildah storage: Debian's rootfs, the wheels and a pip.conf naming them. */
export function ensurePythonBase(engine: EngineInstall, clusterDir: string): void {
    if (imageExists(clusterDir, PYTHON_BASE_IMAGE)) {
        return;
    }
    const container = buildah(clusterDir, ["from", "scratch"]).trim();
    try {
        buildah(clusterDir, ["add", container, engine.binary("rootfs.tar"), "/"]);
        const wheels = path.join(path.dirname(engine.binary("wheels.txt")), "wheels");
        buildah(clusterDir, ["copy", container, wheels, WHEELS_DIR]);
        const pipConf = path.join(clusterDir, "buildah", "pip.conf");
        fs.writeFileSync(pipConf, PIP_CONF);
        buildah(clusterDir, ["copy", "--chmod", "0644", container, pipConf, "/etc/pip.conf"]);
        buildah(clusterDir, [
            "config",
            "--env",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--env",
            "LANG=C.UTF-8",
            "--cmd",
            "python3",
            container,
        ]);
        buildah(clusterDir, ["commit", "--quiet", container, PYTHON_BASE_IMAGE]);
    } finally {
        buildah(clusterDir, ["rm", container]);
    }
}

/**
 * Builds `request` and imports it into the node; returns the reference the node holds it under. The build runs
 * in the node's network namespace (chroot isolation allows no other), which has no route out, so a step that
 * would reach the internet fails here first.
 */
export function buildIntoNode(engine: EngineInstall, request: NodeImageBuild): string {
    const state = readState(request.clusterDir);
    if (state?.realNode === undefined) {
        throw new Error(`No real node runs from ${request.clusterDir} (start one with: up --nodes real)`);
    }
    ensurePythonBase(engine, request.clusterDir);
    const reference = fullyQualified(request.tag);
    const buildArgs = Object.entries(request.buildArgs ?? {}).flatMap(([key, value]) => [
        "--build-arg",
        `${key}=${value}`,
    ]);
    buildah(
        request.clusterDir,
        [
            "bud",
            "--quiet",
            "--isolation",
            "chroot",
            "--pull-never",
            ...buildArgs,
            "--tag",
            reference,
            request.contextDir,
        ],
        state.realNode.namespace,
    );
    const archive = path.join(request.clusterDir, "buildah", "image.tar");
    fs.rmSync(archive, { force: true });
    try {
        buildah(request.clusterDir, ["push", "--quiet", reference, `docker-archive:${archive}:${reference}`]);
        importImage(state.realNode.paths.containerdSocket, archive);
    } finally {
        fs.rmSync(archive, { force: true });
    }
    return reference;
}
