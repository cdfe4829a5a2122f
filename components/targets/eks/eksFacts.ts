import * as pulumi from "@pulumi/pulumi";
import type { EksSettings } from "../../config";
import type { ClusterFacts, NetworkPolicyEnforcement } from "../../facts";
import { CONTROL_PLANE_AUTHENTICATION_MODE } from "./controlPlane";
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
    readonly authenticationMode: string;
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

const AUTHENTICATION: Record<string, string> = {
    API: "IAM identities through EKS access entries (no aws-auth ConfigMap)",
    API_AND_CONFIG_MAP: "IAM identities through EKS access entries and the aws-auth ConfigMap",
    CONFIG_MAP: "IAM identities through the aws-auth ConfigMap",
};

function networkPolicyEnforcement(enforcer: EksNetworkPolicyEnforcer): NetworkPolicyEnforcement {
    switch (enforcer) {
        case "vpc-cni":
            return { enforced: "yes", by: "the VPC CNI's network policy agent" };
        case "auto-mode":
            return { enforced: "yes", by: "EKS Auto Mode's network policy controller" };
        case null:
            return { enforced: "no", by: "nothing in the cluster implements them" };
    }
}

/** The target-neutral facts of an EKS cluster, from what its resources say. */
export function eksClusterFacts(observed: EksObservation): ClusterFacts {
    const { nodeMode, zones } = observed;
    const zoneText = `${zones} zone${zones === 1 ? "" : "s"}`;
    return {
        kind: "Amazon EKS",
        region: observed.region,
        runsOn: "cloudRegion",
        controlPlane: {
            managedBy: "AWS",
            location: "in AWS's account, not on your nodes",
            apiServers: EKS_CONTROL_PLANE.apiServers,
            etcdMembers: EKS_CONTROL_PLANE.etcdMembers,
            zones: EKS_CONTROL_PLANE.zones,
            etcdBackup: "AWS",
            etcdBackupHow:
                "part of the managed control plane, which you can neither reach nor restore from; the app's objects live in this code and the Pulumi state, and anything stateful (volumes, databases) would need a backup of its own",
            sharesNodesWithWorkloads: false,
            source: EKS_CONTROL_PLANE.source,
        },
        nodes: nodeMode.nodeFacts(zones),
        systemPods: [...nodeMode.systemPods],
        security: {
            networkPolicies: networkPolicyEnforcement(nodeMode.networkPolicyEnforcer),
            secretsEncryption: observed.secretsEncrypted
                ? `KMS envelope encryption with the stack's own key${observed.secretsKeyRotation ? ", rotated yearly" : ""}`
                : null,
            controlPlaneLogs: [...observed.logTypes],
            controlPlaneLogDestination: observed.logTypes.length > 0 ? "CloudWatch Logs" : null,
            authentication: AUTHENTICATION[observed.authenticationMode] ?? observed.authenticationMode,
        },
        upgrades: {
            kubernetesVersion: observed.kubernetesVersion,
            controlPlane:
                `you pick the minor version (kubernetesVersion); AWS applies patch releases and upgrades in place, ` +
                (observed.supportType === "STANDARD"
                    ? "and at the end of standard support upgrades it itself"
                    : "and keeps an old version in extended support at extended-support prices"),
            nodes: nodeMode.nodeUpgrades,
        },
        loadBalancer: {
            product: "network-load-balancer",
            description: `an AWS Network Load Balancer, internet-facing, in ${zoneText}, made by ${nodeMode.loadBalancerMadeBy}`,
            zones,
        },
        cost: {
            pricing: { provider: "aws", region: observed.region },
            managedControlPlanes: 1,
            // EXTENDED only costs more once the version leaves standard support; priced as the worst case.
            controlPlaneSupport: observed.supportType === "STANDARD" ? "standard" : "extended",
            ...nodeMode.nodeCost,
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
