import { ConfigProblem } from "./errors";
import { imageReferenceProblem } from "./imageReference";

/** Raw config lookup by unqualified key, as `pulumi.Config#get` does it. */
export type RawConfig = (key: string) => string | undefined;

const INTEGER = /^-?[0-9]+$/;

/**
 * Reads raw string values and records every problem instead of throwing at the first one. Values are
 * parsed here, not with `Config#getNumber`, so every error has the same shape: key, value, expectation.
 */
export class ConfigReader {
    private readonly found: ConfigProblem[] = [];

    constructor(
        private readonly raw: RawConfig,
        private readonly project: string,
    ) {}

    get problems(): readonly ConfigProblem[] {
        return this.found;
    }

    qualified(key: string): string {
        return `${this.project}:${key}`;
    }

    problem(key: string, value: string, expected: string): void {
        this.found.push({ key: this.qualified(key), value, expected });
    }

    /** Whether `key` already has a problem, so a check that builds on its value does not report it twice. */
    hasProblem(key: string): boolean {
        return this.found.some((problem) => problem.key === this.qualified(key));
    }

    optionalString(key: string): string | undefined {
        const value = this.raw(key);
        return value === undefined || value.trim() === "" ? undefined : value.trim();
    }

    string(key: string, fallback: string): string {
        return this.optionalString(key) ?? fallback;
    }

    oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
        const value = this.string(key, fallback);
        if ((choices as readonly string[]).includes(value)) {
            return value as T;
        }
        this.problem(key, value, `one of ${choices.join(", ")}`);
        return fallback;
    }

    integer(key: string, fallback: number, bounds: { min: number; max: number }): number {
        const value = this.optionalString(key);
        if (value === undefined) {
            return fallback;
        }
        const parsed = INTEGER.test(value) ? Number(value) : Number.NaN;
        if (!Number.isSafeInteger(parsed) || parsed < bounds.min || parsed > bounds.max) {
            this.problem(key, value, `an integer from ${bounds.min} to ${bounds.max}`);
            return fallback;
        }
        return parsed;
    }

    matching(key: string, fallback: string, pattern: RegExp, expected: string): string {
        const value = this.string(key, fallback);
        if (!pattern.test(value)) {
            this.problem(key, value, expected);
        }
        return value;
    }

    /**
     * A list of strings. Pulumi hands an `array` config value to the program as JSON, so that is what this
     * parses; each item is then checked by `itemProblem` (undefined: fine). Reports the whole value when it
     * is not a non-empty list of strings, else each bad item on its own.
     */
    stringList(
        key: string,
        fallback: readonly string[],
        expected: { readonly list: string; readonly itemProblem: (item: string) => string | undefined },
    ): readonly string[] {
        const value = this.optionalString(key);
        if (value === undefined) {
            return fallback;
        }
        const items = parseStringList(value);
        if (items === undefined || items.length === 0) {
            this.problem(key, value, expected.list);
            return fallback;
        }
        let valid = true;
        for (const item of items) {
            const problem = expected.itemProblem(item);
            if (problem !== undefined) {
                this.problem(key, item, problem);
                valid = false;
            }
        }
        return valid ? items : fallback;
    }

    optionalImage(key: string): string | undefined {
        const value = this.optionalString(key);
        if (value !== undefined) {
            const problem = imageReferenceProblem(value);
            if (problem) {
                this.problem(key, value, problem);
            }
        }
        return value;
    }

    image(key: string, fallback: string): string {
        return this.optionalImage(key) ?? fallback;
    }
}

/** The items of a JSON list of non-empty strings; undefined for anything else. */
function parseStringList(value: string): string[] | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        return undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string" && item.trim() !== "")) {
        return undefined;
    }
    return parsed.map((item: string) => item.trim());
}
