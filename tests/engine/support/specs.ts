import { UNKNOWN_IMAGE_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../../tools/render/placeholders";

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const FACTORS: Readonly<Record<string, number>> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
};

/** A resource quantity's value ("500m" -> 0.5, "1Gi" -> 1073741824); undefined for anything else. */
function quantity(value: unknown): number | undefined {
    const match = typeof value === "string" ? QUANTITY.exec(value) : null;
    return match ? Number(match[1]) * FACTORS[match[2] ?? ""] : undefined;
}

function same(live: unknown, wanted: unknown): boolean {
    if (live === wanted) {
        return true;
    }
    // The API server writes quantities in canonical form ("0.5" becomes "500m"): equal values are the same.
    const a = quantity(live);
    const b = quantity(wanted);
    return a !== undefined && b !== undefined && Math.abs(a - b) < 1e-9;
}

/**
 * Where `live` (an object read from the API server) fails to hold everything `wanted` (a rendered manifest)
 * sets, as a path and both values; undefined when it holds it all. Fields the server adds (defaults, status,
 * metadata it manages) are ignored; values the render could not know (placeholders) match anything.
 */
export function containsSpec(live: unknown, wanted: unknown, at = ""): string | undefined {
    if (wanted === UNKNOWN_PLACEHOLDER || wanted === UNKNOWN_IMAGE_PLACEHOLDER) {
        return undefined;
    }
    if (Array.isArray(wanted)) {
        if (!Array.isArray(live) || live.length !== wanted.length) {
            return `${at}: ${JSON.stringify(live)} is not a list of ${wanted.length}`;
        }
        for (let index = 0; index < wanted.length; index++) {
            const mismatch = containsSpec(live[index], wanted[index], `${at}[${index}]`);
            if (mismatch !== undefined) {
                return mismatch;
            }
        }
        return undefined;
    }
    if (typeof wanted === "object" && wanted !== null) {
        if (typeof live !== "object" || live === null) {
            return `${at}: ${JSON.stringify(live)} is not an object`;
        }
        for (const [key, value] of Object.entries(wanted)) {
            const mismatch = containsSpec((live as Record<string, unknown>)[key], value, `${at}.${key}`);
            if (mismatch !== undefined) {
                return mismatch;
            }
        }
        return undefined;
    }
    return same(live, wanted) ? undefined : `${at}: ${JSON.stringify(live)}, rendered ${JSON.stringify(wanted)}`;
}
