import * as pulumi from "@pulumi/pulumi";

/**
 * A value of type T as a mock answers it: plain, any object's fields optional at every depth (a mock gives only what
 * the program reads), and a resource (an output that is a reference under `pulumi up`) as the outputs it has.
 */
export type MockValue<T> = T extends pulumi.Resource
    ? MockOutputs<T>
    : T extends readonly (infer E)[]
      ? MockValue<E>[]
      : T extends object
        ? { readonly [K in keyof T]?: MockValue<T[K]> }
        : T;

/**
 * The outputs of the resource class R (its `pulumi.Output` properties) as a mock answers them. Checked with
 * `satisfies`, a misspelt or retyped field fails tsc, and so does one the provider renames or retypes on an upgrade.
 */
export type MockOutputs<R> = {
    readonly [K in keyof R as R[K] extends pulumi.Output<unknown> ? K : never]?: R[K] extends pulumi.Output<infer T>
        ? MockValue<T>
        : never;
};

/** An input as a mock receives it: resolved, as the engine sends a resource to its provider once its inputs are. */
type Resolved<T> = T extends pulumi.OutputInstance<unknown> | Promise<unknown>
    ? never
    : T extends readonly (infer E)[]
      ? Resolved<E>[]
      : T extends object
        ? { readonly [K in keyof T]: Resolved<T[K]> }
        : T;

/** The arguments K of the Args type of a resource, as its mock reads them (a renamed argument fails tsc). */
export type MockInputs<Args, K extends keyof Args> = { readonly [P in K]?: Resolved<Args[P]> };
