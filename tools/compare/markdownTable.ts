/** A table cell: pipes would end the cell early, newlines the row. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** "[aws.amazon.com/eks/pricing](https://aws.amazon.com/eks/pricing/)". */
export function sourceLink(url: string): string {
    return url.startsWith("https://") ? `[${url.replace(/^https:\/\//, "").replace(/\/$/, "")}](${url})` : url;
}
