import * as aws from "@pulumi/aws";
import { AwsApiError } from "../awsAccount";
import { ServiceMocks } from "./context";
import { hex } from "./ids";
import { MockInputs, MockOutputs, MockValue } from "./mockOutputs";

/** The add-ons EKS offers that the mocks know. */
const EKS_ADDONS: readonly string[] = ["coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"];

/**
 * EKS's default version of an add-on for a Kubernetes version, as getAddonVersion (mostRecent false) answers: a
 * placeholder of the real shape (v<x.y.z>-eksbuild.<n>) that differs per add-on and per Kubernetes version.
 */
export function mockAddonVersion(addonName: string, kubernetesVersion: string): string {
    return `v${kubernetesVersion}.${parseInt(hex(`addon/${addonName}`, 2), 16)}-eksbuild.mock`;
}

type AddonInputs = MockInputs<
    aws.eks.AddonArgs,
    "clusterName" | "addonName" | "addonVersion" | "podIdentityAssociations"
>;
type AssociationInputs = MockInputs<aws.eks.PodIdentityAssociationArgs, "clusterName" | "roleArn">;
type AddonVersionQuery = MockInputs<aws.eks.GetAddonVersionArgs, "addonName" | "kubernetesVersion">;

/**
 * The EKS API on a cluster: add-ons (at the version EKS offers for the cluster's Kubernetes version), Pod Identity
 * associations, and the add-on version lookup. The EKS target reads only the version EKS offers and an
 * association's id; the rest is what EKS refuses (awsAccount.ts).
 */
export const eksMocks: ServiceMocks = ({ account }) => ({
    resources: {
        "aws:eks/addon:Addon": (args) => {
            const { clusterName, addonName = "", addonVersion, podIdentityAssociations } = args.inputs as AddonInputs;
            const clusterVersion = account.requireCluster(clusterName);
            if (addonVersion !== undefined && addonVersion !== mockAddonVersion(addonName, clusterVersion)) {
                throw new AwsApiError(
                    "InvalidParameterException",
                    `Addon version ${addonVersion} of ${addonName} is not supported on Kubernetes ${clusterVersion}`,
                );
            }
            (podIdentityAssociations ?? []).forEach((association) => account.requireRoleArn(association.roleArn));
            return { id: `${clusterName}:${addonName}`, state: {} satisfies MockOutputs<aws.eks.Addon> };
        },

        "aws:eks/podIdentityAssociation:PodIdentityAssociation": (args) => {
            const { clusterName, roleArn } = args.inputs as AssociationInputs;
            account.requireCluster(clusterName);
            account.requireRoleArn(roleArn);
            const associationId = `a-mock${hex(`association/${args.name}`, 13)}`;
            return {
                id: `${clusterName},${associationId}`,
                state: { associationId } satisfies MockOutputs<aws.eks.PodIdentityAssociation>,
            };
        },
    },

    calls: {
        "aws:eks/getAddonVersion:getAddonVersion": (args) => {
            const { addonName = "", kubernetesVersion = "" } = args.inputs as AddonVersionQuery;
            if (!EKS_ADDONS.includes(addonName)) {
                throw new AwsApiError("ResourceNotFoundException", `No addon: ${addonName} found.`);
            }
            account.checkVersion(kubernetesVersion, "EXTENDED");
            return {
                version: mockAddonVersion(addonName, kubernetesVersion),
            } satisfies MockValue<aws.eks.GetAddonVersionResult>;
        },
    },
});
