import * as pulumi from "@pulumi/pulumi";

/** One bad config value: the fully qualified key, the value as given, and what was expected instead. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string;
    readonly expected: string;
}

function describeProblem(problem: ConfigProblem): string {
    return `${problem.key} = ${JSON.stringify(problem.value)}: expected ${problem.expected}`;
}

/**
 * A RunError, so the Pulumi CLI prints the message without a stack trace. Every problem is listed at
 * once, so a user fixes their stack config in one pass instead of one error per `pulumi up`.
 */
export class ConfigError extends pulumi.RunError {
    readonly problems: readonly ConfigProblem[];

    constructor(problems: readonly ConfigProblem[]) {
        super(
            `Invalid stack configuration (nothing was created):\n${problems
                .map((problem) => `  - ${describeProblem(problem)}`)
                .join("\n")}`,
        );
        this.name = "ConfigError";
        this.problems = problems;
    }
}
