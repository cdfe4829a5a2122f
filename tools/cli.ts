/** What the project's command-line tools (npm run render, conformance, local-cluster, etcd) share. */

/** The value after `--name` in `argv`; undefined when the option is absent. */
export function option(argv: readonly string[], name: string): string | undefined {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
}

/** Runs `main` on the process's arguments and exits with its code; an error prints "error: ..." and exits `failureCode`. */
export function runCli(main: (argv: string[]) => Promise<number>, failureCode = 1): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: Error) => {
            console.error(`error: ${error.message}`);
            process.exit(failureCode);
        },
    );
}
