import { EKS_VERSIONS, isoDay } from "../../components/config/eksVersions";

/**
 * What exists in the mock account so far, in the order the program registered it, and the rules AWS applies to
 * a create call against it. The engine sends a resource to its provider only once everything it waits for (its
 * inputs' resources, dependsOn) is created; a resource that names something by a plain string waits for nothing.
 * So a create that names a cluster, VPC, subnet, role, key or log group not created yet is one that fails on AWS
 * too, with the error AWS answers, and these checks make it fail here. Errors carry AWS's error code and message.
 */
export interface AwsAccountOptions {
    /** The day EKS's version rules are applied on (support windows, support types). Default: the real date. */
    readonly today?: Date;
    /**
     * Log groups that exist before the run, as one left behind by an earlier cluster of the same name: EKS
     * recreates /aws/eks/<cluster>/cluster from control plane logs that arrive after `pulumi destroy` deleted it.
     */
    readonly existingLogGroups?: readonly string[];
    /**
     * Which creation of the stack this run is: 1 (the default) for the first `pulumi up`, 2 for the first after a
     * `pulumi destroy`, and so on. Random values (random.RandomId) differ between lifetimes, as the random
     * provider's do, and are the same within one, as the state keeps them.
     */
    readonly stackLifetime?: number;
}

/** An AWS API error as the provider reports it: code, then message. */
export class AwsApiError extends Error {
    constructor(code: string, message: string) {
        super(`${code}: ${message}`);
        this.name = "AwsApiError";
    }
}

/** The AWS managed policies (arn:<partition>:iam::aws:policy/...), which exist in every account. */
const AWS_MANAGED_POLICY = /^arn:aws(-cn|-us-gov)?:iam::aws:policy\//;

export class MockAwsAccount {
    private readonly vpcs = new Set<string>();
    private readonly subnets = new Set<string>();
    private readonly roleNames = new Set<string>();
    private readonly roleArns = new Set<string>();
    private readonly policyArns = new Set<string>();
    private readonly keyArns = new Set<string>();
    private readonly launchTemplates = new Set<string>();
    private readonly repositories = new Set<string>();
    private readonly clusters = new Map<string, { readonly version: string }>();
    private readonly logGroups: Map<string, "stack" | "eks" | "before">;
    readonly today: Date;

    constructor(options: AwsAccountOptions = {}) {
        this.today = options.today ?? new Date();
        this.logGroups = new Map((options.existingLogGroups ?? []).map((name) => [name, "before"]));
    }

    addVpc(vpcId: string, subnetIds: readonly string[]): void {
        this.vpcs.add(vpcId);
        subnetIds.forEach((id) => this.subnets.add(id));
    }

    addRole(name: string, arn: string): void {
        this.roleNames.add(name);
        this.roleArns.add(arn);
    }

    addPolicy(arn: string): void {
        this.policyArns.add(arn);
    }

    addKey(arn: string): void {
        this.keyArns.add(arn);
    }

    addLaunchTemplate(id: string): void {
        this.launchTemplates.add(id);
    }

    addRepository(name: string): void {
        this.repositories.add(name);
    }

    /** CreateLogGroup: a name is taken once, whoever took it (the stack, EKS, an earlier stack). */
    addLogGroup(name: string): void {
        if (this.logGroups.has(name)) {
            throw new AwsApiError("ResourceAlreadyExistsException", "The specified log group already exists");
        }
        this.logGroups.set(name, "stack");
    }

    /** Who made the log group `name`: this stack, EKS (for a cluster's logs), or it was there before; undefined if none. */
    logGroupOwner(name: string): "stack" | "eks" | "before" | undefined {
        return this.logGroups.get(name);
    }

