import type { TrafficEntry } from "../../capabilities";
import { stackTags } from "./awsProvider";

type LoadBalancerEntry = Extract<TrafficEntry, { readonly kind: "LoadBalancer" }>;

/** Every Service annotation of the AWS load balancers starts so. */
const PREFIX = "service.beta.kubernetes.io/aws-load-balancer-";

/** The AWS Load Balancer Controller claims Services of this class, and no others. */
export const LOAD_BALANCER_CONTROLLER_CLASS = "service.k8s.aws/nlb";
/** EKS Auto Mode's load balancing capability claims Services of this class and creates NLBs for them. */
export const AUTO_MODE_LOAD_BALANCER_CLASS = "eks.amazonaws.com/nlb";

/** Both controllers' NLBs take the app's traffic from the internet (Auto Mode's default would be internal). */
export const NLB_SCHEME = "internet-facing";

/**
 * How the frontend's pods stop (AppTier's defaults, which the frontend keeps): the preStop sleep, then SIGQUIT, on
 * which NGINX finishes the requests it has and exits, and SIGKILL at the end of the grace period. The test of the
 * eks stack reads both from the frontend Deployment, so this copy cannot drift.
 */
export const FRONTEND_TERMINATION = { preStopSleepSeconds: 5, terminationGracePeriodSeconds: 30 } as const;

/**
 * How long the NLB keeps a removed pod's open connections before it closes them. When a frontend pod is deleted
 * (t = 0) it leaves the EndpointSlice, the controller deregisters its IP, and the NLB sends it no new connections
 * while the connections it has go on; the pod still serves them through its preStop sleep (to t = 5 s) and NGINX's
 * graceful stop after SIGQUIT, until SIGKILL at t = 30 s. So the delay is 30 − 5 = 25 s: it covers NGINX's drain
 * (a request's longest path, the 8 s retry budget, ends long before), the NLB lets go of the target before the
 * pod is killed, and then resets what is left (connection_termination) rather than leave a client waiting on a
 * dead address. The default, 300 s, would keep the IP draining for five minutes after its pod is gone, and the VPC
 * CNI may give that IP to a new pod meanwhile, which the target group cannot register until the drain ends.
 */
export const DEREGISTRATION_DELAY_SECONDS =
    FRONTEND_TERMINATION.terminationGracePeriodSeconds - FRONTEND_TERMINATION.preStopSleepSeconds;

/**
 * The NLB's own health check of each pod, over HTTP on the pod's port (traffic-port: with IP targets, the
 * container's 8080) at the frontend's readiness path, which NGINX answers itself. Two failures 10 s apart (5 s
 * timeout) take a pod out within 25 s, also when its node dies and no kubelet reports it; two passes put a new pod
 * in. NLB bounds: interval 5-300 s, timeout 2-120 s, thresholds 2-10.
 */
export const NLB_HEALTH_CHECK = {
    protocol: "http",
    port: "traffic-port",
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
} as const;

/** TLS 1.3 and 1.2 with forward-secret ciphers only: AWS's recommended policy for TLS listeners. */
export const TLS_NEGOTIATION_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The label that makes the controller add a readiness gate to the pods of a namespace (loadBalancerController.ts). */
export const READINESS_GATE_NAMESPACE_LABEL = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } as const;

/** A stringMap annotation value: k1=v1,k2=v2. */
function stringMap(entries: Readonly<Record<string, string | number | boolean>>): string {
    return Object.entries(entries)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
}

/**
 * The frontend Service as the AWS Load Balancer Controller reads it (nodes: managed): an internet-facing NLB whose
 * targets are the pods' own VPC addresses (IP targets: no NodePort hop through kube-proxy, and the NLB health-checks
 * each pod, not each node).
 *
 * - Client IP preserved: NGINX's per-client limits (limit_conn, limit_req in nginxConf.ts) key on the client's
 *   address; behind a NAT every client of a node would share one key. The app's allow-frontend-ingress policy
 *   admits port 8080 from any address, which a preserved client address needs.
 * - Cross-zone load balancing on: each zone's NLB node spreads over the pods of every zone, so a zone that has
 *   fewer frontend pods after a scale-down or a lost node is not sent a third of the traffic anyway. Its price:
 *   traffic that crosses zones inside the VPC is billed, $0.01/GB each way (NLB cross-zone traffic is not free,
 *   unlike an ALB's); for this app's small pages that is cents.
 * - The stack's tags on the NLB, its target group and its security groups (the provider's defaultTags cannot reach
 *   what the controller creates), so they group with the rest of the bill.
 */
export function controllerTrafficEntry(): LoadBalancerEntry {
    return {
        kind: "LoadBalancer",
        loadBalancerClass: LOAD_BALANCER_CONTROLLER_CLASS,
        annotations: {
            [`${PREFIX}scheme`]: NLB_SCHEME,
            [`${PREFIX}nlb-target-type`]: "ip",
            [`${PREFIX}healthcheck-protocol`]: NLB_HEALTH_CHECK.protocol,
            [`${PREFIX}healthcheck-port`]: NLB_HEALTH_CHECK.port,
            [`${PREFIX}healthcheck-interval`]: String(NLB_HEALTH_CHECK.intervalSeconds),
            [`${PREFIX}healthcheck-timeout`]: String(NLB_HEALTH_CHECK.timeoutSeconds),
            [`${PREFIX}healthcheck-healthy-threshold`]: String(NLB_HEALTH_CHECK.healthyThreshold),
            [`${PREFIX}healthcheck-unhealthy-threshold`]: String(NLB_HEALTH_CHECK.unhealthyThreshold),
            [`${PREFIX}target-group-attributes`]: stringMap({
                "deregistration_delay.timeout_seconds": DEREGISTRATION_DELAY_SECONDS,
                "deregistration_delay.connection_termination.enabled": true,
                "preserve_client_ip.enabled": true,
            }),
            [`${PREFIX}attributes`]: stringMap({ "load_balancing.cross_zone.enabled": true }),
            [`${PREFIX}additional-resource-tags`]: stringMap(stackTags()),
        },
        readinessPathAnnotation: `${PREFIX}healthcheck-path`,
    };
}

/**
 * The frontend Service as EKS Auto Mode's load balancing reads it (nodes: auto): its class, and internet-facing
 * (Auto Mode's default is internal). No tags: Auto Mode tags its load balancers only if the cluster role may
 * (docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html#tag-prop), and without that permission the
 * NLB would not be created.
 */
export function autoModeTrafficEntry(): LoadBalancerEntry {
    return {
        kind: "LoadBalancer",
        loadBalancerClass: AUTO_MODE_LOAD_BALANCER_CLASS,
        annotations: { [`${PREFIX}scheme`]: NLB_SCHEME },
    };
}

/**
 * With a certificate, the NLB terminates TLS on 443 (both controllers read these annotations) and forwards plain
 * HTTP to the pods, inside the VPC. The Service then exposes 443 only: an NLB forwards connections and cannot
 * answer a plain-HTTP request with a redirect, so port 80 is closed rather than left serving the app unencrypted.
 */
export function withTls(entry: LoadBalancerEntry, certificateArn: string | undefined): LoadBalancerEntry {
    if (certificateArn === undefined) {
        return entry;
    }
    return {
        ...entry,
        annotations: {
            ...entry.annotations,
            [`${PREFIX}ssl-cert`]: certificateArn,
            [`${PREFIX}ssl-ports`]: "443",
            [`${PREFIX}ssl-negotiation-policy`]: TLS_NEGOTIATION_POLICY,
        },
        servicePort: { name: "https", port: 443 },
    };
}
