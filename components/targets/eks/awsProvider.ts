import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsPartition } from "../../config";
import { APP_NAME } from "../../labels";

export interface AwsProviderArgs {
    readonly region: string;
    /** AWS CLI profile; undefined uses the default credential chain. */
    readonly profile: string | undefined;
}

/**
 * The tags that say which project and stack made an AWS resource (Cost Explorer groups the bill by them, once
 * they are activated as cost allocation tags). The provider puts them on every resource it creates; what AWS
 * launches for the stack (a node group's instances and their volumes) gets them from the launch template.
 */
export function stackTags(): Record<string, string> {
    return { "app.kubernetes.io/part-of": APP_NAME, "pulumi:stack": pulumi.getStack() };
}

/**
 * The one AWS provider of the EKS target. Region and profile come from the stack config, so nothing depends
 * on an ambient `aws:region` or AWS_PROFILE: two stacks in two regions deploy from the same shell.
 * Every AWS resource and remote component of the target is given this provider explicitly.
 */
export function createAwsProvider(name: string, args: AwsProviderArgs, parent: pulumi.Resource): aws.Provider {
    return new aws.Provider(
        name,
        {
            region: args.region,
            profile: args.profile,
            defaultTags: { tags: stackTags() },
        },
        { parent },
    );
}

/** The ARN partition of a region: aws, aws-cn (China) or aws-us-gov (GovCloud); config checks ARNs with it too. */
export const partitionOf = awsPartition;

/** The ARN of an AWS managed IAM policy in the region's partition. */
export function managedPolicyArn(region: string, policy: string): string {
    return `arn:${partitionOf(region)}:iam::aws:policy/${policy}`;
}
