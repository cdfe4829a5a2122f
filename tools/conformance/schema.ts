import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../mockRuntime";
import { RenderedObject } from "../render/renderStack";

export interface SchemaFinding {
    readonly file: string;
    readonly message: string;
}

export interface SchemaResult {
    /** The Kubernetes version of the schema the objects were checked against, e.g. v1.36. */
    readonly kubernetesVersion: string;
    readonly findings: readonly SchemaFinding[];
}

const VALIDATOR = path.join(PROJECT_DIR, "tools", "conformance", "schema_check.py");

/** The Python of the virtualenv that holds conformance/requirements.txt (scripts/test.sh makes it). */
export function schemaPython(): string {
    const python = process.env.SCHEMA_PYTHON ?? path.join(PROJECT_DIR, ".tools", "schema-venv", "bin", "python");
    if (!fs.existsSync(python)) {
        throw new Error(
            `The schema validator's Python is not at ${python}. Make it with: python3 -m venv .tools/schema-venv && ` +
                `.tools/schema-venv/bin/pip install -r conformance/requirements.txt (scripts/test.sh does), or set SCHEMA_PYTHON.`,
        );
    }
    return python;
}

/**
 * Validates every object, strictly, against the OpenAPI schema of the Kubernetes version the stacks run,
 * through the official Kubernetes Python client's generated models (tools/conformance/schema_check.py):
 * unknown fields, wrong types and missing required fields are findings, as in the API server's strict
 * field validation.
 */
export function validateSchemas(objects: readonly Pick<RenderedObject, "file" | "manifest">[]): Promise<SchemaResult> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            schemaPython(),
            [VALIDATOR],
            { maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`the schema validator failed: ${stderr || error.message}`));
                    return;
                }
                resolve(JSON.parse(stdout) as SchemaResult);
            },
        );
        child.stdin?.end(JSON.stringify({ objects }));
    });
}
