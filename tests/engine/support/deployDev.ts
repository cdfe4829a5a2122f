/**
 * How scripts/deploy-dev.sh runs `pulumi up`, as Automation API options, read from the script itself: the
 * engine tests run `up` the script's way without a copy of its flags that could drift from it.
 */
import { UpOptions } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";

export const DEPLOY_DEV_SCRIPT = path.resolve(__dirname, "..", "..", "..", "scripts", "deploy-dev.sh");

/** The script's flags of `pulumi up` and what each means to the Automation API; the rest are CLI plumbing. */
const FLAGS: Readonly<Record<string, UpOptions>> = {
    "--refresh": { refresh: true },
    "--yes": {},
    "--non-interactive": {},
};

export function deployDevUpOptions(script = fs.readFileSync(DEPLOY_DEV_SCRIPT, "utf8")): UpOptions {
    const lines = script.split("\n").filter((line) => /^\s*pulumi up\b/.test(line));
    if (lines.length !== 1) {
        throw new Error(`${DEPLOY_DEV_SCRIPT} should run \`pulumi up\` on exactly one line, not ${lines.length}`);
    }
    const options: UpOptions = {};
    for (const flag of lines[0]
        .trim()
        .split(/\s+/)
        .filter((word) => word.startsWith("--"))) {
        if (flag.startsWith("--stack")) {
            continue;
        }
        const meaning = FLAGS[flag];
        if (meaning === undefined) {
            throw new Error(`deploy-dev.sh passes ${flag} to pulumi up, which the engine tests do not map yet`);
        }
        Object.assign(options, meaning);
    }
    return options;
}

export const DEPLOY_DEV_UP_OPTIONS = deployDevUpOptions();
