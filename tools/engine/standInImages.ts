/**
 * The images the real node runs that would otherwise come from a registry: the pod sandbox (pause), CoreDNS and
 * metrics-server (the engine's own builds), busybox (Debian's busybox-static, with dash and our wget) and the
 * NGINX frontend (Debian's nginx laid out as nginxinc/nginx-unprivileged is). docs/engine-tests.md says how each
 * differs from upstream.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PAUSE_IMAGE } from "./nodeConfig";
import { ImageConfig, staticBinaryRootfs, writeDockerArchive } from "./nodeImages";

export const COREDNS_IMAGE = "first-k8s.local/coredns:local";
export const METRICS_SERVER_IMAGE = "first-k8s.local/metrics-server:local";
/** The name the README's load command runs (`kubectl run load --image=busybox:1.37`). */
export const BUSYBOX_IMAGE = "docker.io/library/busybox:1.37";
/** The frontend's stand-in, which the local target's frontendImage names. */
export const NGINX_STAND_IN_IMAGE = "first-k8s.local/nginx-unprivileged-stand-in:local";

const BUSYBOX_BINARY = "/bin/busybox";
const DASH_BINARY = "/bin/dash";
const NGINX_BINARY = "/usr/sbin/nginx";

export interface StandInImage {
    readonly reference: string;
    /** Fills `rootfs` (an empty folder) and returns the image's config. */
    build(rootfs: string): ImageConfig;
}

function binaryImage(reference: string, binary: string, target: string, config: ImageConfig): StandInImage {
    return {
        reference,
        build: (rootfs) => {
            staticBinaryRootfs(rootfs, binary, target);
            return config;
        },
    };
}

/**
 * Debian's busybox-static, but with the engine's own wget (the static applet segfaults on any URL) and Debian's
 * dash as `sh`: busybox's own shell runs its built-in wget applet before looking at PATH, so with it as `sh`,
 * `sh -c "wget ..."` would never reach /bin/wget.
 */
function busyboxImage(wget: string): StandInImage {
    return {
        reference: BUSYBOX_IMAGE,
        build: (rootfs) => {
            staticBinaryRootfs(rootfs, BUSYBOX_BINARY, "bin/busybox");
            const replaced = new Set(["busybox", "wget", "sh"]);
            const applets = execFileSync(BUSYBOX_BINARY, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
            for (const applet of applets.filter((name) => !replaced.has(name))) {
                fs.symlinkSync("busybox", path.join(rootfs, "bin", applet));
            }
            installExecutable(wget, path.join(rootfs, "bin", "wget"));
            for (const library of sharedLibraries(DASH_BINARY)) {
                copyInto(rootfs, library);
            }
            installExecutable(DASH_BINARY, path.join(rootfs, "bin", "sh"));
            return { cmd: ["sh"], env: ["PATH=/bin"] };
        },
    };
}

function installExecutable(source: string, target: string): void {
    fs.copyFileSync(fs.realpathSync(source), target);
    fs.chmodSync(target, 0o755);
}

/** The shared libraries a dynamically linked binary loads, as ldd lists them (the loader included). */
function sharedLibraries(binary: string): string[] {
    const listed = execFileSync("ldd", [binary], { encoding: "utf8" });
    return [...listed.matchAll(/(\/\S+\.so[.\d]*)/g)].map((match) => match[1]);
}

function copyInto(rootfs: string, file: string): void {
    const target = path.join(rootfs, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(fs.realpathSync(file), target);
}

/**
 * Like nginx-unprivileged: runs as any uid (nothing it writes is outside the pod's /tmp emptyDir, which the
 * rendered nginx.conf uses for its pid and temp files), logs go to the container's stdout and stderr, and the
 * image's user is 101.
 */
function nginxImage(): StandInImage {
    return {
        reference: NGINX_STAND_IN_IMAGE,
        build: (rootfs) => {
            for (const file of [NGINX_BINARY, ...sharedLibraries(NGINX_BINARY), "/etc/nginx/mime.types"]) {
                copyInto(rootfs, file);
            }
            fs.chmodSync(path.join(rootfs, NGINX_BINARY), 0o755);
            const logs = path.join(rootfs, "var", "log", "nginx");
            fs.mkdirSync(logs, { recursive: true });
            fs.symlinkSync("/dev/stdout", path.join(logs, "access.log"));
            fs.symlinkSync("/dev/stderr", path.join(logs, "error.log"));
            for (const folder of ["tmp", "usr/share/nginx/html", "var/lib/nginx", "etc/nginx/conf.d"]) {
                fs.mkdirSync(path.join(rootfs, folder), { recursive: true });
            }
            fs.chmodSync(path.join(rootfs, "tmp"), 0o1777);
            fs.writeFileSync(
                path.join(rootfs, "etc", "passwd"),
                "root:x:0:0:root:/root:/sbin/nologin\nnginx:x:101:101:nginx:/nonexistent:/sbin/nologin\n",
            );
            fs.writeFileSync(path.join(rootfs, "etc", "group"), "root:x:0:\nnginx:x:101:\n");
            return {
                cmd: ["nginx", "-g", "daemon off;"],
                user: "101",
                env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            };
        },
    };
}

/** Every stand-in, given where the engine's static binaries are. */
export function standInImages(binaries: {
    readonly pause: string;
    readonly coredns: string;
    readonly metricsServer: string;
    readonly wget: string;
}): StandInImage[] {
    return [
        binaryImage(PAUSE_IMAGE, binaries.pause, "pause", { entrypoint: ["/pause"], user: "65535:65535" }),
        binaryImage(COREDNS_IMAGE, binaries.coredns, "coredns", { entrypoint: ["/coredns"], user: "65532:65532" }),
        binaryImage(METRICS_SERVER_IMAGE, binaries.metricsServer, "metrics-server", {
            entrypoint: ["/metrics-server"],
            user: "65532:65532",
        }),
        busyboxImage(binaries.wget),
        nginxImage(),
    ];
}

/** Builds `image` as a docker-archive in `dir` (a fresh rootfs each time) and returns the archive's path. */
export function buildStandIn(image: StandInImage, dir: string): string {
    const slug = image.reference.replace(/[^A-Za-z0-9.-]+/g, "_");
    const rootfs = path.join(dir, `${slug}.rootfs`);
    fs.rmSync(rootfs, { recursive: true, force: true });
    fs.mkdirSync(rootfs, { recursive: true });
    const archive = path.join(dir, `${slug}.tar`);
    try {
        writeDockerArchive(rootfs, image.reference, image.build(rootfs), archive);
    } finally {
        fs.rmSync(rootfs, { recursive: true, force: true });
    }
    return archive;
}
