import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../../components/config";
import { PROJECT_DIR } from "../../tools/mockRuntime";

/**
 * Bad configs for both stacks, each refused with a message that names its key. The first column is the stack
 * the values go on top of (dev: the defaults; eks: Pulumi.eks.yaml's target and minimum replicas).
 */
const PROJECT = "first-k8s";
const TODAY = new Date("2026-11-28T12:00:00Z");
const BASE = {
    dev: {},
    eks: { target: "eks", backendMinReplicas: "3", frontendMinReplicas: "3" },
    cluster: { target: "cluster", backendImage: "ghcr.io/acme/backend:1.0.0" },
} as const;

const CASES: readonly [keyof typeof BASE, string, string][] = [
    ["dev", "target", "gke"],
    ["dev", "target", "EKS"],
    ["dev", "namespace", "First_K8s"],
    ["dev", "namespace", "kube-system"],
    ["dev", "namespace", "kube-foo"],
    ["dev", "namespace", "default"],
    ["dev", "namespace", "-leading-dash"],
    ["dev", "namespace", "a".repeat(64)],
    ["dev", "kubeContext", "lab; rm -rf ~"],
    ["dev", "kubeContext", "has space"],
    ["dev", "backendImage", "Not A Ref"],
    ["dev", "backendImage", "ghcr.io/acme/backend"],
    ["dev", "backendImage", "ghcr.io/acme/backend:latest"],
    ["dev", "frontendImage", "nginx"],
    ["dev", "frontendImage", "nginx:latest"],
    ["dev", "backendMinReplicas", "0"],
    ["dev", "backendMinReplicas", "51"],
    ["dev", "backendMinReplicas", "1.5"],
    ["dev", "backendMinReplicas", "two"],
    ["dev", "backendMaxReplicas", "1"],
    ["dev", "frontendMinReplicas", "-1"],
    ["dev", "frontendMaxReplicas", "0"],
    ["dev", "cpuTargetUtilization", "9"],
    ["dev", "cpuTargetUtilization", "101"],
    ["dev", "cpuTargetUtilization", "70%"],
    ["dev", "frontendUpstreamKeepalive", "-1"],
    ["dev", "frontendUpstreamKeepalive", "65"],
    ["dev", "backendMinReplica", "40"],
    ["dev", "replicas", "3"],
    ["dev", "kubecontext", "lab"],
    ["dev", "frontendImage", "nginx@sha256:abc"],
    ["dev", "awsregion", "us-east-1"],
    ["dev", "backendCpuRequest", "5m"],
    ["dev", "backendCpuRequest", "half"],
    ["dev", "backendCpuLimit", "50m"],
    ["dev", "backendMemoryRequest", "128M"],
    ["dev", "backendMemoryLimit", "64Mi"],
    ["dev", "frontendCpuLimit", "9"],
    ["dev", "frontendMemoryRequest", "32Gi"],
    ["dev", "frontendCpuRequest", "lots"],
    ["dev", "frontendMemoryLimit", "16Mi"],
    ["cluster", "clusterZones", "7"],
    ["cluster", "clusterZones", "0"],
    ["cluster", "clusterTrafficEntry", "Ingress"],
    ["eks", "awsRegion", "us-east"],
    ["eks", "awsRegion", "US-EAST-1"],
    ["eks", "awsRegion", "mars-north-1a"],
    ["eks", "awsProfile", "my profile"],
    ["eks", "awsProfile", "p;rm"],
    ["eks", "kubernetesVersion", "1.3"],
    ["eks", "kubernetesVersion", "1.99"],
    ["eks", "kubernetesVersion", "1.20"],
    ["eks", "kubernetesVersion", "1.31"],
    ["eks", "kubernetesVersion", "v1.35"],
    ["eks", "kubernetesVersion", "1.35.2"],
    ["eks", "kubernetesVersion", "latest"],
    ["eks", "zoneCount", "1"],
    ["eks", "zoneCount", "7"],
    ["eks", "zoneCount", "three"],
    ["eks", "natGatewayStrategy", "None"],
    ["eks", "natGatewayStrategy", "onePerAz"],
    ["eks", "publicAccessCidrs", "0.0.0.0/0"],
    ["eks", "publicAccessCidrs", "[]"],
    ["eks", "publicAccessCidrs", '["10.0.0.1/8"]'],
    ["eks", "publicAccessCidrs", '["2001:db8::/32"]'],
    ["eks", "nodes", "fargate"],
    ["eks", "nodeInstanceTypes", '["t4g.medium"]'],
    ["eks", "nodeInstanceTypes", '["medium"]'],
    ["eks", "nodeInstanceTypes", "t3.medium"],
    ["eks", "nodeMinSize", "2"],
    ["eks", "nodeMinSize", "0"],
    ["eks", "nodeDesiredSize", "9"],
    ["eks", "nodeMaxSize", "101"],
    ["eks", "ecrKeepImages", "0"],
    ["eks", "ecrKeepImages", "1001"],
    ["eks", "backendMinReplicas", "2"],
    ["eks", "frontendMinReplicas", "1"],
    ["eks", "zoneCount", "2.5"],
    ["eks", "nodeCount", "3"],
    ["eks", "controlPlaneLogTypes", '["kubelet"]'],
    ["eks", "controlPlaneLogTypes", "api"],
    ["eks", "controlPlaneLogTypes", '["audit", "audit"]'],
    ["eks", "controlPlaneLogRetentionDays", "45"],
    ["eks", "controlPlaneLogRetentionDays", "0"],
    ["eks", "tlsCertificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211"],
    ["eks", "tlsCertificateArn", "arn:aws:iam::123456789012:server-certificate/first-k8s"],
    ["eks", "tlsCertificateArn", "0f1e2d3c-4b5a-4697-8877-665544332211"],
];

function problemsOf(stack: keyof typeof BASE, key: string, value: string): ConfigError {
    const values: Record<string, string> = { ...BASE[stack], [key]: value };
    const setKeys = Object.keys(values).map((name) => `${PROJECT}:${name}`);
    try {
        parseStackConfig((name) => values[name], PROJECT, setKeys, TODAY);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    return assert.fail(`${stack}: ${key} = ${JSON.stringify(value)} was accepted`);
}

describe(`${CASES.length} bad configs, each refused naming its key`, () => {
    it("has a bad value for every key Pulumi.yaml declares", () => {
        const declared = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, unknown>;
        };
        const covered = new Set(CASES.map(([, key]) => key));
        assert.deepEqual(
            Object.keys(declared.config).filter((key) => !covered.has(key)),
            [],
            "keys no bad value here is tried on",
        );
    });

    for (const [stack, key, value] of CASES) {
        it(`${stack}: ${key} = ${JSON.stringify(value).slice(0, 40)}`, () => {
            const error = problemsOf(stack, key, value);
            assert.ok(
                error.problems.some((problem) => problem.key === `${PROJECT}:${key}`),
                `problems name ${error.problems.map((problem) => problem.key).join(", ")}`,
            );
            assert.match(error.message, new RegExp(`first-k8s:${key} = `));
        });
    }
});
