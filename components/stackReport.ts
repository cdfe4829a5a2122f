import * as pulumi from "@pulumi/pulumi";
import type { AppTier } from "./app/tier";
import type { TwoTierApp } from "./app/twoTierApp";
import type { StackConfig } from "./config";
import type { ClusterTarget } from "./targets/clusterTarget";
import { appFactsFromObjects, ObjectLike } from "./report/appFacts";
import { StackFacts } from "./facts";
import { buildReport, StackReport } from "./report/report";

type WithSpec = pulumi.CustomResource & {
    readonly metadata: pulumi.Output<{ name: string; annotations?: Record<string, string> }>;
    readonly spec: pulumi.Output<unknown>;
};

/** A resource's live object, in the shape the rendered manifests have. */
function liveObject(kind: string, resource: WithSpec): pulumi.Output<ObjectLike> {
    return pulumi.all([resource.metadata, resource.spec]).apply(([metadata, spec]) => ({
        kind,
        metadata: { name: metadata.name, annotations: metadata.annotations ?? undefined },
        spec,
    }));
}

function tierObjects(tier: AppTier): pulumi.Output<ObjectLike>[] {
    return [
        liveObject("Deployment", tier.deployment),
        liveObject("Service", tier.service),
        liveObject("PodDisruptionBudget", tier.podDisruptionBudget),
        liveObject("HorizontalPodAutoscaler", tier.autoscaler),
    ];
}

/**
 * The `report` stack output: the same facts `npm run compare` reads from the rendering, here from the live
 * resources (the cluster's own facts, and the app's Kubernetes objects as the cluster returned them), run
 * through the same analysis.
 */
export function stackReport(config: StackConfig, cluster: ClusterTarget, app: TwoTierApp): pulumi.Output<StackReport> {
    const objects = pulumi.all([
        ...[app.frontend, app.backend].flatMap(tierObjects),
        ...app.networkPolicies.policies.map((policy) => liveObject("NetworkPolicy", policy)),
    ]);
    return pulumi.all([cluster.facts, objects]).apply(([clusterFacts, liveObjects]) => {
        const facts: StackFacts = {
            stack: pulumi.getStack(),
            target: config.target,
            cluster: clusterFacts,
            app: appFactsFromObjects(liveObjects),
        };
        return buildReport(facts);
    });
}
