import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as path from "path";
import { parseImageReference } from "../config";
import { ImageBuilder, ImageBuildRequest, ImagePullPolicy } from "./imageBuilder";
import { hashDirectory } from "./sourceHash";

/** The build context of a copy: a Dockerfile that is FROM its SOURCE_IMAGE argument and nothing else. */
export const COPY_DIR = path.resolve(__dirname, "copy");

/**
 * When nodes pull an image from a registry. A digest names the same bytes forever, so a node that has them needs
 * nothing from the registry to start a pod: IfNotPresent, and a restart survives a registry or NAT outage. A tag
 * may move, so the node asks the registry on every start: Always, and a node never runs a stale copy.
 */
export function registryPullPolicy(reference: string): ImagePullPolicy {
    return parseImageReference(reference)?.digest ? "IfNotPresent" : "Always";
}

/**
 * The build that copies `reference` (pinned by digest) under `name`, tagged with its tag (or "copy") and the
 * digest's start, so a new digest is a new tag and so a new copy.
 */
export function copyRequest(name: string, reference: string): ImageBuildRequest {
    const parsed = parseImageReference(reference);
    if (!parsed?.digest) {
        throw new Error(`copyRequest: ${reference} is not pinned by digest, so a copy could not say what it holds`);
    }
    const sourceHash = createHash("sha256")
        .update(`${hashDirectory(COPY_DIR)}\0${reference}`)
        .digest("hex");
    return {
        name,
        contextDir: COPY_DIR,
        sourceHash,
        buildArgs: { SOURCE_IMAGE: reference },
        tag: `${parsed.tag ?? "copy"}-${parsed.digest.replace("sha256:", "").slice(0, 12)}`,
    };
}

export interface RegistryImage {
    /** The reference pods run: the configured one, or the target's copy of it. */
    readonly image: pulumi.Output<string>;
    readonly pullPolicy: ImagePullPolicy;
}

/**
 * A configured registry image as the target runs it: pinned by digest and with a builder that copies registry
 * images, the copy (by its own digest); otherwise the reference itself, pulled by registryPullPolicy.
 */
export function resolveRegistryImage(name: string, reference: string, builder: ImageBuilder): RegistryImage {
    if (builder.copiesRegistryImages && parseImageReference(reference)?.digest) {
        return { image: builder.build(copyRequest(name, reference)), pullPolicy: builder.pullPolicy ?? "Always" };
    }
    return { image: pulumi.output(reference), pullPolicy: registryPullPolicy(reference) };
}
