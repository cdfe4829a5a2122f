import * as aws from "@pulumi/aws";
import { ServiceMocks } from "./context";
import { arn, autoName, hex } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";

type NamedInputs = MockInputs<aws.iam.RoleArgs & aws.iam.PolicyArgs, "name">;
type AttachmentInputs = MockInputs<aws.iam.RolePolicyAttachmentArgs, "role" | "policyArn">;

/**
 * IAM roles and policies by name and ARN, which is what the EKS target reads of them (attachments take the role's
 * name, Pod Identity the role's ARN). An attachment is refused, as IAM refuses it, when its role or policy does not
 * exist yet; AWS's managed policies always do (awsAccount.ts).
 */
export const iamMocks: ServiceMocks = ({ account, regionOf }) => ({
    resources: {
        "aws:iam/role:Role": (args) => {
            const name = (args.inputs as NamedInputs).name ?? autoName(args.name);
            const roleArn = arn(regionOf(args.provider, args.name), "iam", `role/${name}`, false);
            account.addRole(name, roleArn);
            return { id: name, state: { name, arn: roleArn } satisfies MockOutputs<aws.iam.Role> };
        },

        "aws:iam/policy:Policy": (args) => {
            const name = (args.inputs as NamedInputs).name ?? autoName(args.name);
            const policyArn = arn(regionOf(args.provider, args.name), "iam", `policy/${name}`, false);
            account.addPolicy(policyArn);
            return { id: policyArn, state: { arn: policyArn } satisfies MockOutputs<aws.iam.Policy> };
        },

        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (args) => {
            const { role, policyArn } = args.inputs as AttachmentInputs;
            account.requireRoleName(role);
            account.requirePolicy(policyArn);
            return {
                id: `${String(role)}-${hex(`attachment/${args.name}`, 20)}`,
                state: {} satisfies MockOutputs<aws.iam.RolePolicyAttachment>,
            };
        },
    },
});
