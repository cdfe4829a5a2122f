import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { EksSettings, EksStackConfig, parseStackConfig } from "../../components/config";
import { ConfigError } from "../../components/config";
import {
    PodIdentityRole,
    chooseEksZones,
    EksTarget,
    eksNodeMode,
    keepNewestImagesPolicy,
    lookupEksZones,
    managedPolicyArn,
    partitionOf,
    renderKubeconfig,
    subnetNetmasks,
    updateKubeconfigCommand,
} from "../../components/targets/eks";
import { eksClusterName } from "../../components/targets/eks/controlPlane";
import { controllerTrafficEntry } from "../../components/targets/eks/frontendLoadBalancer";
import { awsMocks, programMocks, runInMockStack } from "../../tools/mockRuntime";
import { TEST_DAY } from "./eksQueries";

/** The resources an Output's value came from, as the SDK records them as a resource's dependencies. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getAllResources } = require("@pulumi/pulumi/output") as {
    getAllResources(output: pulumi.Output<unknown>): Promise<Set<pulumi.Resource>>;
};

function eksSettings(values: Record<string, string> = {}): EksSettings {
    const all: Record<string, string> = { target: "eks", backendMinReplicas: "3", frontendMinReplicas: "3", ...values };
    return (parseStackConfig((key) => all[key], "first-k8s") as EksStackConfig).eks;
}

interface Built {
    readonly target: EksTarget;
    /** The resource options each resource was registered with, by "type::name". */
    readonly options: Map<string, pulumi.ResourceOptions>;
    /** The arguments each resource was registered with, by "type::name". */
    readonly props: Map<string, Record<string, unknown>>;
}

async function buildTarget(values: Record<string, string> = {}): Promise<Built> {
    let target: EksTarget | undefined;
    const options = new Map<string, pulumi.ResourceOptions>();
    const props = new Map<string, Record<string, unknown>>();
    await runInMockStack(programMocks(awsMocks({ today: TEST_DAY })), { project: "first-k8s", stack: "eks" }, () => {
        pulumi.runtime.registerStackTransformation((args) => {
            // A resource reference read back (opts.urn, e.g. the node group's `cluster` input) is not a registration.
            if (!args.opts.urn) {
                options.set(`${args.type}::${args.name}`, { ...args.opts });
                props.set(`${args.type}::${args.name}`, { ...args.props });
            }
            return undefined;
        });
        target = new EksTarget("eks", eksSettings(values));
    });
    assert.ok(target);
    return { target, options, props };
}

/** Whether `provider` is in a component's `providers` option, a map or (once the SDK has expanded it) a list. */
function hasProvider(opts: pulumi.ResourceOptions | undefined, provider: pulumi.ProviderResource): boolean {
    const providers = (opts as pulumi.ComponentResourceOptions | undefined)?.providers;
    return Array.isArray(providers) ? providers.includes(provider) : Object.values(providers ?? {}).includes(provider);
}

