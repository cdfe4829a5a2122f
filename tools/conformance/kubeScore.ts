import { execFile } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_DIR } from "../mockRuntime";

const run = promisify(execFile);

export const KUBE_SCORE_CONFIG = path.join(PROJECT_DIR, "conformance", "kube-score.yaml");

export interface IgnoredCheck {
    readonly test: string;
    readonly reason: string;
}

export interface StackScoreSettings {
    readonly kubernetesVersion: string;
    readonly ignore: readonly IgnoredCheck[];
}

export interface KubeScoreConfig {
    readonly kubeScoreVersion: string;
    readonly stacks: Readonly<Record<string, StackScoreSettings>>;
}

export function loadKubeScoreConfig(file: string = KUBE_SCORE_CONFIG): KubeScoreConfig {
    return yaml.load(fs.readFileSync(file, "utf8")) as KubeScoreConfig;
}

/** Where scripts/test.sh installs kube-score; KUBE_SCORE overrides. */
export function kubeScoreBinary(): string {
    const binary = process.env.KUBE_SCORE ?? path.join(PROJECT_DIR, ".tools", "bin", "kube-score");
    if (!fs.existsSync(binary)) {
        const version = loadKubeScoreConfig().kubeScoreVersion;
        throw new Error(
            `kube-score is not at ${binary}. Install it with: GOBIN=${path.dirname(binary)} go install ` +
                `github.com/zegl/kube-score/cmd/kube-score@${version} (scripts/test.sh does), or set KUBE_SCORE.`,
        );
    }
    return binary;
}

export type Grade = "CRITICAL" | "WARNING";

export interface ScoreFinding {
    readonly grade: Grade;
    /** kube-score's check id, e.g. container-resources. */
    readonly check: string;
    /** "Kind namespace/name" of the object. */
    readonly object: string;
    readonly comments: readonly string[];
}

interface KubeScoreCheck {
    check: { id: string };
    grade: number;
    skipped: boolean;
    comments: { path?: string; summary: string; description?: string }[] | null;
}

interface KubeScoreObject {
    type_meta: { kind: string };
    object_meta: { name: string; namespace?: string };
    checks: KubeScoreCheck[];
}

// kube-score's scorecard grades.
const GRADES: Record<number, Grade | undefined> = { 1: "CRITICAL", 5: "WARNING" };

/** Runs kube-score over the given manifest files and returns its CRITICAL and WARNING findings. */
export async function scoreManifests(files: readonly string[], settings: StackScoreSettings): Promise<ScoreFinding[]> {
    const args = ["score", "--output-format", "json", "--kubernetes-version", settings.kubernetesVersion];
    for (const ignored of settings.ignore) {
        args.push("--ignore-test", ignored.test);
    }
    let stdout: string;
    try {
        ({ stdout } = await run(kubeScoreBinary(), [...args, ...files], { maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
        // kube-score exits 1 when it finds something CRITICAL; its JSON report is still on stdout.
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        if (failed.code !== 1 || !failed.stdout) {
            throw new Error(`kube-score failed: ${failed.stderr ?? String(error)}`);
        }
        stdout = failed.stdout;
    }
    const objects = JSON.parse(stdout) as KubeScoreObject[];
    return objects.flatMap((object) =>
        object.checks
            .filter((check) => !check.skipped && GRADES[check.grade] !== undefined)
            .map((check) => ({
                grade: GRADES[check.grade] as Grade,
                check: check.check.id,
                object: `${object.type_meta.kind} ${object.object_meta.namespace ?? ""}/${object.object_meta.name}`,
                comments: (check.comments ?? []).map((comment) =>
                    [comment.path, comment.summary].filter(Boolean).join(": "),
                ),
            })),
    );
}
