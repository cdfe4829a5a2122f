import {
    createTarget,
    loadStackConfig,
    resolveBackendImage,
    resolveRegistryImage,
    stackReport,
    TwoTierApp,
} from "./components";

const config = loadStackConfig();
const cluster = createTarget(config);
const backend = resolveBackendImage(config.app.backendImage, cluster.images);
const nginx = resolveRegistryImage("frontend", config.app.frontendImage, cluster.images);

const app = new TwoTierApp(
    "first-k8s",
    {
        namespace: config.app.namespace,
        backendImage: backend.image,
        backendVersion: backend.version,
        backendImagePullPolicy: backend.pullPolicy,
        frontendImage: nginx.image,
        frontendImagePullPolicy: nginx.pullPolicy,
        backendReplicas: config.app.backendReplicas,
        frontendReplicas: config.app.frontendReplicas,
        cpuTargetUtilization: config.app.cpuTargetUtilization,
        frontendUpstreamKeepalive: config.app.frontendUpstreamKeepalive,
        backendResources: config.app.backendResources,
        frontendResources: config.app.frontendResources,
        capabilities: cluster.capabilities,
    },
    { provider: cluster.provider, dependsOn: cluster.workloadDependencies },
);

const frontend = cluster.frontendAccess({
    namespace: config.app.namespace,
    name: app.frontend.serviceName,
    service: app.frontend.service,
});

export const target = config.target;
export const namespace = app.namespace.metadata.name;
export const backendImage = backend.image;
export const frontendUrl = frontend.url;
export const frontendUrlCommand = frontend.command;
export const report = stackReport(config, cluster, app);
// What only some clusters have (a cloud cluster's name, region, kubeconfig...), each under its own name; a
// target without any adds none.
Object.assign(exports, cluster.outputs);