describe("EksTarget", function () {
    this.timeout(60000);

    it("hands its own AWS provider to every remote component (they do not inherit it)", async () => {
        const { target, options } = await buildTarget();
        for (const key of [
            "awsx:ec2:Vpc::eks-network-vpc",
            "eks:index:Cluster::eks-control-plane-cluster",
            "eks:index:ManagedNodeGroup::eks-nodes-group-zone-1",
            "eks:index:ManagedNodeGroup::eks-nodes-group-zone-2",
            "eks:index:ManagedNodeGroup::eks-nodes-group-zone-3",
        ]) {
            assert.ok(hasProvider(options.get(key), target.awsProvider), key);
        }
    });

    it("creates each zone's node group after its role's policies and the CNI and Pod Identity Agent add-ons, the other add-ons after the nodes", async () => {
        const { target, options } = await buildTarget();
        const networking = target.nodes?.networking;
        assert.ok(networking);
        for (const zone of [1, 2, 3]) {
            const nodeGroupDeps = options.get(`eks:index:ManagedNodeGroup::eks-nodes-group-zone-${zone}`)
                ?.dependsOn as pulumi.Resource[];
            assert.equal(nodeGroupDeps.length, 4, "two node role policies, two add-ons");
            assert.deepEqual(nodeGroupDeps.slice(2), [networking.vpcCni, networking.podIdentityAgent]);
        }
        // aws-node must find its role's policy in place the first time it asks for credentials, and the Pod Identity
        // Agent installed before its association.
        const cniDeps = options.get("aws:eks/addon:Addon::eks-nodes-networking-vpc-cni")
            ?.dependsOn as pulumi.Resource[];
        // Compared by identity: a deepEqual of two resource graphs that differ prints them whole.
        const expected = [...networking.cniRole.policyAttachments, networking.podIdentityAgent];
        assert.equal(cniDeps.length, expected.length, "the CNI role's policy attachment and the Pod Identity Agent");
        expected.forEach((dependency, index) => assert.ok(cniDeps[index] === dependency, `dependency ${index}`));
        for (const addon of ["coredns", "metrics-server"]) {
            assert.deepEqual(options.get(`aws:eks/addon:Addon::eks-${addon}`)?.dependsOn, [target.nodes], addon);
        }
    });

    it("looks every add-on's version up at preview, and makes each add-on wait for the cluster (so it moves after it)", async () => {
        const { target, props } = await buildTarget();
        const addons = [...props.keys()].filter((key) => key.startsWith("aws:eks/addon:Addon::"));
        assert.deepEqual(addons.sort(), [
            "aws:eks/addon:Addon::eks-coredns",
            "aws:eks/addon:Addon::eks-metrics-server",
            "aws:eks/addon:Addon::eks-nodes-networking-pod-identity-agent",
            "aws:eks/addon:Addon::eks-nodes-networking-vpc-cni",
        ]);
        for (const key of addons) {
            const { addonVersion, clusterName } = props.get(key) ?? {};
            assert.ok(pulumi.Output.isInstance(addonVersion) && pulumi.Output.isInstance(clusterName), key);
            assert.equal((await getAllResources(addonVersion)).size, 0, `${key}: known before the cluster exists`);
            assert.ok((await getAllResources(clusterName)).has(target.controlPlane.cluster), key);
        }
    });

    it("makes workloads wait for the nodes, the add-ons and the load balancer controller (and so go first on destroy)", async () => {
        const managed = (await buildTarget()).target;
        assert.ok(managed.loadBalancerController);
        assert.deepEqual(managed.workloadDependencies, [
            managed.nodes,
            ...managed.addons,
            managed.loadBalancerController.release,
        ]);
        const auto = (await buildTarget({ nodes: "auto" })).target;
        assert.equal(auto.nodes, undefined);
        assert.equal(
            auto.workloadDependencies.length,
            4,
            "metrics-server, the network policy controller's ConfigMap, the NodeClass and NodePool of the app's nodes",
        );
        assert.deepEqual(auto.workloadDependencies.slice(0, 1), auto.addons);
    });

    it("makes the cluster after its log group, so EKS finds the group and does not make one that never expires", async () => {
        const { target, props } = await buildTarget();
        const logTypes = props.get("eks:index:Cluster::eks-control-plane-cluster")?.enabledClusterLogTypes;
        assert.ok(pulumi.Output.isInstance(logTypes));
        assert.ok((await getAllResources(logTypes)).has(target.controlPlane.logGroup));
    });

    it("tells the app where cluster DNS answers in Auto Mode, and to count every zone in the spread", async () => {
        const { target } = await buildTarget({ nodes: "auto" });
        assert.equal(target.capabilities.dnsServiceAddress, "172.20.0.10");
        assert.equal(target.capabilities.spreadMinDomains, 3, "Auto Mode starts nodes for pending pods");
    });

    it("tells the app about a load balancer, its readiness gates and three zones", async () => {
        const { target } = await buildTarget();
        assert.deepEqual(target.capabilities, {
            trafficEntry: controllerTrafficEntry(),
            namespaceLabels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
            zones: 3,
        });
    });

    it("keeps the kubeconfig output secret and the rest readable", async () => {
        const { target } = await buildTarget();
        const outputs = target.outputs as Record<string, pulumi.Output<unknown>>;
        assert.deepEqual(Object.keys(outputs).sort(), [
            "clusterName",
            "imageRepository",
            "kubeconfig",
            "kubeconfigCommand",
            "region",
            "zones",
        ]);
        assert.equal(await pulumi.isSecret(outputs.kubeconfig), true);
        for (const name of ["clusterName", "kubeconfigCommand", "imageRepository", "zones"]) {
            assert.equal(await pulumi.isSecret(outputs[name]), false, name);
        }
    });
});

