import * as fs from "fs";
import { availableStacks } from "../render/renderStack";
import {
    Comparison,
    COMPARED_STACKS,
    compareDeployed,
    compareRendered,
    comparisonJson,
    comparisonText,
} from "./compare";
import { COMPARISON_DOC, withComparison } from "./comparisonDoc";

const USAGE = `usage: npm run compare -- [--json] [--from-stacks] [--write-docs] [stack...]

Compares the self-managed and the managed stack (default: ${COMPARED_STACKS.join(" and ")}) concept by concept:
control plane, etcd, nodes, pods per tier, traffic entry, security, upgrades; what survives a pod, node,
zone or control plane node failure; and the estimated monthly cost from data/prices/. Prints Markdown.

By default the facts come from an offline render of each stack (no cluster, no cloud account).

  --json          print the reports as JSON instead
  --from-stacks   read each deployed stack's report output (\`pulumi stack output report\`); needs the
                  Pulumi CLI and the backend the stacks live in (PULUMI_BACKEND_URL, default the deploy
                  scripts' file://./.pulumi-state; PULUMI_CONFIG_PASSPHRASE as for \`pulumi up\`)
  --write-docs    rewrite the comparison between <!-- compare:begin --> and <!-- compare:end --> in
                  docs/comparison.md (offline, default stacks only)
  --help          this text`;

const FLAGS = ["--json", "--from-stacks", "--write-docs", "--help", "-h"];

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    const unknown = argv.filter((arg) => arg.startsWith("-") && !FLAGS.includes(arg));
    if (unknown.length > 0) {
        throw new UsageError(`unknown option ${unknown.join(", ")}`);
    }
    const named = argv.filter((arg) => !arg.startsWith("-"));
    const stacks = named.length > 0 ? named : COMPARED_STACKS;
    const fromStacks = argv.includes("--from-stacks");
    if (argv.includes("--write-docs") && (fromStacks || named.length > 0 || argv.includes("--json"))) {
        throw new UsageError(
            "--write-docs writes the offline comparison of the default stacks: give it no other option or stack",
        );
    }
    const missing = stacks.filter((stack) => !availableStacks().includes(stack));
    if (missing.length > 0) {
        throw new UsageError(
            `no Pulumi.<stack>.yaml for ${missing.join(", ")} (stacks here: ${availableStacks().join(", ")})`,
        );
    }

    const comparison: Comparison = fromStacks ? await compareDeployed(stacks) : await compareRendered(stacks);
    if (argv.includes("--write-docs")) {
        const before = fs.readFileSync(COMPARISON_DOC, "utf8");
        const after = withComparison(before, comparisonText(comparison));
        fs.writeFileSync(COMPARISON_DOC, after);
        console.log(
            after === before
                ? "docs/comparison.md: the comparison is up to date"
                : "docs/comparison.md: comparison rewritten",
        );
        return 0;
    }
    process.stdout.write(argv.includes("--json") ? comparisonJson(comparison) : comparisonText(comparison));
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
        console.error(error instanceof UsageError ? `${USAGE}\n\nerror: ${error.message}` : `error: ${error.message}`);
        process.exit(error instanceof UsageError ? 2 : 1);
    },
);
