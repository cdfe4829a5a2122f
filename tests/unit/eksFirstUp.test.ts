import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import {
    awsMocks,
    ProgramRun,
    programMocks,
    RecordedResource,
    runInMockStack,
    runProgram,
} from "../../tools/mockRuntime";
import { mockAddonVersion } from "../../tools/mockRuntime/awsMocks";
import { clusterNameOf, runEksStack, TEST_DAY } from "./eksQueries";
import { ofType } from "./programQueries";

/*
 * A first `pulumi up` of each eks stack variant against mocks that refuse what AWS refuses (tools/mockRuntime/
 * awsAccount.ts): a create that names a cluster, VPC, subnet, role, key, launch template, repository or log group
 * that does not exist yet, in the order the engine sends the creates, fails as it would on AWS. A new resource
 * that names something by a plain string, and so does not wait for it, fails here.
 */

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211";

const VARIANTS: readonly { readonly name: string; readonly overrides: Record<string, string> }[] = [
    { name: "managed nodes (Pulumi.eks.yaml)", overrides: {} },
    { name: "EKS Auto Mode", overrides: { nodes: "auto" } },
    { name: "TLS at the load balancer", overrides: { tlsCertificateArn: CERTIFICATE } },
    {
        name: "two zones",
        overrides: { zoneCount: "2", nodeMinSize: "2", backendMinReplicas: "4", frontendMinReplicas: "4" },
    },
    {
        name: "Auto Mode in two zones",
        overrides: { nodes: "auto", zoneCount: "2", backendMinReplicas: "4", frontendMinReplicas: "4" },
    },
];

/** The place of each created resource in the order the mocks received them. */
function positions(run: ProgramRun): (resource: RecordedResource) => number {
    const order = new Map(run.resources.map((resource, index) => [resource, index]));
    return (resource) => order.get(resource) ?? -1;
}

describe("a first pulumi up of every eks stack variant, under mocks that refuse what AWS refuses", function () {
    this.timeout(120000);

    for (const variant of VARIANTS) {
        it(`creates ${variant.name} with every resource after what it names`, async () => {
            const { run } = await runEksStack(variant.overrides);
            const order = positions(run);
            const cluster = run.resources.filter((resource) => resource.type === "eks:index:Cluster");
            assert.equal(cluster.length, 1);
            const clusterName = (cluster[0].state.eksCluster as { name: string }).name;
            const naming = run.resources.filter((resource) => resource.inputs.clusterName === clusterName);
            assert.ok(
                naming.length >= (variant.overrides.nodes === "auto" ? 1 : 6),
                `${naming.length} name the cluster`,
            );
            for (const resource of naming) {
                assert.ok(order(resource) > order(cluster[0]), `${resource.type} ${resource.name}`);
            }
            const logGroups = run.resources.filter((resource) => resource.type === "aws:cloudwatch/logGroup:LogGroup");
            assert.equal(logGroups.length, 1);
            assert.equal(logGroups[0].state.name, `/aws/eks/${clusterName}/cluster`);
            assert.ok(order(logGroups[0]) < order(cluster[0]), "the stack's log group, before EKS makes one");
        });
    }
});

describe("destroy, then pulumi up again: the stack's cluster and log group get a fresh name", function () {
    this.timeout(120000);

    it("makes the second lifetime's log group beside the one EKS recreated for the first", async () => {
        const first = await runProgram({ stack: "eks", mocks: awsMocks({ today: TEST_DAY }), today: TEST_DAY });
        const firstName = clusterNameOf(first);
        // After `pulumi destroy` EKS's late control plane logs recreate the first cluster's group, never expiring.
        const leftBehind = `/aws/eks/${firstName}/cluster`;
        const second = await runProgram({
            stack: "eks",
            mocks: awsMocks({ today: TEST_DAY, existingLogGroups: [leftBehind], stackLifetime: 2 }),
            today: TEST_DAY,
        });
        const secondName = clusterNameOf(second);
        assert.notEqual(secondName, firstName);
        const logGroup = ofType(second, "aws:cloudwatch/logGroup:LogGroup");
        assert.deepEqual(
            logGroup.map((group) => [group.inputs.name, group.inputs.retentionInDays]),
            [[`/aws/eks/${secondName}/cluster`, 30]],
        );
    });
});

