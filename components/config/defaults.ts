/**
 * The one place where config defaults live. Pulumi.yaml declares the same defaults for the CLI;
 * tests/unit/config.test.ts fails if the two ever disagree.
 */
export const CONFIG_DEFAULTS = {
    target: "minikube",
    namespace: "first-k8s",
    kubeContext: "minikube",
    // nginx-unprivileged listens on 8080 and runs as uid 101, so it fits Pod Security "restricted".
    frontendImage: "nginxinc/nginx-unprivileged:1.28.0-alpine",
    backendMinReplicas: 2,
    backendMaxReplicas: 5,
    frontendMinReplicas: 2,
    frontendMaxReplicas: 4,
    cpuTargetUtilization: 70,
} as const;

export type ConfigKey =
    | keyof typeof CONFIG_DEFAULTS
    | "backendImage";
