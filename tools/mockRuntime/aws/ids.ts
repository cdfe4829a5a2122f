import { createHash } from "crypto";

/*
 * The mock account's values are PLACEHOLDERS: the account is AWS's documentation account 123456789012, generated
 * ids carry "mock" (vpc-mock..., sg-mock...), certificates are not certificates. Each is derived from the resource's
 * name and inputs, so a run is reproducible.
 */

export const MOCK_ACCOUNT_ID = "123456789012";

/** `length` hex digits derived from `seed`. */
export function hex(seed: string, length: number): string {
    let out = "";
    for (let round = 0; out.length < length; round++) {
        out += createHash("sha256").update(`${seed}#${round}`).digest("hex");
    }
    return out.slice(0, length);
}

/** An AWS-style id with "mock" in it: vpc-mock0123456789ab. */
export function mockId(prefix: string, seed: string): string {
    return `${prefix}-mock${hex(seed, 13)}`;
}

/** Pulumi's auto-name: the logical name plus a random-looking suffix. */
export function autoName(name: string): string {
    return `${name}-${hex(`autoname/${name}`, 7)}`;
}

/** A version 4 UUID derived from `seed`, the shape of a KMS key id. */
export function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function partition(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** An ARN in the mock account; IAM's (regional false) name no region. */
export function arn(region: string, service: string, resource: string, regional = true): string {
    return `arn:${partition(region)}:${service}:${regional ? region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;
}
