import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import { MockOutputs, MockValue } from "../../tools/mockRuntime/aws/mockOutputs";

/*
 * Checked by tsc (npm run build), not run by mocha: the types the AWS mocks' answers are checked against
 * (tools/mockRuntime/aws/*.ts) refuse a misspelt, retyped or invented field, at the top and in nested objects, of a
 * resource, a remote component's child and a call's result. Each @ts-expect-error fails tsc if its line compiles,
 * so these types cannot quietly become `any`. The first of each pair is the field as the mocks spell it.
 */

export const TYPED_ANSWERS = [
    { arn: "arn:aws:kms:us-east-1:123456789012:key/k" } satisfies MockOutputs<aws.kms.Key>,
    // @ts-expect-error -- a misspelt field of a resource
    { arnn: "arn:aws:kms:us-east-1:123456789012:key/k" } satisfies MockOutputs<aws.kms.Key>,
    { latestVersion: 1 } satisfies MockOutputs<aws.ec2.LaunchTemplate>,
    // @ts-expect-error -- a field of the wrong type (a launch template's version is a number)
    { latestVersion: "1" } satisfies MockOutputs<aws.ec2.LaunchTemplate>,
    { eksCluster: { certificateAuthority: { data: "Y2E=" } } } satisfies MockOutputs<eks.Cluster>,
    // @ts-expect-error -- a misspelt field of a remote component's child (eks.Cluster's aws.eks.Cluster)
    { eksCluster: { certificateAuthority: { date: "Y2E=" } } } satisfies MockOutputs<eks.Cluster>,
    { privateSubnets: [{ availabilityZoneId: "use1-az1" }] } satisfies MockOutputs<awsx.ec2.Vpc>,
    // @ts-expect-error -- a field the child resource does not have (a subnet's zone ID is availabilityZoneId)
    { privateSubnets: [{ zoneId: "use1-az1" }] } satisfies MockOutputs<awsx.ec2.Vpc>,
    { zoneIds: ["use1-az1"] } satisfies MockValue<aws.GetAvailabilityZonesResult>,
    // @ts-expect-error -- a list where the result has a list of strings
    { zoneIds: [1] } satisfies MockValue<aws.GetAvailabilityZonesResult>,
];
