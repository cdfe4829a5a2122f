import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { previewAwsMocks } from "../mockRuntime";
import { RenderedObject, renderStack } from "../render/renderStack";
import { writeRendering } from "../render/writeRendering";
import { loadKubeScoreConfig, ScoreFinding, scoreManifests, StackScoreSettings } from "./kubeScore";
import { pullPolicyFindings } from "./pullPolicy";
import { SchemaFinding, validateSchemas } from "./schema";
import { ApiServer, DryRunFinding, serverDryRun } from "./serverDryRun";

export interface GateResult {
    readonly name: string;
    readonly objects: number;
    readonly schema: readonly SchemaFinding[];
    /** The Kubernetes version whose schema the objects were checked against. */
    readonly schemaVersion: string;
    readonly critical: readonly ScoreFinding[];
    readonly warnings: readonly ScoreFinding[];
    readonly settings: StackScoreSettings;
    /** What a server-side dry run refused; undefined when no API server was given. */
    readonly server: readonly DryRunFinding[] | undefined;
    readonly passed: boolean;
}

type ObjectFile = Pick<RenderedObject, "file" | "manifest">;

/** Every YAML document of every .yaml file in `dir`, in file-name order. */
export function readManifests(dir: string): ObjectFile[] {
    return fs
        .readdirSync(dir)
        .filter((file) => file.endsWith(".yaml") || file.endsWith(".yml"))
        .sort()
        .flatMap((file) =>
            yaml
                .loadAll(fs.readFileSync(path.join(dir, file), "utf8"))
                .filter((document) => document !== null && document !== undefined)
                .map((manifest) => ({ file, manifest: manifest as RenderedObject["manifest"] })),
        );
}

/**
 * A finding when the schema's Kubernetes version is not the one the stack runs: objects valid against another
 * minor's models can use a field the stack's API server does not know, or miss one it requires.
 */
export function schemaVersionFindings(schemaVersion: string, stackVersion: string): SchemaFinding[] {
    return schemaVersion === stackVersion
        ? []
        : [
              {
                  file: "conformance/requirements.txt",
                  message:
                      `the schema is Kubernetes ${schemaVersion}'s, but the stack runs ${stackVersion} ` +
                      `(conformance/kube-score.yaml): pin the Kubernetes Python client of that minor`,
              },
          ];
}

/**
 * Both gates over the manifests in `dir`: schema validity against the Kubernetes version the stack runs, and no
 * CRITICAL finding from kube-score or the project's pull-policy rule (pullPolicy.ts); with an API server, also a
 * server-side dry run that it accepts every object.
 */
export async function checkManifests(
    name: string,
    dir: string,
    settings: StackScoreSettings,
    apiServer?: ApiServer,
): Promise<GateResult> {
    const objects = readManifests(dir);
    const files = [...new Set(objects.map((object) => path.join(dir, object.file)))];
    const validated = await validateSchemas(objects);
    const schemaVersion = validated.kubernetesVersion;
    const schema = [...schemaVersionFindings(schemaVersion, settings.kubernetesVersion), ...validated.findings];
    const findings = await scoreManifests(files, settings);
    const critical = [...findings.filter((finding) => finding.grade === "CRITICAL"), ...pullPolicyFindings(objects)];
    const warnings = findings.filter((finding) => finding.grade === "WARNING");
    const server =
        apiServer === undefined
            ? undefined
            : await serverDryRun(
                  apiServer,
                  dir,
                  objects.map((object) => ({ file: object.file, kind: object.manifest.kind })),
              );
    const passed = schema.length === 0 && critical.length === 0 && (server?.length ?? 0) === 0;
    return { name, objects: objects.length, schema, schemaVersion, critical, warnings, settings, server, passed };
}

/** Renders `stack` into `outDir`/<stack> and runs the gates with the stack's kube-score settings. */
export async function checkStack(stack: string, outDir: string, apiServer?: ApiServer): Promise<GateResult> {
    const settings = loadKubeScoreConfig().stacks[stack];
    if (!settings) {
        throw new Error(`conformance/kube-score.yaml has no settings for the stack ${stack}`);
    }
    const { manifestDir } = writeRendering(await renderStack(stack, previewAwsMocks()), outDir);
    return checkManifests(stack, manifestDir, settings, apiServer);
}

/** A human-readable account of a gate run. */
export function describeResult(result: GateResult): string {
    const lines = [
        `${result.passed ? "PASS" : "FAIL"} ${result.name}: ${result.objects} objects`,
        `  schema (Kubernetes ${result.schemaVersion} OpenAPI, strict): ${result.schema.length === 0 ? "every object valid" : `${result.schema.length} findings`}`,
        ...result.schema.map((finding) => `    ${finding.file}: ${finding.message}`),
        `  kube-score (Kubernetes ${result.settings.kubernetesVersion}): ${result.critical.length} critical, ${result.warnings.length} warnings`,
        ...[...result.critical, ...result.warnings].map(
            (finding) => `    [${finding.grade}] ${finding.check} ${finding.object}: ${finding.comments.join("; ")}`,
        ),
        ...(result.server === undefined
            ? []
            : [
                  `  server-side dry run: ${result.server.length === 0 ? "the API server accepts every object" : `${result.server.length} refused`}`,
                  ...result.server.map((finding) => `    ${finding.file}: ${finding.message}`),
              ]),
        ...result.settings.ignore.map((ignored) => `  turned off: ${ignored.test} (${ignored.reason})`),
    ];
    return lines.join("\n");
}
