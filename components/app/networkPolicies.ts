import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";

export interface TierEndpoint {
    /** Labels that select the tier's pods. */
    readonly selector: Readonly<Record<string, string>>;
    /** The container port the tier listens on (policies match pod ports, not Service ports). */
    readonly port: number;
}

export interface AppNetworkPoliciesArgs {
    readonly namespace: pulumi.Input<string>;
    readonly frontend: TierEndpoint;
    readonly backend: TierEndpoint;
    /** Labels every policy carries. */
    readonly labels: Readonly<Record<string, string>>;
    /** Cluster DNS's address, where no pod selector reaches it (TargetCapabilities.dnsServiceAddress). */
    readonly dnsServiceAddress?: string;
}

/**
 * Zero trust inside the namespace: everything is denied, then exactly the app's paths are allowed back:
 * anyone -> frontend, frontend -> backend on its port, and every pod -> cluster DNS (its pods, or its address
 * where no pods serve it). Enforced only where the CNI implements NetworkPolicy (Calico on minikube, the VPC
 * CNI's policy agent on EKS, Auto Mode's network policy controller).
 */
export class AppNetworkPolicies extends pulumi.ComponentResource {
    readonly policies: k8s.networking.v1.NetworkPolicy[];

    constructor(name: string, args: AppNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("first-k8s:app:AppNetworkPolicies", name, {}, opts);

        const policy = (role: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(
                childName(name, role),
                { metadata: { name: role, namespace: args.namespace, labels: args.labels }, spec },
                { parent: this },
            );
        const tcp = (port: number) => [{ protocol: "TCP", port }];

        this.policies = [
            policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
            policy("allow-dns-egress", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [
                            {
                                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                            },
                            // Where DNS is no pods (EKS Auto Mode), the address pods resolve through.
                            ...(args.dnsServiceAddress ? [{ ipBlock: { cidr: `${args.dnsServiceAddress}/32` } }] : []),
                        ],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ],
            }),
            policy("allow-frontend-ingress", {
                // Traffic arrives through a NodePort or a load balancer, so its source is any address.
                podSelector: { matchLabels: args.frontend.selector },
                policyTypes: ["Ingress"],
                ingress: [{ ports: tcp(args.frontend.port) }],
            }),
            policy("allow-frontend-to-backend-egress", {
                podSelector: { matchLabels: args.frontend.selector },
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ podSelector: { matchLabels: args.backend.selector } }], ports: tcp(args.backend.port) },
                ],
            }),
            policy("allow-backend-from-frontend", {
                podSelector: { matchLabels: args.backend.selector },
                policyTypes: ["Ingress"],
                ingress: [
                    { from: [{ podSelector: { matchLabels: args.frontend.selector } }], ports: tcp(args.backend.port) },
                ],
            }),
        ];

        this.registerOutputs({ policyNames: this.policies.map((p) => p.metadata.name) });
    }
}
