/**
 * The cluster add-ons a minikube node runs as pods, here on the real node: CoreDNS (the cluster DNS, forwarding
 * nowhere: no name outside the cluster resolves) and metrics-server (what the HPA and `kubectl top` read). Both
 * run as non-root with read-only root filesystems, from images imported by `up` (pull policy Never).
 */
import { NODE_NETWORK } from "./nodeNetwork";
import { COREDNS_IMAGE, METRICS_SERVER_IMAGE } from "./standInImages";

type Manifest = Record<string, unknown>;

const NAMESPACE = "kube-system";
/**
 * 53 in the pod, as minikube's and EKS's CoreDNS: the app's NetworkPolicies allow DNS to the kube-dns pods'
 * port 53 (a policy matches pod ports, not the Service's), so another pod port would have them block DNS.
 * The non-root process may bind it through the pod's (namespaced, "safe") ip_unprivileged_port_start.
 */
const COREDNS_PORT = 53;

const COREFILE = `.:${COREDNS_PORT} {
    errors
    health :8080
    ready :8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    cache 30
    loop
    loadbalance
}
`;

function restrictedContainer(): Manifest {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

function serviceAccountWithClusterRole(name: string, rules: Manifest[]): Manifest[] {
    return [
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: NAMESPACE } },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: `system:${name}` },
            rules,
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: `system:${name}` },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `system:${name}` },
            subjects: [{ kind: "ServiceAccount", name, namespace: NAMESPACE }],
        },
    ];
}

function corednsManifests(): Manifest[] {
    const labels = { "k8s-app": "kube-dns" };
    return [
        ...serviceAccountWithClusterRole("coredns", [
            { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
            { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
        ]),
        {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "coredns", namespace: NAMESPACE },
            data: { Corefile: COREFILE },
        },
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "coredns", namespace: NAMESPACE, labels },
            spec: {
                replicas: 1,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels },
                    spec: {
                        serviceAccountName: "coredns",
                        priorityClassName: "system-cluster-critical",
                        dnsPolicy: "Default",
                        securityContext: {
                            sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: String(COREDNS_PORT) }],
                        },
                        containers: [
                            {
                                name: "coredns",
                                image: COREDNS_IMAGE,
                                imagePullPolicy: "Never",
                                args: ["-conf", "/etc/coredns/Corefile"],
                                ports: [
                                    { name: "dns", containerPort: COREDNS_PORT, protocol: "UDP" },
                                    { name: "dns-tcp", containerPort: COREDNS_PORT, protocol: "TCP" },
                                ],
                                resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "128Mi" } },
                                readinessProbe: { httpGet: { path: "/ready", port: 8181 }, periodSeconds: 2 },
                                livenessProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10 },
                                securityContext: restrictedContainer(),
                                volumeMounts: [{ name: "config", mountPath: "/etc/coredns", readOnly: true }],
                            },
                        ],
                        volumes: [{ name: "config", configMap: { name: "coredns" } }],
                    },
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: {
                name: "kube-dns",
                namespace: NAMESPACE,
                labels: { ...labels, "kubernetes.io/name": "CoreDNS" },
            },
            spec: {
                selector: labels,
                clusterIP: NODE_NETWORK.clusterDnsIp,
                ports: [
                    { name: "dns", port: 53, targetPort: COREDNS_PORT, protocol: "UDP" },
                    { name: "dns-tcp", port: 53, targetPort: COREDNS_PORT, protocol: "TCP" },
                ],
            },
        },
    ];
}

function metricsServerManifests(): Manifest[] {
    const labels = { "k8s-app": "metrics-server" };
    const name = "metrics-server";
    return [
        ...serviceAccountWithClusterRole(name, [
            { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
            { apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] },
        ]),
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: {
                name: "system:aggregated-metrics-reader",
                labels: {
                    "rbac.authorization.k8s.io/aggregate-to-view": "true",
                    "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                    "rbac.authorization.k8s.io/aggregate-to-admin": "true",
                },
            },
            rules: [{ apiGroups: ["metrics.k8s.io"], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: "metrics-server:system:auth-delegator" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
            subjects: [{ kind: "ServiceAccount", name, namespace: NAMESPACE }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: "metrics-server-auth-reader", namespace: NAMESPACE },
            roleRef: {
                apiGroup: "rbac.authorization.k8s.io",
                kind: "Role",
                name: "extension-apiserver-authentication-reader",
            },
            subjects: [{ kind: "ServiceAccount", name, namespace: NAMESPACE }],
        },
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name, namespace: NAMESPACE, labels },
            spec: {
                replicas: 1,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels },
                    spec: {
                        serviceAccountName: name,
                        priorityClassName: "system-cluster-critical",
                        containers: [
                            {
                                name,
                                image: METRICS_SERVER_IMAGE,
                                imagePullPolicy: "Never",
                                args: [
                                    "--cert-dir=/tmp",
                                    "--secure-port=10250",
                                    "--kubelet-preferred-address-types=InternalIP",
                                    "--kubelet-use-node-status-port",
                                    "--metric-resolution=15s",
                                    // The kubelet's serving certificate is self-signed (no CSR approver runs here),
                                    // as on minikube, whose metrics-server add-on passes the same flag.
                                    "--kubelet-insecure-tls",
                                ],
                                ports: [{ name: "https", containerPort: 10250, protocol: "TCP" }],
                                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                                readinessProbe: {
                                    httpGet: { path: "/readyz", port: "https", scheme: "HTTPS" },
                                    periodSeconds: 5,
                                },
                                livenessProbe: {
                                    httpGet: { path: "/livez", port: "https", scheme: "HTTPS" },
                                    periodSeconds: 10,
                                },
                                securityContext: restrictedContainer(),
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            },
                        ],
                        volumes: [{ name: "tmp", emptyDir: {} }],
                    },
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name, namespace: NAMESPACE, labels },
            spec: { selector: labels, ports: [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }] },
        },
        {
            apiVersion: "apiregistration.k8s.io/v1",
            kind: "APIService",
            metadata: { name: "v1beta1.metrics.k8s.io", labels },
            spec: {
                service: { name, namespace: NAMESPACE },
                group: "metrics.k8s.io",
                version: "v1beta1",
                // Its certificate is self-signed at start, as metrics-server's own manifest runs it.
                insecureSkipTLSVerify: true,
                groupPriorityMinimum: 100,
                versionPriority: 100,
            },
        },
    ];
}

/** Every add-on object, as one List for `kubectl apply`. */
export function nodeAddons(): Manifest {
    return { apiVersion: "v1", kind: "List", items: [...corednsManifests(), ...metricsServerManifests()] };
}
