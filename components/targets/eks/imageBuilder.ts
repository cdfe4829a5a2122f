import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../images";
import { childName } from "../../naming";
import { ImageBuilder, ImageBuildRequest } from "../../images";

export interface EcrImageBuilderArgs {
    /** How many images the lifecycle policy keeps in each repository; older ones expire. */
    readonly keepImages: number;
    /** Passed to every AWS resource and lookup explicitly. */
    readonly awsProvider: aws.Provider;
}

/** The platform images are built for: the nodes' architecture (AL2023 x86_64; Auto Mode's general-purpose pool is amd64 too). */
const IMAGE_PLATFORM = "linux/amd64";

/**
 * Tags may move: pulumi-docker-build rebuilds an image whenever its context hash differs, which it does between
 * machines and checkouts for the same files (pulumi/pulumi-docker-build#222), and the rebuild pushes the same
 * source-hash tag again, with new bytes (timestamps, a base image tag that moved). With IMMUTABLE tags that push is
 * refused and `pulumi up` fails until the sources change. The tag only names the sources; pods run the digest the
 * push returns, so what runs is exactly what was pushed and scanned whatever a tag points to later, and a rebuild
 * rolls the pods to its digest.
 */
export const IMAGE_TAG_MUTABILITY = "MUTABLE";

/** An ECR lifecycle policy that expires all but the newest `keep` images. */
export function keepNewestImagesPolicy(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Keep the newest ${keep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}

interface ImageRepository {
    readonly repository: aws.ecr.Repository;
    readonly lifecyclePolicy: aws.ecr.LifecyclePolicy;
}

/**
 * Builds images with Docker buildx where the nodes pull them: a private ECR repository of this stack per image, in
 * the nodes' region, images scanned on push. The backend is built from app/backend; a registry image pinned by
 * digest (the NGINX frontend's) is copied, so a node starting a pod needs ECR only. Pods run every image by digest
 * (IfNotPresent): a node that has it restarts a pod without any registry.
 */
export class EcrImageBuilder extends pulumi.ComponentResource implements ImageBuilder {
    readonly pullPolicy = "IfNotPresent";
    readonly copiesRegistryImages = true;
    /** The backend's repository. */
    readonly repository: aws.ecr.Repository;
    readonly lifecyclePolicy: aws.ecr.LifecyclePolicy;
    private readonly repositories = new Map<string, ImageRepository>();
    private readonly builderName: string;
    private readonly args: EcrImageBuilderArgs;

    constructor(name: string, args: EcrImageBuilderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:EcrImageBuilder", name, {}, opts);
        this.builderName = name;
        this.args = args;

        const backend = this.repositoryFor("backend");
        this.repository = backend.repository;
        this.lifecyclePolicy = backend.lifecyclePolicy;

        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl });
    }

    /** The repository of the image `name`, made on first use. */
    private repositoryFor(name: string): ImageRepository {
        const known = this.repositories.get(name);
        if (known) {
            return known;
        }
        const awsOpts = { parent: this, provider: this.args.awsProvider };
        const repository = new aws.ecr.Repository(
            childName(this.builderName, name),
            {
                imageTagMutability: IMAGE_TAG_MUTABILITY,
                imageScanningConfiguration: { scanOnPush: true },
                // Every image here is built or copied by this stack and can be made again; without this,
                // `pulumi destroy` stops at the older images the lifecycle policy keeps (RepositoryNotEmptyException).
                forceDelete: true,
            },
            awsOpts,
        );
        const lifecyclePolicy = new aws.ecr.LifecyclePolicy(
            childName(this.builderName, `${name}-lifecycle`),
            { repository: repository.name, policy: keepNewestImagesPolicy(this.args.keepImages) },
            awsOpts,
        );
        const made = { repository, lifecyclePolicy };
        this.repositories.set(name, made);
        return made;
    }

    /**
     * Builds `request` and pushes it as `<repository>:<tag>` (by default src-<hash>); returns
     * `<repository>@sha256:...`. The tag names the source, the digest pins the bytes: a new source hash is a new
     * tag, hence a new build and a rollout, and an unchanged one is no change at all.
     */
    build(request: ImageBuildRequest): pulumi.Output<string> {
        const { repository } = this.repositoryFor(request.name);
        const token = aws.ecr.getAuthorizationTokenOutput(
            { registryId: repository.registryId },
            { parent: this, provider: this.args.awsProvider },
        );
        const tag = request.tag ?? `src-${shortHash(request.sourceHash)}`;
        const image = new dockerBuild.Image(
            childName(this.builderName, `${request.name}-image`),
            {
                context: { location: request.contextDir },
                buildArgs: request.buildArgs,
                platforms: [IMAGE_PLATFORM],
                push: true,
                tags: [pulumi.interpolate`${repository.repositoryUrl}:${tag}`],
                registries: [
                    {
                        address: repository.repositoryUrl,
                        username: token.userName,
                        password: pulumi.secret(token.password),
                    },
                ],
            },
            { parent: this },
        );
        return pulumi.interpolate`${repository.repositoryUrl}@${image.digest}`;
    }
}
