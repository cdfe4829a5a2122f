import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksStackConfig, parseStackConfig } from "../../components/config";
import { EksTarget } from "../../components/targets/eks";
import { podIdentityHelmRelease, PodIdentityHelmRelease } from "../../components/targets/eks/podIdentityHelmRelease";
import { awsMocks, MockTable, programMocks, runInMockStack } from "../../tools/mockRuntime";
import { TEST_DAY } from "./eksQueries";

const unwrap = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

interface Registered {
    readonly resource: pulumi.Resource;
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly opts: pulumi.CustomResourceOptions;
}

/** Runs `program` under the mocks, with every registration it makes (reads of existing resources aside). */
async function registrationsOf(stack: string, table: MockTable, program: () => void): Promise<Registered[]> {
    const registered: Registered[] = [];
    await runInMockStack(programMocks(table), { project: "first-k8s", stack }, () => {
        pulumi.runtime.registerStackTransformation((args) => {
            if (!args.opts.urn) {
                // The SDK hands over every input the type declares; the ones the program set are those it gave.
                const props = Object.entries(args.props).filter(([, value]) => value !== undefined);
                registered.push({ ...args, props: Object.fromEntries(props), opts: { ...args.opts } });
            }
            return undefined;
        });
        program();
    });
    return registered;
}

/**
 * A resource's URN as the engine makes it: its parents' types, outermost first (the stack's aside), then its own.
 * The mock monitor's URNs keep only the nearest parent's type (runtime/mocks.js, newUrn), so they cannot show a
 * change further up the chain.
 */
function engineUrn(entry: Registered, registered: readonly Registered[]): string {
    const types = [entry.type];
    for (let parent = entry.opts.parent; parent;) {
        const owner = registered.find((other) => other.resource === parent);
        assert.ok(owner, `the parent of ${entry.name} is registered`);
        if (owner.type !== "pulumi:pulumi:Stack") {
            types.unshift(owner.type);
        }
        parent = owner.opts.parent;
    }
    return `urn:pulumi:eks::first-k8s::${types.join("$")}::${entry.name}`;
}

/** A component of the test's own, to own what podIdentityHelmRelease makes. */
class Owner extends pulumi.ComponentResource {
    installed: PodIdentityHelmRelease | undefined;
    constructor(name: string, install: (owner: Owner) => PodIdentityHelmRelease) {
        super("first-k8s:test:Owner", name, {}, {});
        this.installed = install(this);
        this.registerOutputs(this.installed.outputs);
    }
}

