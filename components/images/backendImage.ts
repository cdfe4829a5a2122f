import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { parseImageReference } from "../config";
import { ImageBuilder, ImageBuildRequest, ImagePullPolicy } from "./imageBuilder";
import { resolveRegistryImage } from "./registryImage";
import { hashDirectory } from "./sourceHash";

export const BACKEND_DIR = path.resolve(__dirname, "..", "..", "app", "backend");

/** What a target needs to build the backend image from app/backend. */
export function backendBuildRequest(contextDir: string = BACKEND_DIR): ImageBuildRequest {
    return { name: "backend", contextDir, sourceHash: hashDirectory(contextDir) };
}

/** A source hash short enough for a tag and a label, long enough never to collide in practice. */
export function shortHash(sourceHash: string): string {
    return sourceHash.slice(0, 12);
}

// A label value: at most 63 characters, alphanumeric at both ends (kubernetes.io labels syntax).
const LABEL_VALUE = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The app.kubernetes.io/version of an image given by reference: its tag, else its digest's start. */
export function versionOfImage(reference: string): string | undefined {
    const parsed = parseImageReference(reference);
    const version = parsed?.tag ?? parsed?.digest?.replace("sha256:", "").slice(0, 12);
    return version !== undefined && LABEL_VALUE.test(version) ? version : undefined;
}

export interface BackendImage {
    /** The reference pods run. */
    readonly image: pulumi.Output<string>;
    /** app.kubernetes.io/version and APP_VERSION: the source hash, or the override's tag. */
    readonly version: string | undefined;
    /** registryPullPolicy for an image from a registry; the builder's policy for one it built or copied. */
    readonly pullPolicy: ImagePullPolicy;
}

/**
 * The backendImage config override when set (resolveRegistryImage: copied where the target copies registry
 * images), else an image the target builds from app/backend.
 */
export function resolveBackendImage(override: string | undefined, builder: ImageBuilder): BackendImage {
    if (override !== undefined) {
        return { ...resolveRegistryImage("backend", override, builder), version: versionOfImage(override) };
    }
    const request = backendBuildRequest();
    return {
        image: builder.build(request),
        version: `src-${shortHash(request.sourceHash)}`,
        pullPolicy: builder.pullPolicy ?? "Always",
    };
}
