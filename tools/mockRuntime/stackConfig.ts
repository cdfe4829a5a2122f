import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { parseStackConfig, StackConfig } from "../../components/config";

interface ProjectFile {
    name: string;
    config?: Record<string, { type?: string; default?: unknown } | string | number | boolean>;
}

interface StackFile {
    config?: Record<string, unknown>;
}

export interface ResolvedStackConfig {
    readonly project: string;
    /** Fully qualified key ("first-k8s:target") to the string value the program sees. */
    readonly values: Record<string, string>;
}

function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * What `pulumi up` hands the program: the project's declared defaults from Pulumi.yaml, overlaid by the
 * stack file's values. Secure values (`secure:` ciphertext) cannot be decrypted offline, so they must
 * not appear in files this reads.
 */
export function resolveStackConfig(projectDir: string, stackFile: string): ResolvedStackConfig {
    const project = yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const values: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        const qualified = key.includes(":") ? key : `${project.name}:${key}`;
        if (typeof declaration === "object" && declaration !== null) {
            if (declaration.default !== undefined) {
                values[qualified] = asConfigString(declaration.default);
            }
        } else {
            values[qualified] = asConfigString(declaration);
        }
    }
    const stack = (yaml.load(fs.readFileSync(stackFile, "utf8")) as StackFile | undefined) ?? {};
    for (const [key, value] of Object.entries(stack.config ?? {})) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            throw new Error(`${stackFile}: ${key} is an encrypted secret, which cannot be read without the Pulumi CLI`);
        }
        values[key] = asConfigString(value);
    }
    return { project: project.name, values };
}

/** The validated config a stack's program reads, from Pulumi.yaml and the stack's file (as `pulumi up` would). */
export function parsedStackConfig(projectDir: string, stackFile: string): StackConfig {
    const { project, values } = resolveStackConfig(projectDir, stackFile);
    const prefix = `${project}:`;
    return parseStackConfig((key) => values[prefix + key], project, Object.keys(values));
}
