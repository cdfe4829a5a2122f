import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "./awsProvider";
import { ControllerPlacement, podIdentityHelmRelease } from "./podIdentityHelmRelease";
import { PodIdentityRole } from "./podIdentityRole";
import controllerPolicy from "./policies/aws-load-balancer-controller-v3.5.0.json";

/**
 * The chart, pinned: chart 3.5.0 ships controller v3.5.0, the newest release of both as of this writing (eks-charts
 * index.yaml, created 2026-08-03; kubernetes-sigs/aws-load-balancer-controller tag v3.5.0). The IAM policy beside it
 * (policies/, with its source) is that version's; a test checks the two versions agree.
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
    repo: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    appVersion: "v3.5.0",
    policyVersion: "v3.5.0",
} as const;

/** The controller's pods run as this service account; its Pod Identity association names it. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = {
    namespace: "kube-system",
    name: "aws-load-balancer-controller",
} as const;

/**
 * The controller's IAM policy for a region: the vendored one, whose ARNs name the aws partition, with the region's
 * partition in them. Upstream's iam_policy_cn.json and iam_policy_us-gov.json of v3.5.0 are exactly this (their
 * statements in another order).
 */
export function loadBalancerControllerPolicy(region: string): string {
    return JSON.stringify(controllerPolicy).replace(/"arn:aws:/g, `"arn:${partitionOf(region)}:`);
}

export interface LoadBalancerControllerArgs extends ControllerPlacement {
    /** Given, so the controller need not ask the node's instance metadata (out of a pod's reach: hop limit 1). */
    readonly vpcId: pulumi.Input<string>;
}

/**
 * The chart's values. Two replicas (one leads, the other takes over within seconds if its node or zone goes),
 * spread over zones and kept one at a time through drains by a PodDisruptionBudget. Requests so the scheduler
 * reserves room for it; a memory limit, no CPU limit (a throttled controller answers its webhooks late).
 */
export function loadBalancerControllerValues(
    clusterName: string,
    region: string,
    vpcId: string,
): Record<string, unknown> {
    const selector = {
        "app.kubernetes.io/name": LOAD_BALANCER_CONTROLLER_CHART.chart,
        "app.kubernetes.io/instance": LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
    };
    return {
        clusterName,
        region,
        vpcId,
        // The chart makes the service account; Pod Identity needs no annotation on it (IRSA would).
        serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        topologySpreadConstraints: [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: selector },
            },
        ],
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        // Off: with it the controller's webhook gives every new LoadBalancer Service without a class its class, so
        // it would take over Services it was not asked to (another chart's, or one meant for a different
        // controller), and with failurePolicy Fail no LoadBalancer Service could be created while it is down. The
        // frontend Service names the class itself.
        enableServiceMutatorWebhook: false,
        // The webhooks' certificate is generated at install; kept on upgrades, so the API server never calls a
        // webhook whose certificate its configuration no longer trusts.
        keepTLSSecret: true,
    };
}

/**
 * The AWS Load Balancer Controller (nodes: managed): it turns Services of class service.k8s.aws/nlb into NLBs with
 * the settings their annotations ask for (frontendLoadBalancer.ts), and deletes an NLB when its Service goes (its
 * finalizer holds the Service until then). Installed by its Helm chart as a Release, with its AWS permissions
 * through EKS Pod Identity (the controller's own IAM policy, vendored).
 *
 * Order: the role, its policy and the association exist before the chart, whose pods ask the Pod Identity Agent
 * for credentials as they start; the Release waits for its pods (skipAwait off), so whatever depends on it (the
 * app's workloads) finds the controller running. On destroy the reverse: the frontend Service, and with it the
 * NLB, goes while the controller still runs; then the controller, the nodes and the VPC.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
    readonly role: PodIdentityRole;
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:LoadBalancerController", name, {}, opts);

        const installed = podIdentityHelmRelease(
            name,
            {
                ...args,
                chart: LOAD_BALANCER_CONTROLLER_CHART,
                serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
                values: pulumi
                    .all([args.clusterName, args.vpcId])
                    .apply(([cluster, vpcId]) => loadBalancerControllerValues(cluster, args.region, vpcId)),
                ownPolicies: [
                    {
                        name: "policy",
                        description: `AWS Load Balancer Controller ${LOAD_BALANCER_CONTROLLER_CHART.policyVersion} (docs/install/iam_policy.json)`,
                        document: loadBalancerControllerPolicy(args.region),
                    },
                ],
            },
            this,
        );
        this.role = installed.role;
        this.release = installed.release;

        this.registerOutputs(installed.outputs);
    }
}
