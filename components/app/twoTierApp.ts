import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppSettings } from "../config";
import { APP_NAME } from "../labels";
import { childName } from "../naming";
import { ImagePullPolicy } from "../images";
import { TargetCapabilities } from "../capabilities";
import { FrontendContent, frontendContent, NGINX_CONF_KEY } from "./frontendContent";
import { AppNetworkPolicies } from "./networkPolicies";
import { AppTier, PROBE_TIMING, SpreadPolicy } from "./tier";

/**
 * The app's settings as the stack config reads them (components/config holds their defaults and checks; the app
 * takes them as given), plus what the target decides: the images (built or copied where it does) and what the
 * cluster offers.
 */
export interface TwoTierAppArgs extends Pick<
    AppSettings,
    | "namespace"
    | "backendReplicas"
    | "frontendReplicas"
    | "cpuTargetUtilization"
    | "frontendUpstreamKeepalive"
    | "backendResources"
    | "frontendResources"
> {
    /** Backend image reference, pinned (a target build or the backendImage config). */
    readonly backendImage: pulumi.Input<string>;
    /** When nodes pull the backend image. Default: Always. */
    readonly backendImagePullPolicy?: ImagePullPolicy;
    /** The NGINX image reference: the frontendImage config, or the target's copy of it. */
    readonly frontendImage: pulumi.Input<string>;
    /** When nodes pull the frontend image. Default: Always. */
    readonly frontendImagePullPolicy?: ImagePullPolicy;
    /** app.kubernetes.io/version of the backend. Default: none. */
    readonly backendVersion?: string;
    /** What the cluster offers: traffic entry and zones. */
    readonly capabilities: TargetCapabilities;
}

const BACKEND = { name: "backend", component: "api", port: 8000, uid: 10001 } as const;

/** Up to this long for an EndpointSlice change to reach kube-proxy's rules (its minSyncPeriod is 1 s). */
const ENDPOINT_PROPAGATION_SECONDS = 2;

/**
 * The gunicorn process settings the backend pods run with (environment variables of gunicorn.conf.py). The
 * benchmark runs the backend with the same ones, so its figures are those of the deployed configuration.
 */
export const BACKEND_PROCESS_ENV = {
    WEB_CONCURRENCY: 2,
    GUNICORN_THREADS: 4,
    SHUTDOWN_DRAIN_SECONDS: backendDrainSeconds(),
} as const;

/**
 * After a SIGTERM the kubelet did not send (the concepts table's `kill 1`), nothing takes the pod out of the
 * endpoints but its readiness probe, which the draining app fails: two failures 5 s apart, then the
 * EndpointSlice change reaching kube-proxy. The app keeps serving until then, so a crash loses no
 * request. (A pod the kubelet stops leaves the endpoints at once; its drain only delays the exit.)
 */
function backendDrainSeconds(): number {
    const { periodSeconds, failureThreshold } = PROBE_TIMING.readiness;
    return periodSeconds * failureThreshold + ENDPOINT_PROPAGATION_SECONDS;
}

// Not the image's uid 101: a uid above 10000 cannot collide with a user of the node (kube-score
// container-security-context-user-group-id). NGINX writes only to the /tmp emptyDir, which fsGroup owns.
const FRONTEND = { name: "frontend", component: "web", port: 8080, uid: 10101 } as const;
const NGINX_CONF_DIR = "/etc/nginx/first-k8s";
const PAGE_ROOT = "/usr/share/nginx/html";

function downwardApiEnv(fields: Readonly<Record<string, string>>): k8s.types.input.core.v1.EnvVar[] {
    return Object.entries(fields).map(([name, fieldPath]) => ({
        name,
        valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } },
    }));
}

/** The Kubernetes DNS name of a Service, which resolves to its stable ClusterIP. */
function serviceAddress(namespace: string, service: string, port: number): string {
    return `${service}.${namespace}.svc.cluster.local:${port}`;
}

/**
 * The guide's two-tier app: an NGINX frontend that serves a page and proxies /api to a Flask backend,
 * in a namespace of its own with Pod Security "restricted" and default-deny network policies.
 */
