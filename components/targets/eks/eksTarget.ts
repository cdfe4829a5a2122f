import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksSettings } from "../../config";
import { childName } from "../../naming";
import type { ClusterFacts } from "../../facts";
import { ClusterTarget, FrontendAccess, FrontendServiceRef } from "../clusterTarget";
import { TargetCapabilities } from "../../capabilities";
import { clusterAddon } from "./addons";
import { createAwsProvider } from "./awsProvider";
import { ClusterAutoscaler } from "./clusterAutoscaler";
import { EksControlPlane } from "./controlPlane";
import { liveEksClusterFacts } from "./eksFacts";
import { withTls } from "./frontendLoadBalancer";
import { EcrImageBuilder } from "./imageBuilder";
import { renderKubeconfig, updateKubeconfigCommand } from "./kubeconfig";
import { LoadBalancerController } from "./loadBalancerController";
import { ManagedNodes } from "./managedNodes";
import { EksNetwork } from "./network";
import { eksNodeMode } from "./nodeModes";

export type EksTargetArgs = EksSettings;

/**
 * Managed and highly available: Amazon EKS runs the control plane (API servers and etcd in three zones,
 * backed up and patched by AWS); this stack owns the VPC, the nodes and what runs on them. Traffic enters
 * through an AWS Network Load Balancer, and the app spreads over `zoneCount` zones.
 *
 * Teardown order comes from the dependency graph: every Kubernetes object depends on this target's
 * Kubernetes provider (built from the cluster's endpoint, so on the cluster) and on workloadDependencies
 * (the nodes, the add-ons and the load balancer controller). `pulumi destroy` deletes dependents first, so the
 * LoadBalancer Service goes while the controller, the cluster and the nodes are still up, and its deletion waits
 * for the controller's finalizer to delete the NLB. Only then do the controller, the nodes, the cluster and the
 * VPC go, and no load balancer ENI is left holding a subnet.
 */
export class EksTarget extends pulumi.ComponentResource implements ClusterTarget {
    readonly awsProvider: aws.Provider;
    readonly network: EksNetwork;
    readonly controlPlane: EksControlPlane;
    /** The managed node group; undefined in Auto Mode, where EKS launches nodes for pending pods. */
    readonly nodes: ManagedNodes | undefined;
    /** CoreDNS (managed nodes only: Auto Mode has DNS built in) and metrics-server, as EKS add-ons. */
    readonly addons: aws.eks.Addon[];
    /** The AWS Load Balancer Controller (managed nodes); undefined in Auto Mode, which balances load itself. */
    readonly loadBalancerController: LoadBalancerController | undefined;
    /** The Cluster Autoscaler (managed nodes); undefined in Auto Mode, which scales its nodes itself. */
    readonly nodeAutoscaler: ClusterAutoscaler | undefined;
    readonly provider: k8s.Provider;
    readonly capabilities: TargetCapabilities;
    readonly images: EcrImageBuilder;
    readonly workloadDependencies: pulumi.Resource[];
    readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;
    readonly facts: pulumi.Output<ClusterFacts>;
    private readonly tlsCertificateArn: string | undefined;

