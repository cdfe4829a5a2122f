/**
 * The engine tests' stand-in for the `command` resource provider (pulumi-resource-command), whose Go module the
 * module proxy does not serve: `command:local:Command` as the real provider runs it, for the inputs this
 * program uses. create runs `create` with /bin/sh -c in `dir` with `environment` added, and fails with the
 * command's exit status and output; a change of `triggers` replaces the resource (create runs again), a change
 * of any other input runs `update`, else `create`, again; delete runs `delete` when set. Outputs are the inputs
 * plus stdout and stderr, as the real provider's. Anything else (another resource type, `interpreter`,
 * `stdin`, asset paths) is refused, so a program that needs more fails here instead of passing untested.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main, Provider } from "@pulumi/pulumi/provider";

const COMMAND_TYPE = "command:local:Command";
const SUPPORTED_INPUTS = new Set(["create", "update", "delete", "dir", "environment", "triggers", "logging"]);

interface CommandInputs {
    readonly create?: string;
    readonly update?: string;
    readonly delete?: string;
    readonly dir?: string;
    readonly environment?: Readonly<Record<string, string>>;
    readonly triggers?: readonly unknown[];
    readonly logging?: string;
}

function typeOf(urn: string): string {
    return urn.split("::")[2]?.split("$").pop() ?? "";
}

/** Runs `script` as the real provider does; the error names the command, its exit status and its output. */
export function runShell(script: string, inputs: CommandInputs): { stdout: string; stderr: string } {
    const run = spawnSync("/bin/sh", ["-c", script], {
        cwd: inputs.dir,
        env: { ...process.env, ...inputs.environment },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 << 20,
    });
    if (run.error !== undefined || run.status !== 0) {
        throw new Error(
            `exit status ${run.status ?? run.error?.message ?? "unknown"}: running "${script}":\n${run.stdout ?? ""}${run.stderr ?? ""}`,
        );
    }
    return { stdout: run.stdout.trimEnd(), stderr: run.stderr.trimEnd() };
}

export const commandProvider: Provider = {
    version: JSON.parse(
        fs.readFileSync(
            path.resolve(__dirname, "..", "..", "..", "node_modules", "@pulumi", "command", "package.json"),
            "utf8",
        ),
    ).version as string,
    async check(urn, _olds, news) {
        if (typeOf(urn) !== COMMAND_TYPE) {
            return {
                inputs: news,
                failures: [{ property: "", reason: `the stand-in serves ${COMMAND_TYPE} only, not ${typeOf(urn)}` }],
            };
        }
        const unsupported = Object.keys(news as object).filter(
            (key) => !key.startsWith("__") && !SUPPORTED_INPUTS.has(key),
        );
        return {
            inputs: news,
            failures: unsupported.map((property) => ({
                property,
                reason: "the command stand-in does not implement this input",
            })),
        };
    },
    async diff(_id, _urn, olds: CommandInputs, news: CommandInputs) {
        const changed = [...SUPPORTED_INPUTS].filter(
            (key) =>
                JSON.stringify(olds[key as keyof CommandInputs]) !== JSON.stringify(news[key as keyof CommandInputs]),
        );
        return { changes: changed.length > 0, replaces: changed.includes("triggers") ? ["triggers"] : [] };
    },
    async create(_urn, inputs: CommandInputs) {
        const output = inputs.create === undefined ? { stdout: "", stderr: "" } : runShell(inputs.create, inputs);
        return { id: `stand-in-${Date.now().toString(36)}`, outs: { ...inputs, ...output } };
    },
    async update(_id, _urn, _olds, news: CommandInputs) {
        const script = news.update ?? news.create;
        const output = script === undefined ? { stdout: "", stderr: "" } : runShell(script, news);
        return { outs: { ...news, ...output } };
    },
    async delete(_id, _urn, props: CommandInputs) {
        if (props.delete !== undefined) {
            runShell(props.delete, props);
        }
    },
};

if (require.main === module) {
    void main(commandProvider, process.argv.slice(2));
}
