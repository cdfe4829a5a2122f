/** The README's concepts table (after `<!-- concepts -->`), for the tests that keep it true. */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ConceptRow {
    readonly concept: string;
    /** The "what to run" cell, Markdown as written (backticks included). */
    readonly command: string;
    readonly shows: string;
}

const README = path.resolve(__dirname, "..", "..", "README.md");

export function conceptRows(readme = fs.readFileSync(README, "utf8")): ConceptRow[] {
    const start = readme.indexOf("<!-- concepts -->");
    if (start < 0) {
        throw new Error("README.md has no <!-- concepts --> marker before the concepts table");
    }
    const lines = readme.slice(start).split("\n").slice(1);
    const table = lines.slice(
        0,
        lines.findIndex((line) => !line.startsWith("|")),
    );
    return table.slice(2).map((line) => {
        // Split on pipes that are not escaped (\|) and not inside a code span.
        const cells: string[] = [];
        let current = "";
        let inCode = false;
        for (let i = 1; i < line.length - 1; i++) {
            const c = line[i];
            if (c === "`") {
                inCode = !inCode;
            }
            if (c === "|" && !inCode && line[i - 1] !== "\\") {
                cells.push(current.trim());
                current = "";
            } else {
                current += c;
            }
        }
        cells.push(current.trim());
        const [concept, command, shows] = cells;
        return { concept, command, shows };
    });
}

/**
 * The `kubectl get` and `kubectl drain` commands of a row (in either cell), as a shell would run them: the ones that only read
 * the API (or ask the server for a dry run), which a control plane without real containers can answer.
 * Watches (-w) are left out, and \| in a code span is Markdown for a pipe.
 */
export function readOnlyKubectlCommands(row: ConceptRow): string[][] {
    return [...`${row.command} ${row.shows}`.matchAll(/`(kubectl (?:get|drain) [^`]+)`/g)]
        .map((match) => match[1].replace(/\\\|/g, "|"))
        .filter((command) => !command.includes("|") && !/ -w\b/.test(command))
        .map((command) => command.split(" ").slice(1));
}

/** Splits a command as a POSIX shell would, for the single quotes the README uses. */
export function shellWords(command: string): string[] {
    const words: string[] = [];
    let current = "";
    let quoted = false;
    let inWord = false;
    for (const character of command) {
        if (character === "'") {
            quoted = !quoted;
            inWord = true;
        } else if (character === " " && !quoted) {
            if (inWord) {
                words.push(current);
            }
            current = "";
            inWord = false;
        } else {
            current += character;
            inWord = true;
        }
    }
    if (quoted) {
        throw new Error(`unbalanced single quote in: ${command}`);
    }
    if (inWord) {
        words.push(current);
    }
    return words;
}