describe("the AWS mocks refuse what AWS refuses", function () {
    this.timeout(60000);

    const settings = { project: "first-k8s", stack: "eks" };
    const provider = () => new aws.Provider("aws", { region: "us-east-1" });

    it("a Pod Identity association in a cluster that does not exist yet: ResourceNotFoundException", async () => {
        await assert.rejects(
            runInMockStack(programMocks(awsMocks({ today: TEST_DAY })), settings, () => {
                const awsProvider = provider();
                const role = new aws.iam.Role("role", { assumeRolePolicy: "{}" }, { provider: awsProvider });
                new aws.eks.PodIdentityAssociation(
                    "association",
                    { clusterName: "first-k8s-eks", namespace: "kube-system", serviceAccount: "sa", roleArn: role.arn },
                    { provider: awsProvider },
                );
            }),
            {
                message:
                    "failed to register new resource association [aws:eks/podIdentityAssociation:PodIdentityAssociation]: " +
                    "ResourceNotFoundException: No cluster found for name: first-k8s-eks.",
            },
        );
    });

    it("a policy attachment to a role named before it exists: NoSuchEntity", async () => {
        await assert.rejects(
            runInMockStack(programMocks(awsMocks({ today: TEST_DAY })), settings, () => {
                new aws.iam.RolePolicyAttachment(
                    "attachment",
                    { role: "not-made-yet", policyArn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" },
                    { provider: provider() },
                );
            }),
            {
                message:
                    "failed to register new resource attachment [aws:iam/rolePolicyAttachment:RolePolicyAttachment]: " +
                    "NoSuchEntity: The role with name not-made-yet cannot be found.",
            },
        );
    });

    it("a cluster in a subnet that does not exist: InvalidSubnetID.NotFound", async () => {
        await assert.rejects(
            runInMockStack(programMocks(awsMocks({ today: TEST_DAY })), settings, () => {
                const providers = { aws: provider() };
                const vpc = new awsx.ec2.Vpc("vpc", {}, { providers });
                new eks.Cluster(
                    "cluster",
                    { name: "demo", vpcId: vpc.vpcId, privateSubnetIds: ["subnet-0123456789abcdef0"], version: "1.36" },
                    { providers },
                );
            }),
            {
                message:
                    "failed to register new resource cluster [eks:index:Cluster]: " +
                    "InvalidSubnetID.NotFound: The subnet ID 'subnet-0123456789abcdef0' does not exist",
            },
        );
    });

    it("an add-on at the version of another Kubernetes minor than the cluster's: InvalidParameterException", async () => {
        const stale = mockAddonVersion("coredns", "1.35");
        await assert.rejects(
            runInMockStack(programMocks(awsMocks({ today: TEST_DAY })), settings, () => {
                const awsProvider = provider();
                const providers = { aws: awsProvider };
                const vpc = new awsx.ec2.Vpc("vpc", {}, { providers });
                const cluster = new eks.Cluster(
                    "cluster",
                    { name: "demo", vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds, version: "1.36" },
                    { providers },
                );
                new aws.eks.Addon(
                    "coredns",
                    { clusterName: cluster.eksCluster.name, addonName: "coredns", addonVersion: stale },
                    { provider: awsProvider },
                );
            }),
            {
                message:
                    "failed to register new resource coredns [aws:eks/addon:Addon]: InvalidParameterException: " +
                    `Addon version ${stale} of coredns is not supported on Kubernetes 1.36`,
            },
        );
    });

    it("a second log group of one name: ResourceAlreadyExistsException", async () => {
        await assert.rejects(
            runInMockStack(
                programMocks(awsMocks({ today: TEST_DAY, existingLogGroups: ["/aws/eks/first-k8s-eks/cluster"] })),
                settings,
                () => {
                    new aws.cloudwatch.LogGroup(
                        "logs",
                        { name: "/aws/eks/first-k8s-eks/cluster", retentionInDays: 30 },
                        { provider: provider() },
                    );
                },
            ),
            {
                message:
                    "failed to register new resource logs [aws:cloudwatch/logGroup:LogGroup]: " +
                    "ResourceAlreadyExistsException: The specified log group already exists",
            },
        );
    });
});
