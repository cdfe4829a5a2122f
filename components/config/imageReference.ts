// The grammar of github.com/distribution/reference, restricted to what a pinned image needs.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "sha256:[a-f0-9]{64}";
const REFERENCE = new RegExp(
    `^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

export interface ImageReference {
    readonly repository: string;
    readonly tag: string | undefined;
    readonly digest: string | undefined;
}

/** Parses an image reference; undefined when it does not follow the reference grammar. */
export function parseImageReference(reference: string): ImageReference | undefined {
    const match = REFERENCE.exec(reference);
    if (!match) {
        return undefined;
    }
    const [, domain, path, tag, digest] = match;
    return { repository: domain ? `${domain}/${path}` : path, tag, digest };
}

/**
 * Why a reference cannot be deployed, or undefined when it can. A reference must be pinned: a digest,
 * or a tag other than `latest`, so that a rollout is reproducible and a change of image is a change of spec.
 */
export function imageReferenceProblem(reference: string): string | undefined {
    const parsed = parseImageReference(reference);
    if (!parsed) {
        return "a valid image reference such as registry.example.com/team/app:1.2.3 or name@sha256:<64 hex>";
    }
    if (parsed.digest) {
        return undefined;
    }
    if (!parsed.tag) {
        return "a pinned image: add a version tag or a @sha256 digest";
    }
    if (parsed.tag === "latest") {
        return "a pinned image: the tag latest moves, use a version tag or a @sha256 digest";
    }
    return undefined;
}