describe("the EKS cluster's name", () => {
    it("is project, stack and the suffix, with what EKS refuses replaced", () => {
        assert.equal(eksClusterName("first-k8s", "eks", "3f9a1c"), "first-k8s-eks-3f9a1c");
        assert.equal(eksClusterName("first-k8s", "org/eks.west", "3f9a1c"), "first-k8s-org-eks-west-3f9a1c");
    });

    it("keeps the whole suffix within EKS's 100 characters", () => {
        const name = eksClusterName("first-k8s", "s".repeat(120), "3f9a1c");
        assert.equal(name.length, 100);
        assert.match(name, /-3f9a1c$/);
    });
});

describe("PodIdentityRole", function () {
    this.timeout(60000);

    /** The role, in a cluster named `clusterName` that exists first (as EKS requires), or with no cluster. */
    async function build(clusterName: string | undefined) {
        const mocks = programMocks(awsMocks({ today: TEST_DAY }));
        let built: PodIdentityRole | undefined;
        await runInMockStack(mocks, { project: "first-k8s", stack: "eks" }, () => {
            const awsProvider = new aws.Provider("pir-aws", { region: "eu-west-1" });
            const providers = { aws: awsProvider };
            const vpc = new awsx.ec2.Vpc("pir-vpc", {}, { providers });
            const cluster =
                clusterName === undefined
                    ? undefined
                    : new eks.Cluster(
                          "pir-cluster",
                          {
                              name: clusterName,
                              vpcId: vpc.vpcId,
                              privateSubnetIds: vpc.privateSubnetIds,
                              version: "1.35",
                          },
                          { providers },
                      );
            built = new PodIdentityRole(
                "controller",
                {
                    serviceAccount: { namespace: "kube-system", name: "aws-load-balancer-controller" },
                    managedPolicies: ["ElasticLoadBalancingFullAccess"],
                    clusterName: cluster?.eksCluster.name,
                    region: "eu-west-1",
                    awsProvider,
                },
                {},
            );
        });
        assert.ok(built);
        return { role: built, resources: mocks.resources };
    }

    it("makes a role only EKS Pod Identity may assume, with its policies, and associates it with the service account", async () => {
        const { role, resources } = await build("demo");
        const iamRole = resources.find((resource) => resource.type === "aws:iam/role:Role");
        assert.deepEqual(JSON.parse(String(iamRole?.inputs.assumeRolePolicy)).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
            },
        ]);
        const attachments = resources.filter(
            (resource) => resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        );
        assert.deepEqual(
            attachments.map((attachment) => [attachment.inputs.role, attachment.inputs.policyArn]),
            [[iamRole?.state.name, "arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess"]],
        );
        const association = resources.find(
            (resource) => resource.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        );
        assert.deepEqual(association?.inputs, {
            clusterName: "demo",
            namespace: "kube-system",
            serviceAccount: "aws-load-balancer-controller",
            roleArn: iamRole?.state.arn,
        });
        assert.match(String(association?.provider), /::pir-aws::pir-aws-provider-id$/);
        assert.deepEqual(role.ready, [...role.policyAttachments, role.association]);
    });

    it("leaves the association to the add-on when given no cluster", async () => {
        const { role, resources } = await build(undefined);
        assert.equal(role.association, undefined);
        assert.equal(
            resources.filter((resource) => resource.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation")
                .length,
            0,
        );
        assert.deepEqual(role.ready, role.policyAttachments);
        assert.equal(role.addonAssociation.serviceAccount, "aws-load-balancer-controller");
    });
});

