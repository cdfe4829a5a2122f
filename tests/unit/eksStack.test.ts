import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../components/images";
import { BACKEND_DIR, COPY_DIR } from "../../components/images";
import { hashDirectory } from "../../components/images";
import { CONFIG_DEFAULTS } from "../../components/config";
import { awsMocks, ProgramRun, programMocks, RecordedResource, resourceKey, runProgram } from "../../tools/mockRuntime";
import {
    AWS_PROVIDER,
    EKS_K8S_PROVIDER,
    EksRun,
    isSecretOnTheWire,
    one,
    policyDocument,
    runEksStack,
    TEST_DAY,
    unsecret,
} from "./eksQueries";
import { countByKind, kubernetesResources, manifest, ofType } from "./programQueries";

const TIERS = ["backend", "frontend"] as const;

/** Auto Mode's kube-system/amazon-vpc-cni ConfigMap, the one object that may exist before the stack makes it. */
const ADOPTED_CONFIG_MAP = "eks-network-policy-controller";

/** The EKS add-on named `addonName`. */
function addon(run: ProgramRun, addonName: string): RecordedResource {
    const found = ofType(run, "aws:eks/addon:Addon").filter((resource) => resource.inputs.addonName === addonName);
    assert.equal(found.length, 1, addonName);
    return found[0];
}

/** The one IAM role whose trust policy names the service `principal` (and whose ARN is `arn`, if given). */
function roleTrusting(run: ProgramRun, principal: string, arn?: string): RecordedResource {
    const found = ofType(run, "aws:iam/role:Role").filter(
        (role) =>
            (arn === undefined || role.state.arn === arn) &&
            (policyDocument(role.inputs.assumeRolePolicy).Statement as { Principal: { Service: string } }[]).some(
                (statement) => statement.Principal.Service === principal,
            ),
    );
    assert.equal(found.length, 1, principal);
    return found[0];
}

/** The managed policy ARNs attached to `role`. */
function policiesOf(run: ProgramRun, role: RecordedResource): unknown[] {
    return ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((attachment) => attachment.inputs.role === role.state.name)
        .map((attachment) => attachment.inputs.policyArn);
}

