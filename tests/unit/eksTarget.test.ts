import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EksSettings, EksStackConfig, parseStackConfig } from "../../components/config";
import { EksTarget, eksNodeMode, keepNewestImagesPolicy, managedPolicyArn, partitionOf, renderKubeconfig, subnetNetmasks, updateKubeconfigCommand } from "../../components/targets/eks";
import { awsMocks, programMocks, runInMockStack } from "../../tools/mockRuntime";

function eksSettings(values: Record<string, string> = {}): EksSettings {
    const all: Record<string, string> = { target: "eks", backendMinReplicas: "3", frontendMinReplicas: "3", ...values };
    return (parseStackConfig((key) => all[key], "first-k8s") as EksStackConfig).eks;
}

interface Built {
    readonly target: EksTarget;
    /** The resource options each resource was registered with, by "type::name". */
    readonly options: Map<string, pulumi.ResourceOptions>;
}

async function buildTarget(values: Record<string, string> = {}): Promise<Built> {
    let target: EksTarget | undefined;
    const options = new Map<string, pulumi.ResourceOptions>();
    await runInMockStack(programMocks(awsMocks()), { project: "first-k8s", stack: "eks" }, () => {
        pulumi.runtime.registerStackTransformation((args) => {
            // A resource reference read back (opts.urn, e.g. the node group's `cluster` input) is not a registration.
            if (!args.opts.urn) {
                options.set(`${args.type}::${args.name}`, { ...args.opts });
            }
            return undefined;
        });
        target = new EksTarget("eks", eksSettings(values));
    });
    assert.ok(target);
    return { target, options };
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
            "eks:index:ManagedNodeGroup::eks-nodes-group",
        ]) {
            assert.ok(hasProvider(options.get(key), target.awsProvider), key);
        }
    });

    it("creates the node group after its role's policies, and the add-ons after the nodes", async () => {
        const { target, options } = await buildTarget();
        const nodeGroupDeps = options.get("eks:index:ManagedNodeGroup::eks-nodes-group")
            ?.dependsOn as pulumi.Resource[];
        assert.equal(nodeGroupDeps.length, 3);
        for (const addon of ["coredns", "metrics-server"]) {
            assert.deepEqual(options.get(`aws:eks/addon:Addon::eks-${addon}`)?.dependsOn, [target.nodes], addon);
        }
    });

    it("makes workloads wait for the nodes and the add-ons (and so go first on destroy)", async () => {
        const managed = (await buildTarget()).target;
        assert.deepEqual(managed.workloadDependencies, [managed.nodes, ...managed.addons]);
        const auto = (await buildTarget({ nodes: "auto" })).target;
        assert.equal(auto.nodes, undefined);
        assert.equal(auto.workloadDependencies.length, 3, "the add-ons and the network policy controller's ConfigMap");
        assert.deepEqual(auto.workloadDependencies.slice(0, 2), auto.addons);
    });

    it("tells the app about a load balancer and three zones", async () => {
        const { target } = await buildTarget();
        assert.deepEqual(target.capabilities, {
            trafficEntry: {
                kind: "LoadBalancer",
                annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
            },
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
        const managed = eksNodeMode({ mode: "managed", instanceTypes: ["t3.medium"], scaling: { min: 3, desired: 3, max: 6 } });
        assert.deepEqual(managed.trafficEntry, {
            kind: "LoadBalancer",
            annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
        });
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
