import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { sortedKeys } from "./placeholders";
import { Rendering } from "./renderStack";

export const HEADER =
    "# Rendered offline by `npm run render` from the Pulumi program. Values shown as <...>, and images\n" +
    "# on unknown-until-pulumi-up.invalid, are known only after `pulumi up`.\n";

/** The exact bytes of one manifest file. */
export function manifestText(manifest: unknown): string {
    return HEADER + yaml.dump(manifest, { lineWidth: -1, noRefs: true, quotingType: '"' });
}

/** The exact bytes of plan.json. */
export function planText(rendering: Rendering): string {
    return `${JSON.stringify(sortedKeys({ stack: rendering.stack, resources: rendering.plan, outputs: rendering.outputs }), null, 2)}\n`;
}

/** Replaces `dir` with the rendering: one YAML file per Kubernetes object, plus plan.json. */
export function writeRendering(rendering: Rendering, dir: string): string[] {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const object of rendering.objects) {
        fs.writeFileSync(path.join(dir, object.file), manifestText(object.manifest));
        written.push(object.file);
    }
    fs.writeFileSync(path.join(dir, "plan.json"), planText(rendering));
    written.push("plan.json");
    return written;
}
