import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../naming";
import { managedPolicyArn } from "./awsProvider";

/** The service principal EKS Pod Identity assumes roles as (its agent on each node asks the EKS Auth API). */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/**
 * The trust policy every Pod Identity role needs: sts:TagSession too, because EKS tags each session with the
 * cluster, namespace and service account (docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
 */
export const POD_IDENTITY_TRUST_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: POD_IDENTITY_PRINCIPAL },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        },
    ],
});

/** An IAM policy document the stack makes, by a name for its resources and a description. */
export interface OwnPolicy {
    readonly name: string;
    readonly description: pulumi.Input<string>;
    /** The policy document, as JSON. */
    readonly document: pulumi.Input<string>;
}

export interface PodIdentityRoleArgs {
    /** Namespace and name of the service account whose pods get the role. */
    readonly serviceAccount: { readonly namespace: string; readonly name: string };
    /** AWS managed policies the role carries, by name (e.g. AmazonEKS_CNI_Policy). */
    readonly managedPolicies: readonly string[];
    /**
     * Policies of the stack's own (a controller's published policy), each made as an IAM policy and attached.
     * Default: none.
     */
    readonly ownPolicies?: readonly OwnPolicy[];
    /**
     * The cluster to associate the role in, with an aws.eks.PodIdentityAssociation (for a controller installed
     * by Helm): an Output of the cluster, never a plain name, so the association waits for the cluster to exist.
     * Undefined when the EKS add-on that runs as the service account associates it itself, through
     * its podIdentityAssociations (addonAssociation): EKS creates that with the add-on, and would refuse a
     * second association for the same service account.
     */
    readonly clusterName: pulumi.Input<string> | undefined;
    /** Region, for the partition of the managed policy ARNs. */
    readonly region: string;
    readonly awsProvider: aws.Provider;
}

/**
 * AWS permissions for the pods of one service account, through EKS Pod Identity: a role only EKS Pod Identity
 * may assume, its policies, and the association. Node roles keep only what the nodes themselves need.
 */
export class PodIdentityRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    /** The IAM policies made from ownPolicies. */
    readonly policies: aws.iam.Policy[];
    readonly policyAttachments: aws.iam.RolePolicyAttachment[];
    /** The association this component makes; undefined when an add-on makes it. */
    readonly association: aws.eks.PodIdentityAssociation | undefined;
    /** What an EKS add-on's podIdentityAssociations takes for this role. */
    readonly addonAssociation: aws.types.input.eks.AddonPodIdentityAssociation;
    /** What must exist before pods use the role: its policies, and the association when this component makes it. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:eks:PodIdentityRole", name, {}, opts);
        const awsOpts = { parent: this, provider: args.awsProvider };
        const { namespace, name: serviceAccount } = args.serviceAccount;

        this.role = new aws.iam.Role(
            childName(name, "role"),
            {
                description: `EKS Pod Identity: pods of service account ${namespace}/${serviceAccount}`,
                assumeRolePolicy: POD_IDENTITY_TRUST_POLICY,
            },
            awsOpts,
        );
        const own = (args.ownPolicies ?? []).map((policy) => ({
            name: policy.name,
            made: new aws.iam.Policy(
                childName(name, policy.name),
                { description: policy.description, policy: policy.document },
                awsOpts,
            ),
        }));
        this.policies = own.map((policy) => policy.made);
        const attach = (policyName: string, policyArn: pulumi.Input<string>) =>
            new aws.iam.RolePolicyAttachment(childName(name, policyName), { role: this.role.name, policyArn }, awsOpts);
        this.policyAttachments = [
            ...args.managedPolicies.map((policy) => attach(policy, managedPolicyArn(args.region, policy))),
            ...own.map((policy) => attach(`${policy.name}-attachment`, policy.made.arn)),
        ];
        this.addonAssociation = { roleArn: this.role.arn, serviceAccount };
        this.association =
            args.clusterName === undefined
                ? undefined
                : new aws.eks.PodIdentityAssociation(
                      childName(name, "association"),
                      { clusterName: args.clusterName, namespace, serviceAccount, roleArn: this.role.arn },
                      awsOpts,
                  );
        this.ready = [...this.policyAttachments, ...(this.association ? [this.association] : [])];

        this.registerOutputs({ roleArn: this.role.arn, associationId: this.association?.associationId });
    }
}
