/**
 * The Kubernetes versions EKS offers, as data: the dates their standard support (14 months) and extended support
 * (12 more, at six times the price per cluster-hour) end, and what this stack pins for each version. From the EKS
 * release calendar, https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (as
 * endoflife.date/amazon-eks lists it). 1.36 entered standard support in 2026-06; the day was not at hand, so its
 * dates take the first of the month 14 (and 26) months on: the 90-day warning comes early rather than late.
 * Correct them from the calendar.
 *
 * Add a version here when EKS releases it, with its Cluster Autoscaler release (kubernetes/autoscaler tags
 * cluster-autoscaler-1.x.y, the newest patch of the same minor: "The Cluster Autoscaler's version matches the
 * cluster's version", AWS EKS best practices guide); drop one when its extended support has ended. The EKS
 * add-ons need nothing here: their versions are EKS's default for the cluster's version (addons.ts).
 */
export const EKS_VERSIONS = [
    {
        version: "1.32",
        standardSupportEnds: "2026-03-23",
        extendedSupportEnds: "2027-03-23",
        clusterAutoscalerImageTag: "v1.32.7",
    },
    {
        version: "1.33",
        standardSupportEnds: "2026-07-29",
        extendedSupportEnds: "2027-07-29",
        clusterAutoscalerImageTag: "v1.33.6",
    },
    {
        version: "1.34",
        standardSupportEnds: "2026-12-02",
        extendedSupportEnds: "2027-12-02",
        clusterAutoscalerImageTag: "v1.34.5",
    },
    {
        version: "1.35",
        standardSupportEnds: "2027-03-27",
        extendedSupportEnds: "2028-03-27",
        clusterAutoscalerImageTag: "v1.35.2",
    },
    {
        version: "1.36",
        standardSupportEnds: "2027-08-01",
        extendedSupportEnds: "2028-08-01",
        // Published 2026-07-23 with 1.35.2, 1.34.5 and 1.33.6.
        clusterAutoscalerImageTag: "v1.36.1",
    },
] as const;

/** The day the table was last checked against the calendar; the default version is chosen as of this day. */
export const EKS_VERSIONS_AS_OF = "2026-12-07";

export type EksVersion = (typeof EKS_VERSIONS)[number];

/** The EKS upgrade policy: STANDARD (EKS upgrades at the end of standard support) or EXTENDED (it stays, at a cost). */
export type EksSupportType = "STANDARD" | "EXTENDED";

/** How many days before a support window closes `pulumi preview` starts to warn. */
export const SUPPORT_WARNING_DAYS = 90;

/** `day` as YYYY-MM-DD (UTC), the form of the table's dates. */
export function isoDay(day: Date): string {
    return day.toISOString().slice(0, 10);
}

function findVersion(version: string): EksVersion | undefined {
    return EKS_VERSIONS.find((entry) => entry.version === version);
}

/** The version one minor above `version` in the table; undefined for the newest. */
export function nextEksVersion(version: string): EksVersion | undefined {
    const index = EKS_VERSIONS.findIndex((entry) => entry.version === version);
    return index < 0 ? undefined : EKS_VERSIONS[index + 1];
}

/**
 * The default kubernetesVersion: the newest version in standard support on `day`. Every version of the table
 * carries what the stack pins for it (the Cluster Autoscaler's image; the add-ons take EKS's default for the
 * version, which getAddonVersion refuses at preview if there is none), so each one is one the whole stack runs on.
 * The two charts (cluster-autoscaler, aws-load-balancer-controller) set no kubeVersion bound in their Chart.yaml
 * as published upstream; a chart that adds one is to be checked here when it is pinned.
 */
export function newestStandardVersion(day: string = EKS_VERSIONS_AS_OF): string {
    const candidates = EKS_VERSIONS.filter((entry) => entry.standardSupportEnds >= day);
    if (candidates.length === 0) {
        throw new Error(`components/config/eksVersions.ts: no version in standard support on ${day}`);
    }
    return candidates[candidates.length - 1].version;
}

/**
 * The upgrade policy a new or running cluster on `version` takes on `today`: STANDARD while the version is in
 * standard support, so EKS never bills extended support unasked; EXTENDED once it is past it, because EKS refuses
 * STANDARD for such a version (a cluster on it would have to be upgraded at once).
 */
export function eksSupportType(version: string, today: Date): EksSupportType {
    const known = findVersion(version);
    return known !== undefined && known.standardSupportEnds < isoDay(today) ? "EXTENDED" : "STANDARD";
}

/**
 * Why `version` cannot be a new EKS cluster's version on `today`, or undefined when it can. A version past
 * standard support gets a warning instead (eksVersionNotice), so that a stack does not stop on a calendar date.
 */
export function eksVersionProblem(version: string, today: Date): string | undefined {
    const known = findVersion(version);
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

function daysBetween(from: Date, toDay: string): number {
    return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${isoDay(from)}T00:00:00Z`)) / 86_400_000);
}

/** What to run to move `stack` one minor version up from `version`, the one step EKS allows at a time. */
function upgradeAdvice(version: string, stack: string): string {
    const next = nextEksVersion(version);
    if (next === undefined) {
        return (
            `No version after ${version} is in components/config/eksVersions.ts yet: add the one EKS now offers ` +
            "(its dates and Cluster Autoscaler release), then raise kubernetesVersion to it"
        );
    }
    return (
        `Upgrade one minor version at a time (EKS allows no more): pulumi config set kubernetesVersion ${next.version} ` +
        `--stack ${stack} && pulumi up --stack ${stack} (docs/eks.md#upgrading-a-running-stack)`
    );
}

/**
 * The warning `pulumi preview` and `pulumi up` print for `version` on `today`, or undefined: past standard support
 * (the cluster runs in extended support, and is upgraded by EKS when that ends), or within SUPPORT_WARNING_DAYS of
 * the end of standard support (when EKS upgrades a STANDARD cluster on its own, control plane first, whatever the
 * stack says). Each says what to run.
 */
export function eksVersionNotice(version: string, today: Date, stack: string): string | undefined {
    const known = findVersion(version);
    if (known === undefined) {
        return undefined;
    }
    const day = isoDay(today);
    if (known.standardSupportEnds < day) {
        return (
            `kubernetesVersion ${version} left EKS standard support on ${known.standardSupportEnds}: the cluster runs ` +
            `in extended support (upgrade policy EXTENDED, $0.60 an hour instead of $0.10) until ` +
            `${known.extendedSupportEnds}, when EKS upgrades it on its own. ${upgradeAdvice(version, stack)}.`
        );
    }
    const daysLeft = daysBetween(today, known.standardSupportEnds);
    if (daysLeft <= SUPPORT_WARNING_DAYS) {
        const when = daysLeft === 0 ? "today" : `in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`;
        return (
            `kubernetesVersion ${version} leaves EKS standard support on ${known.standardSupportEnds}, ${when}: then ` +
            "EKS upgrades the control plane on its own (upgrade policy STANDARD), ahead of this stack's add-ons and " +
            `nodes. ${upgradeAdvice(version, stack)}.`
        );
    }
    return undefined;
}
