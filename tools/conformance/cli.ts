import * as path from "path";
import { PROJECT_DIR } from "../mockRuntime";
import { checkManifests, checkStack, describeResult, GateResult } from "./gate";
import { loadKubeScoreConfig } from "./kubeScore";
import { option, runCli } from "../cli";

const USAGE = `usage: npm run conformance -- [stack ...] [--out DIR] [--kubeconfig FILE]
       npm run conformance -- --manifests DIR --as STACK [--kubeconfig FILE]

Renders each stack (default: every stack in conformance/kube-score.yaml) into DIR/<stack> (default: rendered),
validates every object, strictly, against the Kubernetes OpenAPI schema of the pinned version and runs kube-score with the
stack's settings from conformance/kube-score.yaml. Exits 1 if an object is invalid or kube-score finds anything
CRITICAL. --manifests checks a directory of YAML files as it is, with STACK's settings.
--kubeconfig adds a server-side dry run (kubectl apply --dry-run=server, kubectl from PATH or $KUBECTL) against
that cluster's current context: the API server's own validation and admission, Pod Security included. It
creates the rendered namespaces for real; use a throw-away cluster (npm run local-cluster -- up).`;

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    const config = loadKubeScoreConfig();
    const manifests = option(argv, "--manifests");
    const kubeconfig = option(argv, "--kubeconfig");
    const apiServer =
        kubeconfig === undefined ? undefined : { kubeconfig: path.resolve(kubeconfig), kubectl: process.env.KUBECTL };
    const results: GateResult[] = [];
    if (manifests) {
        const stack = option(argv, "--as") ?? "";
        if (!config.stacks[stack]) {
            console.error(`${USAGE}\n\nerror: --as needs one of ${Object.keys(config.stacks).join(", ")}`);
            return 2;
        }
        results.push(await checkManifests(manifests, path.resolve(manifests), config.stacks[stack], apiServer));
    } else {
        const out = path.resolve(PROJECT_DIR, option(argv, "--out") ?? "rendered");
        const named = argv.filter(
            (arg, index) => !arg.startsWith("--") && argv[index - 1] !== "--out" && argv[index - 1] !== "--kubeconfig",
        );
        for (const stack of named.length > 0 ? named : Object.keys(config.stacks)) {
            results.push(await checkStack(stack, out, apiServer));
        }
    }
    console.log(results.map(describeResult).join("\n\n"));
    return results.every((result) => result.passed) ? 0 : 1;
}

runCli(main, 2);
