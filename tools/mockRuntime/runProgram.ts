import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { MockTable, RecordedResource, RecordingMocks } from "./recordingMocks";
import { resolveStackConfig } from "./stackConfig";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The value of a stack output a preview cannot know yet (as `pulumi preview` shows "output<string>"). */
export const UNKNOWN_OUTPUT = "<unknown until pulumi up>";

export interface ProgramRun {
    readonly stack: string;
    /** Every resource registered, in registration order. */
    readonly resources: readonly RecordedResource[];
    /** "type::name" of each resource to "type::name" of its parent (absent: a child of the stack). */
    readonly parents: ReadonlyMap<string, string>;
    /** Stack outputs, resolved; in a preview, those not known yet are UNKNOWN_OUTPUT. */
    readonly outputs: Record<string, unknown>;
    /** Names of the outputs that are secrets. */
    readonly secretOutputs: ReadonlySet<string>;
}

export interface RunOptions {
    /** Stack name; its config comes from Pulumi.<stack>.yaml unless `stackFile` says otherwise. */
    readonly stack: string;
    readonly stackFile?: string;
    /** Config values over the stack file's, by unqualified key ("backendMinReplicas": "3"). */
    readonly overrides?: Readonly<Record<string, string>>;
    /** Mocks for types the default table does not know (cloud resources, remote components). */
    readonly mocks?: MockTable;
    /** Run as `pulumi preview`: outputs a mock does not return stay unknown instead of failing. */
    readonly preview?: boolean;
    /** Records the run (see programMocks); pass one to inspect what was registered when the program throws. */
    readonly recorder?: RecordingMocks;
    /** The day the program checks EKS versions on (components/config/checkDay.ts). Default: the real date. */
    readonly today?: Date;
}

/** The key of a resource in ProgramRun.parents. */
export function resourceKey(type: string, name: string): string {
    return `${type}::${name}`;
}

/** What @pulumi/command's local.Command returns: its inputs plus the command's output streams. */
const DEFAULT_MOCKS: MockTable = {
    resources: {
        "command:local:Command": (args) => ({
            id: `${args.name}-id`,
            state: { ...args.inputs, stdout: "", stderr: "" },
        }),
    },
};

/** Mocks for this program: the defaults plus `table`, which wins where both know a token. */
export function programMocks(table: MockTable = {}, serverFields = true): RecordingMocks {
    return new RecordingMocks(
        {
            resources: { ...DEFAULT_MOCKS.resources, ...table.resources },
            calls: { ...DEFAULT_MOCKS.calls, ...table.calls },
        },
        serverFields,
    );
}

function forgetProjectModules(): void {
    for (const id of Object.keys(require.cache)) {
        if (
            id.startsWith(PROJECT_DIR) &&
            !id.includes(`${path.sep}node_modules${path.sep}`) &&
            !id.includes(`${path.sep}tools${path.sep}`)
        ) {
            delete require.cache[id];
        }
    }
}

/**
 * Runs index.ts as `pulumi up` would, under Pulumi's mock runtime: same config resolution, same code
 * paths, with the engine and providers replaced by RecordingMocks. Each run loads the program afresh,
 * so runs with different config do not share state.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    const stackFile = options.stackFile ?? path.join(PROJECT_DIR, `Pulumi.${options.stack}.yaml`);
    const config = resolveStackConfig(PROJECT_DIR, stackFile);
    for (const [key, value] of Object.entries(options.overrides ?? {})) {
        config.values[`${config.project}:${key}`] = value;
    }
    const mocks = options.recorder ?? programMocks(options.mocks);
    forgetProjectModules();
    // The program's own copy of the module (just forgotten, so loaded afresh here and by index.ts alike).
    const checkDayModule = path.join(PROJECT_DIR, "components", "config", "checkDay");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pinCheckDay } = require(checkDayModule) as typeof import("../../components/config/checkDay");
    pinCheckDay(options.today);
    const settings = { project: config.project, stack: options.stack, config: config.values, preview: options.preview };
    return runInMockStack(mocks, settings, () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(path.join(PROJECT_DIR, "index.ts")),
    );
}

export interface MockStackSettings {
    readonly project: string;
    readonly stack: string;
    /** Fully qualified config keys to values. */
    readonly config?: Record<string, string>;
    /** A preview (dry run) rather than an update. Default: false. */
    readonly preview?: boolean;
}

/**
 * Runs `program` inside a root stack under the mock runtime and waits for every registration to reach
 * `mocks`. Components can be tested on their own this way, with the same recording as a whole program.
 */
export async function runInMockStack(
    mocks: RecordingMocks,
    settings: MockStackSettings,
    program: () => unknown,
): Promise<ProgramRun> {
    await pulumi.runtime.setMocks(mocks, settings.project, settings.stack, settings.preview ?? false);
    pulumi.runtime.setAllConfig(settings.config ?? {});
    const parents = new Map<string, string>();
    const keys = new Map<pulumi.Resource, string>();
    let programExports: Record<string, unknown> = {};
    const settled = new Map<string, unknown>();
    const secretOutputs = new Set<string>();
    // As the Pulumi language host does, a rejection nothing handles fails the run (a refused registration ends up
    // as one: the resource's outputs reject). Without this listener mocha would swallow it and the test pass.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    let programError: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // The mock monitor is not told parents, so the SDK's own transformation hook records them.
            pulumi.runtime.registerStackTransformation((args) => {
                const key = resourceKey(args.type, args.name);
                keys.set(args.resource, key);
                const parent = args.opts.parent && keys.get(args.opts.parent);
                if (parent) {
                    parents.set(key, parent);
                }
                return undefined;
            });
            programExports = (program() ?? {}) as Record<string, unknown>;
            // Each output on its own: in a preview, one unknown output makes the stack's whole output
            // object unknown, and would hide the others.
            for (const [name, value] of Object.entries(programExports)) {
                if (pulumi.Output.isInstance(value)) {
                    value.apply((resolved) => settled.set(name, resolved));
                    void pulumi.isSecret(value).then((secret) => secret && secretOutputs.add(name));
                } else {
                    settled.set(name, value);
                }
            }
            return programExports;
        });
    } catch (error) {
        programError = error;
    } finally {
        // Registrations and applies go on after the program returns; wait until the RPC queue is empty.
        await pulumi.runtime.disconnect();
        // Node reports unhandled rejections after the microtasks they were made in: one turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onUnhandled);
    }
    // A refused registration first, as the engine reports it: the program's own error is then one of its echoes
    // (an Output that waited for the refused resource).
    if (mocks.failures.length > 0) {
        throw new Error(mocks.failures.join("\n"));
    }
    if (programError !== undefined) {
        throw programError;
    }
    if (unhandled.length > 0) {
        throw unhandled[0] instanceof Error ? unhandled[0] : new Error(String(unhandled[0]));
    }
    const outputs = Object.fromEntries(
        Object.keys(programExports).map((name) => [name, settled.has(name) ? settled.get(name) : UNKNOWN_OUTPUT]),
    );
    return { stack: settings.stack, resources: mocks.resources, parents, outputs, secretOutputs };
}
