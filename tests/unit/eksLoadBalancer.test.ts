import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { GraphNode } from "./criticalPath";
import { DEREGISTRATION_DELAY_SECONDS, FRONTEND_TERMINATION } from "../../components/targets/eks/frontendLoadBalancer";
import {
    LOAD_BALANCER_CONTROLLER_CHART,
    loadBalancerControllerPolicy,
} from "../../components/targets/eks/loadBalancerController";
import { PROJECT_DIR, RecordedResource } from "../../tools/mockRuntime";
import { clusterNameOf, EKS_K8S_PROVIDER, EksRun, one, policyDocument, runEksStack } from "./eksQueries";
import { manifest, ofType } from "./programQueries";
import { eksResourceGraph } from "./recoveryGraph";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const POLICIES_DIR = path.join(PROJECT_DIR, "components", "targets", "eks", "policies");
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211";
const ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-";

function controllerRelease(run: EksRun["run"]): RecordedResource {
    return one(run, RELEASE, "eks-load-balancer-controller-release");
}

/** Whether `from` waits for `to`, directly or through others, in the graph `pulumi up` walks (and destroy reverses). */
function waitsFor(graph: readonly GraphNode[], from: string, to: string): boolean {
    const byKey = new Map(graph.map((node) => [node.key, node]));
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
        const key = stack.pop() as string;
        for (const dependency of byKey.get(key)?.dependsOn ?? []) {
            if (dependency === to) {
                return true;
            }
            if (!seen.has(dependency)) {
                seen.add(dependency);
                stack.push(dependency);
            }
        }
    }
    return false;
}