    constructor(name: string, args: EksTargetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:targets:EksTarget", name, {}, opts);
        const { region, profile } = args;
        this.tlsCertificateArn = args.tlsCertificateArn;

        // Threaded through the children rather than inherited: the SDK sends a remote component (awsx, eks)
        // only the providers in its own options, never its parent's.
        const awsProvider = createAwsProvider(childName(name, "aws"), { region, profile }, this);
        this.awsProvider = awsProvider;
        const nodeMode = eksNodeMode(args.nodes);

        this.network = new EksNetwork(
            childName(name, "network"),
            { region, zoneCount: args.zoneCount, natGateways: args.natGateways, awsProvider },
            { parent: this },
        );

        this.controlPlane = new EksControlPlane(
            childName(name, "control-plane"),
            {
                vpcId: this.network.vpcId,
                subnetIds: this.network.privateSubnetIds,
                kubernetesVersion: args.kubernetesVersion,
                supportType: args.supportType,
                publicAccessCidrs: args.publicAccessCidrs,
                logTypes: args.controlPlaneLogTypes,
                logRetentionDays: args.controlPlaneLogRetentionDays,
                nodeModeArgs: nodeMode.clusterArgs,
                profile,
                awsProvider,
            },
            { parent: this },
        );
        const { clusterName } = this.controlPlane;
        const addonCluster = { clusterName, kubernetesVersion: args.kubernetesVersion };

        this.nodes = nodeMode.createNodes(
            childName(name, "nodes"),
            {
                cluster: this.controlPlane.cluster,
                clusterName,
                kubernetesVersion: args.kubernetesVersion,
                subnetIds: this.network.privateSubnetIds,
                zones: args.zoneCount,
                region,
                awsProvider,
            },
            { parent: this },
        );

        // With managed nodes the add-ons wait for them; in Auto Mode their pending pods are what brings nodes up.
        const nodes = this.nodes ? [this.nodes] : [];
        this.addons = nodeMode.clusterAddons.map((addon) =>
            clusterAddon(childName(name, addon), addonCluster, addon, {
                parent: this,
                provider: awsProvider,
                dependsOn: nodes,
            }),
        );

        const kubeconfig = pulumi.secret(
            pulumi
                .all([clusterName, this.controlPlane.endpoint, this.controlPlane.certificateAuthority])
                .apply(([cluster, endpoint, certificateAuthority]) =>
                    renderKubeconfig({ clusterName: cluster, endpoint, certificateAuthority, region, profile }),
                ),
        );
        this.provider = new k8s.Provider(
            childName(name, "k8s"),
            { kubeconfig, enableServerSideApply: true },
            { parent: this },
        );

        const clusterObjects = nodeMode.createClusterObjects(
            childName(name, "network-policy-controller"),
            kubeconfig,
            {
                nodeRoleName: this.controlPlane.cluster.autoModeNodeRoleName,
                subnetIds: this.network.privateSubnetIds,
                securityGroupId: this.controlPlane.cluster.clusterSecurityGroupId,
            },
            { parent: this, provider: this.provider },
        );
        this.loadBalancerController = nodeMode.createLoadBalancerController(
            childName(name, "load-balancer-controller"),
            this.nodes,
            { clusterName, region, vpcId: this.network.vpcId, provider: this.provider, awsProvider },
            { parent: this },
        );
        // Not a workload dependency: the app runs without it, on the nodes there are.
        this.nodeAutoscaler = nodeMode.createNodeAutoscaler(
            childName(name, "node-autoscaler"),
            this.nodes,
            {
                clusterName,
                region,
                kubernetesVersion: args.kubernetesVersion,
                provider: this.provider,
                awsProvider,
            },
            { parent: this },
        );
        // Last: on a fresh `pulumi up` the longest wait is the add-ons', which the rebuild estimate follows.
        const controller = this.loadBalancerController ? [this.loadBalancerController.release] : [];
        this.workloadDependencies = [...nodes, ...this.addons, ...clusterObjects, ...controller];

        this.capabilities = {
            trafficEntry: withTls(nodeMode.trafficEntry, args.tlsCertificateArn),
            ...(nodeMode.namespaceLabels ? { namespaceLabels: nodeMode.namespaceLabels } : {}),
            zones: args.zoneCount,
            ...(nodeMode.dnsServiceAddress ? { dnsServiceAddress: nodeMode.dnsServiceAddress } : {}),
            ...(nodeMode.nodesFollowPods ? { spreadMinDomains: args.zoneCount } : {}),
        };
        this.images = new EcrImageBuilder(
            childName(name, "images"),
            { keepImages: args.ecrKeepImages, awsProvider },
            { parent: this },
        );

        this.facts = liveEksClusterFacts(args, this.controlPlane.cluster.eksCluster.version, this.network.zoneNames);

        this.outputs = {
            clusterName,
            region,
            zones: this.network.zoneNames,
            kubeconfig,
            kubeconfigCommand: clusterName.apply((cluster) =>
                updateKubeconfigCommand({ clusterName: cluster, region, profile }),
            ),
            imageRepository: this.images.repository.repositoryUrl,
        };
        this.registerOutputs({ clusterName, region, zones: this.network.zoneNames });
    }

    /**
     * AWS gives a load balancer a DNS name, not an IP: the URL is that name, over https:// with a certificate
     * (whose domain you point at the name; until then browsers refuse the name) and http:// without.
     */
    frontendAccess(frontend: FrontendServiceRef): FrontendAccess {
        const scheme = this.tlsCertificateArn === undefined ? "http" : "https";
        const hostname = frontend.service.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname);
        return {
            command: pulumi.output(
                `kubectl get svc ${frontend.name} -n ${frontend.namespace} -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
            ),
            url: hostname.apply((host) =>
                host ? `${scheme}://${host}` : "(no load balancer address yet: run the frontendUrlCommand output)",
            ),
        };
    }
}