describe("EKS zones", function () {
    this.timeout(60000);
    const US_EAST_1 = {
        names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"],
        zoneIds: ["use1-az1", "use1-az3", "use1-az2", "use1-az4"],
    };

    it("takes the first zones by name whose IDs EKS accepts", () => {
        assert.deepEqual(chooseEksZones("us-east-1", US_EAST_1, 3), ["us-east-1a", "us-east-1c", "us-east-1d"]);
        assert.deepEqual(chooseEksZones("us-east-1", US_EAST_1, 2), ["us-east-1a", "us-east-1c"]);
    });

    for (const [why, region, listing, zoneCount, expected] of [
        [
            "a refused zone leaves too few",
            "ca-central-1",
            {
                names: ["ca-central-1a", "ca-central-1b", "ca-central-1c"],
                zoneIds: ["cac1-az1", "cac1-az2", "cac1-az3"],
            },
            3,
            'first-k8s:zoneCount = "3": expected at most 2, or another awsRegion: ca-central-1 has 2 availability zones EKS accepts, ca-central-1a (cac1-az1) and ca-central-1b (cac1-az2); EKS refuses ca-central-1c (cac1-az3) for a control plane',
        ],
        [
            "the region has too few",
            "eu-south-9",
            { names: ["eu-south-9a", "eu-south-9b"], zoneIds: ["eus9-az1", "eus9-az2"] },
            3,
            'first-k8s:zoneCount = "3": expected at most 2, or another awsRegion: eu-south-9 has 2 availability zones EKS accepts, eu-south-9a (eus9-az1) and eu-south-9b (eus9-az2)',
        ],
        [
            "fewer than two are left",
            "us-west-1",
            { names: ["us-west-1a", "us-west-1b"], zoneIds: ["usw1-az1", "usw1-az2"] },
            2,
            'first-k8s:zoneCount = "2": expected another awsRegion: us-west-1 has 1 availability zone EKS accepts, us-west-1a (usw1-az1); EKS refuses us-west-1b (usw1-az2) for a control plane',
        ],
    ] as const) {
        it(`refuses zoneCount when ${why}, naming the region, its zones and zoneCount`, async () => {
            await runInMockStack(programMocks(), { project: "first-k8s", stack: "eks" }, () => {
                assert.throws(
                    () =>
                        chooseEksZones(region, { names: [...listing.names], zoneIds: [...listing.zoneIds] }, zoneCount),
                    (error: unknown) =>
                        error instanceof ConfigError &&
                        error.message === `Invalid stack configuration (nothing was created):\n  - ${expected}`,
                );
            });
        });
    }

    it("keeps an impaired zone in the choice, so an outage never moves the subnets to another zone", async () => {
        let chosen: string[] = [];
        await runInMockStack(programMocks(awsMocks()), { project: "first-k8s", stack: "eks" }, async () => {
            const provider = new aws.Provider("zones-aws", { region: "us-west-2" });
            chosen = await lookupEksZones("us-west-2", 3, { provider });
        });
        // us-west-2b is usw2-az2, impaired in the mock account.
        assert.deepEqual(chosen, ["us-west-2a", "us-west-2b", "us-west-2c"]);
    });

    it("asks EC2 for regular zones that need no opt-in, in any state, through the stack's provider", async () => {
        const calls: pulumi.runtime.MockCallArgs[] = [];
        const mocks = awsMocks();
        const zonesCall = mocks.calls?.["aws:index/getAvailabilityZones:getAvailabilityZones"];
        assert.ok(zonesCall);
        let chosen: string[] = [];
        await runInMockStack(
            programMocks({
                ...mocks,
                calls: {
                    "aws:index/getAvailabilityZones:getAvailabilityZones": (args) => {
                        calls.push(args);
                        return zonesCall(args);
                    },
                },
            }),
            { project: "first-k8s", stack: "eks" },
            async () => {
                const provider = new aws.Provider("zones-aws", { region: "us-east-1" });
                chosen = await lookupEksZones("us-east-1", 3, { provider });
            },
        );
        // Without the zone-type filter the account's opted-in Boston Local Zone (us-east-1-bos-1a) sorts first.
        assert.deepEqual(chosen, ["us-east-1a", "us-east-1c", "us-east-1d"]);
        assert.equal(calls.length, 1);
        assert.deepEqual(calls[0].inputs, {
            filters: [
                { name: "zone-type", values: ["availability-zone"] },
                { name: "opt-in-status", values: ["opt-in-not-required"] },
            ],
        });
        assert.match(String(calls[0].provider), /::zones-aws::zones-aws-provider-id$/);
    });

    it("records the VPC as a dependency of what reads its ids, though it is made after the lookup", async () => {
        const { target } = await buildTarget();
        const vpc = await target.network.vpc;
        for (const output of [target.network.vpcId, target.network.privateSubnetIds, target.network.publicSubnetIds]) {
            assert.ok((await getAllResources(output)).has(vpc));
        }
    });
});

