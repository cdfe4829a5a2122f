import type { StackConfig } from "../../components/config";
import type { StackFacts } from "../../components/facts";
import { appFactsFromObjects } from "../../components/report";
import { clusterFactsOf } from "../../components/targets";
import type { Rendering } from "../render/renderStack";

/**
 * The same StackFacts the program exports as `report`, without `pulumi up`: the cluster from the stack's
 * validated config through the very function the targets report with, and the app from the rendered
 * Kubernetes objects, which is what the cluster would hold.
 */
export function factsFromRendering(rendering: Rendering, config: StackConfig): StackFacts {
    return {
        stack: rendering.stack,
        target: config.target,
        cluster: clusterFactsOf(config),
        app: appFactsFromObjects(rendering.objects.map((object) => object.manifest)),
    };
}
