import { CONFIG_DEFAULTS, ConfigKey, OPTIONAL_CONFIG_KEYS } from "./defaults";

/** Every key of the project's config namespace that the program reads. */
export const KNOWN_CONFIG_KEYS: readonly ConfigKey[] = [
    ...(Object.keys(CONFIG_DEFAULTS) as (keyof typeof CONFIG_DEFAULTS)[]),
    ...OPTIONAL_CONFIG_KEYS,
];

/** Edits (insertions, deletions, substitutions) between two strings, ignoring case. */
function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let previous = Array.from({ length: y.length + 1 }, (_, index) => index);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[y.length];
}

/** The known key a typo most likely meant: the nearest within a third of its length, else undefined. */
export function nearestKnownKey(key: string): ConfigKey | undefined {
    let best: { key: ConfigKey; distance: number } | undefined;
    for (const known of KNOWN_CONFIG_KEYS) {
        const distance = editDistance(key, known);
        if (best === undefined || distance < best.distance) {
            best = { key: known, distance };
        }
    }
    return best !== undefined && best.distance <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}
