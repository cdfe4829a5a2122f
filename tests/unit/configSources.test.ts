/*
 * Pulumi.yaml is the source of every config key, its type and its default: the CLI hands its defaults to the
 * program, and a reader of the project file sees them there. Two copies follow it, each for its own reader:
 * components/config/defaults.ts (typed literals the program and the tests use) and the README's configuration
 * table (the learner's). This checks both against it key by key, so changing one of the three alone fails here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { CONFIG_DEFAULTS, OPTIONAL_CONFIG_KEYS } from "../../components/config";
import { PROJECT_DIR } from "../../tools/mockRuntime";
import { tableAfter } from "./markdownTables";

interface Declaration {
    readonly type: string;
    readonly items?: { readonly type: string };
    readonly default: unknown;
    readonly description: string;
}

const DECLARED = (
    yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, Declaration>;
    }
).config;

/** The README's table after <!-- config keys -->, by key: [type, default] cells. */
const DOCUMENTED = new Map(
    tableAfter(fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8"), "config keys").map(
        ([key, type, value]) => [key.replace(/^`|`$/g, ""), { type, value }],
    ),
);

/** How the README names each type Pulumi.yaml uses (the project's lists are all lists of strings). */
const README_TYPE: Record<string, string> = { string: "string", integer: "integer", array: "list of strings" };

/** A default as the README writes it: each value in code font, a list's items one by one, "" as (empty). */
function readmeDefault(value: unknown): string {
    if (value === "") {
        return "(empty)";
    }
    return (Array.isArray(value) ? value : [value]).map((item) => `\`${String(item)}\``).join(", ");
}

/** Whether `value` is of the type Pulumi.yaml declares (the CLI would refuse the default otherwise). */
function isOfType(value: unknown, declaration: Declaration): boolean {
    switch (declaration.type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value);
        case "array":
            return (
                declaration.items?.type === "string" &&
                Array.isArray(value) &&
                value.every((item) => typeof item === "string")
            );
        default:
            return false;
    }
}

describe("config keys: Pulumi.yaml, components/config/defaults.ts and the README agree", () => {
    const optional: readonly string[] = OPTIONAL_CONFIG_KEYS;

    it("name the same keys", () => {
        const declared = Object.keys(DECLARED).sort();
        assert.deepEqual([...Object.keys(CONFIG_DEFAULTS), ...optional].sort(), declared, "defaults.ts");
        assert.deepEqual([...DOCUMENTED.keys()].sort(), declared, "README");
    });

    for (const [key, declaration] of Object.entries(DECLARED)) {
        describe(key, () => {
            it("is declared with a description and a default of its type", () => {
                assert.ok(declaration.description.length > 20, "a description");
                assert.ok(isOfType(declaration.default, declaration), `${JSON.stringify(declaration.default)}`);
            });

            it("has that default in defaults.ts, as a value of the same type (optional when it is empty)", () => {
                const coded = (CONFIG_DEFAULTS as Record<string, unknown>)[key];
                if (declaration.default === "") {
                    assert.ok(optional.includes(key), "an empty default: an optional key");
                    assert.equal(coded, undefined, "an optional key has no default in CONFIG_DEFAULTS");
                } else {
                    assert.ok(!optional.includes(key), "a key with a default is not optional");
                    // Strict: 2 and "2", or ["a"] and "a", differ.
                    assert.deepEqual(coded, declaration.default);
                }
            });

            it("has that type and default in the README's table", () => {
                const row = DOCUMENTED.get(key);
                assert.ok(row, "a row");
                assert.equal(row.type, README_TYPE[declaration.type], "type");
                assert.equal(row.value, readmeDefault(declaration.default), "default");
            });
        });
    }
});
