/*
 * The stages of scripts/test.sh are described once, in docs/testing.md's numbered list (between <!-- stages -->
 * and <!-- /stages -->): `scripts/test.sh --help` prints that list, and CONTRIBUTING.md points to it and lists the
 * suites one may run alone. This holds the list and the table to what the script runs, and in its order.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/mockRuntime";
import { tableAfter } from "./markdownTables";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
const SCRIPT = read("scripts/test.sh");

/**
 * Each stage of docs/testing.md, in its order, with the steps of scripts/test.sh it stands for: the install_*
 * functions the script calls, and the banners (`stage "..."`, up to their details in parentheses) of the rest.
 */
const STAGE_STEPS: Readonly<Record<string, readonly string[]>> = {
    Install: [
        "install_system_packages",
        "install_node_debian_packages",
        "install_node_packages",
        "install_test_nodes",
        "install_backend_venv",
        "install_schema_venv",
        "install_kube_score",
    ],
    "Static checks": ["tsc --noEmit", "eslint", "prettier --check"],
    "Backend tests": ["pytest app/backend"],
    "Benchmark smoke run": ["bench smoke: npm run bench -- --smoke"],
    "Local engine": ["local engine: tools/engine/build.sh --real-node"],
    "Mocha suites": ["mocha: unit tests", "mocha: conformance gates, integration tests"],
    "Engine tests": ["mocha: engine tests"],
    "Real-pod tests": ["mocha: real pods"],
    "Leftovers check": ["leftovers: no temp folder, process or listening port remains"],
};

/** The script's body, in order: its lines outside the functions it defines (those run only when called). */
function bodyLines(script: string): string[] {
    const lines: string[] = [];
    let inFunction = false;
    for (const line of script.split("\n")) {
        if (/^[a-z_]+\(\) \{$/.test(line)) {
            inFunction = true;
        } else if (inFunction) {
            inFunction = line !== "}";
        } else {
            lines.push(line);
        }
    }
    return lines;
}

/** The steps the script runs, in order: install_* calls and stage banners of its body. */
function scriptSteps(script: string): string[] {
    return bodyLines(script).flatMap((line) => {
        const call = /^(install_\w+)$/.exec(line);
        const banner = /^\s*stage "([^"]*)"/.exec(line);
        return call ? [call[1]] : banner ? [banner[1].split(" (")[0]] : [];
    });
}

/** The suites the script runs, in order: `npm run test:<suite>` (a loop's suites expanded) and pytest. */
function scriptSuites(script: string): string[] {
    let loop: string[] = [];
    return bodyLines(script).flatMap((line) => {
        const suites = /^for suite in ([\w ]+); do$/.exec(line);
        if (suites) {
            loop = suites[1].split(" ");
        }
        if (/-m pytest app\/backend/.test(line)) {
            return ["pytest app/backend"];
        }
        const run = /npm run "?test:(\$suite|\w+)"?/.exec(line);
        return !run ? [] : run[1] === "$suite" ? loop.map((suite) => `test:${suite}`) : [`test:${run[1]}`];
    });
}

/** docs/testing.md's list of stages, as the Markdown between its markers. */
function stagesBlock(doc: string): string {
    const match = /^<!-- stages -->\n([\s\S]*?)^<!-- \/stages -->$/m.exec(doc);
    assert.ok(match, "docs/testing.md has <!-- stages --> ... <!-- /stages -->");
    return match[1];
}

describe("the stages of scripts/test.sh, described once (docs/testing.md)", () => {
    let block: string;
    let items: RegExpMatchArray[];
    before(() => {
        block = stagesBlock(read("docs/testing.md"));
        items = [...block.matchAll(/^(\d+)\. \*\*([^*]+)\*\*/gm)];
    });

    it("are numbered 1 to n, each item starting with its name in bold", () => {
        assert.deepEqual(
            items.map((item) => Number(item[1])),
            items.map((_, index) => index + 1),
        );
        assert.equal(block.match(/^\d+\. /gm)?.length, items.length, "every item is named");
    });

    it("are, in docs/testing.md's order, exactly the steps the script runs, in its order", () => {
        const names = items.map((item) => item[2]);
        assert.deepEqual(names, Object.keys(STAGE_STEPS));
        assert.deepEqual(
            names.flatMap((name) => STAGE_STEPS[name]),
            scriptSteps(SCRIPT),
        );
    });

    it("are what scripts/test.sh --help prints, without the Markdown", () => {
        const help = execFileSync("bash", [path.join(PROJECT_DIR, "scripts", "test.sh"), "--help"], {
            encoding: "utf8",
        });
        assert.ok(help.includes(`Stages, in order (docs/testing.md):\n${block.replace(/\*\*|`/g, "")}`), help);
    });

    it("are pointed to by CONTRIBUTING.md, whose table lists the suites the script runs, in its order", () => {
        const contributing = read("CONTRIBUTING.md");
        assert.match(contributing, /stages, in order, are described in\s+\[docs\/testing\.md\]\(docs\/testing\.md\)/);
        const listed = tableAfter(contributing, "suites").flatMap(([command]) =>
            [...command.matchAll(/npm run (test:\w+)|-m (pytest app\/backend)/g)].map((match) => match[1] ?? match[2]),
        );
        assert.deepEqual(listed, scriptSuites(SCRIPT));
    });
});
