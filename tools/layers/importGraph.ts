import * as fs from "fs";
import * as path from "path";

export const COMPONENTS_DIR = path.resolve(__dirname, "..", "..", "components");

/**
 * What each top-level part of components/ (a folder, or a file beside index.ts) may import from the others:
 * layers that only point down. Base parts import nothing of the project; targets know the cluster-facing
 * base; the app knows capabilities and images, never which target it runs on; the report is data and
 * analysis over facts; stackReport and index put the pieces together.
 */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
    labels: [],
    naming: [],
    config: [],
    facts: [],
    capabilities: [],
    nginx: [],
    images: ["config"],
    report: ["facts"],
    targets: ["capabilities", "config", "facts", "images", "labels", "naming"],
    app: ["capabilities", "config", "images", "labels", "naming", "nginx"],
    stackReport: ["app", "config", "facts", "report", "targets"],
    index: [
        "app",
        "capabilities",
        "config",
        "facts",
        "images",
        "labels",
        "naming",
        "nginx",
        "report",
        "stackReport",
        "targets",
    ],
};

const IMPORT = /(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/g;

function typescriptFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? typescriptFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The top-level part of `dir` a path belongs to: its first folder, or its file name without .ts. */
function partOf(dir: string, file: string): string {
    const [first] = path.relative(dir, file).split(path.sep);
    return first.replace(/\.ts$/, "");
}

/** "from -> to" between parts, with the files that make each edge. */
export function importGraph(dir = COMPONENTS_DIR): Map<string, string[]> {
    const edges = new Map<string, string[]>();
    for (const file of typescriptFiles(dir)) {
        for (const match of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
            const from = partOf(dir, file);
            const to = partOf(dir, path.resolve(path.dirname(file), match[1]));
            if (from !== to && !to.startsWith("..")) {
                const key = `${from} -> ${to}`;
                edges.set(key, [...(edges.get(key) ?? []), path.relative(dir, file)]);
            }
        }
    }
    return new Map([...edges].sort(([a], [b]) => a.localeCompare(b)));
}

/** Edges the layers forbid, each with the files that make it. */
export function layerViolations(graph: Map<string, string[]>): string[] {
    return [...graph]
        .filter(([edge]) => {
            const [from, to] = edge.split(" -> ");
            return !(ALLOWED_IMPORTS[from] ?? []).includes(to);
        })
        .map(([edge, files]) => `${edge} (${[...new Set(files)].join(", ")})`);
}
