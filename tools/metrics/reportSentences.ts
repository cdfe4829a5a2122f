import * as fs from "fs";

/*
 * Lists the strings of six or more words in the JSON of `npm run compare -- --json` (the reports of both stacks,
 * the same objects as each stack's `report` output): a fact or a typed result should be a number, an enum or an
 * identifier, so such a string is prose that belongs to the renderer.
 */

const MIN_WORDS = 6;

export function sentencesIn(value: unknown, at = ""): { path: string; text: string }[] {
    if (typeof value === "string") {
        return value.split(/\s+/).filter(Boolean).length >= MIN_WORDS ? [{ path: at, text: value }] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item) => sentencesIn(item, `${at}[]`));
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, item]) => sentencesIn(item, `${at}.${key}`));
    }
    return [];
}

function main(file: string): void {
    const { stacks } = JSON.parse(fs.readFileSync(file, "utf8")) as { stacks: { facts: { stack: string } }[] };
    for (const report of stacks) {
        const found = sentencesIn(report);
        console.log(`${report.facts.stack}: ${found.length} strings of ${MIN_WORDS}+ words`);
        for (const { path, text } of found) {
            console.log(`  ${path}: ${text}`);
        }
    }
}

if (require.main === module) {
    main(process.argv[2] ?? "/dev/stdin");
}
