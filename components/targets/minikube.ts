import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../images";
import { MinikubeSettings } from "../config";
import type { ClusterFacts } from "../facts";
import { childName } from "../naming";
import { ClusterTarget, FrontendAccess, FrontendServiceRef } from "./clusterTarget";
import { ImageBuilder, ImageBuildRequest } from "../images";
import { TargetCapabilities } from "../capabilities";
import { MINIKUBE_ZONES, minikubeClusterFacts } from "./minikubeFacts";

export type MinikubeTargetArgs = MinikubeSettings;

/** The image reference minikube builds for a request: tagged by source hash, so a code change rolls out. */
export function minikubeImageTag(request: ImageBuildRequest): string {
    return `first-k8s/${request.name}:src-${shortHash(request.sourceHash)}`;
}

/**
 * Self-managed, single node: minikube runs the control plane (API server, scheduler, controller
 * manager, one etcd) and the workloads on the same machine. Backing up etcd, upgrading, and surviving the
 * loss of that machine are all yours. There is no cloud load balancer, so traffic enters by NodePort.
 */
export class MinikubeTarget extends pulumi.ComponentResource implements ClusterTarget {
    readonly provider: k8s.Provider;
    readonly capabilities: TargetCapabilities = { trafficEntry: { kind: "NodePort" }, zones: MINIKUBE_ZONES };
    readonly workloadDependencies: pulumi.Resource[] = [];
    readonly facts: pulumi.Output<ClusterFacts>;
    readonly images: ImageBuilder = {
        // The image exists only in minikube's container runtime. Never, not IfNotPresent: were it gone (a new
        // cluster), the kubelet would otherwise ask Docker Hub for docker.io/first-k8s/backend, a name anyone could
        // register; Never stops at ErrImageNeverPull instead.
        pullPolicy: "Never",
        build: (request: ImageBuildRequest) => this.buildImage(request),
    };
    private readonly profile: string;
    private readonly targetName: string;

    constructor(name: string, args: MinikubeTargetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:targets:MinikubeTarget", name, {}, opts);
        this.profile = args.kubeContext;
        this.targetName = name;
        this.facts = pulumi.output(minikubeClusterFacts({ profile: args.kubeContext }));
        this.provider = new k8s.Provider(
            childName(name, "k8s"),
            {
                context: args.kubeContext,
                enableServerSideApply: true,
                // `kubectl apply -f rendered/dev/` is a documented way to run this stack without Pulumi; a later
                // `pulumi up` adopts those objects instead of failing with AlreadyExists (the provider's
                // default since 4.29). The resources keep their names across versions, so the rename hazard
                // this default guards against (a create-then-delete of the same object) does not arise.
                upsertExistingObjects: true,
            },
            { parent: this },
        );
        this.registerOutputs({ kubeContext: args.kubeContext });
    }

    /**
     * Builds inside minikube's own container runtime: the image never leaves the machine and no
     * registry is needed. The command runs again only when the source hash changes.
     */
    private buildImage(request: ImageBuildRequest): pulumi.Output<string> {
        const tag = minikubeImageTag(request);
        const build = new command.local.Command(
            childName(this.targetName, `${request.name}-image`),
            {
                // The profile is validated config (letters, digits, . _ -) and the tag is derived: no shell injection.
                create: `minikube -p ${this.profile} image build -t ${tag} .`,
                dir: request.contextDir,
                // A new cluster (`minikube delete` and start) has none of the images the old one built.
                triggers: [request.sourceHash, this.clusterIdentity()],
                logging: "stdoutAndStderr",
            },
            { parent: this },
        );
        // The tag is known before the build runs; deriving it from the URN keeps the dependency (pods
        // wait for the build) while `pulumi preview` can still show it.
        return build.urn.apply(() => tag);
    }

    /**
     * The uid of the cluster's kube-system namespace: made once when a cluster is created and never changed,
     * so it tells one cluster from the next under the same profile. Read on every preview and up.
     */
    private clusterIdentity(): pulumi.Output<string> {
        const kubeSystem = k8s.core.v1.Namespace.get(childName(this.targetName, "kube-system"), "kube-system", {
            parent: this,
            provider: this.provider,
        });
        return kubeSystem.metadata.uid;
    }

    frontendAccess(frontend: FrontendServiceRef): FrontendAccess {
        // The cluster assigns the port when it creates the Service; a preview does not know it yet.
        const nodePort = frontend.service.spec.ports.apply((ports) => ports[0]?.nodePort ?? "<assigned on creation>");
        return {
            command: pulumi.output(
                `minikube -p ${this.profile} service ${frontend.name} -n ${frontend.namespace} --url`,
            ),
            url: pulumi.interpolate`http://$(minikube -p ${this.profile} ip):${nodePort}`,
        };
    }
}
