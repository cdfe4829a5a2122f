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

export interface WrittenRendering {
    /** One YAML file per Kubernetes object and nothing else, so that `kubectl apply -f` takes the folder as it is. */
    readonly manifestDir: string;
    readonly manifestFiles: readonly string[];
    /** Beside the folder, not in it: kubectl would try to apply it. */
    readonly planFile: string;
}

/** Replaces OUT/<stack>/ with one YAML file per Kubernetes object, and writes OUT/<stack>.plan.json. */
export function writeRendering(rendering: Rendering, outDir: string): WrittenRendering {
    const manifestDir = path.join(outDir, rendering.stack);
    fs.rmSync(manifestDir, { recursive: true, force: true });
    fs.mkdirSync(manifestDir, { recursive: true });
    for (const object of rendering.objects) {
        fs.writeFileSync(path.join(manifestDir, object.file), manifestText(object.manifest));
    }
    const planFile = path.join(outDir, `${rendering.stack}.plan.json`);
    fs.writeFileSync(planFile, planText(rendering));
    return { manifestDir, manifestFiles: rendering.objects.map((object) => object.file), planFile };
}
