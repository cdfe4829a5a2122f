import { parseImageReference } from "../../components/config";
import { RenderedObject } from "../render/renderStack";
import { ScoreFinding } from "./kubeScore";

/** The check id of the project's pull-policy rule, in kube-score's findings' shape. */
export const PULL_POLICY_CHECK = "first-k8s-image-pull-policy";

interface Container {
    readonly name: string;
    readonly image?: string;
    readonly imagePullPolicy?: string;
}

interface PodSpec {
    readonly containers?: readonly Container[];
    readonly initContainers?: readonly Container[];
}

/** The pod spec an object runs, if any: a Pod's own, a workload's template's, a CronJob's job template's. */
function podSpecOf(manifest: RenderedObject["manifest"]): PodSpec | undefined {
    const spec = manifest.spec as
        | (PodSpec & { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } })
        | undefined;
    if (manifest.kind === "Pod") {
        return spec;
    }
    return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}

/** The policy the API server gives a container that names none: Always for no tag or `latest`, else IfNotPresent. */
function effectivePolicy(container: Container): string {
    if (container.imagePullPolicy) {
        return container.imagePullPolicy;
    }
    const parsed = parseImageReference(container.image ?? "");
    return !parsed?.digest && (parsed?.tag === undefined || parsed.tag === "latest") ? "Always" : "IfNotPresent";
}

/**
 * The project's rule for imagePullPolicy, in place of kube-score's container-image-pull-policy (which accepts
 * Always only, so it would refuse an image pinned by digest the node may start without its registry): Always for
 * an image named by tag, which may move; IfNotPresent only for one pinned by digest; Never for one built on the
 * node and in no registry, which the manifests cannot tell from the others and so is not checked.
 */
export function pullPolicyFindings(objects: readonly Pick<RenderedObject, "manifest">[]): ScoreFinding[] {
    return objects.flatMap(({ manifest }) => {
        const pod = podSpecOf(manifest);
        const containers = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
        const comments = containers
            .filter(
                (container) =>
                    effectivePolicy(container) === "IfNotPresent" &&
                    parseImageReference(container.image ?? "")?.digest === undefined,
            )
            .map(
                (container) =>
                    `${container.name}: IfNotPresent for ${container.image}, which names no digest: a tag may move, so the node must ask the registry (Always), or pin the digest`,
            );
        return comments.length === 0
            ? []
            : [
                  {
                      grade: "CRITICAL" as const,
                      check: PULL_POLICY_CHECK,
                      object: `${manifest.kind} ${manifest.metadata.namespace ?? ""}/${manifest.metadata.name}`,
                      comments,
                  },
              ];
    });
}
