/**
 * The real Pulumi engine through the Automation API: the project copied to a temp folder (so `pulumi config
 * set` never writes into the repository's stack files), a local file backend, a PULUMI_HOME of its own, and
 * the CLI, language host and Kubernetes provider that tools/engine/build.sh built, found on PATH. Nothing is
 * downloaded: automatic plugin acquisition is off.
 */
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { engine, tempDir } from "./cluster";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** What the program needs at run time: the rest of the repository (tests, tools, docs) is not part of it. */
const PROGRAM_FILES = [
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "Pulumi.eks.yaml",
    "index.ts",
    "package.json",
    "tsconfig.json",
    "components",
    "app",
];

function isBuildLeftover(source: string): boolean {
    const name = path.basename(source);
    return name === "__pycache__" || name === ".pytest_cache" || name.endsWith(".pyc");
}

/** A copy of the Pulumi project in a temp folder, sharing the repository's node_modules. */
export function copyProject(): string {
    const dir = tempDir("project");
    for (const file of PROGRAM_FILES) {
        fs.cpSync(path.join(REPO_ROOT, file), path.join(dir, file), {
            recursive: true,
            filter: (source) => !isBuildLeftover(source),
        });
    }
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

export interface EngineStack {
    readonly stack: Stack;
    readonly projectDir: string;
    /** Where the file backend keeps the stack's state. */
    readonly stateDir: string;
    /** The output of every engine operation so far, for a failing test's report. */
    readonly log: string[];
    /** Deletes the project copy, the state and PULUMI_HOME. */
    remove(): void;
}

/** What the engine's processes (and so the program's commands) get beyond the engine's own PATH. */
export interface StackEnvironment {
    /** Folders put first on PATH (a stand-in for a command the program runs). */
    readonly pathFirst?: readonly string[];
    readonly variables?: Readonly<Record<string, string>>;
}

/**
 * Creates stack `stackName` of a fresh project copy against the cluster behind `kubeconfig`, with `config`
 * set as `pulumi config set` would (unqualified keys are the project's).
 */
export async function createStack(
    stackName: string,
    kubeconfig: string,
    config: Readonly<Record<string, string>>,
    environment: StackEnvironment = {},
): Promise<EngineStack> {
    const projectDir = copyProject();
    const stateDir = tempDir("state");
    const pulumiHome = tempDir("pulumi-home");
    const install = engine();
    const envVars = {
        ...environment.variables,
        PATH: [
            ...(environment.pathFirst ?? []),
            ...install.pathEntries,
            path.dirname(process.execPath),
            process.env.PATH ?? "",
        ].join(path.delimiter),
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "engine-tests",
        PULUMI_HOME: pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        KUBECONFIG: kubeconfig,
    };
    const pulumiCommand = await PulumiCommand.get({ root: commandRoot(install.binary("pulumi")) });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, workDir: projectDir },
        { pulumiHome, envVars, pulumiCommand },
    );
    await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value }])));
    return {
        stack,
        projectDir,
        stateDir,
        log: [],
        remove() {
            for (const dir of [projectDir, stateDir, pulumiHome]) {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    };
}

/** PulumiCommand.get looks for <root>/bin/pulumi. */
function commandRoot(pulumiBinary: string): string {
    const binDir = path.dirname(pulumiBinary);
    if (path.basename(binDir) !== "bin") {
        throw new Error(`The engine's pulumi binary must sit in a bin/ folder for the Automation API: ${pulumiBinary}`);
    }
    return path.dirname(binDir);
}

/**
 * An after hook's end of a stack: destroys it if it can (a failed test may have left it half-made, and the
 * cluster is thrown away next anyway), then deletes the project copy, the state and PULUMI_HOME.
 */
export async function destroyAndRemove(target: EngineStack | undefined): Promise<void> {
    if (target === undefined) {
        return;
    }
    try {
        await target.stack.destroy({ onOutput: () => undefined });
    } catch {
        // See above: nothing of it outlives the suite's cluster.
    }
    target.remove();
}

/** Collects an operation's output into `target.log` (printed by printLogIfFailed). */
export function logTo(target: EngineStack, operation: string): { onOutput: (out: string) => void } {
    target.log.push(`===== ${operation}`);
    return { onOutput: (out: string) => target.log.push(out) };
}

/**
 * When the test just run failed: the Pulumi output, and where the cluster's pods are and why (events), so a CI
 * failure explains itself.
 */
export function printLogIfFailed(
    test: Mocha.Test | undefined,
    target: EngineStack | undefined,
    cluster?: { kubectl(args: readonly string[]): string },
): void {
    if (test?.state !== "failed") {
        return;
    }
    if (target !== undefined) {
        console.error(`----- Pulumi output -----\n${target.log.join("")}`);
    }
    if (cluster !== undefined) {
        for (const args of [
            ["get", "nodes,pods", "-A", "-o", "wide"],
            ["get", "events", "-A", "--sort-by=.lastTimestamp"],
        ]) {
            try {
                console.error(`----- kubectl ${args.join(" ")} -----\n${cluster.kubectl(args)}`);
            } catch (error) {
                console.error(`----- kubectl ${args.join(" ")} failed: ${String(error)}`);
            }
        }
    }
}