describe("the AWS Load Balancer Controller (nodes: managed)", function () {
    this.timeout(120000);

    let eks: EksRun;
    before(async () => {
        eks = await runEksStack();
    });
    const run = () => eks.run;

    it("installs the pinned eks-charts chart into kube-system with the cluster's provider", () => {
        const release = controllerRelease(run());
        assert.equal(release.inputs.chart, "aws-load-balancer-controller");
        assert.equal(release.inputs.version, "3.5.0");
        assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
        assert.equal(release.inputs.name, "aws-load-balancer-controller");
        assert.equal(release.inputs.namespace, "kube-system");
        assert.equal(release.inputs.skipAwait, false, "waits for the controller's pods");
        assert.equal(release.provider, EKS_K8S_PROVIDER);
        assert.deepEqual(release.state.status, {
            name: "aws-load-balancer-controller",
            namespace: "kube-system",
            chart: "aws-load-balancer-controller",
            version: "3.5.0",
            appVersion: "v3.5.0",
            revision: 1,
            status: "deployed",
        });
    });

    it("tells the chart the cluster, region and VPC, two spread replicas with a PDB, requests, and no Service webhook", () => {
        const values = controllerRelease(run()).inputs.values as Record<string, unknown>;
        const cluster = one(run(), "eks:index:Cluster").state.eksCluster as { name: string };
        assert.deepEqual(values, {
            clusterName: cluster.name,
            region: "us-east-1",
            vpcId: one(run(), "awsx:ec2:Vpc").state.vpcId,
            serviceAccount: { create: true, name: "aws-load-balancer-controller" },
            replicaCount: 2,
            podDisruptionBudget: { maxUnavailable: 1 },
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "ScheduleAnyway",
                    // The chart's selector labels: its name and the release's.
                    labelSelector: {
                        matchLabels: {
                            "app.kubernetes.io/name": "aws-load-balancer-controller",
                            "app.kubernetes.io/instance": "aws-load-balancer-controller",
                        },
                    },
                },
            ],
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            enableServiceMutatorWebhook: false,
            keepTLSSecret: true,
        });
        assert.equal(cluster.name, clusterNameOf(run()));
    });

    it("gives the controller its vendored IAM policy through EKS Pod Identity, for kube-system/aws-load-balancer-controller", () => {
        const association = one(
            run(),
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
            "eks-load-balancer-controller-role-association",
        );
        assert.deepEqual(
            {
                clusterName: association.inputs.clusterName,
                namespace: association.inputs.namespace,
                serviceAccount: association.inputs.serviceAccount,
            },
            {
                clusterName: clusterNameOf(run()),
                namespace: "kube-system",
                serviceAccount: "aws-load-balancer-controller",
            },
        );
        const role = ofType(run(), "aws:iam/role:Role").find(
            (candidate) => candidate.state.arn === association.inputs.roleArn,
        );
        assert.ok(role);
        assert.deepEqual(policyDocument(role.inputs.assumeRolePolicy).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
            },
        ]);
        const policy = one(run(), "aws:iam/policy:Policy", "eks-load-balancer-controller-role-policy");
        const vendored = JSON.parse(
            fs.readFileSync(
                path.join(
                    POLICIES_DIR,
                    `aws-load-balancer-controller-${LOAD_BALANCER_CONTROLLER_CHART.policyVersion}.json`,
                ),
                "utf8",
            ),
        );
        assert.deepEqual(policyDocument(policy.inputs.policy), vendored);
        const attached = ofType(run(), "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
            (attachment) => attachment.inputs.role === role.state.name,
        );
        assert.deepEqual(
            attached.map((attachment) => attachment.inputs.policyArn),
            [policy.state.arn],
        );
    });

    it("names the region's partition in the policy's ARNs (China, GovCloud)", () => {
        const standard = loadBalancerControllerPolicy("us-east-1");
        assert.ok(standard.includes('"arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*"'));
        const china = loadBalancerControllerPolicy("cn-north-1");
        assert.equal(china, standard.replaceAll('"arn:aws:', '"arn:aws-cn:'));
        assert.doesNotMatch(china, /"arn:aws:/);
        assert.doesNotMatch(loadBalancerControllerPolicy("us-gov-west-1"), /"arn:aws(-cn)?:/);
    });

    it("vendors the IAM policy of the chart's controller version, unchanged and within IAM's size limit", () => {
        const { appVersion, policyVersion } = LOAD_BALANCER_CONTROLLER_CHART;
        assert.equal(policyVersion, appVersion);
        const file = path.join(POLICIES_DIR, `aws-load-balancer-controller-${policyVersion}.json`);
        const text = fs.readFileSync(file, "utf8");
        const readme = fs.readFileSync(path.join(POLICIES_DIR, "README.md"), "utf8");
        // The hash the README gives for the upstream file: a hand edit shows here.
        assert.ok(readme.includes(createHash("sha256").update(text).digest("hex")));
        assert.ok(readme.includes(`/${policyVersion}/docs/install/iam_policy.json`));
        // A managed policy holds at most 6,144 characters, whitespace not counted.
        assert.ok(text.replace(/\s/g, "").length <= 6144);
        const actions = (JSON.parse(text).Statement as { Action: string | string[] }[]).flatMap(
            (statement) => statement.Action,
        );
        for (const action of [
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:DeleteLoadBalancer",
            "ec2:AuthorizeSecurityGroupIngress",
        ]) {
            assert.ok(actions.includes(action), action);
        }
    });

    it("runs the frontend's pods with the controller's readiness gate, so a rollout waits for the NLB", () => {
        const labels = manifest(run(), "Namespace", "first-k8s").metadata.labels;
        assert.equal(labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
        assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("matches the deregistration delay and the health check to the frontend pods", () => {
        const service = manifest(run(), "Service", "frontend");
        const pod = manifest(run(), "Deployment", "frontend").spec.template.spec;
        const [container] = pod.containers;
        assert.equal(pod.terminationGracePeriodSeconds, FRONTEND_TERMINATION.terminationGracePeriodSeconds);
        assert.equal(container.lifecycle.preStop.sleep.seconds, FRONTEND_TERMINATION.preStopSleepSeconds);
        assert.equal(
            DEREGISTRATION_DELAY_SECONDS,
            pod.terminationGracePeriodSeconds - container.lifecycle.preStop.sleep.seconds,
        );
        assert.match(
            service.metadata.annotations[`${ANNOTATION}target-group-attributes`],
            /deregistration_delay\.timeout_seconds=25(,|$)/,
        );
        // The NLB checks what the kubelet checks: the readiness path, on the port traffic goes to (IP targets: the pod's).
        assert.equal(
            service.metadata.annotations[`${ANNOTATION}healthcheck-path`],
            container.readinessProbe.httpGet.path,
        );
        assert.equal(service.metadata.annotations[`${ANNOTATION}healthcheck-port`], "traffic-port");
        assert.deepEqual(container.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
        assert.equal(service.spec.ports[0].targetPort, "http");
    });

    it("admits the frontend's port from any address, which IP targets with preserved client addresses need", () => {
        const ingress = manifest(run(), "NetworkPolicy", "allow-frontend-ingress").spec.ingress;
        assert.deepEqual(ingress, [{ ports: [{ protocol: "TCP", port: 8080 }] }]);
    });

    it("serves plain HTTP on port 80 without a certificate", () => {
        const service = manifest(run(), "Service", "frontend");
        assert.equal(service.metadata.annotations[`${ANNOTATION}ssl-cert`], undefined);
        assert.match(String(run().outputs.frontendUrl), /^http:\/\/[a-z0-9-]+\.elb\.us-east-1\.amazonaws\.com$/);
    });
});

describe("the load balancer controller's place in the resource graph", function () {
    this.timeout(120000);

    let graph: GraphNode[];
    before(async () => {
        graph = await eksResourceGraph();
    });
    const release = `${RELEASE}::eks-load-balancer-controller-release`;
    const service = "kubernetes:core/v1:Service::first-k8s-frontend-service";

    it("installs the controller after the nodes, the Pod Identity Agent and its role's association", () => {
        const node = graph.find((candidate) => candidate.key === release);
        assert.ok(node);
        const nodeGroups = graph
            .filter((candidate) => candidate.type === "eks:index:ManagedNodeGroup")
            .map((group) => group.key);
        assert.ok(nodeGroups.length > 0);
        for (const dependency of [
            ...nodeGroups,
            "aws:eks/addon:Addon::eks-nodes-networking-pod-identity-agent",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-load-balancer-controller-role-association",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-load-balancer-controller-role-policy-attachment",
        ]) {
            assert.ok(node.dependsOn.includes(dependency), dependency);
        }
    });

    it("makes the frontend Service wait for the controller, which waits for the nodes and the VPC: destroy goes the other way", () => {
        // pulumi destroy deletes a resource before everything it waits for: the Service (whose deletion waits for
        // the controller's finalizer to delete the NLB), then the controller, the nodes, the VPC.
        assert.ok(waitsFor(graph, service, release), "Service -> controller");
        const nodeGroups = graph.filter((candidate) => candidate.type === "eks:index:ManagedNodeGroup");
        assert.ok(nodeGroups.length > 0);
        for (const key of [
            ...nodeGroups.map((group) => group.key),
            "eks:index:Cluster::eks-control-plane-cluster",
            "awsx:ec2:Vpc::eks-network-vpc",
        ]) {
            assert.ok(waitsFor(graph, release, key), `controller -> ${key}`);
            assert.ok(!waitsFor(graph, key, release), `${key} must not wait for the controller`);
        }
        assert.ok(!waitsFor(graph, release, service), "the controller must not wait for the Service");
    });
});

describe("TLS at the load balancer (tlsCertificateArn)", function () {
    this.timeout(120000);

    for (const nodes of ["managed", "auto"] as const) {
        it(`terminates TLS on 443 only, with a modern policy, and gives an https URL (nodes: ${nodes})`, async () => {
            const { run } = await runEksStack({ nodes, tlsCertificateArn: CERTIFICATE });
            const service = manifest(run, "Service", "frontend");
            assert.equal(service.metadata.annotations[`${ANNOTATION}ssl-cert`], CERTIFICATE);
            assert.equal(service.metadata.annotations[`${ANNOTATION}ssl-ports`], "443");
            assert.equal(
                service.metadata.annotations[`${ANNOTATION}ssl-negotiation-policy`],
                "ELBSecurityPolicy-TLS13-1-2-2021-06",
            );
            assert.equal(
                service.metadata.annotations[`${ANNOTATION}backend-protocol`],
                undefined,
                "plain HTTP to the pods",
            );
            // An NLB cannot redirect: port 80 is closed, not left serving the app unencrypted.
            assert.deepEqual(service.spec.ports, [{ name: "https", port: 443, targetPort: "http", protocol: "TCP" }]);
            assert.match(String(run.outputs.frontendUrl), /^https:\/\/[a-z0-9-]+\.elb\.us-east-1\.amazonaws\.com$/);
        });
    }
});
