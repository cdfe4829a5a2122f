import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { awsMocks, PROJECT_DIR, runProgram } from "../../tools/mockRuntime";
import { tableAfter } from "./markdownTables";

const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const EKS_DOC = fs.readFileSync(path.join(PROJECT_DIR, "docs", "eks.md"), "utf8");

const unquote = (cell: string) => cell.replace(/^`|`$/g, "");

/** Output names in the first column of the table after `marker`; a cell may name several ("`a`, `b`"). */
function documentedOutputs(doc: string, marker: string): string[] {
    return tableAfter(doc, marker)
        .flatMap(([names]) => names.split(", ").map(unquote))
        .sort();
}

describe("README", function () {
    this.timeout(60000);

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
