import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Paths that never reach an image (the Dockerfile's .dockerignore excludes them too). */
const IGNORED = new Set(["tests", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".venv", "venv"]);

function listFiles(dir: string, relative = ""): string[] {
    return fs
        .readdirSync(path.join(dir, relative), { withFileTypes: true })
        .filter((entry) => !IGNORED.has(entry.name) && !entry.name.endsWith(".pyc"))
        .flatMap((entry) => {
            const child = path.posix.join(relative, entry.name);
            return entry.isDirectory() ? listFiles(dir, child) : [child];
        });
}

/**
 * sha256 over the relative paths and contents of every file of a build context, in a stable order, so
 * the same sources give the same hash on any machine and any change to them gives a new one.
 */
export function hashDirectory(dir: string): string {
    const hash = createHash("sha256");
    for (const file of listFiles(dir).sort()) {
        const content = fs.readFileSync(path.join(dir, file));
        hash.update(`${file}\0${content.length}\0`);
        hash.update(content);
    }
    return hash.digest("hex");
}
