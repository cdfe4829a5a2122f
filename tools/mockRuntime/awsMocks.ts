import { createHash } from "crypto";
import { AwsAccountOptions, AwsApiError, MockAwsAccount } from "./awsAccount";
import { createdObject, KubernetesObject } from "./kubernetesObjects";
import { MockTable } from "./recordingMocks";

/*
 * What the AWS, awsx, eks and docker-build providers return for the resources the EKS target creates, shaped
 * like their real outputs (the properties their .d.ts declare) so the program's code paths run as under
 * `pulumi up`. Every value is a PLACEHOLDER: the account is AWS's documentation account 123456789012,
 * generated ids carry "mock" (vpc-mock..., sg-mock...), public addresses come from the documentation ranges
 * (198.51.100.0/24), certificates are not certificates. Values are derived from the resource's name and
 * inputs, so a run is reproducible. Remote components (awsx:ec2:Vpc, eks:index:Cluster,
 * eks:index:ManagedNodeGroup) arrive as one resource each; their child resources appear in their outputs as
 * plain objects, where the real engine would hand back resource references.
 *
 * Like AWS, the mocks refuse a create that names what does not exist yet, a second log group of a name, and a
 * Kubernetes version or upgrade policy EKS would not take (awsAccount.ts).
 */

export const MOCK_ACCOUNT_ID = "123456789012";

type Inputs = Record<string, unknown>;

function hex(seed: string, length: number): string {
    let out = "";
    for (let round = 0; out.length < length; round++) {
        out += createHash("sha256").update(`${seed}#${round}`).digest("hex");
    }
    return out.slice(0, length);
}

/** An AWS-style id with "mock" in it: vpc-mock0123456789ab. */
function mockId(prefix: string, seed: string): string {
    return `${prefix}-mock${hex(seed, 13)}`;
}

/** Pulumi's auto-name: the logical name plus a random-looking suffix. */
function autoName(name: string): string {
    return `${name}-${hex(`autoname/${name}`, 7)}`;
}

