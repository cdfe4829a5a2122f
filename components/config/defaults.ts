/**
 * Pulumi.yaml's config defaults, as typed literals for the program (the mock runtime and the tests read them
 * too). Pulumi.yaml is their source: a default changes there first, then here and in the README's table;
 * tests/unit/configSources.test.ts fails, naming the key, while the three disagree on a key, a type or a default.
 */
export const CONFIG_DEFAULTS = {
    target: "minikube",
    namespace: "first-k8s",
    kubeContext: "minikube",
    // nginx-unprivileged listens on 8080 and runs as uid 101, so it fits Pod Security "restricted". 1.28.3 is the
    // 1.28 line's newest patch (2026-03-24). Pinned by the digest of its multi-platform index, which is the same on
    // Docker Hub and ECR Public (one build pushes both): the one public pins of the tag carried in 2026-09, not
    // checked against a registry here (the project's machines reach none; docs/eks.md). `docker buildx imagetools
    // inspect nginxinc/nginx-unprivileged:1.28.3-alpine` shows the tag's current one.
    frontendImage:
        "nginxinc/nginx-unprivileged:1.28.3-alpine@sha256:6a23acdfca2b9cfbcec61419e3f1426bcbedb91362f2f19306a8567423bb4612",
    backendMinReplicas: 2,
    backendMaxReplicas: 5,
    frontendMinReplicas: 2,
    frontendMaxReplicas: 4,
    cpuTargetUtilization: 70,
    // docs/benchmark.md: the pool makes the proxied path about 40% faster at saturation. The dev stack sets 0,
    // so that each of the page's requests is a new connection kube-proxy may send to another pod.
    frontendUpstreamKeepalive: 16,
    // Vertical scaling: what each pod asks for (the scheduler reserves it; the HPA's CPU target is a share of it)
    // and the most it may use (CPU above the limit is throttled; memory above it gets the container killed).
    backendCpuRequest: "100m",
    backendCpuLimit: "500m",
    backendMemoryRequest: "128Mi",
    backendMemoryLimit: "256Mi",
    frontendCpuRequest: "50m",
    frontendCpuLimit: "250m",
    frontendMemoryRequest: "32Mi",
    frontendMemoryLimit: "64Mi",
    // cluster target. A load balancer is what Docker Desktop, k3d and cloud clusters offer; kind needs NodePort.
    clusterZones: 1,
    clusterTrafficEntry: "LoadBalancer",
    // EKS target. The prices in docs/eks.md are for us-east-1.
    awsRegion: "us-east-1",
    // The newest version in EKS standard support that the stack pins everything for (eksVersions.ts,
    // newestStandardVersion; a unit test holds them equal). A version in extended support costs six times as much.
    kubernetesVersion: "1.36",
    zoneCount: 3,
    natGatewayStrategy: "OnePerAz",
    // Open to the internet (authenticated by IAM); docs/eks.md says how to narrow it.
    publicAccessCidrs: ["0.0.0.0/0"],
    nodes: "managed",
    nodeInstanceTypes: ["t3.medium"],
    nodeMinSize: 3,
    nodeDesiredSize: 3,
    nodeMaxSize: 6,
    ecrKeepImages: 10,
    // API calls, the audit trail and IAM authentication; controllerManager and scheduler are there to add.
    controlPlaneLogTypes: ["api", "audit", "authenticator"],
    // A month to look back at an incident; CloudWatch bills storage by the GB-month.
    controlPlaneLogRetentionDays: 30,
} as const;

/** Keys without a default value: Pulumi.yaml declares them with an empty default, which means "not set". */
export const OPTIONAL_CONFIG_KEYS = ["backendImage", "awsProfile", "tlsCertificateArn"] as const;

export type ConfigKey = keyof typeof CONFIG_DEFAULTS | (typeof OPTIONAL_CONFIG_KEYS)[number];
