import { strict as assert } from "assert";

/**
 * Rows of the Markdown table right after the comment `<!-- marker -->` in `doc`, as arrays of cell texts.
 * A marker, not a heading, finds the table: headings and wording may change freely.
 */
export function tableAfter(doc: string, marker: string): string[][] {
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
