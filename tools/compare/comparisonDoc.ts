import * as path from "path";
import { PROJECT_DIR } from "../mockRuntime";

/** The page that shows the comparison between its markers. */
export const COMPARISON_DOC = path.join(PROJECT_DIR, "docs", "comparison.md");
export const BEGIN_MARKER = "<!-- compare:begin -->";
export const END_MARKER = "<!-- compare:end -->";

function markers(doc: string): { begin: number; end: number } {
    const begin = doc.indexOf(BEGIN_MARKER);
    const end = doc.indexOf(END_MARKER);
    if (begin < 0 || end < begin || doc.indexOf(BEGIN_MARKER, begin + 1) >= 0) {
        throw new Error(`docs/comparison.md needs exactly one ${BEGIN_MARKER} followed by ${END_MARKER}`);
    }
    return { begin: begin + BEGIN_MARKER.length, end };
}

/** What the page shows between the markers, without the blank lines that frame it. */
export function comparisonInDoc(doc: string): string {
    const { begin, end } = markers(doc);
    return doc.slice(begin, end).trim();
}

/** The page with `markdown` between the markers. */
export function withComparison(doc: string, markdown: string): string {
    const { begin, end } = markers(doc);
    return `${doc.slice(0, begin)}\n${markdown.trim()}\n${doc.slice(end)}`;
}
