import { RenderedObject } from "../render/renderStack";

/** The Kubernetes version whose OpenAPI schema kubernetes-models 4.5.1 carries. */
export const SCHEMA_KUBERNETES_VERSION = "v1.33.0";

export interface SchemaFinding {
    readonly file: string;
    readonly message: string;
}

interface Model {
    validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** kubernetes-models lays its classes out as <group>/<version>/<Kind>, the core group as v1/<Kind>. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
    if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z]+$/.test(kind)) {
        return undefined;
    }
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>)[kind];
    } catch {
        return undefined;
    }
}

/**
 * Validates each object against the OpenAPI schema of its apiVersion and kind (kubernetes-models, generated
 * from Kubernetes v1.33.0). Unknown fields are not schema errors there; they are compile errors already,
 * because every manifest is a TypeScript literal of @pulumi/kubernetes's generated input types.
 */
export function validateSchemas(objects: readonly Pick<RenderedObject, "file" | "manifest">[]): SchemaFinding[] {
    const findings: SchemaFinding[] = [];
    for (const { file, manifest } of objects) {
        const apiVersion = String(manifest.apiVersion);
        const Model = modelFor(apiVersion, manifest.kind);
        if (!Model) {
            findings.push({ file, message: `no schema for ${apiVersion} ${manifest.kind} in Kubernetes ${SCHEMA_KUBERNETES_VERSION}` });
            continue;
        }
        try {
            new Model(manifest).validate();
        } catch (error) {
            findings.push({ file, message: (error as Error).message.replace(/^data\//, "") });
        }
    }
    return findings;
}
