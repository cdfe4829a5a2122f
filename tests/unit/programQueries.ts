import { strict as assert } from "assert";
import { ProgramRun, RecordedResource } from "../../tools/mockRuntime";

/** Typed-enough access to a recorded Kubernetes object's inputs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = any;

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((resource) => resource.type === type);
}

export function kubernetesResources(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((resource) => resource.type.startsWith("kubernetes:"));
}

/** The one Kubernetes object of `kind` named `name` (metadata.name), as the program declared it. */
export function manifest(run: ProgramRun, kind: string, name: string): Manifest {
    const found = kubernetesResources(run).filter(
        (resource) => resource.inputs.kind === kind && (resource.inputs.metadata as Manifest)?.name === name,
    );
    assert.equal(found.length, 1, `expected one ${kind} named ${name}, found ${found.length}`);
    return found[0].inputs;
}

export function countByKind(run: ProgramRun): Record<string, number> {
    const counts: Record<string, number> = {};
    // Objects only: a Helm release (kubernetes:helm.sh/v3:Release) is the provider's resource, not an object.
    for (const resource of kubernetesResources(run).filter((created) => !created.read && "kind" in created.inputs)) {
        const kind = String(resource.inputs.kind);
        counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return counts;
}
