import { strict as assert } from "assert";
import * as path from "path";
import { awsMocks, PROJECT_DIR, ProgramRun, RecordedResource, runProgram } from "../../tools/mockRuntime";
import { Manifest, ofType } from "./programQueries";

/** The provider references every resource of the eks stack must carry (type::name::id, as devStack.test.ts checks). */
export const AWS_PROVIDER =
    "urn:pulumi:eks::first-k8s::first-k8s:targets:EksTarget$pulumi:providers:aws::eks-aws::eks-aws-provider-id";
export const EKS_K8S_PROVIDER =
    "urn:pulumi:eks::first-k8s::first-k8s:targets:EksTarget$pulumi:providers:kubernetes::eks-k8s::eks-k8s-provider-id";

// The engine's marker for a secret value on the wire (sdk/nodejs/runtime/rpc.ts, specialSigKey/specialSecretSig).
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside a secret as a mock receives it, or `value` itself when it is not one. */
export function unsecret(value: unknown): Manifest {
    if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG) {
        return (value as { value: unknown }).value;
    }
    return value;
}

export function isSecretOnTheWire(value: unknown): boolean {
    return unsecret(value) !== value;
}

/** The one resource of `type` (and `name`, if given). */
export function one(run: ProgramRun, type: string, name?: string): RecordedResource {
    const found = ofType(run, type).filter((resource) => name === undefined || resource.name === name);
    assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

export interface EksRun {
    readonly run: ProgramRun;
    /** index.ts's module exports as the program left them: Outputs, with their secrecy. */
    readonly exports: Record<string, unknown>;
}

/** The day the eks stack's tests run on, for the program's version checks and the mocks' alike. */
export const TEST_DAY = new Date("2026-12-07T12:00:00Z");

/**
 * Runs the eks stack (Pulumi.eks.yaml plus `overrides`) under the mock runtime with the AWS mocks, on TEST_DAY
 * (or `today`).
 */
export async function runEksStack(overrides: Record<string, string> = {}, today: Date = TEST_DAY): Promise<EksRun> {
    const run = await runProgram({ stack: "eks", overrides, mocks: awsMocks({ today }), today });
    // The next run reloads index.ts; until then its module (and the Outputs it exported) is in the cache.
    const exports = require.cache[path.join(PROJECT_DIR, "index.ts")]?.exports as Record<string, unknown>;
    return { run, exports };
}

/**
 * The name the eks stack's cluster gets under the mocks: <project>-<stack>-<suffix>, the suffix the random provider
 * mock's hex for the stack's first lifetime. Read from the run, so a test names the cluster as the program did.
 */
export function clusterNameOf(run: ProgramRun): string {
    const suffix = String(one(run, "random:index/randomId:RandomId").state.hex);
    assert.match(suffix, /^[0-9a-f]{6}$/);
    return `first-k8s-eks-${suffix}`;
}

/** A policy document (a JSON string input) as an object. */
export function policyDocument(value: unknown): Manifest {
    return JSON.parse(String(value));
}
