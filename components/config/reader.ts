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