/** What both node modes share: network, control plane, add-ons, images, the app and the outputs. */
function describeCommon(get: () => EksRun) {
    const run = () => get().run;
    const vpc = () => one(run(), "awsx:ec2:Vpc");
    const cluster = () => one(run(), "eks:index:Cluster");
    const eksCluster = () => cluster().state.eksCluster as { name: string; endpoint: string };

    it("builds a VPC over three zones with public and private subnets tagged for load balancers", () => {
        const inputs = vpc().inputs;
        // The mock account's us-east-1b is use1-az3, where EKS makes no control plane: the third zone is 1d.
        assert.deepEqual(inputs.availabilityZoneNames, ["us-east-1a", "us-east-1c", "us-east-1d"]);
        assert.equal("numberOfAvailabilityZones" in inputs, false, "awsx takes one or the other");
        assert.deepEqual(inputs.natGateways, { strategy: "OnePerAz" });
        assert.equal(inputs.subnetStrategy, "Auto");
        assert.equal(inputs.enableDnsHostnames, true);
        assert.deepEqual(inputs.subnetSpecs, [
            { type: "Private", cidrMask: 19, tags: { "kubernetes.io/role/internal-elb": "1" } },
            { type: "Public", cidrMask: 20, tags: { "kubernetes.io/role/elb": "1" } },
        ]);
        assert.equal((vpc().state.natGateways as unknown[]).length, 3, "one NAT gateway per zone");
    });

    it("reports the zones it uses, by name, in the zones output and the report", () => {
        assert.deepEqual(run().outputs.zones, ["us-east-1a", "us-east-1c", "us-east-1d"]);
        const subnets = vpc().state.privateSubnets as { availabilityZone: string; availabilityZoneId: string }[];
        assert.deepEqual(
            subnets.map((subnet) => subnet.availabilityZone),
            run().outputs.zones,
        );
        assert.deepEqual(
            subnets.map((subnet) => subnet.availabilityZoneId),
            ["use1-az1", "use1-az2", "use1-az4"],
        );
        const report = run().outputs.report as { facts: { cluster: { zoneNames: string[] } } };
        assert.deepEqual(report.facts.cluster.zoneNames, ["us-east-1a", "us-east-1c", "us-east-1d"]);
    });

    it("runs a pinned Kubernetes version with access entries, logs and no default node group", () => {
        const inputs = cluster().inputs;
        assert.equal(inputs.version, "1.36");
        assert.deepEqual(inputs.upgradePolicy, { supportType: "STANDARD" });
        assert.equal(inputs.authenticationMode, "API");
        assert.equal(inputs.skipDefaultNodeGroup, true);
        assert.deepEqual(inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
        // No pulumi-eks security groups: the nodes use the one EKS makes for the cluster.
        assert.equal(inputs.skipDefaultSecurityGroups, true);
        const state = cluster().state as { nodeSecurityGroup?: unknown; eksCluster: { vpcConfig: unknown } };
        assert.equal(state.nodeSecurityGroup, undefined);
        assert.deepEqual((state.eksCluster.vpcConfig as { securityGroupIds: string[] }).securityGroupIds, []);
        assert.equal(inputs.vpcId, vpc().state.vpcId);
        assert.deepEqual(inputs.privateSubnetIds, vpc().state.privateSubnetIds);
        assert.equal("publicSubnetIds" in inputs, false, "no control plane interfaces in the public subnets");
    });

    it("names the cluster after project, stack and a suffix of its own, and makes its log group, kept 30 days", () => {
        const suffix = one(run(), "random:index/randomId:RandomId");
        assert.equal(suffix.inputs.byteLength, 3);
        assert.match(String(cluster().inputs.name), /^first-k8s-eks-[0-9a-f]{6}$/);
        assert.equal(cluster().inputs.name, `first-k8s-eks-${suffix.state.hex}`);
        assert.equal(eksCluster().name, cluster().inputs.name);
        const logs = one(run(), "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(logs.inputs.name, `/aws/eks/${eksCluster().name}/cluster`, "the group EKS would otherwise make");
        assert.equal(logs.inputs.retentionInDays, 30);
        assert.equal(logs.provider, AWS_PROVIDER);
    });

    it("encrypts Secrets with a customer key that rotates", () => {
        const key = one(run(), "aws:kms/key:Key");
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(cluster().inputs.encryptionConfigKeyArn, key.state.arn);
        assert.match(String(key.state.arn), /^arn:aws:kms:us-east-1:123456789012:key\//);
    });

    it("serves the API privately to the VPC and publicly to the configured CIDR blocks", () => {
        assert.equal(cluster().inputs.endpointPrivateAccess, true);
        assert.equal(cluster().inputs.endpointPublicAccess, true);
        assert.deepEqual(cluster().inputs.publicAccessCidrs, ["0.0.0.0/0"]);
    });

    it("installs metrics-server (and, with managed nodes, CoreDNS) as EKS add-ons of its own, not inside eks.Cluster", () => {
        // eks.Cluster's CoreDNS would wait for nodes that wait for eks.Cluster (pulumi/pulumi-eks#1819).
        assert.equal((cluster().inputs.corednsAddonOptions as { enabled: boolean }).enabled, false);
        const addons = ofType(run(), "aws:eks/addon:Addon").filter((addon) =>
            ["coredns", "metrics-server"].includes(String(addon.inputs.addonName)),
        );
        const auto = (cluster().inputs.autoMode as { enabled?: boolean } | undefined)?.enabled === true;
        assert.deepEqual(
            addons.map((addon) => addon.name),
            auto ? ["eks-metrics-server"] : ["eks-coredns", "eks-metrics-server"],
        );
        for (const addon of addons) {
            assert.equal(addon.inputs.clusterName, eksCluster().name);
            assert.equal(addon.inputs.resolveConflictsOnCreate, "OVERWRITE", "adopts the CoreDNS EKS installed itself");
            assert.equal(addon.provider, AWS_PROVIDER);
        }
    });

    it("gives every AWS resource the stack's own AWS provider, for the configured region", () => {
        const [provider] = ofType(run(), "pulumi:providers:aws");
        assert.equal(provider.inputs.region, "us-east-1");
        assert.equal("profile" in provider.inputs, false);
        const awsResources = run().resources.filter((resource) => resource.custom && resource.type.startsWith("aws:"));
        assert.ok(awsResources.length >= 4);
        for (const resource of awsResources) {
            assert.equal(resource.provider, AWS_PROVIDER, `${resource.type} ${resource.name}`);
        }
    });

    it("keeps each image in a scanned ECR repository of its own, tags movable, that expires all but ten", () => {
        const repositories = ofType(run(), "aws:ecr/repository:Repository");
        assert.deepEqual(
            repositories.map((repository) => repository.name),
            ["eks-images-backend", "eks-images-frontend"],
        );
        for (const repository of repositories) {
            // A spurious rebuild (pulumi/pulumi-docker-build#222) pushes the same tag again: it must not fail.
            assert.equal(repository.inputs.imageTagMutability, "MUTABLE");
            assert.deepEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
            assert.equal(repository.inputs.forceDelete, true);
            const lifecycle = one(run(), "aws:ecr/lifecyclePolicy:LifecyclePolicy", `${repository.name}-lifecycle`);
            assert.equal(lifecycle.inputs.repository, repository.state.name);
            assert.deepEqual(policyDocument(lifecycle.inputs.policy).rules, [
                {
                    rulePriority: 1,
                    description: "Keep the newest 10 images",
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
                    action: { type: "expire" },
                },
            ]);
        }
    });

    it("builds the backend for the nodes' platform, pushes it to ECR and runs it by digest", () => {
        const repositoryUrl = String(
            one(run(), "aws:ecr/repository:Repository", "eks-images-backend").state.repositoryUrl,
        );
        const image = one(run(), "docker-build:index:Image", "eks-images-backend-image");
        assert.equal(image.inputs.push, true);
        assert.deepEqual(image.inputs.platforms, ["linux/amd64"]);
        assert.deepEqual(image.inputs.context, { location: BACKEND_DIR });
        assert.deepEqual(image.inputs.tags, [`${repositoryUrl}:src-${shortHash(hashDirectory(BACKEND_DIR))}`]);
        assert.ok(isSecretOnTheWire(image.inputs.registries), "the registry password stays secret");
        assert.deepEqual(unsecret(image.inputs.registries), [
            { address: repositoryUrl, username: "AWS", password: "mock-ecr-password" },
        ]);
        const digest = String(image.state.digest);
        assert.match(digest, /^sha256:[0-9a-f]{64}$/);
        const reference = `${repositoryUrl}@${digest}`;
        const container = manifest(run(), "Deployment", "backend").spec.template.spec.containers[0];
        assert.deepEqual([container.image, container.imagePullPolicy], [reference, "IfNotPresent"]);
        assert.equal(run().outputs.backendImage, reference);
    });

    it("copies the NGINX image, by its digest, into ECR for the nodes' platform and runs the copy by digest", () => {
        const repositoryUrl = String(
            one(run(), "aws:ecr/repository:Repository", "eks-images-frontend").state.repositoryUrl,
        );
        const image = one(run(), "docker-build:index:Image", "eks-images-frontend-image");
        assert.equal(image.inputs.push, true);
        assert.deepEqual(image.inputs.platforms, ["linux/amd64"]);
        assert.deepEqual(image.inputs.context, { location: COPY_DIR });
        assert.deepEqual(image.inputs.buildArgs, { SOURCE_IMAGE: CONFIG_DEFAULTS.frontendImage });
        assert.deepEqual(image.inputs.tags, [`${repositoryUrl}:1.28.3-alpine-6a23acdfca2b`]);
        assert.deepEqual(unsecret(image.inputs.registries), [
            { address: repositoryUrl, username: "AWS", password: "mock-ecr-password" },
        ]);
        // Without a registry: a node that has the image restarts the pod while ECR or the NAT is out of reach.
        const container = manifest(run(), "Deployment", "frontend").spec.template.spec.containers[0];
        assert.deepEqual(
            [container.image, container.imagePullPolicy],
            [`${repositoryUrl}@${String(image.state.digest)}`, "IfNotPresent"],
        );
    });

    for (const tier of TIERS) {
        it(`runs at least three ${tier} pods spread over zones, one disruption at a time`, () => {
            const hpa = manifest(run(), "HorizontalPodAutoscaler", tier).spec;
            assert.deepEqual([hpa.minReplicas, hpa.maxReplicas], tier === "backend" ? [3, 9] : [3, 6]);
            const spread = manifest(run(), "Deployment", tier).spec.template.spec.topologySpreadConstraints;
            assert.deepEqual(
                spread.map((constraint: Record<string, unknown>) => [
                    constraint.topologyKey,
                    constraint.whenUnsatisfiable,
                ]),
                [
                    ["topology.kubernetes.io/zone", "DoNotSchedule"],
                    ["kubernetes.io/hostname", "ScheduleAnyway"],
                ],
            );
            assert.equal(manifest(run(), "PodDisruptionBudget", tier).spec.maxUnavailable, 1);
        });
    }

    it("creates every object of the app with the EKS target's provider", () => {
        const objects = kubernetesResources(run()).filter((resource) => resource.name !== ADOPTED_CONFIG_MAP);
        assert.ok(objects.length >= 17);
        for (const resource of objects) {
            assert.equal(resource.provider, EKS_K8S_PROVIDER, `${resource.type} ${resource.name}`);
        }
        const provider = one(run(), "pulumi:providers:kubernetes", "eks-k8s");
        assert.equal("upsertExistingObjects" in provider.inputs, false, "a renamed app object fails, not deletes");
    });

    it("points the Kubernetes provider at the cluster, with tokens from aws eks get-token", () => {
        const provider = one(run(), "pulumi:providers:kubernetes", "eks-k8s");
        assert.equal(provider.inputs.enableServerSideApply, "true");
        assert.ok(isSecretOnTheWire(provider.inputs.kubeconfig), "the kubeconfig is secret");
        const kubeconfig = JSON.parse(unsecret(provider.inputs.kubeconfig));
        assert.equal(kubeconfig.clusters[0].cluster.server, eksCluster().endpoint);
        assert.deepEqual(kubeconfig.users[0].user.exec.args, [
            "--region",
            "us-east-1",
            "eks",
            "get-token",
            "--cluster-name",
            eksCluster().name,
            "--output",
            "json",
        ]);
    });

    it("parents every resource to the component that owns it", () => {
        const parentOf = (type: string, name: string) => run().parents.get(resourceKey(type, name));
        const target = "first-k8s:targets:EksTarget::eks";
        assert.equal(parentOf("pulumi:providers:aws", "eks-aws"), target);
        assert.equal(parentOf("pulumi:providers:kubernetes", "eks-k8s"), target);
        assert.equal(parentOf("awsx:ec2:Vpc", "eks-network-vpc"), "first-k8s:eks:EksNetwork::eks-network");
        assert.equal(
            parentOf("eks:index:Cluster", "eks-control-plane-cluster"),
            "first-k8s:eks:EksControlPlane::eks-control-plane",
        );
        assert.equal(
            parentOf("aws:kms/key:Key", "eks-control-plane-secrets-key"),
            "first-k8s:eks:EksControlPlane::eks-control-plane",
        );
        assert.equal(
            parentOf("aws:ecr/repository:Repository", "eks-images-backend"),
            "first-k8s:eks:EcrImageBuilder::eks-images",
        );
        for (const image of ["backend", "frontend"]) {
            assert.equal(
                parentOf("aws:ecr/repository:Repository", `eks-images-${image}`),
                "first-k8s:eks:EcrImageBuilder::eks-images",
            );
            assert.equal(
                parentOf("docker-build:index:Image", `eks-images-${image}-image`),
                "first-k8s:eks:EcrImageBuilder::eks-images",
            );
        }
        assert.equal(parentOf("aws:eks/addon:Addon", "eks-metrics-server"), target);
    });

    it("exports the cluster's name, region, zones, kubeconfig (secret), how to use it, and the image repository", async () => {
        const outputs = run().outputs;
        const name = eksCluster().name;
        assert.equal(outputs.target, "eks");
        assert.equal(outputs.namespace, "first-k8s");
        assert.equal(outputs.clusterName, name);
        assert.equal(outputs.region, "us-east-1");
        assert.equal(outputs.kubeconfigCommand, `aws eks update-kubeconfig --region us-east-1 --name ${name}`);
        assert.equal(
            outputs.imageRepository,
            one(run(), "aws:ecr/repository:Repository", "eks-images-backend").state.repositoryUrl,
        );
        assert.equal(JSON.parse(String(outputs.kubeconfig)).clusters[0].cluster.server, eksCluster().endpoint);
        assert.equal(await pulumi.isSecret(get().exports.kubeconfig as pulumi.Output<string>), true);
        assert.equal(await pulumi.isSecret(get().exports.clusterName as pulumi.Output<string>), false);
    });

    it("gives the frontend's load balancer address as its URL", () => {
        const service = one(run(), "kubernetes:core/v1:Service", "first-k8s-frontend-service");
        const hostname = (service.state.status as { loadBalancer: { ingress: { hostname: string }[] } }).loadBalancer
            .ingress[0].hostname;
        assert.match(hostname, /\.elb\.us-east-1\.amazonaws\.com$/);
        assert.equal(run().outputs.frontendUrl, `http://${hostname}`);
        assert.equal(
            run().outputs.frontendUrlCommand,
            "kubectl get svc frontend -n first-k8s -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'",
        );
    });
}

describe("eks stack under the mock runtime", function () {
    this.timeout(120000);

    describe("with a managed node group (nodes: managed)", () => {
        let eks: EksRun;
        before(async () => {
            eks = await runEksStack();
        });
        const run = () => eks.run;

        describeCommon(() => eks);

        it("creates exactly the app's objects, plus nothing else in Kubernetes", () => {
            assert.deepEqual(countByKind(run()), {
                Namespace: 1,
                ServiceAccount: 2,
                Deployment: 2,
                Service: 2,
                PodDisruptionBudget: 2,
                HorizontalPodAutoscaler: 2,
                ConfigMap: 1,
                NetworkPolicy: 5,
            });
        });

        it("enforces NetworkPolicies with the VPC CNI's policy agent, in a vpc-cni add-on of its own", () => {
            const cluster = one(run(), "eks:index:Cluster").inputs;
            assert.equal(cluster.useDefaultVpcCni, true, "eks.Cluster leaves the CNI add-on to the target");
            assert.equal("vpcCniOptions" in cluster, false);
            const vpcCni = addon(run(), "vpc-cni");
            assert.deepEqual(JSON.parse(String(vpcCni.inputs.configurationValues)), { enableNetworkPolicy: "true" });
            assert.equal(vpcCni.inputs.resolveConflictsOnCreate, "OVERWRITE", "adopts the CNI EKS starts with");
            assert.equal(vpcCni.inputs.preserve, true, "aws-node stays on the nodes if the add-on goes");
        });

        it("gives the VPC CNI its AWS permissions through EKS Pod Identity, with the agent as an add-on", () => {
            const vpcCniAssociations = addon(run(), "vpc-cni").inputs.podIdentityAssociations as { roleArn: string }[];
            const cniRole = roleTrusting(run(), "pods.eks.amazonaws.com", vpcCniAssociations[0].roleArn);
            assert.deepEqual(policyDocument(cniRole.inputs.assumeRolePolicy).Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                },
            ]);
            assert.deepEqual(policiesOf(run(), cniRole), ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
            const vpcCni = addon(run(), "vpc-cni");
            assert.deepEqual(vpcCni.inputs.podIdentityAssociations, [
                { roleArn: cniRole.state.arn, serviceAccount: "aws-node" },
            ]);
            // The add-on makes the aws-node association; a second one for the same service account would be refused.
            assert.equal(
                ofType(run(), "aws:eks/podIdentityAssociation:PodIdentityAssociation").filter(
                    (association) => association.inputs.serviceAccount === "aws-node",
                ).length,
                0,
            );
            const agent = addon(run(), "eks-pod-identity-agent");
            assert.equal(agent.inputs.clusterName, vpcCni.inputs.clusterName);
            assert.equal(agent.provider, AWS_PROVIDER);
        });

        it("runs one node group in the private subnet of each zone, and none in a public one", () => {
            const vpc = one(run(), "awsx:ec2:Vpc").state as { privateSubnetIds: string[]; publicSubnetIds: string[] };
            assert.equal(vpc.privateSubnetIds.length, 3);
            assert.deepEqual(
                ofType(run(), "eks:index:ManagedNodeGroup").map((group) => [group.name, group.inputs.subnetIds]),
                vpc.privateSubnetIds.map((subnet, zone) => [`eks-nodes-group-zone-${zone + 1}`, [subnet]]),
            );
        });

        it("splits the 3/3/6 nodes over the zones' groups, 1/1/2 each, on AL2023 x86_64 t3.medium instances, on demand", () => {
            const groups = ofType(run(), "eks:index:ManagedNodeGroup").map((group) => group.inputs);
            assert.equal(groups.length, 3);
            for (const nodeGroup of groups) {
                assert.deepEqual(nodeGroup.scalingConfig, { minSize: 1, desiredSize: 1, maxSize: 2 });
                assert.equal(nodeGroup.ignoreScalingChanges, true, "the Cluster Autoscaler owns the desired size");
                assert.equal(nodeGroup.amiType, "AL2023_x86_64_STANDARD");
                assert.deepEqual(nodeGroup.instanceTypes, ["t3.medium"]);
                assert.equal(nodeGroup.capacityType, "ON_DEMAND");
                assert.equal(nodeGroup.version, "1.36", "the nodes follow the control plane's version");
                assert.equal(
                    nodeGroup.clusterName,
                    (one(run(), "eks:index:Cluster").state.eksCluster as { name: string }).name,
                );
            }
        });

        it("requires IMDSv2 on the nodes, out of reach of pods (hop limit 1), and encrypts their disks", () => {
            const template = one(run(), "aws:ec2/launchTemplate:LaunchTemplate");
            assert.deepEqual(template.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            });
            assert.deepEqual(template.inputs.blockDeviceMappings, [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                },
            ]);
            assert.equal(
                "imageId" in template.inputs || "userData" in template.inputs,
                false,
                "EKS picks the AMI and bootstrap",
            );
            // The node group's instances and volumes carry the tags the provider puts on everything else.
            const stackTags = { "app.kubernetes.io/part-of": "first-k8s", "pulumi:stack": "eks" };
            // A provider's object-valued settings reach the engine as JSON.
            assert.deepEqual(JSON.parse(String(one(run(), "pulumi:providers:aws").inputs.defaultTags)), {
                tags: stackTags,
            });
            assert.deepEqual(template.inputs.tagSpecifications, [
                { resourceType: "instance", tags: stackTags },
                { resourceType: "volume", tags: stackTags },
            ]);
            for (const group of ofType(run(), "eks:index:ManagedNodeGroup")) {
                assert.deepEqual(group.inputs.launchTemplate, {
                    id: template.id,
                    version: String(template.state.latestVersion),
                });
            }
        });

        it("gives the nodes a role with the node policies but not the CNI's, and leaves its access entry to EKS", () => {
            const role = roleTrusting(run(), "ec2.amazonaws.com");
            assert.deepEqual(policyDocument(role.inputs.assumeRolePolicy).Statement, [
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            assert.deepEqual(policiesOf(run(), role), [
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            ]);
            assert.equal(
                ofType(run(), "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
                    (attachment) => attachment.inputs.policyArn === "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                ).length,
                1,
                "only the CNI's own role has the CNI policy",
            );
            for (const group of ofType(run(), "eks:index:ManagedNodeGroup")) {
                assert.equal(group.inputs.nodeRoleArn, role.state.arn);
            }
            assert.equal(ofType(run(), "aws:eks/accessEntry:AccessEntry").length, 0);
        });

        it("leaves minDomains off the zone spread: the node group keeps a node in every zone", () => {
            // With it, a lost zone's replacements could not go to the zones left (tests/engine/zoneLoss).
            for (const tier of TIERS) {
                const [zone] = manifest(run(), "Deployment", tier).spec.template.spec.topologySpreadConstraints;
                assert.equal(zone.whenUnsatisfiable, "DoNotSchedule");
                assert.equal("minDomains" in zone, false, tier);
            }
        });

        it("lets pods reach DNS at CoreDNS's pods, which run in kube-system with k8s-app=kube-dns", () => {
            const dns = manifest(run(), "NetworkPolicy", "allow-dns-egress").spec.egress[0];
            assert.deepEqual(dns.to, [
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
            ]);
            assert.equal(one(run(), "eks:index:Cluster").inputs.kubernetesServiceIpAddressRange, "172.20.0.0/16");
        });

        it("asks the AWS Load Balancer Controller for an internet-facing NLB with IP targets, over plain HTTP", () => {
            const service = manifest(run(), "Service", "frontend");
            assert.equal(service.spec.type, "LoadBalancer");
            assert.equal(service.spec.loadBalancerClass, "service.k8s.aws/nlb");
            const prefix = "service.beta.kubernetes.io/aws-load-balancer-";
            assert.deepEqual(service.metadata.annotations, {
                [`${prefix}scheme`]: "internet-facing",
                [`${prefix}nlb-target-type`]: "ip",
                [`${prefix}healthcheck-protocol`]: "http",
                [`${prefix}healthcheck-path`]: "/readyz",
                [`${prefix}healthcheck-port`]: "traffic-port",
                [`${prefix}healthcheck-interval`]: "10",
                [`${prefix}healthcheck-timeout`]: "5",
                [`${prefix}healthcheck-healthy-threshold`]: "2",
                [`${prefix}healthcheck-unhealthy-threshold`]: "2",
                [`${prefix}target-group-attributes`]:
                    "deregistration_delay.timeout_seconds=25,deregistration_delay.connection_termination.enabled=true,preserve_client_ip.enabled=true",
                [`${prefix}attributes`]: "load_balancing.cross_zone.enabled=true",
                [`${prefix}additional-resource-tags`]: "app.kubernetes.io/part-of=first-k8s,pulumi:stack=eks",
            });
            assert.deepEqual(service.spec.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
            assert.equal(manifest(run(), "Service", "backend").spec.type, "ClusterIP");
        });
    });

    describe("with EKS Auto Mode (nodes: auto)", () => {
        let eks: EksRun;
        before(async () => {
            eks = await runEksStack({ nodes: "auto" });
        });
        const run = () => eks.run;

        describeCommon(() => eks);

        it("turns on Auto Mode and creates no node group of its own", () => {
            const inputs = one(run(), "eks:index:Cluster").inputs;
            assert.deepEqual(inputs.autoMode, {
                enabled: true,
                createNodeRole: true,
                computeConfig: { nodePools: ["system"] },
            });
            assert.equal("vpcCniOptions" in inputs, false, "Auto Mode brings its own pod networking");
            for (const type of [
                "eks:index:ManagedNodeGroup",
                "aws:ec2/launchTemplate:LaunchTemplate",
                "aws:iam/role:Role",
            ]) {
                assert.equal(ofType(run(), type).length, 0, type);
            }
            // Auto Mode's nodes bring pod networking, cluster DNS and the Pod Identity Agent themselves.
            assert.deepEqual(
                ofType(run(), "aws:eks/addon:Addon").map((addon) => addon.inputs.addonName),
                ["metrics-server"],
            );
        });

        it("enables Auto Mode's network policy controller, adopting its ConfigMap if the cluster has one", () => {
            const configMap = manifest(run(), "ConfigMap", "amazon-vpc-cni");
            assert.equal(configMap.metadata.namespace, "kube-system");
            assert.deepEqual(configMap.data, { "enable-network-policy-controller": "true" });
            const adopting = one(run(), "pulumi:providers:kubernetes", `${ADOPTED_CONFIG_MAP}-k8s`);
            assert.equal(adopting.inputs.upsertExistingObjects, "true");
            assert.equal(adopting.inputs.enableServerSideApply, "true");
            assert.deepEqual(
                JSON.parse(unsecret(adopting.inputs.kubeconfig)),
                JSON.parse(unsecret(one(run(), "pulumi:providers:kubernetes", "eks-k8s").inputs.kubeconfig)),
            );
            assert.match(
                String(one(run(), "kubernetes:core/v1:ConfigMap", ADOPTED_CONFIG_MAP).provider),
                new RegExp(`::${ADOPTED_CONFIG_MAP}-k8s::`),
            );
        });

        it("runs the app on a NodePool whose NodeClass enforces network policies, the only pool beside system", () => {
            const cluster = one(run(), "eks:index:Cluster");
            const state = cluster.state as { autoModeNodeRoleName: string; clusterSecurityGroupId: string };
            assert.deepEqual(
                (state as unknown as { eksCluster: { computeConfig: { nodePools: string[] } } }).eksCluster
                    .computeConfig.nodePools,
                ["system"],
                "no general-purpose pool, whose nodes would not enforce the policies",
            );
            const nodeClass = manifest(run(), "NodeClass", "first-k8s");
            assert.equal(nodeClass.apiVersion, "eks.amazonaws.com/v1");
            assert.deepEqual(nodeClass.spec, {
                role: state.autoModeNodeRoleName,
                subnetSelectorTerms: (one(run(), "awsx:ec2:Vpc").state.privateSubnetIds as string[]).map((id) => ({
                    id,
                })),
                securityGroupSelectorTerms: [{ id: state.clusterSecurityGroupId }],
                networkPolicy: "DefaultAllow",
                networkPolicyEventLogs: "Disabled",
            });
            assert.match(String(nodeClass.spec.role), /nodeRole/);
            const nodePool = manifest(run(), "NodePool", "first-k8s");
            assert.equal(nodePool.apiVersion, "karpenter.sh/v1");
            assert.deepEqual(nodePool.spec.template.spec.nodeClassRef, {
                group: "eks.amazonaws.com",
                kind: "NodeClass",
                name: "first-k8s",
            });
            assert.deepEqual(
                nodePool.spec.template.spec.requirements.find(
                    (requirement: { key: string }) => requirement.key === "kubernetes.io/arch",
                ).values,
                ["amd64"],
                "the backend image is linux/amd64",
            );
            for (const kind of ["NodeClass", "NodePool"]) {
                const resource = ofType(
                    run(),
                    `kubernetes:${kind === "NodeClass" ? "eks.amazonaws.com" : "karpenter.sh"}/v1:${kind}`,
                );
                assert.equal(resource.length, 1, kind);
                assert.equal(resource[0].provider, EKS_K8S_PROVIDER, kind);
            }
        });

        it("makes the zone spread count every zone, as Auto Mode starts nodes one zone at a time (minDomains)", () => {
            for (const tier of TIERS) {
                const [zone] = manifest(run(), "Deployment", tier).spec.template.spec.topologySpreadConstraints;
                assert.equal(zone.topologyKey, "topology.kubernetes.io/zone");
                assert.equal(zone.whenUnsatisfiable, "DoNotSchedule");
                assert.equal(zone.minDomains, 3, tier);
            }
        });

        it("lets pods reach DNS at its Service address, which Auto Mode's nodes answer with no pods to select", () => {
            const cluster = one(run(), "eks:index:Cluster").inputs;
            assert.equal(cluster.kubernetesServiceIpAddressRange, "172.20.0.0/16", "so DNS is at 172.20.0.10");
            const dns = manifest(run(), "NetworkPolicy", "allow-dns-egress").spec.egress[0];
            assert.deepEqual(dns.to, [
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
                { ipBlock: { cidr: "172.20.0.10/32" } },
            ]);
            assert.deepEqual(dns.ports, [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ]);
        });

        it("asks Auto Mode's load balancer class for an internet-facing NLB, and installs no controller of its own", () => {
            const service = manifest(run(), "Service", "frontend");
            assert.equal(service.spec.type, "LoadBalancer");
            assert.equal(service.spec.loadBalancerClass, "eks.amazonaws.com/nlb");
            assert.deepEqual(service.metadata.annotations, {
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
            });
            assert.equal(ofType(run(), "kubernetes:helm.sh/v3:Release").length, 0);
            assert.equal(
                manifest(run(), "Namespace", "first-k8s").metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"],
                undefined,
            );
        });
    });
});

describe("eks stack variants", function () {
    this.timeout(120000);

    it("uses one NAT gateway when asked, and two zones", async () => {
        const { run } = await runEksStack({
            natGatewayStrategy: "Single",
            zoneCount: "2",
            nodeMinSize: "2",
            nodeDesiredSize: "2",
            backendMinReplicas: "4",
            frontendMinReplicas: "4",
        });
        const vpc = one(run, "awsx:ec2:Vpc");
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
        assert.deepEqual(vpc.inputs.availabilityZoneNames, ["us-east-1a", "us-east-1c"]);
        assert.equal((vpc.state.natGateways as unknown[]).length, 1);
        assert.deepEqual(run.outputs.zones, ["us-east-1a", "us-east-1c"]);
        assert.deepEqual(
            ofType(run, "eks:index:ManagedNodeGroup").map((group) => group.inputs.scalingConfig),
            [
                { minSize: 1, desiredSize: 1, maxSize: 3 },
                { minSize: 1, desiredSize: 1, maxSize: 3 },
            ],
            "2/2/6 over two zones",
        );
        // Two zones are still several: the zone spread stays required, over four pods per tier, so that losing
        // a zone (two of them at most) leaves two.
        const spread = manifest(run, "Deployment", "backend").spec.template.spec.topologySpreadConstraints[0];
        assert.equal(spread.whenUnsatisfiable, "DoNotSchedule");
        assert.equal(manifest(run, "HorizontalPodAutoscaler", "backend").spec.minReplicas, 4);
    });

    it("refuses, before the VPC, a region with fewer zones EKS accepts than zoneCount", async () => {
        // The mock account is old enough to see usw1-az2 in us-west-1, the zone EKS refuses there.
        const recorder = programMocks(awsMocks({ today: TEST_DAY }));
        const logged: string[] = [];
        const consoleError = console.error;
        console.error = (message: unknown) => logged.push(String(message));
        try {
            await assert.rejects(
                runProgram({ stack: "eks", overrides: { awsRegion: "us-west-1" }, recorder, today: TEST_DAY }),
                /eks-network: no VPC, as no availability zones were chosen \(the error above\)$/,
            );
        } finally {
            console.error = consoleError;
        }
        assert.deepEqual(logged, [
            "error: [runtime] Invalid stack configuration (nothing was created):\n" +
                '  - first-k8s:zoneCount = "3": expected at most 2, or another awsRegion: us-west-1 has 2 availability ' +
                "zones EKS accepts, us-west-1a (usw1-az1) and us-west-1c (usw1-az3); EKS refuses us-west-1b (usw1-az2) " +
                "for a control plane",
        ]);
        for (const type of ["awsx:ec2:Vpc", "eks:index:Cluster", "eks:index:ManagedNodeGroup"]) {
            assert.equal(recorder.resources.filter((resource) => resource.type === type).length, 0, type);
        }
    });

    it("takes the two zones of us-west-1 EKS accepts when zoneCount is 2", async () => {
        const { run } = await runEksStack({
            awsRegion: "us-west-1",
            zoneCount: "2",
            nodeMinSize: "2",
            nodeDesiredSize: "2",
            backendMinReplicas: "4",
            frontendMinReplicas: "4",
        });
        assert.deepEqual(run.outputs.zones, ["us-west-1a", "us-west-1c"]);
    });

    it("uses the configured AWS profile for the provider, the cluster's kubeconfig and the printed command", async () => {
        const { run } = await runEksStack({ awsProfile: "lab-admin" });
        assert.equal(one(run, "pulumi:providers:aws").inputs.profile, "lab-admin");
        assert.deepEqual(one(run, "eks:index:Cluster").inputs.providerCredentialOpts, { profileName: "lab-admin" });
        const kubeconfig = JSON.parse(unsecret(one(run, "pulumi:providers:kubernetes", "eks-k8s").inputs.kubeconfig));
        assert.deepEqual(kubeconfig.users[0].user.exec.args.slice(-2), ["--profile", "lab-admin"]);
        assert.match(String(run.outputs.kubeconfigCommand), / --profile lab-admin$/);
    });

    it("deploys to the configured region", async () => {
        const { run } = await runEksStack({ awsRegion: "eu-west-1" });
        assert.equal(one(run, "pulumi:providers:aws").inputs.region, "eu-west-1");
        assert.equal(run.outputs.region, "eu-west-1");
        assert.deepEqual(run.outputs.zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.match(String(run.outputs.imageRepository), /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\//);
        assert.match(String(run.outputs.kubeconfigCommand), /^aws eks update-kubeconfig --region eu-west-1 /);
    });

    it("takes node sizes, instance types, CIDR blocks, version and image retention from config", async () => {
        const { run } = await runEksStack({
            nodeInstanceTypes: '["m7i.large"]',
            nodeMinSize: "3",
            nodeDesiredSize: "4",
            nodeMaxSize: "9",
            publicAccessCidrs: '["203.0.113.0/24"]',
            kubernetesVersion: "1.34",
            ecrKeepImages: "3",
        });
        const groups = ofType(run, "eks:index:ManagedNodeGroup").map((group) => group.inputs);
        for (const nodeGroup of groups) {
            assert.deepEqual(nodeGroup.instanceTypes, ["m7i.large"]);
        }
        assert.deepEqual(
            groups.map((nodeGroup) => nodeGroup.scalingConfig),
            [
                { minSize: 1, desiredSize: 2, maxSize: 3 },
                { minSize: 1, desiredSize: 1, maxSize: 3 },
                { minSize: 1, desiredSize: 1, maxSize: 3 },
            ],
            "3/4/9 over three zones: the first zone takes the fourth node",
        );
        const cluster = one(run, "eks:index:Cluster").inputs;
        assert.deepEqual(cluster.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.equal(cluster.version, "1.34");
        assert.deepEqual(cluster.upgradePolicy, { supportType: "EXTENDED" }, "1.34 is past standard support");
        for (const lifecycle of ofType(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy")) {
            assert.equal(policyDocument(lifecycle.inputs.policy).rules[0].selection.countNumber, 3, lifecycle.name);
        }
    });

    it("sends the configured control plane logs to its log group, kept as long as configured", async () => {
        const { run } = await runEksStack({
            controlPlaneLogTypes: '["api", "audit", "authenticator", "controllerManager", "scheduler"]',
            controlPlaneLogRetentionDays: "90",
        });
        assert.deepEqual(one(run, "eks:index:Cluster").inputs.enabledClusterLogTypes, [
            "api",
            "audit",
            "authenticator",
            "controllerManager",
            "scheduler",
        ]);
        assert.equal(one(run, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 90);
        const report = run.outputs.report as { facts: { cluster: { cost: { controlPlaneLogStreams: number } } } };
        assert.equal(report.facts.cluster.cost.controlPlaneLogStreams, 5);
    });

    it("runs a configured backendImage named by tag as it is, asking its registry at every start", async () => {
        const image = "ghcr.io/acme/first-k8s-backend:1.4.2";
        const { run } = await runEksStack({ backendImage: image });
        assert.deepEqual(
            ofType(run, "docker-build:index:Image").map((built) => built.name),
            ["eks-images-frontend-image"],
            "only the NGINX copy is built",
        );
        const container = manifest(run, "Deployment", "backend").spec.template.spec.containers[0];
        assert.deepEqual([container.image, container.imagePullPolicy], [image, "Always"]);
        assert.equal(run.outputs.backendImage, image);
    });

    it("copies a configured backendImage pinned by digest into the backend's repository instead of building one", async () => {
        const image = `ghcr.io/acme/first-k8s-backend:1.4.2@sha256:${"d".repeat(64)}`;
        const { run } = await runEksStack({ backendImage: image });
        const copy = one(run, "docker-build:index:Image", "eks-images-backend-image");
        assert.deepEqual(copy.inputs.context, { location: COPY_DIR });
        assert.deepEqual(copy.inputs.buildArgs, { SOURCE_IMAGE: image });
        const repositoryUrl = String(
            one(run, "aws:ecr/repository:Repository", "eks-images-backend").state.repositoryUrl,
        );
        assert.deepEqual(copy.inputs.tags, [`${repositoryUrl}:1.4.2-dddddddddddd`]);
        const container = manifest(run, "Deployment", "backend").spec.template.spec.containers[0];
        assert.deepEqual(
            [container.image, container.imagePullPolicy],
            [`${repositoryUrl}@${String(copy.state.digest)}`, "IfNotPresent"],
        );
        assert.equal(manifest(run, "Deployment", "backend").metadata.labels["app.kubernetes.io/version"], "1.4.2");
    });

    it("runs a frontendImage named by tag from its registry, asking it at every start, and copies nothing", async () => {
        const image = "registry.example.com/web/nginx-unprivileged:1.28.0-alpine";
        const { run } = await runEksStack({ frontendImage: image });
        assert.deepEqual(
            ofType(run, "aws:ecr/repository:Repository").map((repository) => repository.name),
            ["eks-images-backend"],
        );
        const container = manifest(run, "Deployment", "frontend").spec.template.spec.containers[0];
        assert.deepEqual([container.image, container.imagePullPolicy], [image, "Always"]);
    });
});
