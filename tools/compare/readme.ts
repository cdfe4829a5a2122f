import * as path from "path";
import { PROJECT_DIR } from "../mockRuntime";

export const README_PATH = path.join(PROJECT_DIR, "README.md");
export const BEGIN_MARKER = "<!-- compare:begin -->";
export const END_MARKER = "<!-- compare:end -->";

function markers(readme: string): { begin: number; end: number } {
    const begin = readme.indexOf(BEGIN_MARKER);
    const end = readme.indexOf(END_MARKER);
    if (begin < 0 || end < begin || readme.indexOf(BEGIN_MARKER, begin + 1) >= 0) {
        throw new Error(`README.md needs exactly one ${BEGIN_MARKER} followed by ${END_MARKER}`);
    }
    return { begin: begin + BEGIN_MARKER.length, end };
}

/** What the README shows between the markers, without the blank lines that frame it. */
export function comparisonInReadme(readme: string): string {
    const { begin, end } = markers(readme);
    return readme.slice(begin, end).trim();
}

/** The README with `markdown` between the markers. */
export function withComparison(readme: string, markdown: string): string {
    const { begin, end } = markers(readme);
    return `${readme.slice(0, begin)}\n${markdown.trim()}\n${readme.slice(end)}`;
}
