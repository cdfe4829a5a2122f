import type * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { EksSettings } from "../../config";
import type { ClusterFacts, NetworkPolicyEnforcement } from "../../facts";
import { CONTROL_PLANE_AUTHENTICATION_MODE } from "./controlPlane";
import { NLB_SCHEME } from "./frontendLoadBalancer";
import { EksNetworkPolicyEnforcer, EksNodeMode, eksNodeMode } from "./nodeModes";

/**
 * What EKS runs for every cluster, which no setting of this stack changes: "at least two API server instances
 * and three etcd instances across three AWS Availability Zones within an AWS Region".
 */
const EKS_CONTROL_PLANE = {
    apiServers: 2,
    etcdMembers: 3,
    zones: 3,
    source: "https://docs.aws.amazon.com/eks/latest/userguide/eks-architecture.html",
} as const;

/** The EKS cluster as the stack makes it. */
export interface EksObservation {
    readonly region: string;
    readonly kubernetesVersion: string;
    /** The upgrade policy's support type: STANDARD or EXTENDED. */
    readonly supportType: string;
    readonly zones: number;
    readonly natGateways: number;
    /** accessConfig.authenticationMode: API, API_AND_CONFIG_MAP or CONFIG_MAP. */
    readonly authenticationMode: eks.AuthenticationMode;
    readonly logTypes: readonly string[];
    /** Days the control plane's log group keeps its events (controlPlaneLogRetentionDays). */
    readonly logRetentionDays: number;
    readonly secretsEncrypted: boolean;
    readonly secretsKeyRotation: boolean;
    readonly kmsKeys: number;
    readonly nodeMode: EksNodeMode;
    /** Images the ECR lifecycle policy keeps. */
    readonly storedImages: number;
    /** Registry images copied into the stack's ECR (imageBuilder.ts) rather than pulled from their registry. */
    readonly copiedImages: number;
}

function networkPolicyEnforcement(enforcer: EksNetworkPolicyEnforcer): NetworkPolicyEnforcement {
    switch (enforcer) {
        case "vpc-cni":
            return { enforced: "yes", by: { kind: "vpcCniAgent" } };
        case "auto-mode":
            return { enforced: "yes", by: { kind: "autoModeController" } };
        case null:
            return { enforced: "no", by: { kind: "nothing" } };
    }
}

/** The target-neutral facts of an EKS cluster, from what its resources say. */
export function eksClusterFacts(observed: EksObservation): ClusterFacts {
    const { nodeMode, zones } = observed;
    // EXTENDED only costs more once the version leaves standard support; priced as the worst case.
    const support = observed.supportType === "STANDARD" ? "standard" : "extended";
    return {
        kind: "Amazon EKS",
        region: observed.region,
        // The VPC comes first and the NLB last whatever the node mode; what runs between is the mode's.
        runsOn: { kind: "cloudRegion", rebuildPath: ["vpc", ...nodeMode.rebuildPath, "loadBalancer"] },
        controlPlane: {
            managedBy: "AWS",
            location: { kind: "providerAccount", provider: "AWS" },
            apiServers: EKS_CONTROL_PLANE.apiServers,
            etcdMembers: EKS_CONTROL_PLANE.etcdMembers,
            zones: EKS_CONTROL_PLANE.zones,
            etcdBackup: "AWS",
            etcdBackupHow: { kind: "managedControlPlane" },
            sharesNodesWithWorkloads: false,
            source: EKS_CONTROL_PLANE.source,
        },
        nodes: nodeMode.nodeFacts(zones),
        systemPods: [...nodeMode.systemPods],
        security: {
            networkPolicies: networkPolicyEnforcement(nodeMode.networkPolicyEnforcer),
            secretsEncryption: observed.secretsEncrypted
                ? { kind: "kmsEnvelope", keyRotatedYearly: observed.secretsKeyRotation }
                : null,
            controlPlaneLogs: [...observed.logTypes],
            controlPlaneLogDestination: observed.logTypes.length > 0 ? "CloudWatch Logs" : null,
            authentication: { kind: "eksIam", mode: observed.authenticationMode },
        },
        upgrades: {
            kubernetesVersion: observed.kubernetesVersion,
            controlPlane: { kind: "eksManaged", support },
            nodes: nodeMode.nodeUpgrades,
        },
        loadBalancer: {
            product: "network-load-balancer",
            description: { kind: "awsNetworkLoadBalancer", scheme: NLB_SCHEME, madeBy: nodeMode.loadBalancerMadeBy },
            zones,
        },
        cost: {
            pricing: { provider: "aws", region: observed.region },
            managedControlPlanes: 1,
            controlPlaneSupport: support,
            nodes: nodeMode.nodeCost,
            natGateways: observed.natGateways,
            kmsKeys: observed.kmsKeys,
            controlPlaneLogStreams: observed.logTypes.length,
            storedImages: observed.storedImages,
            controlPlaneLogRetentionDays: observed.logTypes.length > 0 ? observed.logRetentionDays : null,
            copiedImages: observed.copiedImages,
            zones,
        },
    };
}

/**
 * The EKS cluster this stack makes, from its validated settings and the constants its resources are made with:
 * the one source of its facts, for the live `report` output and for the offline comparison alike.
 */
export function eksObservation(settings: EksSettings): EksObservation {
    return {
        region: settings.region,
        kubernetesVersion: settings.kubernetesVersion,
        supportType: settings.supportType,
        zones: settings.zoneCount,
        natGateways: settings.natGateways === "OnePerAz" ? settings.zoneCount : 1,
        authenticationMode: CONTROL_PLANE_AUTHENTICATION_MODE,
        logTypes: settings.controlPlaneLogTypes,
        logRetentionDays: settings.controlPlaneLogRetentionDays,
        // The control plane's secrets key, rotated yearly, is the stack's only KMS key.
        secretsEncrypted: true,
        secretsKeyRotation: true,
        kmsKeys: 1,
        nodeMode: eksNodeMode(settings.nodes),
        storedImages: settings.ecrKeepImages,
        // The frontend's NGINX image, pinned by digest (the default frontendImage), which EcrImageBuilder copies into
        // a repository of the stack's: one image until frontendImage changes. (Not a pull-through cache, which does
        // not fetch on a first pull by digest: docs/eks.md.)
        copiedImages: 1,
    };
}

/**
 * The facts of the live cluster: the settings', but the Kubernetes version AWS reports, which moves on its own
 * when EKS upgrades a control plane at the end of standard support, and the names of the zones chosen.
 */
export function liveEksClusterFacts(
    settings: EksSettings,
    liveVersion: pulumi.Output<string>,
    zoneNames: pulumi.Output<string[]>,
): pulumi.Output<ClusterFacts> {
    return pulumi.all([liveVersion, zoneNames]).apply(([kubernetesVersion, names]) => ({
        ...eksClusterFacts({ ...eksObservation(settings), kubernetesVersion }),
        zoneNames: names,
    }));
}
