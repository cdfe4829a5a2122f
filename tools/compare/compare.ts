import { execFile } from "child_process";
import * as path from "path";
import { StackFacts } from "../../components/facts";
import { buildReport, REPORT_SCHEMA, StackReport } from "../../components/report";
import { PROJECT_DIR, previewAwsMocks } from "../mockRuntime";
import { parsedStackConfig } from "../mockRuntime/stackConfig";
import { renderStack, stackFile } from "../render/renderStack";
import { factsFromRendering } from "./factsFromRendering";
import { comparisonMarkdown } from "./markdown";

/** The stacks the comparison sets side by side: self-managed first, then managed. */
export const COMPARED_STACKS: readonly string[] = ["dev", "eks"];

/** The comparison of some stacks: where the facts came from, and a report per stack. */
export interface Comparison {
    readonly origin: string;
    readonly reports: readonly StackReport[];
}

const stackList = (stacks: readonly string[]) => stacks.map((stack) => `\`${stack}\``).join(" and ");

/** Renders each stack offline (as `npm run render` does) and reports on what it would deploy. */
export async function compareRendered(stacks: readonly string[] = COMPARED_STACKS): Promise<Comparison> {
    const reports: StackReport[] = [];
    // One at a time: each render runs the program in this process's one Pulumi runtime.
    for (const stack of stacks) {
        const config = parsedStackConfig(PROJECT_DIR, stackFile(stack));
        reports.push(buildReport(factsFromRendering(await renderStack(stack, previewAwsMocks()), config)));
    }
    return {
        origin: `the offline render of the ${stackList(stacks)} stacks (their Pulumi.<stack>.yaml under the mock runtime; no cluster or cloud account involved)`,
        reports,
    };
}

/** Reads a stack's `report` output; resolves to the parsed JSON. */
export type StackOutputReader = (stack: string) => Promise<unknown>;

/**
 * `pulumi stack output report --json --stack <stack>`, with the deploy scripts' default backend (the local
 * .pulumi-state folder) unless PULUMI_BACKEND_URL says otherwise.
 */
export function pulumiStackOutput(stack: string): Promise<unknown> {
    const env = {
        ...process.env,
        PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${path.join(PROJECT_DIR, ".pulumi-state")}`,
    };
    const args = ["stack", "output", "report", "--json", "--stack", stack];
    return new Promise((resolve, reject) => {
        execFile("pulumi", args, { cwd: PROJECT_DIR, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
                reject(
                    new Error(
                        "--from-stacks needs the Pulumi CLI, and `pulumi` is not on PATH (https://www.pulumi.com/docs/install/); without it, run `npm run compare` for the offline comparison",
                    ),
                );
            } else if (error) {
                reject(new Error(`\`pulumi ${args.join(" ")}\` failed: ${stderr.trim() || error.message}`));
            } else {
                try {
                    resolve(JSON.parse(stdout));
                } catch {
                    reject(new Error(`\`pulumi ${args.join(" ")}\` printed no JSON: ${stdout.slice(0, 200)}`));
                }
            }
        });
    });
}

/** A deployed stack's report, checked; its facts run through this version's analysis and price table. */
export function reportFromOutput(stack: string, output: unknown): StackReport {
    const report = output as Partial<StackReport> | null;
    if (report === null || typeof report !== "object" || report.facts === undefined) {
        throw new Error(
            `stack ${stack} has no report output: run \`pulumi up --stack ${stack}\` with this version of the program`,
        );
    }
    if (report.schema !== REPORT_SCHEMA) {
        throw new Error(
            `stack ${stack}'s report has schema ${String(report.schema)}, this program reads ${REPORT_SCHEMA}: run \`pulumi up --stack ${stack}\` again`,
        );
    }
    const facts = report.facts as StackFacts;
    if (facts.stack !== stack) {
        throw new Error(`stack ${stack}'s report describes stack ${facts.stack}`);
    }
    return buildReport(facts);
}

/** Reports of deployed stacks, from their `report` outputs. */
export async function compareDeployed(
    stacks: readonly string[] = COMPARED_STACKS,
    readOutput: StackOutputReader = pulumiStackOutput,
): Promise<Comparison> {
    const reports: StackReport[] = [];
    for (const stack of stacks) {
        reports.push(reportFromOutput(stack, await readOutput(stack)));
    }
    return {
        origin: `the \`report\` outputs of the deployed ${stackList(stacks)} stacks (\`pulumi stack output report\`)`,
        reports,
    };
}

export function comparisonText(comparison: Comparison): string {
    return comparisonMarkdown(comparison.reports, comparison.origin);
}

export function comparisonJson(comparison: Comparison): string {
    return `${JSON.stringify({ origin: comparison.origin, stacks: comparison.reports }, null, 2)}\n`;
}