describe("EKS target building blocks", () => {
    it("renders a kubeconfig that gets tokens from the AWS CLI, with the profile when one is set", () => {
        const args = {
            clusterName: "demo",
            endpoint: "https://X.gr7.us-east-1.eks.amazonaws.com",
            certificateAuthority: "Q0E=",
            region: "us-east-1",
        };
        const plain = JSON.parse(renderKubeconfig({ ...args, profile: undefined }));
        assert.equal(plain["current-context"], "demo");
        assert.deepEqual(plain.clusters, [
            { name: "demo", cluster: { server: args.endpoint, "certificate-authority-data": "Q0E=" } },
        ]);
        assert.deepEqual(plain.users[0].user.exec, {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["--region", "us-east-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json"],
        });
        const withProfile = JSON.parse(renderKubeconfig({ ...args, profile: "lab" }));
        assert.deepEqual(withProfile.users[0].user.exec.args.slice(-2), ["--profile", "lab"]);
    });

    it("prints the update-kubeconfig command", () => {
        assert.equal(
            updateKubeconfigCommand({ clusterName: "demo", region: "eu-west-1", profile: undefined }),
            "aws eks update-kubeconfig --region eu-west-1 --name demo",
        );
        assert.equal(
            updateKubeconfigCommand({ clusterName: "demo", region: "eu-west-1", profile: "lab" }),
            "aws eks update-kubeconfig --region eu-west-1 --name demo --profile lab",
        );
    });

    it("asks for an NLB the way each node mode's controller understands", () => {
        const managed = eksNodeMode({
            mode: "managed",
            instanceTypes: ["t3.medium"],
            scaling: { min: 3, desired: 3, max: 6 },
        });
        assert.deepEqual(managed.trafficEntry, controllerTrafficEntry());
        assert.equal(managed.trafficEntry.loadBalancerClass, "service.k8s.aws/nlb");
        assert.equal(
            managed.trafficEntry.readinessPathAnnotation,
            "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path",
        );
        assert.deepEqual(eksNodeMode({ mode: "auto" }).trafficEntry, {
            kind: "LoadBalancer",
            loadBalancerClass: "eks.amazonaws.com/nlb",
            annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
        });
    });

    it("names managed policies in the region's partition", () => {
        assert.equal(partitionOf("us-east-1"), "aws");
        assert.equal(partitionOf("cn-north-1"), "aws-cn");
        assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
        assert.equal(
            managedPolicyArn("cn-north-1", "AmazonEKS_CNI_Policy"),
            "arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy",
        );
    });

    it("sizes the subnets so that both fit in each zone's share of the VPC", () => {
        // A /16 gives two zones a /17 each, three or four zones a /18, five to eight zones a /19.
        assert.deepEqual(subnetNetmasks(2), { private: 18, public: 19 });
        assert.deepEqual(subnetNetmasks(3), { private: 19, public: 20 });
        assert.deepEqual(subnetNetmasks(6), { private: 20, public: 21 });
    });

    it("writes a lifecycle policy that keeps the newest N images", () => {
        assert.deepEqual(JSON.parse(keepNewestImagesPolicy(4)).rules[0].selection, {
            tagStatus: "any",
            countType: "imageCountMoreThan",
            countNumber: 4,
        });
    });
});
