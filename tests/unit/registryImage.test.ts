import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    COPY_DIR,
    copyRequest,
    ImageBuilder,
    ImageBuildRequest,
    registryPullPolicy,
    resolveRegistryImage,
} from "../../components/images";

const DIGEST = `sha256:${"e".repeat(64)}`;

function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** A builder that records its requests and answers with a reference in its own registry. */
function recordingBuilder(copies: boolean): { builder: ImageBuilder; requests: ImageBuildRequest[] } {
    const requests: ImageBuildRequest[] = [];
    const builder: ImageBuilder = {
        pullPolicy: "IfNotPresent",
        copiesRegistryImages: copies,
        build: (request) => {
            requests.push(request);
            return pulumi.output(`registry.invalid/${request.name}@${DIGEST}`);
        },
    };
    return { builder, requests };
}

describe("registry images: the pull-policy rule and copies", () => {
    it("pulls an image pinned by digest only when the node lacks it, one named by tag at every start", () => {
        assert.equal(registryPullPolicy(`nginx:1.27@${DIGEST}`), "IfNotPresent");
        assert.equal(registryPullPolicy(`registry.example.com:5000/web/nginx@${DIGEST}`), "IfNotPresent");
        assert.equal(registryPullPolicy("nginx:1.27"), "Always");
        assert.equal(registryPullPolicy("registry.example.com:5000/web/nginx:1.27.4"), "Always");
    });

    it("copies by a build FROM the reference, tagged with its tag and the digest's start", () => {
        const reference = `nginxinc/nginx-unprivileged:1.28.0-alpine@${DIGEST}`;
        const request = copyRequest("frontend", reference);
        assert.equal(request.name, "frontend");
        assert.equal(request.contextDir, COPY_DIR);
        assert.deepEqual(request.buildArgs, { SOURCE_IMAGE: reference });
        assert.equal(request.tag, "1.28.0-alpine-eeeeeeeeeeee");
        assert.match(request.sourceHash, /^[0-9a-f]{64}$/);
        assert.equal(copyRequest("frontend", `nginx@${DIGEST}`).tag, "copy-eeeeeeeeeeee");
        assert.notEqual(copyRequest("frontend", `nginx@sha256:${"f".repeat(64)}`).sourceHash, request.sourceHash);
    });

    it("refuses to copy a reference without a digest, which would not say what the copy holds", () => {
        assert.throws(() => copyRequest("frontend", "nginx:1.27"), {
            message: "copyRequest: nginx:1.27 is not pinned by digest, so a copy could not say what it holds",
        });
    });

    it("runs the copy, by digest, where the builder copies registry images and the reference has a digest", async () => {
        const { builder, requests } = recordingBuilder(true);
        const pinned = resolveRegistryImage("frontend", `nginx:1.27@${DIGEST}`, builder);
        assert.equal(await unwrap(pinned.image), `registry.invalid/frontend@${DIGEST}`);
        assert.equal(pinned.pullPolicy, "IfNotPresent");
        assert.deepEqual(
            requests.map((request) => request.buildArgs),
            [{ SOURCE_IMAGE: `nginx:1.27@${DIGEST}` }],
        );
        const tagged = resolveRegistryImage("frontend", "nginx:1.27", builder);
        assert.equal(await unwrap(tagged.image), "nginx:1.27");
        assert.equal(tagged.pullPolicy, "Always");
        assert.equal(requests.length, 1, "a tag is not copied");
    });

    it("runs the reference itself where the builder copies nothing", async () => {
        const { builder, requests } = recordingBuilder(false);
        const pinned = resolveRegistryImage("frontend", `nginx:1.27@${DIGEST}`, builder);
        assert.equal(await unwrap(pinned.image), `nginx:1.27@${DIGEST}`);
        assert.equal(pinned.pullPolicy, "IfNotPresent");
        assert.equal(requests.length, 0);
    });
});
