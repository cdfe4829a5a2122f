import * as fs from "fs";
import * as path from "path";
import {
    KINDS_IN_APPLY_ORDER,
    MockTable,
    PROJECT_DIR,
    programMocks,
    RecordedResource,
    resourceKey,
    runProgram,
} from "../mockRuntime";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER, withPlaceholders } from "./placeholders";

/** A Kubernetes object as written to rendered/<stack>/. */
export interface RenderedObject {
    /** Stable file name; the numeric prefix orders `kubectl apply -f` (the namespace first). */
    readonly file: string;
    readonly manifest: Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };
}

/** One resource of the program, as plan.json lists it. */
export interface PlanEntry {
    readonly type: string;
    readonly name: string;
    /** "type::name" of the parent component; absent for children of the stack. */
    readonly parent?: string;
    /** "type::name" of the explicit provider; absent for default providers. */
    readonly provider?: string;
    /** Kubernetes objects: where the manifest is; others: their inputs, with placeholders. */
    readonly inputs: unknown;
}

export interface Rendering {
    readonly stack: string;
    readonly objects: readonly RenderedObject[];
    readonly plan: readonly PlanEntry[];
    /** Stack outputs, with placeholders where only the cloud knows the value. */
    readonly outputs: Record<string, unknown>;
}

export function stackFile(stack: string): string {
    return path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
}

/** The stacks that have a config file in the project. */
export function availableStacks(): string[] {
    return fs
        .readdirSync(PROJECT_DIR)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

function fileNameOf(kind: string, name: string): string {
    const order = (KINDS_IN_APPLY_ORDER as readonly string[]).indexOf(kind);
    if (order < 0) {
        throw new Error(`render: no apply order for kind ${kind}; add it to KINDS_IN_APPLY_ORDER`);
    }
    return `${String(order).padStart(2, "0")}-${kind.toLowerCase()}-${name}.yaml`;
}

/** "urn:pulumi:<stack>::<project>::<type chain>::<name>::<id>" to "type::name". */
function providerKey(reference: string | undefined): string | undefined {
    if (!reference) {
        return undefined;
    }
    const [, , typeChain, name] = reference.split("::");
    return resourceKey(typeChain.split("$").pop() ?? typeChain, name);
}

function isKubernetesObject(resource: RecordedResource): boolean {
    return resource.type.startsWith("kubernetes:") && typeof resource.inputs.kind === "string";
}

/**
 * Runs the real program as `pulumi preview` would, offline: the stack's own config file, the mock
 * runtime in preview mode, and mocks that return no invented cloud values, so whatever only the cloud
 * or the cluster can tell stays a placeholder. `overrides` set config keys over the stack file's, as
 * `pulumi config set` would.
 */
export async function renderStack(
    stack: string,
    cloudMocks: MockTable = {},
    overrides: Readonly<Record<string, string>> = {},
): Promise<Rendering> {
    const file = stackFile(stack);
    if (!fs.existsSync(file)) {
        throw new Error(`render: there is no ${path.basename(file)}; stacks here: ${availableStacks().join(", ")}`);
    }
    const run = await runProgram({
        stack,
        stackFile: file,
        overrides,
        preview: true,
        recorder: programMocks(cloudMocks, false),
    });

    const objects: RenderedObject[] = [];
    const plan: PlanEntry[] = [];
    for (const resource of run.resources) {
        if (resource.type === "pulumi:pulumi:Stack") {
            continue;
        }
        const key = resourceKey(resource.type, resource.name);
        let inputs: unknown;
        if (resource.read) {
            inputs = { read: resource.id };
        } else if (isKubernetesObject(resource)) {
            const manifest = withPlaceholders(resource.inputs) as RenderedObject["manifest"];
            const rendered = { file: fileNameOf(manifest.kind, manifest.metadata.name), manifest };
            objects.push(rendered);
            inputs = {
                kind: manifest.kind,
                namespace: manifest.metadata.namespace,
                name: manifest.metadata.name,
                file: rendered.file,
            };
        } else {
            inputs = withPlaceholders(resource.inputs);
        }
        plan.push({
            type: resource.type,
            name: resource.name,
            parent: run.parents.get(key),
            provider: providerKey(resource.provider),
            inputs,
        });
    }
    const files = objects.map((object) => object.file);
    const duplicate = files.find((name, index) => files.indexOf(name) !== index);
    if (duplicate) {
        throw new Error(`render: two objects would share the file ${duplicate}`);
    }
    objects.sort((a, b) => a.file.localeCompare(b.file));
    plan.sort((a, b) => resourceKey(a.type, a.name).localeCompare(resourceKey(b.type, b.name)));
    const outputs = Object.fromEntries(
        Object.entries(run.outputs).map(([name, value]) => [
            name,
            run.secretOutputs.has(name) && value !== UNKNOWN_PLACEHOLDER ? SECRET_PLACEHOLDER : withPlaceholders(value),
        ]),
    );
    return { stack, objects, plan, outputs };
}
