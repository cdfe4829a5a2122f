import * as pulumi from "@pulumi/pulumi";
import { PROJECT_DIR } from "../mockRuntime";

/** What an offline render shows for a value only the cloud or the cluster can tell. */
export const UNKNOWN_PLACEHOLDER = "<unknown until pulumi up>";
/** What it shows for a secret: never its value. */
export const SECRET_PLACEHOLDER = "<secret>";

/** A secret as the mock monitor hands it over: the wire format's signature object. */
function isSecret(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
    );
}

/**
 * A copy of `value` that is safe and stable to write: unknowns and secrets replaced by placeholders,
 * project paths made relative, and undefined members dropped.
 */
export function withPlaceholders(value: unknown): unknown {
    if (typeof value === "string" && value.startsWith(PROJECT_DIR)) {
        // Paths inside the project are shown relative to it, so a rendering is the same in every clone.
        return `.${value.slice(PROJECT_DIR.length)}`;
    }
    if (pulumi.isUnknown(value)) {
        return UNKNOWN_PLACEHOLDER;
    }
    if (isSecret(value)) {
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) {
        return value.map(withPlaceholders);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, member]) => member !== undefined)
                .map(([key, member]) => [key, withPlaceholders(member)]),
        );
    }
    return value;
}

/** The same with object keys sorted, for a JSON file whose bytes depend on content only. */
export function sortedKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortedKeys);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
        );
    }
    return value;
}
