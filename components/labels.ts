/** The part-of label value every resource of the app carries. */
export const APP_NAME = "first-k8s";

export interface LabelArgs {
    /** app.kubernetes.io/name: the tier, e.g. "backend". */
    readonly name: string;
    /** app.kubernetes.io/component: its role, e.g. "api" or "web". */
    readonly component: string;
    /** app.kubernetes.io/instance: which deployment of the app (the namespace), so two copies never mix. */
    readonly instance: string;
    /** app.kubernetes.io/version; left off the selector because it changes on every release. */
    readonly version?: string;
}

/** Recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */
export function recommendedLabels(args: LabelArgs): Record<string, string> {
    return {
        ...selectorLabels(args),
        "app.kubernetes.io/component": args.component,
        "app.kubernetes.io/part-of": APP_NAME,
        "app.kubernetes.io/managed-by": "pulumi",
        ...(args.version ? { "app.kubernetes.io/version": args.version } : {}),
    };
}

/**
 * The subset of the labels that selects a tier's pods. Selectors are immutable on a Deployment, so
 * they hold only what never changes; everything that selects pods (Service, PDB, NetworkPolicy,
 * topology spread) takes them from here.
 */
export function selectorLabels(args: Pick<LabelArgs, "name" | "instance">): Record<string, string> {
    return {
        "app.kubernetes.io/name": args.name,
        "app.kubernetes.io/instance": args.instance,
    };
}
