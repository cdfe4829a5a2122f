import * as path from "path";
import { PROJECT_DIR, previewAwsMocks } from "../mockRuntime";
import { availableStacks, renderStack } from "./renderStack";
import { writeRendering } from "./writeRendering";
import { runCli } from "../cli";

const USAGE = `usage: npm run render -- <stack> [--out DIR]

Runs the Pulumi program offline, under Pulumi's mock runtime, with Pulumi.<stack>.yaml, and writes every
Kubernetes object it would create to DIR/<stack>/ (one YAML file per object, applied in file-name order,
nothing else) and DIR/<stack>.plan.json beside it (every resource: type, name, parent, provider, inputs).
Values only the cloud or the cluster knows appear as <unknown until pulumi up>. DIR defaults to ./rendered.

  stack        dev, eks, or any stack with a Pulumi.<stack>.yaml here
  --out DIR    where to write (default: rendered)
  --help       this text`;

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    const outIndex = argv.indexOf("--out");
    const out = outIndex >= 0 ? argv[outIndex + 1] : "rendered";
    const stacks = argv.filter((arg, index) => !arg.startsWith("--") && (outIndex < 0 || index !== outIndex + 1));
    if (stacks.length !== 1 || out === undefined) {
        console.error(`${USAGE}\n\nerror: name one stack (${availableStacks().join(", ")})`);
        return 2;
    }
    // The AWS types are known to the mocks whatever the stack; a minikube stack simply never asks for them.
    const rendering = await renderStack(stacks[0], previewAwsMocks());
    const written = writeRendering(rendering, path.resolve(PROJECT_DIR, out));
    const shown = (file: string) => path.relative(process.cwd(), file) || ".";
    console.log(
        `Rendered ${rendering.objects.length} Kubernetes objects to ${shown(written.manifestDir)}/ and ` +
            `${rendering.plan.length} resources to ${shown(written.planFile)}`,
    );
    console.log(
        `Apply without Pulumi: kubectl apply -f ${shown(written.manifestDir)}/  (${written.manifestFiles.length} files, namespace first)`,
    );
    return 0;
}

runCli(main);
