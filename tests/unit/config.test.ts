import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../../components/config";
import { PROJECT_DIR } from "../../tools/mockRuntime";

const PROJECT = "first-k8s";

function parse(values: Record<string, string>) {
    return parseStackConfig((key) => values[key], PROJECT);
}

function errorOf(values: Record<string, string>): ConfigError {
    try {
        parse(values);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${JSON.stringify(values)} to be rejected`);
}

const HEADER = "Invalid stack configuration (nothing was created):\n";

describe("stack config", () => {
    it("applies every default when nothing is set", () => {
        assert.deepEqual(parse({}), {
            target: "minikube",
            app: {
                namespace: "first-k8s",
                backendImage: undefined,
                frontendImage:
                    "nginxinc/nginx-unprivileged:1.28.3-alpine@sha256:6a23acdfca2b9cfbcec61419e3f1426bcbedb91362f2f19306a8567423bb4612",
                backendReplicas: { min: 2, max: 5 },
                frontendReplicas: { min: 2, max: 4 },
                cpuTargetUtilization: 70,
                frontendUpstreamKeepalive: 16,
                backendResources: {
                    cpuRequest: "100m",
                    cpuLimit: "500m",
                    memoryRequest: "128Mi",
                    memoryLimit: "256Mi",
                },
                frontendResources: { cpuRequest: "50m", cpuLimit: "250m", memoryRequest: "32Mi", memoryLimit: "64Mi" },
            },
            minikube: { kubeContext: "minikube" },
        });
    });

    it("reads every key as its type", () => {
        const config = parse({
            namespace: "shop",
            kubeContext: "lab-2",
            backendImage: "ghcr.io/acme/backend@sha256:" + "a".repeat(64),
            frontendImage: "registry.example.com:5000/web/nginx:1.27.4",
            backendMinReplicas: "3",
            backendMaxReplicas: "9",
            frontendMinReplicas: "1",
            frontendMaxReplicas: "1",
            cpuTargetUtilization: "55",
            frontendUpstreamKeepalive: "0",
            backendCpuRequest: "0.25",
            backendCpuLimit: "1",
            backendMemoryRequest: "192Mi",
            backendMemoryLimit: "1Gi",
            frontendCpuRequest: "20m",
            frontendCpuLimit: "20m",
            frontendMemoryRequest: "16Mi",
            frontendMemoryLimit: "48Mi",
        });
        assert.equal(config.target, "minikube");
        assert.deepEqual(config.app, {
            namespace: "shop",
            backendImage: "ghcr.io/acme/backend@sha256:" + "a".repeat(64),
            frontendImage: "registry.example.com:5000/web/nginx:1.27.4",
            backendReplicas: { min: 3, max: 9 },
            frontendReplicas: { min: 1, max: 1 },
            cpuTargetUtilization: 55,
            frontendUpstreamKeepalive: 0,
            backendResources: { cpuRequest: "0.25", cpuLimit: "1", memoryRequest: "192Mi", memoryLimit: "1Gi" },
            frontendResources: { cpuRequest: "20m", cpuLimit: "20m", memoryRequest: "16Mi", memoryLimit: "48Mi" },
        });
        assert.equal(config.target === "minikube" && config.minikube.kubeContext, "lab-2");
    });

    it("reads the cluster target: any context name kind, k3d or EKS writes, its zones and traffic entry", () => {
        const context = "arn:aws:eks:eu-west-1:123456789012:cluster/lab";
        const config = parse({
            target: "cluster",
            kubeContext: context,
            backendImage: "ghcr.io/acme/backend:1.0.0",
            clusterZones: "3",
            clusterTrafficEntry: "NodePort",
        });
        assert.equal(config.target, "cluster");
        assert.deepEqual(config.target === "cluster" && config.cluster, {
            kubeContext: context,
            zones: 3,
            trafficEntry: "NodePort",
        });
        assert.equal(config.app.backendImage, "ghcr.io/acme/backend:1.0.0");
        const defaults = parse({ target: "cluster", backendImage: "ghcr.io/acme/backend:1.0.0" });
        assert.deepEqual(defaults.target === "cluster" && defaults.cluster, {
            kubeContext: "minikube",
            zones: 1,
            trafficEntry: "LoadBalancer",
        });
    });

    it("treats an empty backendImage (the Pulumi.yaml default) as 'build it'", () => {
        assert.equal(parse({ backendImage: "" }).app.backendImage, undefined);
    });

    const cases: [string, Record<string, string>, string][] = [
        ["an unknown target", { target: "gke" }, 'first-k8s:target = "gke": expected one of minikube, eks, cluster'],
        [
            "a cluster target without backendImage",
            { target: "cluster" },
            'first-k8s:backendImage = "": expected a pinned image reference: the cluster target builds no image',
        ],
        [
            "a cluster target over more zones than it can have",
            { target: "cluster", backendImage: "ghcr.io/acme/backend:1.0.0", clusterZones: "7" },
            'first-k8s:clusterZones = "7": expected an integer from 1 to 6',
        ],
        [
            "a traffic entry the cluster target does not know",
            { target: "cluster", backendImage: "ghcr.io/acme/backend:1.0.0", clusterTrafficEntry: "Ingress" },
            'first-k8s:clusterTrafficEntry = "Ingress": expected one of LoadBalancer, NodePort',
        ],
        [
            "a cluster target's kube context with a space",
            { target: "cluster", backendImage: "ghcr.io/acme/backend:1.0.0", kubeContext: "kind kind" },
            'first-k8s:kubeContext = "kind kind": expected a kubeconfig context name: letters, digits and . _ : / @ -',
        ],
        [
            "replicas below 1",
            { backendMinReplicas: "0" },
            'first-k8s:backendMinReplicas = "0": expected an integer from 1 to 50',
        ],
        [
            "a fractional replica count",
            { frontendMinReplicas: "1.5" },
            'first-k8s:frontendMinReplicas = "1.5": expected an integer from 1 to 50',
        ],
        [
            "a non-numeric replica count",
            { frontendMaxReplicas: "many" },
            'first-k8s:frontendMaxReplicas = "many": expected an integer from 1 to 50',
        ],
        [
            "max below min",
            { backendMinReplicas: "4", backendMaxReplicas: "3" },
            'first-k8s:backendMaxReplicas = "3": expected an integer >= backendMinReplicas (4)',
        ],
        [
            "frontend max below the default min",
            { frontendMaxReplicas: "1" },
            'first-k8s:frontendMaxReplicas = "1": expected an integer >= frontendMinReplicas (2)',
        ],
        [
            "a CPU target above 100",
            { cpuTargetUtilization: "150" },
            'first-k8s:cpuTargetUtilization = "150": expected an integer from 10 to 100',
        ],
        [
            "a negative NGINX keepalive pool",
            { frontendUpstreamKeepalive: "-1" },
            'first-k8s:frontendUpstreamKeepalive = "-1": expected an integer from 0 to 64',
        ],
        [
            "a malformed image reference",
            { backendImage: "Acme/Backend:1.0" },
            'first-k8s:backendImage = "Acme/Backend:1.0": expected a valid image reference such as registry.example.com/team/app:1.2.3 or name@sha256:<64 hex>',
        ],
        [
            "an untagged image",
            { frontendImage: "nginx" },
            'first-k8s:frontendImage = "nginx": expected a pinned image: add a version tag or a @sha256 digest',
        ],
        [
            "an image tagged latest",
            { backendImage: "acme/backend:latest" },
            'first-k8s:backendImage = "acme/backend:latest": expected a pinned image: the tag latest moves, use a version tag or a @sha256 digest',
        ],
        [
            "a namespace that is not a DNS label",
            { namespace: "First_K8s" },
            "first-k8s:namespace = \"First_K8s\": expected a DNS label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
        ],
        [
            "a system namespace",
            { namespace: "kube-system" },
            'first-k8s:namespace = "kube-system": expected a namespace of the app\'s own: not default, and not kube-*, which Kubernetes keeps',
        ],
        [
            "a namespace Kubernetes keeps",
            { namespace: "kube-foo" },
            'first-k8s:namespace = "kube-foo": expected a namespace of the app\'s own: not default, and not kube-*, which Kubernetes keeps',
        ],
        [
            "the default namespace",
            { namespace: "default" },
            'first-k8s:namespace = "default": expected a namespace of the app\'s own: not default, and not kube-*, which Kubernetes keeps',
        ],
        [
            "a CPU limit below its request",
            { backendCpuRequest: "1", backendCpuLimit: "500m" },
            'first-k8s:backendCpuLimit = "500m": expected a CPU quantity >= backendCpuRequest (1)',
        ],
        [
            "a memory quantity in decimal megabytes",
            { frontendMemoryLimit: "64M" },
            'first-k8s:frontendMemoryLimit = "64M": expected a memory quantity from 16Mi to 16Gi, such as 128Mi or 1Gi',
        ],
        [
            "a kube context that is not a minikube profile",
            { kubeContext: "lab; rm -rf ~" },
            "first-k8s:kubeContext = \"lab; rm -rf ~\": expected a minikube profile name: letters, digits, '.', '_' and '-', at most 63",
        ],
    ];
    for (const [what, values, problem] of cases) {
        it(`rejects ${what}, naming the key, the value and the expectation`, () => {
            assert.equal(errorOf(values).message, `${HEADER}  - ${problem}`);
        });
    }

    it("lists every problem at once, in key order of reading", () => {
        const error = errorOf({ target: "k3s", backendMinReplicas: "x", frontendImage: "nginx:latest" });
        assert.deepEqual(
            error.problems.map((problem) => problem.key),
            ["first-k8s:target", "first-k8s:frontendImage", "first-k8s:backendMinReplicas"],
        );
        assert.equal(error.message.split("\n").length, 4);
    });

    it("is a RunError, so the CLI prints the message without a stack trace", () => {
        const error = errorOf({ target: "nope" });
        assert.equal(error.name, "ConfigError");
        assert.equal(pulumi.RunError.isInstance(error), true);
    });

    describe("keys the program does not read", () => {
        const parseWithKeys = (values: Record<string, string>) =>
            parseStackConfig(
                (key) => values[key],
                PROJECT,
                Object.keys(values).map((key) => `${PROJECT}:${key}`),
            );
        const problemOf = (values: Record<string, string>) => {
            try {
                parseWithKeys(values);
            } catch (error) {
                assert.ok(error instanceof ConfigError);
                return error.message;
            }
            assert.fail(`expected ${JSON.stringify(values)} to be rejected`);
        };

        it("refuses a misspelt key and names the key it most likely meant", () => {
            assert.equal(
                problemOf({ backendMinReplica: "40" }),
                `${HEADER}  - first-k8s:backendMinReplica = "40": expected no such key in first-k8s (did you mean ` +
                    "backendMinReplicas?); the keys are listed in Pulumi.yaml",
            );
        });

        it("suggests across case and a swapped letter", () => {
            assert.match(problemOf({ kubecontext: "lab" }), /did you mean kubeContext\?/);
            assert.match(problemOf({ cpuTargetUtilisation: "60" }), /did you mean cpuTargetUtilization\?/);
        });

        it("suggests nothing when no key is near", () => {
            assert.equal(
                problemOf({ replicas: "3" }),
                `${HEADER}  - first-k8s:replicas = "3": expected no such key in first-k8s; the keys are listed in Pulumi.yaml`,
            );
        });

        it("leaves other namespaces (aws:, kubernetes:, pulumi:) to their owners", () => {
            const config = parseStackConfig((key) => ({ namespace: "shop" })[key], PROJECT, [
                "first-k8s:namespace",
                "aws:region",
                "kubernetes:context",
                "pulumi:template",
            ]);
            assert.equal(config.app.namespace, "shop");
        });

        it("accepts every key Pulumi.yaml declares", () => {
            const project = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
                config: Record<string, unknown>;
            };
            const keys = Object.keys(project.config).map((key) => `${PROJECT}:${key}`);
            assert.equal(parseStackConfig(() => undefined, PROJECT, keys).target, "minikube");
        });
    });
});