describe("podIdentityHelmRelease: a Helm release running as a Pod Identity role", function () {
    this.timeout(60000);

    /*
     * The URNs of the controllers' roles, policies, associations and releases in a stack deployed before they shared
     * this function. A changed URN is a new resource to Pulumi: `pulumi up` would replace a controller's IAM role
     * and reinstall its chart in every existing stack.
     */
    it("leaves the URNs of the two controllers' resources as they were", async () => {
        const settings = (
            parseStackConfig(
                (key) => ({ target: "eks", backendMinReplicas: "3", frontendMinReplicas: "3" })[key],
                "first-k8s",
            ) as EksStackConfig
        ).eks;
        const registered = await registrationsOf(
            "eks",
            awsMocks({ today: TEST_DAY }),
            () => new EksTarget("eks", settings),
        );
        const controllers = /^eks-(node-autoscaler|load-balancer-controller)(-|$)/;
        const urns = registered
            .filter((entry) => controllers.test(entry.name))
            .map((entry) => engineUrn(entry, registered));
        const target = "urn:pulumi:eks::first-k8s::first-k8s:targets:EksTarget";
        const autoscaler = `${target}$first-k8s:eks:ClusterAutoscaler`;
        const autoscalerRole = `${autoscaler}$first-k8s:eks:PodIdentityRole`;
        const controller = `${target}$first-k8s:eks:LoadBalancerController`;
        const controllerRole = `${controller}$first-k8s:eks:PodIdentityRole`;
        const expected = [
            `${autoscaler}$first-k8s:eks:PodIdentityRole::eks-node-autoscaler-role`,
            `${autoscaler}$kubernetes:helm.sh/v3:Release::eks-node-autoscaler-release`,
            `${autoscaler}::eks-node-autoscaler`,
            `${autoscalerRole}$aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-node-autoscaler-role-association`,
            `${autoscalerRole}$aws:iam/policy:Policy::eks-node-autoscaler-role-policy`,
            `${autoscalerRole}$aws:iam/role:Role::eks-node-autoscaler-role-role`,
            `${autoscalerRole}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-node-autoscaler-role-policy-attachment`,
            `${controller}$first-k8s:eks:PodIdentityRole::eks-load-balancer-controller-role`,
            `${controller}$kubernetes:helm.sh/v3:Release::eks-load-balancer-controller-release`,
            `${controller}::eks-load-balancer-controller`,
            `${controllerRole}$aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-load-balancer-controller-role-association`,
            `${controllerRole}$aws:iam/policy:Policy::eks-load-balancer-controller-role-policy`,
            `${controllerRole}$aws:iam/role:Role::eks-load-balancer-controller-role-role`,
            `${controllerRole}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-load-balancer-controller-role-policy-attachment`,
        ];
        assert.deepEqual(urns.sort(), expected.sort());
    });

    describe("on its own", () => {
        let registered: Registered[];
        let owner: Owner;
        let k8sProvider: k8s.Provider;
        let nodes: pulumi.Resource;

        before(async () => {
            const account = awsMocks({ today: TEST_DAY });
            // The mock account refuses an association in a cluster it does not have, and making one is EksTarget's
            // business, not this function's: here the association is taken as asked.
            const table: MockTable = {
                ...account,
                resources: {
                    ...account.resources,
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation": (args) => ({
                        id: `${args.name}-id`,
                        state: { ...args.inputs, associationId: `a-${args.name}` },
                    }),
                },
            };
            registered = await registrationsOf("test", table, () => {
                const awsProvider = new aws.Provider("aws", { region: "eu-west-1" });
                k8sProvider = new k8s.Provider("k8s", { kubeconfig: "{}" });
                nodes = new aws.iam.Role("nodes", { assumeRolePolicy: "{}" }, { provider: awsProvider });
                owner = new Owner("ctl", (parent) =>
                    podIdentityHelmRelease(
                        "ctl",
                        {
                            clusterName: "the-cluster",
                            region: "eu-west-1",
                            provider: k8sProvider,
                            awsProvider,
                            runsAfter: [nodes],
                            chart: { repo: "https://charts.example", chart: "ctl-chart", version: "1.2.3" },
                            serviceAccount: { namespace: "kube-system", name: "ctl-sa" },
                            values: { replicaCount: 1 },
                            ownPolicies: [{ name: "policy", description: "ctl", document: "{}" }],
                        },
                        parent,
                    ),
                );
            });
        });

        const only = (type: string) => {
            const found = registered.filter((entry) => entry.type === type && entry.name.startsWith("ctl"));
            assert.equal(found.length, 1, `one ${type}`);
            return found[0];
        };

        it("installs the chart as a release named after the service account, in its namespace, and waits for it", () => {
            const props = { ...only("kubernetes:helm.sh/v3:Release").props };
            // The SDK's own marker on every helm.sh/v3 Release (helm/v3/release.js), not an input of this function.
            delete props.compat;
            assert.deepEqual(props, {
                name: "ctl-sa",
                namespace: "kube-system",
                chart: "ctl-chart",
                version: "1.2.3",
                repositoryOpts: { repo: "https://charts.example" },
                values: { replicaCount: 1 },
                skipAwait: false,
            });
        });

        it("parents the role and the release to the caller, the release on the caller's Kubernetes provider", () => {
            const release = only("kubernetes:helm.sh/v3:Release");
            const role = only("first-k8s:eks:PodIdentityRole");
            assert.equal(release.name, "ctl-release");
            assert.equal(role.name, "ctl-role");
            assert.equal(release.opts.parent, owner);
            assert.equal(role.opts.parent, owner);
            assert.equal(release.opts.provider, k8sProvider);
            assert.equal(release.resource, owner.installed?.release);
            assert.equal(role.resource, owner.installed?.role);
        });

        it("starts the release after what it runs after and after the role's policies and association", () => {
            const release = only("kubernetes:helm.sh/v3:Release");
            const role = owner.installed?.role;
            assert.ok(role?.association);
            assert.deepEqual(release.opts.dependsOn, [nodes, ...role.policyAttachments, role.association]);
        });

        it("gives the role no AWS managed policy by default, only its own, for the service account", () => {
            const attachments = registered.filter(
                (entry) => entry.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            );
            assert.deepEqual(
                attachments.map((entry) => entry.name),
                ["ctl-role-policy-attachment"],
            );
            const association = only("aws:eks/podIdentityAssociation:PodIdentityAssociation").props;
            assert.deepEqual(
                [association.clusterName, association.namespace, association.serviceAccount],
                ["the-cluster", "kube-system", "ctl-sa"],
            );
        });

        it("hands the owner its role's ARN and the release's status to register as outputs", async () => {
            const installed = owner.installed;
            assert.ok(installed);
            assert.equal(await unwrap(installed.outputs.roleArn), await unwrap(installed.role.role.arn));
            assert.match(await unwrap(installed.outputs.roleArn), /^arn:aws:iam::\d{12}:role\//);
            assert.equal(installed.outputs.releaseStatus, installed.release.status);
        });
    });
});
