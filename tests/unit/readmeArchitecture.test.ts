import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The README's "## Architecture" section, up to the next section. */
function architectureSection(): string {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf("\n## Architecture\n");
    assert.ok(start >= 0, "README.md has no ## Architecture section");
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

/** Every folder and top-level .ts file directly under `dir`, as `dir/name/` or `dir/name.ts`. */
function modulesOf(dir: string): string[] {
    return fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() || (entry.name.endsWith(".ts") && entry.name !== "index.ts"))
        .map((entry) => `${dir}/${entry.name}${entry.isDirectory() ? "/" : ""}`);
}

describe("the README's architecture", () => {
    it("names every module of components/, tools/, app/ and scripts/", () => {
        const section = architectureSection();
        const modules = [...modulesOf("components"), ...modulesOf("tools"), ...modulesOf("app"), "scripts/lib/"];
        const unnamed = modules.filter((module) => !section.includes(`\`${module}`));
        assert.deepEqual(unnamed, []);
    });
});