export class TwoTierApp extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly backend: AppTier;
    readonly frontend: AppTier;
    readonly frontendContent: k8s.core.v1.ConfigMap;
    readonly networkPolicies: AppNetworkPolicies;
    /** sha256 of the frontend's ConfigMap data, also its pods' checksum/config annotation. */
    readonly frontendChecksum: string;

    constructor(name: string, args: TwoTierAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:app:TwoTierApp", name, {}, opts);

        const { frontendImage, backendReplicas, frontendReplicas, cpuTargetUtilization } = args;
        // A zone spread that cannot be satisfied (one zone, or nodes without zone labels) must not block scheduling.
        const zoneSpread: SpreadPolicy = args.capabilities.zones > 1 ? "DoNotSchedule" : "ScheduleAnyway";
        // Where the target asks for it, a required spread counts on zones that have no node yet (tier.ts).
        const zoneMinDomains = zoneSpread === "DoNotSchedule" ? args.capabilities.spreadMinDomains : undefined;
        const childOpts = { parent: this };
        const commonLabels = { "app.kubernetes.io/part-of": APP_NAME, "app.kubernetes.io/managed-by": "pulumi" };

        this.namespace = new k8s.core.v1.Namespace(
            childName(name, "namespace"),
            {
                metadata: {
                    name: args.namespace,
                    labels: {
                        ...args.capabilities.namespaceLabels,
                        ...commonLabels,
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/audit": "restricted",
                    },
                },
            },
            childOpts,
        );
        const namespace = this.namespace.metadata.name;

        this.backend = new AppTier(
            childName(name, BACKEND.name),
            {
                namespace,
                tierName: BACKEND.name,
                instance: args.namespace,
                component: BACKEND.component,
                version: args.backendVersion,
                image: args.backendImage,
                imagePullPolicy: args.backendImagePullPolicy,
                containerPort: BACKEND.port,
                replicas: backendReplicas,
                cpuTargetUtilization,
                zoneSpread,
                zoneMinDomains,
                runAsUser: BACKEND.uid,
                resources: {
                    requests: {
                        cpu: args.backendResources.cpuRequest,
                        memory: args.backendResources.memoryRequest,
                        "ephemeral-storage": "32Mi",
                    },
                    limits: {
                        cpu: args.backendResources.cpuLimit,
                        memory: args.backendResources.memoryLimit,
                        "ephemeral-storage": "128Mi",
                    },
                },
                probes: { readiness: "/api/readyz", liveness: "/api/healthz", startup: "/api/healthz" },
                env: [
                    { name: "PORT", value: String(BACKEND.port) },
                    { name: "APP_VERSION", value: args.backendVersion ?? "unknown" },
                    ...Object.entries(BACKEND_PROCESS_ENV).map(([name, value]) => ({ name, value: String(value) })),
                    // The downward API: the pod tells the page which pod and node answered. apiVersion is the
                    // server's default, written out: fieldRef is atomic for server-side apply, so an object
                    // applied with kubectl first (defaulted to v1) would otherwise conflict with Pulumi's apply.
                    ...downwardApiEnv({
                        POD_NAME: "metadata.name",
                        NODE_NAME: "spec.nodeName",
                        POD_IP: "status.podIP",
                    }),
                ],
                // preStop (5 s) + graceful_timeout (25 s, which the 12 s drain is part of) fit before SIGKILL.
                terminationGracePeriodSeconds: 40,
            },
            childOpts,
        );

        const content: FrontendContent = frontendContent(
            serviceAddress(args.namespace, this.backend.serviceName, this.backend.servicePort),
            undefined,
            { upstreamKeepalive: args.frontendUpstreamKeepalive },
        );
        this.frontendChecksum = content.checksum;
        this.frontendContent = new k8s.core.v1.ConfigMap(
            childName(name, "frontend-content"),
            {
                metadata: {
                    name: "frontend-content",
                    namespace,
                    labels: { ...commonLabels, "app.kubernetes.io/name": FRONTEND.name },
                },
                data: content.data,
            },
            childOpts,
        );

        this.frontend = new AppTier(
            childName(name, FRONTEND.name),
            {
                namespace,
                tierName: FRONTEND.name,
                instance: args.namespace,
                component: FRONTEND.component,
                image: frontendImage,
                imagePullPolicy: args.frontendImagePullPolicy,
                containerPort: FRONTEND.port,
                trafficEntry: args.capabilities.trafficEntry,
                replicas: frontendReplicas,
                cpuTargetUtilization,
                zoneSpread,
                zoneMinDomains,
                runAsUser: FRONTEND.uid,
                resources: {
                    requests: {
                        cpu: args.frontendResources.cpuRequest,
                        memory: args.frontendResources.memoryRequest,
                        "ephemeral-storage": "16Mi",
                    },
                    limits: {
                        cpu: args.frontendResources.cpuLimit,
                        memory: args.frontendResources.memoryLimit,
                        "ephemeral-storage": "64Mi",
                    },
                },
                // NGINX answers both itself, so a backend outage never takes the frontends out or restarts them.
                probes: { readiness: "/readyz", liveness: "/healthz", startup: "/healthz" },
                // The image's STOPSIGNAL is SIGQUIT: NGINX finishes open requests before it exits.
                command: ["nginx"],
                args: ["-c", `${NGINX_CONF_DIR}/${NGINX_CONF_KEY}`, "-g", "daemon off;"],
                volumes: [
                    {
                        name: "nginx-conf",
                        configMap: {
                            name: this.frontendContent.metadata.name,
                            items: [{ key: NGINX_CONF_KEY, path: NGINX_CONF_KEY }],
                        },
                    },
                    {
                        name: "page",
                        configMap: {
                            name: this.frontendContent.metadata.name,
                            items: content.pageFiles.map((file) => ({ key: file, path: file })),
                        },
                    },
                ],
                volumeMounts: [
                    { name: "nginx-conf", mountPath: NGINX_CONF_DIR, readOnly: true },
                    { name: "page", mountPath: PAGE_ROOT, readOnly: true },
                ],
                podAnnotations: { "first-k8s/config-checksum": content.checksum },
            },
            // NGINX resolves the backend's name when it starts, so the Service must exist first.
            { parent: this, dependsOn: [this.backend.service] },
        );

        this.networkPolicies = new AppNetworkPolicies(
            childName(name, "network-policies"),
            {
                namespace,
                labels: commonLabels,
                frontend: { selector: this.frontend.selector, port: FRONTEND.port },
                backend: { selector: this.backend.selector, port: BACKEND.port },
                dnsServiceAddress: args.capabilities.dnsServiceAddress,
            },
            childOpts,
        );

        this.registerOutputs({
            namespace,
            frontendService: this.frontend.service.metadata.name,
            backendService: this.backend.service.metadata.name,
            frontendChecksum: this.frontendChecksum,
        });
    }
}
