import { execFile } from "child_process";
import * as path from "path";

/** An API server to check manifests against: its kubeconfig, and the kubectl to use. */
export interface ApiServer {
    readonly kubeconfig: string;
    /** Default: kubectl on PATH. */
    readonly kubectl?: string;
}

export interface DryRunFinding {
    readonly file: string;
    readonly message: string;
}

function kubectl(server: ApiServer, args: readonly string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        execFile(
            server.kubectl ?? "kubectl",
            ["--kubeconfig", server.kubeconfig, ...args],
            { timeout: 60_000, maxBuffer: 16 << 20 },
            (error, stdout, stderr) =>
                resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
        );
    });
}

/**
 * `kubectl apply --dry-run=server` of every file, one at a time so a finding names its file: the API server
 * runs defaulting, validation and admission (Pod Security included) and stores nothing. The namespaces the
 * files create are applied for real first, since a dry-run namespace does not exist for the objects inside it.
 */
export async function serverDryRun(
    server: ApiServer,
    dir: string,
    files: readonly { readonly file: string; readonly kind: string }[],
): Promise<DryRunFinding[]> {
    const findings: DryRunFinding[] = [];
    const unique = [...new Map(files.map((entry) => [entry.file, entry])).values()];
    for (const { file } of unique.filter((entry) => entry.kind === "Namespace")) {
        const applied = await kubectl(server, ["apply", "-f", path.join(dir, file)]);
        if (applied.code !== 0) {
            findings.push({ file, message: applied.output.trim() });
        }
    }
    for (const { file } of unique.filter((entry) => entry.kind !== "Namespace")) {
        const result = await kubectl(server, ["apply", "--dry-run=server", "-f", path.join(dir, file)]);
        if (result.code !== 0) {
            findings.push({ file, message: result.output.trim() });
        }
    }
    return findings;
}
