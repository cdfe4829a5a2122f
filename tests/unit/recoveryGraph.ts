import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { StackReport } from "../../components/report/report";
import type { GraphNode } from "./criticalPath";
import {
    awsMocks,
    PROJECT_DIR,
    programMocks,
    resolveStackConfig,
    resourceKey,
    runInMockStack,
} from "../../tools/mockRuntime";

/*
 * The resource graph of a stack as `pulumi up` would walk it: every resource a provider creates (custom resources,
 * remote components, providers) with the ones it waits for. The mock monitor is not told dependencies, so they are
 * gathered as the SDK gathers them before it registers a resource (runtime/resource.ts, prepareResource): the
 * resources behind every Output, Promise and resource reference in its inputs, its dependsOn, its provider(s), and
 * its component ancestors' own dependencies (a child waits for its parent's URN, which a component only gets once
 * its dependencies exist). A dependency on one of this program's components stands for everything inside it.
 */

interface Registration {
    readonly key: string;
    readonly type: string;
    readonly resource: pulumi.Resource;
    readonly props: unknown;
    readonly opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;
    /**
     * A reference the SDK rebuilt from a URN (a remote component's outputs hand back resources so): the same
     * resource as an earlier registration, known by its key but with none of its inputs.
     */
    readonly reference: boolean;
}

/** This program's own components (and the stack): they create nothing, their children do. */
const LOCAL_COMPONENT = /^(first-k8s:|pulumi:pulumi:Stack$)/;

/** What the SDK would wait for in `value`: resources behind Outputs, inside Promises, arrays and objects. */
async function resourcesIn(value: unknown, seen = new Set<unknown>()): Promise<pulumi.Resource[]> {
    if (value === null || typeof value !== "object" || seen.has(value)) {
        return [];
    }
    seen.add(value);
    if (pulumi.Resource.isInstance(value)) {
        return [value];
    }
    if (pulumi.Output.isInstance(value)) {
        const behind = [...(await pulumi.getAllResources(value))];
        const inner = await new Promise<unknown>((resolve) => value.apply((resolved) => resolve(resolved)));
        return [...behind, ...(await resourcesIn(inner, seen))];
    }
    if (value instanceof Promise) {
        return resourcesIn(await value, seen);
    }
    const nested = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    return (await Promise.all(nested.map((item) => resourcesIn(item, seen)))).flat();
}

/** Each resource's direct dependencies (before components are expanded), by key. */
async function directDependencies(registrations: readonly Registration[]): Promise<Map<string, Set<string>>> {
    const keys = new Map(registrations.map((registration) => [registration.resource, registration.key]));
    const direct = new Map<string, Set<string>>();
    for (const { key, props, opts } of registrations.filter((registration) => !registration.reference)) {
        const providers = [opts.provider, ...Object.values(opts.providers ?? {})];
        const resources = await resourcesIn([props, opts.dependsOn, providers]);
        direct.set(key, new Set(resources.map((resource) => keys.get(resource)).filter((dep) => dep !== undefined)));
    }
    return direct;
}

/** Key of every resource to its parent's; and each node's type. */
function parentsOf(registrations: readonly Registration[]): Map<string, string> {
    const keys = new Map(registrations.map((registration) => [registration.resource, registration.key]));
    const parents = new Map<string, string>();
    for (const { key, opts } of registrations.filter((registration) => !registration.reference)) {
        const parent = opts.parent && keys.get(opts.parent);
        if (parent) {
            parents.set(key, parent);
        }
    }
    return parents;
}

/** The resource graph of `registrations`: the created resources, each with what it waits for. */
async function graphOf(registrations: readonly Registration[], inputs: Map<string, unknown>): Promise<GraphNode[]> {
    const direct = await directDependencies(registrations);
    const parents = parentsOf(registrations);
    const types = new Map(registrations.map((registration) => [registration.key, registration.type]));
    const isComponent = (key: string) => LOCAL_COMPONENT.test(types.get(key) ?? "");
    const children = new Map<string, string[]>();
    for (const [child, parent] of parents) {
        children.set(parent, [...(children.get(parent) ?? []), child]);
    }
    const expand = (key: string): string[] => (isComponent(key) ? (children.get(key) ?? []).flatMap(expand) : [key]);
    const waitsFor = (key: string): string[] => {
        const parent = parents.get(key);
        const inherited = parent === undefined ? [] : isComponent(parent) ? waitsFor(parent) : [parent];
        return [...[...(direct.get(key) ?? [])].flatMap(expand), ...inherited];
    };
    return registrations
        .filter((registration) => !registration.reference && !isComponent(registration.key))
        .map((registration) => ({
            key: registration.key,
            type: registration.type,
            inputs: (inputs.get(registration.key) ?? {}) as Record<string, unknown>,
            dependsOn: [...new Set(waitsFor(registration.key))].filter((dep) => dep !== registration.key),
        }));
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

/** Runs the eks stack (Pulumi.eks.yaml plus `overrides`) under the mock runtime and returns its resource graph. */
export async function eksResourceGraph(overrides: Readonly<Record<string, string>> = {}): Promise<GraphNode[]> {
    return (await eksRun(overrides)).graph;
}

/** The same run's graph, and the report the program exports (its facts state the rebuild path). */
export async function eksRun(
    overrides: Readonly<Record<string, string>> = {},
): Promise<{ readonly graph: GraphNode[]; readonly report: StackReport }> {
    const config = resolveStackConfig(PROJECT_DIR, path.join(PROJECT_DIR, "Pulumi.eks.yaml"));
    for (const [key, value] of Object.entries(overrides)) {
        config.values[`${config.project}:${key}`] = value;
    }
    const registrations: Registration[] = [];
    forgetProjectModules();
    const run = await runInMockStack(
        programMocks(awsMocks()),
        { project: config.project, stack: "eks", config: config.values },
        () => {
            pulumi.runtime.registerStackTransformation((args) => {
                registrations.push({
                    key: resourceKey(args.type, args.name),
                    type: args.type,
                    resource: args.resource,
                    props: args.props,
                    opts: args.opts,
                    reference: Boolean((args.opts as { urn?: string }).urn),
                });
                return undefined;
            });
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(path.join(PROJECT_DIR, "index.ts"));
        },
    );
    const inputs = new Map(
        run.resources.map((resource) => [resourceKey(resource.type, resource.name), resource.inputs]),
    );
    return { graph: await graphOf(registrations, inputs), report: run.outputs.report as StackReport };
}
