import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { NginxConfOptions, renderNginxConf } from "../nginx/nginxConf";

/** The page's files: plain HTML/CSS/JS served as they are, no build step. */
export const PAGE_DIR = path.resolve(__dirname, "..", "..", "app", "frontend");
const PAGE_FILE = /\.(html|js|css)$/;

export const NGINX_CONF_KEY = "nginx.conf";

export interface FrontendContent {
    /** ConfigMap data: nginx.conf plus every page file, keyed by file name. */
    readonly data: Readonly<Record<string, string>>;
    /** The page file names (the ConfigMap keys other than nginx.conf). */
    readonly pageFiles: readonly string[];
    /** sha256 of all of the data; a pod-template annotation, so any change rolls the Deployment. */
    readonly checksum: string;
}

function pageFileNames(pageDir: string = PAGE_DIR): string[] {
    return fs
        .readdirSync(pageDir)
        .filter((file) => PAGE_FILE.test(file))
        .sort();
}

/** How the frontend's NGINX talks to the backend, beyond its address. */
export type BackendConnectionOptions = Pick<NginxConfOptions, "upstreamKeepalive">;

/** Everything the frontend pods serve, for a backend reachable at `backendAddress` (host:port). */
export function frontendContent(
    backendAddress: string,
    pageDir: string = PAGE_DIR,
    connection: BackendConnectionOptions = {},
): FrontendContent {
    const pageFiles = pageFileNames(pageDir);
    if (!pageFiles.includes("index.html")) {
        throw new Error(`The page directory ${pageDir} has no index.html`);
    }
    const data: Record<string, string> = {
        [NGINX_CONF_KEY]: renderNginxConf({ ...connection, backendServers: [backendAddress] }),
    };
    for (const file of pageFiles) {
        data[file] = fs.readFileSync(path.join(pageDir, file), "utf8");
    }
    return { data, pageFiles, checksum: checksumOf(data) };
}

export function checksumOf(data: Readonly<Record<string, string>>): string {
    const hash = createHash("sha256");
    for (const key of Object.keys(data).sort()) {
        // Length prefixes keep ("ab","c") and ("a","bc") from hashing alike.
        hash.update(`${key.length}:${key}${data[key].length}:${data[key]}`);
    }
    return hash.digest("hex");
}
