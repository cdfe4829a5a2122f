import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExistingClusterSettings } from "../config";
import type { ClusterFacts } from "../facts";
import { childName } from "../naming";
import { ClusterTarget, FrontendAccess, FrontendServiceRef } from "./clusterTarget";
import { ImageBuilder } from "../images";
import { TargetCapabilities, TrafficEntry } from "../capabilities";
import { existingClusterFacts } from "./existingClusterFacts";

export type ExistingClusterTargetArgs = ExistingClusterSettings;

/** Local port of the `kubectl port-forward` that the NodePort entry prints. */
const PORT_FORWARD_PORT = 8080;

/**
 * Any cluster that already exists: kind, k3d, Docker Desktop, a real minikube under another name, or a cloud
 * cluster made elsewhere. The stack deploys into its kubeconfig context and makes nothing else; you say how
 * many zones its nodes span and how traffic gets in. It builds no image: backendImage names one.
 */
export class ExistingClusterTarget extends pulumi.ComponentResource implements ClusterTarget {
    readonly provider: k8s.Provider;
    readonly capabilities: TargetCapabilities;
    readonly workloadDependencies: pulumi.Resource[] = [];
    readonly facts: pulumi.Output<ClusterFacts>;
    readonly images: ImageBuilder = {
        build: (request) => {
            // The config refuses a cluster stack without backendImage, so this is a programming error.
            throw new Error(
                `The cluster target builds no images; set backendImage instead of building ${request.name}`,
            );
        },
    };
    private readonly kubeContext: string;

    constructor(name: string, args: ExistingClusterTargetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:targets:ExistingClusterTarget", name, {}, opts);
        this.kubeContext = args.kubeContext;
        const trafficEntry: TrafficEntry =
            args.trafficEntry === "LoadBalancer" ? { kind: "LoadBalancer", annotations: {} } : { kind: "NodePort" };
        this.capabilities = { trafficEntry, zones: args.zones };
        this.facts = pulumi.output(existingClusterFacts(args));
        this.provider = new k8s.Provider(
            childName(name, "k8s"),
            { context: args.kubeContext, enableServerSideApply: true },
            { parent: this },
        );
        this.registerOutputs({ kubeContext: args.kubeContext });
    }

    frontendAccess(frontend: FrontendServiceRef): FrontendAccess {
        const service = `-n ${frontend.namespace} service/${frontend.name}`;
        if (this.capabilities.trafficEntry.kind === "NodePort") {
            // A node's address is not always reachable from your machine (kind runs nodes in containers);
            // a port-forward through the API server always is.
            const port = frontend.service.spec.ports.apply((ports) => ports[0].port);
            return {
                command: pulumi.interpolate`kubectl --context ${this.kubeContext} port-forward ${service} ${PORT_FORWARD_PORT}:${port}`,
                url: pulumi.output(`http://127.0.0.1:${PORT_FORWARD_PORT} (while the command runs)`),
            };
        }
        const address = frontend.service.status.apply(
            (status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? status?.loadBalancer?.ingress?.[0]?.ip,
        );
        return {
            command: pulumi.output(
                `kubectl --context ${this.kubeContext} get ${service} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
            ),
            url: address.apply((host) =>
                host ? `http://${host}` : "(no load balancer address yet: run the frontendUrlCommand output)",
            ),
        };
    }
}
