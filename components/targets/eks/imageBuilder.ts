import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../images";
import { childName } from "../../naming";
import { ImageBuilder, ImageBuildRequest } from "../../images";

export interface EcrImageBuilderArgs {
    /** How many images the lifecycle policy keeps; older ones expire. */
    readonly keepImages: number;
    /** Passed to every AWS resource and lookup explicitly. */
    readonly awsProvider: aws.Provider;
}

/** The platform images are built for: the nodes' architecture (AL2023 x86_64; Auto Mode's general-purpose pool is amd64 too). */
const IMAGE_PLATFORM = "linux/amd64";

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

/**
 * Builds images with Docker buildx where the nodes pull them: a private ECR repository of this stack. Tags
 * are immutable and images are scanned on push; pods run them by digest, so what runs is exactly what was
 * built and scanned, whatever happens to tags later.
 */
export class EcrImageBuilder extends pulumi.ComponentResource implements ImageBuilder {
    readonly repository: aws.ecr.Repository;
    readonly lifecyclePolicy: aws.ecr.LifecyclePolicy;
    private readonly builderName: string;
    private readonly awsProvider: aws.Provider;

    constructor(name: string, args: EcrImageBuilderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:EcrImageBuilder", name, {}, opts);
        this.builderName = name;
        this.awsProvider = args.awsProvider;
        const awsOpts = { parent: this, provider: args.awsProvider };

        this.repository = new aws.ecr.Repository(
            childName(name, "backend"),
            {
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                // Every image here is built from app/backend by this stack and can be built again; without this,
                // `pulumi destroy` stops at the older images the lifecycle policy keeps (RepositoryNotEmptyException).
                forceDelete: true,
            },
            awsOpts,
        );
        this.lifecyclePolicy = new aws.ecr.LifecyclePolicy(
            childName(name, "backend-lifecycle"),
            { repository: this.repository.name, policy: keepNewestImagesPolicy(args.keepImages) },
            awsOpts,
        );

        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl });
    }

    /**
     * Builds `request` and pushes it as `<repository>:src-<hash>`; returns `<repository>@sha256:...`. The tag
     * names the source, the digest pins the bytes: a new source hash is a new tag, hence a new build and a
     * rollout, and an unchanged one is no change at all.
     */
    build(request: ImageBuildRequest): pulumi.Output<string> {
        const token = aws.ecr.getAuthorizationTokenOutput(
            { registryId: this.repository.registryId },
            { parent: this, provider: this.awsProvider },
        );
        const image = new dockerBuild.Image(
            childName(this.builderName, `${request.name}-image`),
            {
                context: { location: request.contextDir },
                platforms: [IMAGE_PLATFORM],
                push: true,
                tags: [pulumi.interpolate`${this.repository.repositoryUrl}:src-${shortHash(request.sourceHash)}`],
                registries: [
                    {
                        address: this.repository.repositoryUrl,
                        username: token.userName,
                        password: pulumi.secret(token.password),
                    },
                ],
            },
            { parent: this },
        );
        return pulumi.interpolate`${this.repository.repositoryUrl}@${image.digest}`;
    }
}
