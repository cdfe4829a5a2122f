import type { SpreadFacts, SystemPodFacts } from "../../facts";
import {
    CLUSTER_AUTOSCALER_CHART,
    CLUSTER_AUTOSCALER_REPLICAS,
    CLUSTER_AUTOSCALER_RESOURCES,
} from "./clusterAutoscaler";
import { LOAD_BALANCER_CONTROLLER_CHART, loadBalancerControllerValues } from "./loadBalancerController";

/** A preference over a topology (ScheduleAnyway, or a preferred pod anti-affinity): the scheduler may ignore it. */
const PREFERRED: SpreadFacts = {
    whenUnsatisfiable: "ScheduleAnyway",
    maxSkew: 1,
    nodeTaintsPolicy: "Ignore",
    minDomains: null,
};

/**
 * CoreDNS as the EKS add-on deploys it with no configuration: "two replicas of the CoreDNS image are deployed by
 * default, regardless of the number of nodes" (managing-coredns.html); a preferred anti-affinity over nodes (the
 * add-on's configuration schema default), a zone spread that is only a preference (ScheduleAnyway, maxSkew 1), a
 * PodDisruptionBudget of maxUnavailable 1 and requests of 100m CPU and 70Mi, as `kubectl describe` shows them on
 * v1.13.2-eksbuild.1.
 */
export const COREDNS_ADDON: SystemPodFacts = {
    name: "CoreDNS",
    replicas: 2,
    zoneSpread: PREFERRED,
    nodeSpread: PREFERRED,
    disruptionBudget: { maxUnavailable: 1, minAvailable: null },
    withoutIt: { kind: "clusterDns" },
    requests: { cpu: "100m", memory: "70Mi" },
    installedBy: "an EKS add-on",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
};

/**
 * metrics-server as the EKS add-on deploys it (v0.8.0-eksbuild.3, as `kubectl describe` shows it): two pods
 * spread over zones as a preference only, requests of 100m CPU and 200Mi, no PodDisruptionBudget. AWS documents
 * none of this for the community add-on; `kubectl get deploy,pdb -n kube-system` shows a cluster's own.
 */
export const METRICS_SERVER_ADDON: SystemPodFacts = {
    name: "metrics-server",
    replicas: 2,
    zoneSpread: PREFERRED,
    nodeSpread: null,
    disruptionBudget: null,
    withoutIt: { kind: "podMetrics" },
    requests: { cpu: "100m", memory: "200Mi" },
    installedBy: "an EKS add-on",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/community-addons.html",
};

/** The Cluster Autoscaler as clusterAutoscaler.ts installs it: one pod (leader election), the chart's budget. */
export const CLUSTER_AUTOSCALER_PODS: SystemPodFacts = {
    name: "Cluster Autoscaler",
    replicas: CLUSTER_AUTOSCALER_REPLICAS,
    zoneSpread: null,
    nodeSpread: null,
    disruptionBudget: { maxUnavailable: 1, minAvailable: null },
    withoutIt: { kind: "nodeScaling" },
    requests: { ...CLUSTER_AUTOSCALER_RESOURCES.requests },
    installedBy: "the stack",
    source: `https://github.com/kubernetes/autoscaler/tree/cluster-autoscaler-chart-${CLUSTER_AUTOSCALER_CHART.version}/cluster-autoscaler/charts/cluster-autoscaler`,
};

/** The values the stack gives the load balancer controller's chart (loadBalancerController.ts), read once. */
const CONTROLLER_VALUES = loadBalancerControllerValues("", "", "") as {
    readonly replicaCount: number;
    readonly podDisruptionBudget: { readonly maxUnavailable: number };
    readonly resources: { readonly requests: { readonly cpu: string; readonly memory: string } };
};

/**
 * The AWS Load Balancer Controller as loadBalancerController.ts installs it: its replicas, zone spread
 * (ScheduleAnyway), budget and requests are the stack's values; the chart adds a preferred anti-affinity over nodes
 * (configureDefaultAffinity). Its pod webhook fails open (podMutatorWebhookConfig.failurePolicy Ignore), so pods
 * are still created without it, only without the readiness gate.
 */
export const LOAD_BALANCER_CONTROLLER_PODS: SystemPodFacts = {
    name: "AWS Load Balancer Controller",
    replicas: CONTROLLER_VALUES.replicaCount,
    zoneSpread: PREFERRED,
    nodeSpread: PREFERRED,
    disruptionBudget: { maxUnavailable: CONTROLLER_VALUES.podDisruptionBudget.maxUnavailable, minAvailable: null },
    withoutIt: { kind: "loadBalancerRegistration" },
    requests: { ...CONTROLLER_VALUES.resources.requests },
    installedBy: "the stack",
    source: `https://github.com/aws/eks-charts/tree/master/stable/${LOAD_BALANCER_CONTROLLER_CHART.chart}`,
};
