/**
 * The Kubernetes versions EKS offers, with the dates their standard support (14 months) and extended support
 * (12 more, at six times the price per cluster-hour) end. From the EKS release calendar,
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (as endoflife.date/amazon-eks lists
 * it; read 2026-11-28). Add a version here when EKS releases it; drop one when its extended support has ended.
 */
export const EKS_VERSIONS = [
    { version: "1.32", standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
    { version: "1.33", standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
    { version: "1.34", standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
    { version: "1.35", standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
] as const;

export const EKS_VERSIONS_AS_OF = "2026-11-28";

export type EksVersion = (typeof EKS_VERSIONS)[number];

/** `day` as YYYY-MM-DD (UTC), the form of the table's dates. */
export function isoDay(day: Date): string {
    return day.toISOString().slice(0, 10);
}

/**
 * Why `version` cannot be a new EKS cluster's version on `today`, or undefined when it can. A version past
 * standard support gets a warning instead (eksVersionNotice), so that a stack does not stop on a calendar date.
 */
export function eksVersionProblem(version: string, today: Date): string | undefined {
    const known = EKS_VERSIONS.find((entry) => entry.version === version);
    const offered = EKS_VERSIONS.filter((entry) => entry.extendedSupportEnds >= isoDay(today))
        .map((entry) => entry.version)
        .join(", ");
    if (known === undefined) {
        // YAML reads an unquoted 1.30 as the number 1.3; Pulumi hands the program "1.3".
        const hint = /^\d+\.\d$/.test(version)
            ? ` (an unquoted ${version}0 reads as the number ${version}: quote it)`
            : "";
        return `a Kubernetes version EKS offers: ${offered}${hint}; the list, as of ${EKS_VERSIONS_AS_OF}, is in components/config/eksVersions.ts`;
    }
    if (known.extendedSupportEnds < isoDay(today)) {
        return `a Kubernetes version EKS still offers: ${offered} (${version}'s extended support ended on ${known.extendedSupportEnds})`;
    }
    return undefined;
}

/** A warning for a version past standard support; else undefined. */
export function eksVersionNotice(version: string, today: Date): string | undefined {
    const known = EKS_VERSIONS.find((entry) => entry.version === version);
    if (known === undefined || known.standardSupportEnds >= isoDay(today)) {
        return undefined;
    }
    return (
        `kubernetesVersion ${version} left EKS standard support on ${known.standardSupportEnds}. This stack's upgrade ` +
        "policy is STANDARD, so EKS upgrades the control plane to the next minor version on its own (extended " +
        "support would cost $0.60 instead of $0.10 an hour). Raise kubernetesVersion by one minor version."
    );
}
