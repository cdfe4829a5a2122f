import * as pulumi from "@pulumi/pulumi";
import { createdObject, existingObject, KNOWN_KINDS, KubernetesObject } from "./kubernetesObjects";

/** One resource the program registered, as the engine saw it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The provider reference ("urn::id") the resource was registered with, if any. */
    readonly provider: string | undefined;
    readonly custom: boolean;
    readonly id: string | undefined;
    /** A read of an existing object (`<Resource>.get(name, id)`), which the program does not create. */
    readonly read: boolean;
    /** What the mock returned as the resource's outputs. */
    readonly state: Record<string, unknown>;
}

export type ResourceMock = (args: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult;
export type CallMock = (args: pulumi.runtime.MockCallArgs) => pulumi.runtime.MockCallResult;

export interface MockTable {
    /** Mocks by exact resource type token. */
    readonly resources?: Readonly<Record<string, ResourceMock>>;
    /** Mocks by function token. */
    readonly calls?: Readonly<Record<string, CallMock>>;
}

const LOCAL_COMPONENT = /^(first-k8s:|pulumi:pulumi:Stack$)/;
const KUBERNETES_TYPE = /^kubernetes:([a-z0-9.]+\/)?[a-z0-9]+:([A-Za-z]+)$/;

/**
 * Records every registration and answers like the real providers. Anything it has no answer for fails
 * the run: a mock that quietly echoed its inputs would let a test pass against a fiction.
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /**
     * Registrations a mock refused (as a provider's create fails), in order, as the engine reports them. The SDK
     * turns a refusal into rejected outputs that nothing may await, so runInMockStack fails the run with these.
     */
    readonly failures: string[] = [];

    /**
     * @param table mocks for types the defaults do not cover.
     * @param serverFields whether Kubernetes objects come back with what the API server fills in (uid,
     *   clusterIP, nodePorts). Off for an offline render, where those stay unknown as in `pulumi preview`.
     */
    constructor(
        private readonly table: MockTable = {},
        private readonly serverFields = true,
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        let result: pulumi.runtime.MockResourceResult;
        try {
            result = this.answer(args);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            this.failures.push(`failed to register new resource ${args.name} [${args.type}]: ${message}`);
            throw error;
        }
        this.resources.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            provider: args.provider || undefined,
            custom: args.custom ?? false,
            id: result.id,
            read: Boolean(args.custom && args.id),
            state: result.state,
        });
        return result;
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const mock = this.table.calls?.[args.token];
        if (!mock) {
            throw new Error(`Mock call not implemented: ${args.token}`);
        }
        return mock(args);
    }

    private answer(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const mock = this.table.resources?.[args.type];
        if (mock) {
            return mock(args);
        }
        if (!args.custom && LOCAL_COMPONENT.test(args.type)) {
            // This program's own components hold no state; their outputs are their children's. Remote
            // components (another package's, run by its provider) need a mock in the table.
            return { id: undefined, state: {} };
        }
        if (args.type.startsWith("pulumi:providers:")) {
            // A provider's outputs are its inputs.
            return { id: `${args.name}-provider-id`, state: args.inputs };
        }
        const kubernetes = KUBERNETES_TYPE.exec(args.type);
        if (kubernetes && KNOWN_KINDS.has(kubernetes[2]) && args.id) {
            // `<Kind>.get(name, id)`: a read of an object the cluster already has.
            const module = args.type.split(":")[1];
            const apiVersion = module.startsWith("core/") ? module.slice("core/".length) : module;
            return existingObject({ apiVersion, kind: kubernetes[2] }, args.id, this.serverFields);
        }
        if (kubernetes && KNOWN_KINDS.has(kubernetes[2])) {
            return this.serverFields
                ? createdObject(args.inputs as KubernetesObject)
                : { id: undefined, state: args.inputs };
        }
        throw new Error(`Mock resource not implemented: ${args.type} (${args.name})`);
    }
}