    /**
     * CreateCluster. EKS checks the VPC, subnets and key it is given, the version (offered on `today`, and with
     * extended support for a version past standard support), and the name. With logging on, EKS makes the
     * cluster's log group itself, never expiring, if it does not exist yet.
     */
    addCluster(cluster: {
        readonly name: string;
        readonly version: string;
        readonly supportType: string;
        readonly vpcId: string | undefined;
        readonly subnetIds: readonly string[];
        readonly keyArn: string | undefined;
        readonly logging: boolean;
    }): void {
        if (this.clusters.has(cluster.name)) {
            throw new AwsApiError("ResourceInUseException", `Cluster already exists with name: ${cluster.name}`);
        }
        this.requireVpc(cluster.vpcId);
        cluster.subnetIds.forEach((id) => this.requireSubnet(id));
        if (cluster.keyArn !== undefined && !this.keyArns.has(cluster.keyArn)) {
            throw new AwsApiError("InvalidParameterException", `KMS key ${cluster.keyArn} does not exist`);
        }
        this.checkVersion(cluster.version, cluster.supportType);
        this.clusters.set(cluster.name, { version: cluster.version });
        const logGroup = `/aws/eks/${cluster.name}/cluster`;
        if (cluster.logging && !this.logGroups.has(logGroup)) {
            this.logGroups.set(logGroup, "eks");
        }
    }

    /** The Kubernetes version of the cluster `name`, which must exist (as every EKS call on a cluster requires). */
    requireCluster(name: unknown): string {
        const cluster = typeof name === "string" ? this.clusters.get(name) : undefined;
        if (cluster === undefined) {
            throw new AwsApiError("ResourceNotFoundException", `No cluster found for name: ${String(name)}.`);
        }
        return cluster.version;
    }

    requireVpc(vpcId: unknown): void {
        if (typeof vpcId !== "string" || !this.vpcs.has(vpcId)) {
            throw new AwsApiError("InvalidVpcID.NotFound", `The vpc ID '${String(vpcId)}' does not exist`);
        }
    }

    requireSubnet(subnetId: unknown): void {
        if (typeof subnetId !== "string" || !this.subnets.has(subnetId)) {
            throw new AwsApiError("InvalidSubnetID.NotFound", `The subnet ID '${String(subnetId)}' does not exist`);
        }
    }

    requireRoleName(name: unknown): void {
        if (typeof name !== "string" || !this.roleNames.has(name)) {
            throw new AwsApiError("NoSuchEntity", `The role with name ${String(name)} cannot be found.`);
        }
    }

    requireRoleArn(arn: unknown): void {
        if (typeof arn !== "string" || !this.roleArns.has(arn)) {
            throw new AwsApiError("InvalidParameterException", `Role ${String(arn)} does not exist`);
        }
    }

    requirePolicy(arn: unknown): void {
        if (typeof arn !== "string" || !(AWS_MANAGED_POLICY.test(arn) || this.policyArns.has(arn))) {
            throw new AwsApiError("NoSuchEntity", `Policy ${String(arn)} does not exist or is not attachable.`);
        }
    }

    requireLaunchTemplate(id: unknown): void {
        if (typeof id !== "string" || !this.launchTemplates.has(id)) {
            throw new AwsApiError(
                "InvalidLaunchTemplateId.NotFound",
                `The specified launch template, with template ID ${String(id)}, does not exist.`,
            );
        }
    }

    requireRepository(name: unknown): void {
        if (typeof name !== "string" || !this.repositories.has(name)) {
            throw new AwsApiError(
                "RepositoryNotFoundException",
                `The repository with name '${String(name)}' does not exist in the registry with id '123456789012'`,
            );
        }
    }

    /**
     * EKS's version rules on `today`: the version must still be offered (extended support not over), and a version
     * past standard support runs only with the EXTENDED upgrade policy (STANDARD would have EKS upgrade it at once).
     */
    checkVersion(version: string, supportType: string): void {
        const day = isoDay(this.today);
        const known = EKS_VERSIONS.find((entry) => entry.version === version);
        if (known === undefined || known.extendedSupportEnds < day) {
            throw new AwsApiError("InvalidParameterException", `unsupported Kubernetes version ${version}`);
        }
        if (supportType === "STANDARD" && known.standardSupportEnds < day) {
            throw new AwsApiError(
                "InvalidParameterException",
                `Kubernetes version ${version} is past the end of standard support (${known.standardSupportEnds}); ` +
                    "a cluster on it takes the upgrade policy EXTENDED",
            );
        }
    }
}
