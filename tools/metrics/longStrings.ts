import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/*
 * Counts the long string literals of a source tree: string literals, plain templates and templates with
 * substitutions whose text (between the quotes, substitutions counted as written) is at least MIN_LENGTH
 * characters. Prose that the code builds sits in such literals, so their count tracks how much of it is left.
 */

const MIN_LENGTH = 60;

export interface LongString {
    readonly file: string;
    readonly line: number;
    readonly text: string;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return sourceFiles(full);
        }
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** Long literals of one file; a template counts once, as a whole, not per part. */
export function longStringsOf(file: string, text: string): LongString[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found: LongString[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
            const literal = node.getText(source).slice(1, -1);
            if (literal.length >= MIN_LENGTH && !ts.isImportDeclaration(node.parent)) {
                const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
                found.push({ file, line: line + 1, text: literal });
            }
            return;
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

function main(argv: string[]): void {
    const list = argv.includes("--list");
    const [root = "components", ...excluded] = argv.filter((arg) => arg !== "--list");
    const all = sourceFiles(root)
        .filter((file) => !excluded.some((prefix) => file.startsWith(prefix)))
        .flatMap((file) => longStringsOf(file, fs.readFileSync(file, "utf8")));
    if (list) {
        for (const literal of all) {
            console.log(`${literal.file}:${literal.line}: ${literal.text}`);
        }
    }
    const byFolder = new Map<string, number>();
    for (const literal of all) {
        const folder = path.dirname(literal.file);
        byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
    }
    for (const [folder, count] of [...byFolder].sort()) {
        console.log(`${String(count).padStart(4)} ${folder}`);
    }
    console.log(
        `${String(all.length).padStart(4)} in all (${MIN_LENGTH}+ characters, ${excluded.length > 0 ? `without ${excluded.join(", ")}` : "every file"})`,
    );
}

if (require.main === module) {
    main(process.argv.slice(2));
}
