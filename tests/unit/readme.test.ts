import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { awsMocks, PROJECT_DIR, runProgram } from "../../tools/mockRuntime";

const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const EKS_DOC = fs.readFileSync(path.join(PROJECT_DIR, "docs", "eks.md"), "utf8");

/**
 * Rows of the Markdown table right after the comment `<!-- marker -->` in `doc`, as arrays of cell texts.
 * A marker, not a heading, finds the table: headings and wording may change freely.
 */
function tableAfter(doc: string, marker: string): string[][] {
    const start = doc.indexOf(`<!-- ${marker} -->`);
    assert.ok(start >= 0, `no <!-- ${marker} --> before its table`);
    const lines = doc.slice(start).split("\n");
    const first = lines.findIndex((line) => line.startsWith("|"));
    const rows: string[][] = [];
    for (const line of lines.slice(first)) {
        if (!line.startsWith("|")) {
            break;
        }
        rows.push(
            line
                .slice(1, -1)
                .split(/(?<!\\)\|/)
                .map((cell) => cell.trim()),
        );
    }
    return rows.slice(2);
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, "");

/** Output names in the first column of the table after `marker`; a cell may name several ("`a`, `b`"). */
function documentedOutputs(doc: string, marker: string): string[] {
    return tableAfter(doc, marker)
        .flatMap(([names]) => names.split(", ").map(unquote))
        .sort();
}

describe("README", function () {
    this.timeout(60000);

    it("documents every config key of Pulumi.yaml with its default, and no other", () => {
        const project = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { default: unknown }>;
        };
        const documented = Object.fromEntries(
            tableAfter(README, "config keys").map(([key, value]) => [unquote(key), value]),
        );
        assert.deepEqual(Object.keys(documented).sort(), Object.keys(project.config).sort());
        for (const [key, declaration] of Object.entries(project.config)) {
            const expected = declaration.default === "" ? "(empty)" : `\`${String(declaration.default)}\``;
            assert.equal(documented[key], expected, `default of ${key}`);
        }
    });

    it("documents exactly the dev stack's outputs", async () => {
        const run = await runProgram({ stack: "dev" });
        assert.deepEqual(documentedOutputs(README, "outputs of the dev stack"), Object.keys(run.outputs).sort());
    });

    it("documents exactly the eks stack's outputs (docs/eks.md)", async () => {
        const run = await runProgram({ stack: "eks", mocks: awsMocks() });
        assert.deepEqual(documentedOutputs(EKS_DOC, "outputs of the eks stack"), Object.keys(run.outputs).sort());
    });

    it("has a two-command quick start whose scripts exist and are executable", () => {
        const quickStart = README.slice(README.indexOf("## Quick start"), README.indexOf("## Prerequisites"));
        const commands = [...quickStart.matchAll(/^(\.\/scripts\/[\w.-]+)/gm)].map((match) => match[1]);
        assert.deepEqual(commands, ["./scripts/deploy-dev.sh", "./scripts/test.sh"]);
        for (const command of commands) {
            fs.accessSync(path.join(PROJECT_DIR, command), fs.constants.X_OK);
        }
        const ci = fs.readFileSync(path.join(PROJECT_DIR, ".ci", "run"), "utf8");
        assert.match(ci, /^\.\/scripts\/test\.sh$/m, "CI runs the README's test command");
    });
});
