/**
 * `minikube` for the real-pod tests: the dev stack's MinikubeTarget runs `minikube -p <profile> image build -t
 * <tag> .`, and this answers that one command by building into the local cluster's real node
 * (nodeImageBuild.ts), so the stack deploys as scripts/deploy-dev.sh deploys it, its image built from source.
 * The local cluster is the one in $FIRST_K8S_LOCAL_CLUSTER_DIR. Any other minikube command is refused.
 */
import * as path from "path";
import { ensureEngine } from "../binaries";
import { PYTHON_BASE_IMAGE, buildIntoNode } from "../nodeImageBuild";
import { runCli } from "../../cli";
import { LOCAL_CLUSTER_DIR_VARIABLE } from "../../../components/config/localCluster";

export const CLUSTER_DIR_VARIABLE = LOCAL_CLUSTER_DIR_VARIABLE;
/** The folder of the stand-ins' executables (minikube, pulumi-resource-command), to put first on PATH. */
export const STAND_IN_DIR = path.join(__dirname, "bin");

export interface StandInImageBuild {
    readonly profile: string;
    readonly tag: string;
    readonly contextDir: string;
}

/** `-p <profile> image build -t <tag> <dir>`, the one command MinikubeTarget runs; anything else is refused. */
export function parseImageBuild(argv: readonly string[], cwd: string): StandInImageBuild {
    const [profileFlag, profile, image, build, tagFlag, tag, dir, ...rest] = argv;
    const matches =
        (profileFlag === "-p" || profileFlag === "--profile") &&
        image === "image" &&
        build === "build" &&
        tagFlag === "-t" &&
        profile !== undefined &&
        tag !== undefined &&
        dir !== undefined &&
        rest.length === 0;
    if (!matches) {
        throw new Error(
            `this minikube is the local cluster's stand-in (tools/engine/standIns): it runs only \`minikube -p <profile> image build -t <tag> <dir>\`, not \`minikube ${argv.join(" ")}\``,
        );
    }
    return { profile, tag, contextDir: path.resolve(cwd, dir) };
}

async function main(argv: readonly string[]): Promise<number> {
    const request = parseImageBuild(argv, process.cwd());
    const clusterDir = process.env[CLUSTER_DIR_VARIABLE];
    if (clusterDir === undefined || clusterDir === "") {
        throw new Error(`${CLUSTER_DIR_VARIABLE} is not set: the stand-in builds into the real node started from it`);
    }
    const reference = buildIntoNode(ensureEngine({ realNode: true }), {
        clusterDir,
        contextDir: request.contextDir,
        tag: request.tag,
        buildArgs: { BASE: PYTHON_BASE_IMAGE },
    });
    console.log(`built ${reference} into the node of ${clusterDir}`);
    return 0;
}

if (require.main === module) {
    runCli(main);
}
