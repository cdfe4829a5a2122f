/** How outside traffic reaches the frontend Service. */
export type TrafficEntry =
    | {
          /** Every node opens the same port; minikube has no cloud load balancer to hand out an address. */
          readonly kind: "NodePort";
      }
    | {
          /** The cloud provisions a load balancer that spreads traffic over the nodes/pods in every zone. */
          readonly kind: "LoadBalancer";
          readonly annotations: Readonly<Record<string, string>>;
          readonly loadBalancerClass?: string;
          /** The one port the Service exposes, and its name. Default: 80, named http. */
          readonly servicePort?: { readonly name: string; readonly port: number };
          /**
           * An annotation that takes the tier's readiness path, where the load balancer health-checks the pods
           * itself (over HTTP, as the kubelet does) instead of only opening a TCP connection.
           */
          readonly readinessPathAnnotation?: string;
      };

/** What the app needs to know about the cluster it runs on; never which cloud it is. */
export interface TargetCapabilities {
    readonly trafficEntry: TrafficEntry;
    /** How many availability zones the worker nodes span; 1 means zone spread cannot be required. */
    readonly zones: number;
    /**
     * The cluster DNS Service's address where DNS is not served by pods a NetworkPolicy can select (EKS Auto
     * Mode answers it on every node): pods' DNS egress is then allowed to this address. Absent where DNS runs
     * as kube-system pods labelled k8s-app=kube-dns.
     */
    readonly dnsServiceAddress?: string;
    /**
     * Zones a required zone spread counts on even while some have no schedulable node (minDomains), where nodes
     * are launched for pending pods (EKS Auto Mode): without it the first pods crowd onto the zones that already
     * have nodes. Absent where every zone keeps nodes of its own: there it would only hold a lost zone's
     * replacements Pending, as the scheduler then lets no zone take a second pod of a tier.
     */
    readonly spreadMinDomains?: number;
    /**
     * Labels the app's namespace carries for the cluster's own controllers (on EKS with the AWS Load Balancer
     * Controller: readiness gates, so that a rollout waits until the load balancer sends to each new pod).
     */
    readonly namespaceLabels?: Readonly<Record<string, string>>;
}
