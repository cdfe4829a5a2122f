import * as pulumi from "@pulumi/pulumi";
import { PROJECT_DIR, UNKNOWN_OUTPUT } from "../mockRuntime";

/** What an offline render shows for a value only the cloud or the cluster can tell. */
export const UNKNOWN_PLACEHOLDER = UNKNOWN_OUTPUT;
/**
 * An image only the cloud can name (an ECR repository and a digest), shown as an image reference so that
 * linters read it as pinned: the reserved .invalid domain (RFC 6761) never resolves, and the digest is zeros.
 */
export const UNKNOWN_IMAGE_PLACEHOLDER = `unknown-until-pulumi-up.invalid/image@sha256:${"0".repeat(64)}`;

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
export function withPlaceholders(value: unknown, key?: string): unknown {
    if (typeof value === "string" && value.startsWith(PROJECT_DIR)) {
        // Paths inside the project are shown relative to it, so a rendering is the same in every clone.
        return `.${value.slice(PROJECT_DIR.length)}`;
    }
    if (pulumi.isUnknown(value)) {
        return key === "image" ? UNKNOWN_IMAGE_PLACEHOLDER : UNKNOWN_PLACEHOLDER;
    }
    if (isSecret(value)) {
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) {
        return value.map((item) => withPlaceholders(item));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, member]) => member !== undefined)
                .map(([name, member]) => [name, withPlaceholders(member, name)]),
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
