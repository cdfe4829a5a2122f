import { PerTier } from "../../../components/report/failureReasons";

/** "1 zone", "3 zones". */
export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/** Tiers whose reasons read the same share one clause: "frontend, backend: ...". */
export function perTierText<T>(tiers: readonly PerTier<T>[], text: (reason: T) => string): string {
    const groups = new Map<string, string[]>();
    for (const { tier, reason } of tiers) {
        const clause = text(reason);
        groups.set(clause, [...(groups.get(clause) ?? []), tier]);
    }
    return [...groups].map(([clause, names]) => `${names.join(", ")}: ${clause}`).join("; ");
}