function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function partition(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

function arn(region: string, service: string, resource: string, regional = true): string {
    return `arn:${partition(region)}:${service}:${regional ? region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;
}

/** One zone as EC2's DescribeAvailabilityZones describes it. */
interface MockZone {
    readonly name: string;
    readonly zoneId: string;
    readonly zoneType: "availability-zone" | "local-zone";
    readonly optInStatus: "opt-in-not-required" | "opted-in" | "not-opted-in";
    readonly groupName: string;
    readonly state: "available" | "impaired";
}

/**
 * Zone names map to zone IDs differently in each account. This account's us-east-1b is use1-az3 (where EKS
 * creates no control plane), it has opted in to the Boston Local Zone, and it is old enough to see usw1-az2
 * in us-west-1, so a test can tell zones picked by ID from the region's first names.
 */
const ZONE_IDS: Record<string, Record<string, string>> = {
    "us-east-1": { a: "use1-az1", b: "use1-az3", c: "use1-az2", d: "use1-az4", e: "use1-az6", f: "use1-az5" },
    "us-west-1": { a: "usw1-az1", b: "usw1-az2", c: "usw1-az3" },
    "us-west-2": { a: "usw2-az1", b: "usw2-az2", c: "usw2-az3", d: "usw2-az4" },
};
/** Zones in the middle of an outage, as EC2 reports them: listed, with the state "impaired". */
const IMPAIRED_ZONE_IDS: readonly string[] = ["usw2-az2"];
const LOCAL_ZONES: Record<string, { name: string; zoneId: string; groupName: string }[]> = {
    "us-east-1": [{ name: "us-east-1-bos-1a", zoneId: "use1-bos1-az1", groupName: "us-east-1-bos-1" }],
};

/** Every zone of the region this account can see, in no particular order. */
function zonesOf(region: string): MockZone[] {
    const [area, direction, number] = region.split("-").slice(-3);
    const ids = ZONE_IDS[region] ?? { a: "az1", b: "az2", c: "az3" };
    const availabilityZones = Object.entries(ids).map(([letter, id]) => ({
        name: `${region}${letter}`,
        zoneId: id.includes("-") ? id : `${area}${direction[0]}${number}-${id}`,
        zoneType: "availability-zone" as const,
        optInStatus: "opt-in-not-required" as const,
        groupName: region,
        state: IMPAIRED_ZONE_IDS.includes(id) ? ("impaired" as const) : ("available" as const),
    }));
    const localZones = (LOCAL_ZONES[region] ?? []).map((zone) => ({
        ...zone,
        zoneType: "local-zone" as const,
        optInStatus: "opted-in" as const,
        state: "available" as const,
    }));
    return [...localZones, ...availabilityZones];
}

/** The DescribeAvailabilityZones filters the mock answers; any other fails the call. */
const ZONE_FILTERS: Record<string, (zone: MockZone) => string> = {
    state: (zone) => zone.state,
    "zone-type": (zone) => zone.zoneType,
    "opt-in-status": (zone) => zone.optInStatus,
    "zone-id": (zone) => zone.zoneId,
    "zone-name": (zone) => zone.name,
};

interface ZoneQuery {
    readonly allAvailabilityZones?: boolean;
    readonly state?: string;
    readonly filters?: { name: string; values: string[] }[];
    readonly excludeNames?: string[];
    readonly excludeZoneIds?: string[];
}

/**
 * getAvailabilityZones as the provider answers it: DescribeAvailabilityZones with the state and filters
 * (without allAvailabilityZones, only zones the account may use), sorted by name, then the exclusions.
 */
function queryZones(region: string, query: ZoneQuery): MockZone[] {
    const filters = [...(query.state ? [{ name: "state", values: [query.state] }] : []), ...(query.filters ?? [])];
    for (const filter of filters) {
        if (!(filter.name in ZONE_FILTERS)) {
            throw new Error(`Mock: getAvailabilityZones filter ${filter.name} is not implemented`);
        }
    }
    return zonesOf(region)
        .filter((zone) => query.allAvailabilityZones === true || zone.optInStatus !== "not-opted-in")
        .filter((zone) => filters.every((filter) => filter.values.includes(ZONE_FILTERS[filter.name](zone))))
        .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
        .filter((zone) => !(query.excludeNames ?? []).includes(zone.name))
        .filter((zone) => !(query.excludeZoneIds ?? []).includes(zone.zoneId));
}

function ipv4ToNumber(address: string): number {
    return address.split(".").reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

function numberToIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** Subnet CIDRs as awsx's "Auto" strategy lays them out: equal blocks per zone, specs in order inside each. */
function subnetCidrs(vpcCidr: string, zoneCount: number, masks: number[]): string[][] {
    const [base, prefix] = vpcCidr.split("/");
    const zoneMask = Number(prefix) + Math.ceil(Math.log2(zoneCount));
    const zoneSize = 2 ** (32 - zoneMask);
    return Array.from({ length: zoneCount }, (_, zone) => {
        let next = ipv4ToNumber(base) + zone * zoneSize;
        return masks.map((mask) => {
            const size = 2 ** (32 - mask);
            const start = Math.ceil(next / size) * size;
            next = start + size;
            return `${numberToIpv4(start)}/${mask}`;
        });
    });
}

/** The add-ons EKS offers that the mocks know. */
const EKS_ADDONS: readonly string[] = ["coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"];

/**
 * EKS's default version of an add-on for a Kubernetes version, as getAddonVersion (mostRecent false) answers: a
 * placeholder of the real shape (v<x.y.z>-eksbuild.<n>) that differs per add-on and per Kubernetes version.
 */
export function mockAddonVersion(addonName: string, kubernetesVersion: string): string {
    return `v${kubernetesVersion}.${parseInt(hex(`addon/${addonName}`, 2), 16)}-eksbuild.mock`;
}

interface SubnetSpec {
    type: "Public" | "Private" | "Isolated";
    cidrMask?: number;
    tags?: Record<string, string>;
}

/**
 * A fresh mock table. It remembers the region of each AWS provider it sees, so ARNs, zones and endpoints
 * follow the program's explicit provider; a remote component, which is registered without a provider
 * reference, gets the region of the one AWS provider (and fails if there are several).
 */
export function awsMocks(options: AwsAccountOptions = {}): MockTable {
    const account = new MockAwsAccount(options);
    const lifetime = options.stackLifetime ?? 1;
    const regionsByProviderId = new Map<string, string>();
    const clusterVersions = new Map<string, string>();

    const regionOf = (providerRef: string | undefined, what: string): string => {
        const id = providerRef?.split("::").pop();
        if (id && regionsByProviderId.has(id)) {
            return regionsByProviderId.get(id) as string;
        }
        const regions = [...new Set(regionsByProviderId.values())];
        if (regions.length !== 1) {
            throw new Error(
                `Mock: ${what} has no AWS provider of its own and there are ${regions.length} AWS regions to choose from`,
            );
        }
        return regions[0];
    };

    const loadBalancerStatus = (service: KubernetesObject) => {
        const name = service.metadata?.name ?? "";
        const namespace = service.metadata?.namespace ?? "";
        const region = regionOf(undefined, `Service ${namespace}/${name}`);
        const seed = `lb/${namespace}/${name}`;
        const className = (service.spec as Inputs | undefined)?.loadBalancerClass;
        // Auto Mode names its NLBs k8s-<namespace>-<service>-<hash>; the cloud provider's are a<hash>.
        const lbName =
            className === "eks.amazonaws.com/nlb"
                ? `k8s-${namespace.slice(0, 8)}-${name.slice(0, 8)}-mock${hex(seed, 6)}`
                : `amock${hex(seed, 27)}`;
        return { ingress: [{ hostname: `${lbName}-${hex(`${seed}/dns`, 16)}.elb.${region}.amazonaws.com` }] };
    };

    return {
        resources: {
            "pulumi:providers:aws": (args) => {
                const id = `${args.name}-provider-id`;
                regionsByProviderId.set(id, String(args.inputs.region ?? "us-east-1"));
                return { id, state: args.inputs };
            },

            "awsx:ec2:Vpc": (args) => {
                const inputs = args.inputs as Inputs & {
                    cidrBlock?: string;
                    numberOfAvailabilityZones?: number;
                    availabilityZoneNames?: string[];
                    subnetSpecs?: SubnetSpec[];
                    natGateways?: { strategy?: string };
                };
                const region = regionOf(args.provider, `awsx:ec2:Vpc ${args.name}`);
                const cidrBlock = inputs.cidrBlock ?? "10.0.0.0/16";
                if (inputs.availabilityZoneNames !== undefined && inputs.numberOfAvailabilityZones !== undefined) {
                    throw new Error("Mock: awsx takes availabilityZoneNames or numberOfAvailabilityZones, not both");
                }
                // Without names awsx takes the region's first N zones, as getAvailabilityZones lists them.
                const listed = queryZones(region, {});
                const zones = (
                    inputs.availabilityZoneNames ??
                    listed.slice(0, inputs.numberOfAvailabilityZones ?? 3).map((zone) => zone.name)
                ).map((name) => {
                    const zone = listed.find((candidate) => candidate.name === name);
                    if (!zone) {
                        throw new Error(`Mock: ${region} has no zone ${name}`);
                    }
                    return zone;
                });
                const zoneCount = zones.length;
                const specs: SubnetSpec[] = inputs.subnetSpecs ?? [{ type: "Private" }, { type: "Public" }];
                const defaultMask =
                    Number(cidrBlock.split("/")[1]) +
                    Math.ceil(Math.log2(zoneCount)) +
                    Math.ceil(Math.log2(specs.length));
                const cidrs = subnetCidrs(
                    cidrBlock,
                    zoneCount,
                    specs.map((spec) => spec.cidrMask ?? defaultMask),
                );
                const vpcId = mockId("vpc", args.name);
                const subnets = Array.from({ length: zoneCount }, (_, zone) =>
                    specs.map((spec, index) => {
                        const subnetName = `${args.name}-${spec.type.toLowerCase()}-${zone + 1}`;
                        const id = mockId("subnet", subnetName);
                        return {
                            id,
                            arn: arn(region, "ec2", `subnet/${id}`),
                            vpcId,
                            cidrBlock: cidrs[zone][index],
                            availabilityZone: zones[zone].name,
                            availabilityZoneId: zones[zone].zoneId,
                            mapPublicIpOnLaunch: spec.type === "Public",
                            tags: { Name: subnetName, ...spec.tags },
                            type: spec.type,
                        };
                    }),
                ).flat();
                const ofType = (type: string) => subnets.filter((subnet) => subnet.type === type);
                const publicSubnets = ofType("Public");
                const strategy = inputs.natGateways?.strategy ?? "OnePerAz";
                if (!["OnePerAz", "Single", "None"].includes(strategy)) {
                    throw new Error(`Mock: unknown NAT gateway strategy ${strategy}`);
                }
                const natCount = strategy === "None" ? 0 : strategy === "Single" ? 1 : publicSubnets.length;
                const eips = publicSubnets.slice(0, natCount).map((subnet, index) => ({
                    id: mockId("eipalloc", `${subnet.id}/eip`),
                    allocationId: mockId("eipalloc", `${subnet.id}/eip`),
                    domain: "vpc",
                    publicIp: `198.51.100.${10 + index}`,
                }));
                const natGateways = eips.map((eip, index) => ({
                    id: mockId("nat", eip.id),
                    allocationId: eip.allocationId,
                    subnetId: publicSubnets[index].id,
                    connectivityType: "public",
                    publicIp: eip.publicIp,
                }));
                const internetGateway = {
                    id: mockId("igw", args.name),
                    arn: arn(region, "ec2", `internet-gateway/${mockId("igw", args.name)}`),
                    vpcId,
                };
                const routeTables = subnets.map((subnet) => ({ id: mockId("rtb", subnet.id), vpcId }));
                account.addVpc(
                    vpcId,
                    subnets.map((subnet) => subnet.id),
                );
                return {
                    id: undefined,
                    state: {
                        vpcId,
                        vpc: {
                            id: vpcId,
                            arn: arn(region, "ec2", `vpc/${vpcId}`),
                            cidrBlock,
                            enableDnsHostnames: inputs.enableDnsHostnames ?? false,
                            enableDnsSupport: inputs.enableDnsSupport ?? true,
                            instanceTenancy: "default",
                        },
                        subnets,
                        publicSubnets,
                        privateSubnets: ofType("Private"),
                        isolatedSubnets: ofType("Isolated"),
                        publicSubnetIds: publicSubnets.map((subnet) => subnet.id),
                        privateSubnetIds: ofType("Private").map((subnet) => subnet.id),
                        isolatedSubnetIds: ofType("Isolated").map((subnet) => subnet.id),
                        subnetLayout: specs.map((spec) => ({
                            type: spec.type,
                            cidrMask: spec.cidrMask ?? defaultMask,
                        })),
                        eips,
                        natGateways,
                        internetGateway,
                        routeTables,
                        routeTableAssociations: routeTables.map((table, index) => ({
                            id: mockId("rtbassoc", table.id),
                            routeTableId: table.id,
                            subnetId: subnets[index].id,
                        })),
                        routes: [],
                        vpcEndpoints: [],
                    },
                };
            },

            "eks:index:Cluster": (args) => {
                const inputs = args.inputs as Inputs & {
                    version?: string;
                    autoMode?: { enabled?: boolean; computeConfig?: { nodePools?: string[] } };
                    privateSubnetIds?: string[];
                    publicSubnetIds?: string[];
                    subnetIds?: string[];
                    publicAccessCidrs?: string[];
                    encryptionConfigKeyArn?: string;
                    upgradePolicy?: { supportType?: string };
                };
                const region = regionOf(args.provider, `eks:index:Cluster ${args.name}`);
                const auto = inputs.autoMode?.enabled === true;
                // pulumi-eks skips its own security groups when told to, and in Auto Mode unless told otherwise.
                const ownGroups = !((inputs.skipDefaultSecurityGroups as boolean | undefined) ?? auto);
                // pulumi-eks names the cluster `name` when given one, else auto-names it from the component's name.
                const name =
                    (inputs.name as string | undefined) ?? `${args.name}-eksCluster-${hex(`cluster/${args.name}`, 7)}`;
                const version = inputs.version ?? "1.35";
                const subnetIds = inputs.subnetIds ?? [
                    ...(inputs.publicSubnetIds ?? []),
                    ...(inputs.privateSubnetIds ?? []),
                ];
                // pulumi-eks leaves the upgrade policy to EKS when not given, and EKS's default is EXTENDED.
                const supportType = inputs.upgradePolicy?.supportType ?? "EXTENDED";
                account.addCluster({
                    name,
                    version,
                    supportType,
                    vpcId: inputs.vpcId as string | undefined,
                    subnetIds,
                    keyArn: inputs.encryptionConfigKeyArn,
                    logging: ((inputs.enabledClusterLogTypes as string[] | undefined) ?? []).length > 0,
                });
                clusterVersions.set(name, version);
                const endpoint = `https://MOCK${hex(`endpoint/${name}`, 28).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
                const certificateAuthority = Buffer.from(
                    "-----BEGIN CERTIFICATE-----\nMOCK: a placeholder, not a certificate\n-----END CERTIFICATE-----\n",
                ).toString("base64");
                const clusterSecurityGroupId = mockId("sg", `${name}/eks-cluster-sg`);
                const ownSecurityGroupId = mockId("sg", `${name}/eksClusterSecurityGroup`);
                const nodeSecurityGroupId = mockId("sg", `${name}/nodeSecurityGroup`);
                const issuer = `https://oidc.eks.${region}.amazonaws.com/id/MOCK${hex(`oidc/${name}`, 28).toUpperCase()}`;
                const autoModeNodeRoleName = auto ? `${args.name}-nodeRole-role-${hex(`noderole/${name}`, 7)}` : "";
                const eksCluster = {
                    id: name,
                    name,
                    arn: arn(region, "eks", `cluster/${name}`),
                    endpoint,
                    version,
                    platformVersion: "eks.mock",
                    status: "ACTIVE",
                    roleArn: arn(region, "iam", `role/${args.name}-eksRole-role-${hex(`role/${name}`, 7)}`, false),
                    certificateAuthority: { data: certificateAuthority },
                    certificateAuthorities: [{ data: certificateAuthority }],
                    vpcConfig: {
                        vpcId: inputs.vpcId,
                        subnetIds,
                        clusterSecurityGroupId,
                        securityGroupIds: ownGroups ? [ownSecurityGroupId] : [],
                        endpointPrivateAccess: inputs.endpointPrivateAccess ?? false,
                        endpointPublicAccess: inputs.endpointPublicAccess ?? true,
                        publicAccessCidrs: inputs.publicAccessCidrs ?? ["0.0.0.0/0"],
                    },
                    accessConfig: {
                        authenticationMode: inputs.authenticationMode ?? "CONFIG_MAP",
                        bootstrapClusterCreatorAdminPermissions: true,
                    },
                    enabledClusterLogTypes: inputs.enabledClusterLogTypes ?? [],
                    encryptionConfig: inputs.encryptionConfigKeyArn
                        ? { provider: { keyArn: inputs.encryptionConfigKeyArn }, resources: ["secrets"] }
                        : undefined,
                    identities: [{ oidcs: [{ issuer }] }],
                    kubernetesNetworkConfig: {
                        serviceIpv4Cidr: "172.20.0.0/16",
                        ipFamily: "ipv4",
                        elasticLoadBalancing: auto ? { enabled: true } : undefined,
                    },
                    computeConfig: auto
                        ? {
                              enabled: true,
                              // EKS's default: both built-in pools.
                              nodePools: inputs.autoMode?.computeConfig?.nodePools ?? ["general-purpose", "system"],
                              nodeRoleArn: arn(region, "iam", `role/${autoModeNodeRoleName}`, false),
                          }
                        : undefined,
                    storageConfig: auto ? { blockStorage: { enabled: true } } : undefined,
                    bootstrapSelfManagedAddons: !auto,
                    upgradePolicy: { supportType },
                    createdAt: "2026-01-01T00:00:00Z",
                };
                // eks.Cluster's kubeconfig leaves the credential profile out; that one is for people.
                const kubeconfig = {
                    apiVersion: "v1",
                    clusters: [
                        {
                            cluster: { server: endpoint, "certificate-authority-data": certificateAuthority },
                            name: "kubernetes",
                        },
                    ],
                    contexts: [{ context: { cluster: "kubernetes", user: "aws" }, name: "aws" }],
                    "current-context": "aws",
                    kind: "Config",
                    users: [
                        {
                            name: "aws",
                            user: {
                                exec: {
                                    apiVersion: "client.authentication.k8s.io/v1beta1",
                                    command: "aws",
                                    args: [
                                        "--region",
                                        region,
                                        "eks",
                                        "get-token",
                                        "--cluster-name",
                                        name,
                                        "--output",
                                        "json",
                                    ],
                                    env: [
                                        {
                                            name: "KUBERNETES_EXEC_INFO",
                                            value: '{"apiVersion": "client.authentication.k8s.io/v1beta1"}',
                                        },
                                    ],
                                },
                            },
                        },
                    ],
                };
                const securityGroup = (id: string) => ({
                    id,
                    arn: arn(region, "ec2", `security-group/${id}`),
                    vpcId: inputs.vpcId,
                });
                return {
                    id: undefined,
                    state: {
                        kubeconfig,
                        kubeconfigJson: JSON.stringify(kubeconfig),
                        eksCluster,
                        core: {
                            cluster: eksCluster,
                            endpoint,
                            vpcId: inputs.vpcId,
                            subnetIds,
                            privateSubnetIds: inputs.privateSubnetIds,
                            publicSubnetIds: inputs.publicSubnetIds,
                            encryptionConfig: eksCluster.encryptionConfig,
                            accessEntries: [],
                            instanceRoles: [],
                            nodeGroupOptions: {},
                            kubeconfig,
                        },
                        clusterSecurityGroup: ownGroups ? securityGroup(ownSecurityGroupId) : undefined,
                        clusterSecurityGroupId: ownGroups ? ownSecurityGroupId : clusterSecurityGroupId,
                        nodeSecurityGroup: ownGroups ? securityGroup(nodeSecurityGroupId) : undefined,
                        nodeSecurityGroupId: ownGroups ? nodeSecurityGroupId : clusterSecurityGroupId,
                        clusterIngressRuleId: ownGroups ? mockId("sgr", `${name}/ingress`) : "",
                        eksClusterIngressRule: undefined,
                        defaultNodeGroup: undefined,
                        defaultNodeGroupAsgName: "",
                        fargateProfileId: "",
                        fargateProfileStatus: "",
                        instanceRoles: [],
                        oidcProviderArn: "",
                        oidcProviderUrl: issuer,
                        oidcIssuer: issuer.replace("https://", ""),
                        autoModeNodeRoleName,
                    },
                };
            },

            "eks:index:ManagedNodeGroup": (args) => {
                const inputs = args.inputs as Inputs & { clusterName?: string; version?: string };
                const region = regionOf(args.provider, `eks:index:ManagedNodeGroup ${args.name}`);
                const clusterName = inputs.clusterName ?? "mock-cluster";
                const clusterVersion = account.requireCluster(clusterName);
                account.requireRoleArn(inputs.nodeRoleArn);
                ((inputs.subnetIds as string[] | undefined) ?? []).forEach((id) => account.requireSubnet(id));
                const launchTemplate = inputs.launchTemplate as { id?: string } | undefined;
                if (launchTemplate !== undefined) {
                    account.requireLaunchTemplate(launchTemplate.id);
                }
                const nodeGroupName = autoName(args.name);
                const version = inputs.version ?? clusterVersions.get(clusterName) ?? clusterVersion;
                return {
                    id: undefined,
                    state: {
                        nodeGroup: {
                            id: `${clusterName}:${nodeGroupName}`,
                            arn: arn(region, "eks", `nodegroup/${clusterName}/${nodeGroupName}/${uuid(nodeGroupName)}`),
                            clusterName,
                            nodeGroupName,
                            status: "ACTIVE",
                            amiType: inputs.amiType,
                            instanceTypes: inputs.instanceTypes ?? ["t3.medium"],
                            capacityType: inputs.capacityType ?? "ON_DEMAND",
                            scalingConfig: inputs.scalingConfig ?? { desiredSize: 2, minSize: 1, maxSize: 2 },
                            subnetIds: inputs.subnetIds,
                            nodeRoleArn: inputs.nodeRoleArn,
                            launchTemplate: inputs.launchTemplate,
                            version,
                            releaseVersion: `${version}.0-mock`,
                            labels: inputs.labels ?? {},
                            taints: [],
                            updateConfig: { maxUnavailable: 1 },
                            resources: [
                                {
                                    autoscalingGroups: [
                                        { name: `eks-${nodeGroupName}-${uuid(`asg/${nodeGroupName}`)}` },
                                    ],
                                },
                            ],
                        },
                        placementGroupName: "",
                    },
                };
            },

            // The random provider's RandomId: byteLength random bytes, as hex, base64 and decimal.
            "random:index/randomId:RandomId": (args) => {
                const bytes = Buffer.from(
                    hex(`random/${args.name}/lifetime-${lifetime}`, 2 * Number(args.inputs.byteLength)),
                    "hex",
                );
                const b64Url = bytes.toString("base64url");
                return {
                    id: b64Url,
                    state: {
                        ...args.inputs,
                        hex: `${(args.inputs.prefix as string | undefined) ?? ""}${bytes.toString("hex")}`,
                        b64Url,
                        b64Std: bytes.toString("base64"),
                        dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
                    },
                };
            },

            "aws:kms/key:Key": (args) => {
                const region = regionOf(args.provider, args.name);
                const keyId = `mock${hex(`key/${args.name}`, 4)}-${uuid(`key/${args.name}`).slice(9)}`;
                account.addKey(arn(region, "kms", `key/${keyId}`));
                return {
                    id: keyId,
                    state: {
                        ...args.inputs,
                        arn: arn(region, "kms", `key/${keyId}`),
                        keyId,
                        keyUsage: args.inputs.keyUsage ?? "ENCRYPT_DECRYPT",
                        customerMasterKeySpec: args.inputs.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT",
                        isEnabled: args.inputs.isEnabled ?? true,
                        multiRegion: args.inputs.multiRegion ?? false,
                        rotationPeriodInDays: args.inputs.rotationPeriodInDays ?? 365,
                        deletionWindowInDays: args.inputs.deletionWindowInDays ?? 30,
                        policy: JSON.stringify({
                            Version: "2012-10-17",
                            Id: "key-default-1",
                            Statement: [
                                {
                                    Sid: "Enable IAM User Permissions",
                                    Effect: "Allow",
                                    Principal: { AWS: arn(region, "iam", "root", false) },
                                    Action: "kms:*",
                                    Resource: "*",
                                },
                            ],
                        }),
                        region,
                    },
                };
            },

            "aws:iam/role:Role": (args) => {
                const region = regionOf(args.provider, args.name);
                const name = (args.inputs.name as string | undefined) ?? autoName(args.name);
                account.addRole(name, arn(region, "iam", `role/${name}`, false));
                return {
                    id: name,
                    state: {
                        ...args.inputs,
                        name,
                        arn: arn(region, "iam", `role/${name}`, false),
                        uniqueId: `AROAMOCK${hex(`role/${name}`, 13).toUpperCase()}`,
                        path: "/",
                        maxSessionDuration: 3600,
                        createDate: "2026-01-01T00:00:00Z",
                    },
                };
            },

            "aws:iam/policy:Policy": (args) => {
                const region = regionOf(args.provider, args.name);
                const name = (args.inputs.name as string | undefined) ?? autoName(args.name);
                const policyArn = arn(region, "iam", `policy/${name}`, false);
                account.addPolicy(policyArn);
                return {
                    id: policyArn,
                    state: {
                        ...args.inputs,
                        name,
                        arn: policyArn,
                        path: args.inputs.path ?? "/",
                        policyId: `ANPAMOCK${hex(`policy/${name}`, 13).toUpperCase()}`,
                        attachmentCount: 0,
                    },
                };
            },

            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (args) => {
                account.requireRoleName(args.inputs.role);
                account.requirePolicy(args.inputs.policyArn);
                return { id: `${args.inputs.role}-${hex(`attachment/${args.name}`, 20)}`, state: { ...args.inputs } };
            },

            "aws:ec2/launchTemplate:LaunchTemplate": (args) => {
                const region = regionOf(args.provider, args.name);
                const id = mockId("lt", args.name);
                account.addLaunchTemplate(id);
                const metadataOptions = args.inputs.metadataOptions as Inputs | undefined;
                return {
                    id,
                    state: {
                        ...args.inputs,
                        arn: arn(region, "ec2", `launch-template/${id}`),
                        name: (args.inputs.name as string | undefined) ?? autoName(args.name),
                        defaultVersion: 1,
                        latestVersion: 1,
                        metadataOptions: metadataOptions && {
                            httpEndpoint: "enabled",
                            httpProtocolIpv6: "disabled",
                            instanceMetadataTags: "disabled",
                            ...metadataOptions,
                        },
                    },
                };
            },

            "aws:eks/addon:Addon": (args) => {
                const region = regionOf(args.provider, args.name);
                const { clusterName, addonName } = args.inputs as { clusterName: string; addonName: string };
                const clusterVersion = account.requireCluster(clusterName);
                const addonVersion = args.inputs.addonVersion as string | undefined;
                if (addonVersion !== undefined && addonVersion !== mockAddonVersion(addonName, clusterVersion)) {
                    throw new AwsApiError(
                        "InvalidParameterException",
                        `Addon version ${addonVersion} of ${addonName} is not supported on Kubernetes ${clusterVersion}`,
                    );
                }
                const associations = (args.inputs.podIdentityAssociations as { roleArn?: string }[] | undefined) ?? [];
                associations.forEach((association) => account.requireRoleArn(association.roleArn));
                return {
                    id: `${clusterName}:${addonName}`,
                    state: {
                        ...args.inputs,
                        arn: arn(
                            region,
                            "eks",
                            `addon/${clusterName}/${addonName}/${uuid(`${clusterName}/${addonName}`)}`,
                        ),
                        addonVersion: addonVersion ?? mockAddonVersion(addonName, clusterVersion),
                        configurationValues: args.inputs.configurationValues ?? "",
                        createdAt: "2026-01-01T00:00:00Z",
                        modifiedAt: "2026-01-01T00:00:00Z",
                    },
                };
            },

            "aws:eks/podIdentityAssociation:PodIdentityAssociation": (args) => {
                const region = regionOf(args.provider, args.name);
                const { clusterName } = args.inputs as { clusterName: string };
                account.requireCluster(clusterName);
                account.requireRoleArn(args.inputs.roleArn);
                const associationId = `a-mock${hex(`association/${args.name}`, 13)}`;
                return {
                    id: `${clusterName},${associationId}`,
                    state: {
                        ...args.inputs,
                        associationArn: arn(region, "eks", `podidentityassociation/${clusterName}/${associationId}`),
                        associationId,
                        disableSessionTags: args.inputs.disableSessionTags ?? false,
                        externalId: uuid(`association/${args.name}/external`),
                        region,
                    },
                };
            },

            "aws:cloudwatch/logGroup:LogGroup": (args) => {
                const region = regionOf(args.provider, args.name);
                const name = (args.inputs.name as string | undefined) ?? autoName(args.name);
                account.addLogGroup(name);
                return {
                    id: name,
                    state: {
                        ...args.inputs,
                        name,
                        arn: arn(region, "logs", `log-group:${name}`),
                        retentionInDays: args.inputs.retentionInDays ?? 0,
                        logGroupClass: args.inputs.logGroupClass ?? "STANDARD",
                        skipDestroy: args.inputs.skipDestroy ?? false,
                        region,
                    },
                };
            },

            "aws:ecr/repository:Repository": (args) => {
                const region = regionOf(args.provider, args.name);
                const name = (args.inputs.name as string | undefined) ?? autoName(args.name).toLowerCase();
                account.addRepository(name);
                return {
                    id: name,
                    state: {
                        ...args.inputs,
                        name,
                        arn: arn(region, "ecr", `repository/${name}`),
                        registryId: MOCK_ACCOUNT_ID,
                        repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${name}`,
                        imageTagMutability: args.inputs.imageTagMutability ?? "MUTABLE",
                        encryptionConfigurations: [{ encryptionType: "AES256", kmsKey: "" }],
                        region,
                    },
                };
            },

            "aws:ecr/lifecyclePolicy:LifecyclePolicy": (args) => {
                account.requireRepository(args.inputs.repository);
                return {
                    id: String(args.inputs.repository),
                    state: { ...args.inputs, registryId: MOCK_ACCOUNT_ID, region: regionOf(args.provider, args.name) },
                };
            },

            "docker-build:index:Image": (args) => {
                const tags = (args.inputs.tags as string[] | undefined) ?? [];
                const contextHash = hex(`context/${JSON.stringify(args.inputs.context)}`, 64);
                const digest = `sha256:${hex(`digest/${contextHash}/${tags.join(",")}`, 64)}`;
                const pushed = args.inputs.push === true && tags.length > 0;
                return {
                    id: `${args.name}-image-id`,
                    state: {
                        ...args.inputs,
                        contextHash,
                        digest,
                        ref: pushed ? `${tags[0]}@${digest}` : (tags[0] ?? ""),
                    },
                };
            },

            // A Helm release as the Kubernetes provider reports it once installed: its inputs, and the release's status
            // (the chart, its version, and appVersion as the eks-charts charts set it, v<version>; revision 1 on install).
            "kubernetes:helm.sh/v3:Release": (args) => {
                const inputs = args.inputs as Inputs & {
                    name?: string;
                    namespace?: string;
                    chart: string;
                    version?: string;
                };
                const name = inputs.name ?? autoName(args.name);
                const namespace = inputs.namespace ?? "default";
                const chartVersion = inputs.version ?? "0.0.0-mock";
                return {
                    id: `${namespace}/${name}`,
                    state: {
                        ...inputs,
                        name,
                        namespace,
                        status: {
                            name,
                            namespace,
                            chart: inputs.chart,
                            version: chartVersion,
                            appVersion: `v${chartVersion}`,
                            revision: 1,
                            status: "deployed",
                        },
                    },
                };
            },

            // Kubernetes objects as the default table makes them, plus what the cloud fills into a
            // LoadBalancer Service's status: the load balancer's DNS name (AWS gives names, not IPs).
            "kubernetes:core/v1:Service": (args) => createdObject(args.inputs as KubernetesObject, loadBalancerStatus),
        },

        calls: {
            "aws:eks/getAddonVersion:getAddonVersion": (args) => {
                const region = regionOf(args.provider, "getAddonVersion");
                const { addonName, kubernetesVersion } = args.inputs as {
                    addonName: string;
                    kubernetesVersion: string;
                };
                if (!EKS_ADDONS.includes(addonName)) {
                    throw new AwsApiError("ResourceNotFoundException", `No addon: ${addonName} found.`);
                }
                account.checkVersion(kubernetesVersion, "EXTENDED");
                return {
                    ...args.inputs,
                    id: addonName,
                    region,
                    version: mockAddonVersion(addonName, kubernetesVersion),
                };
            },
            "aws:index/getAvailabilityZones:getAvailabilityZones": (args) => {
                const region = regionOf(args.provider, "getAvailabilityZones");
                const zones = queryZones(region, args.inputs as ZoneQuery);
                return {
                    ...args.inputs,
                    id: region,
                    region,
                    names: zones.map((zone) => zone.name),
                    zoneIds: zones.map((zone) => zone.zoneId),
                    groupNames: [...new Set(zones.map((zone) => zone.groupName))].sort(),
                };
            },
            "aws:ecr/getAuthorizationToken:getAuthorizationToken": (args) => {
                const region = regionOf(args.provider, "getAuthorizationToken");
                const registryId = (args.inputs.registryId as string | undefined) ?? MOCK_ACCOUNT_ID;
                const password = "mock-ecr-password";
                return {
                    id: region,
                    region,
                    registryId,
                    userName: "AWS",
                    password,
                    authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
                    proxyEndpoint: `https://${registryId}.dkr.ecr.${region}.amazonaws.com`,
                    expiresAt: "2026-01-01T12:00:00Z",
                };
            },
        },
    };
}
