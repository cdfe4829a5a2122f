/**
 * The real node's network: a network namespace of its own, with no link to the host's. The control plane, the
 * node's agents and every pod live in it, so no packet of the cluster can reach another machine; the host
 * reaches it only through the forwarders on 127.0.0.1 (forwarder.ts).
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";

/** Addresses inside the namespace (private ones, never routed anywhere: the namespace has no way out). */
export const NODE_NETWORK = {
    /**
     * The node's InternalIP, on a bridge with no port (this kernel has no dummy interfaces): the API server, the
     * kubelet and NodePorts listen on it, and the default route points into it, so nothing leaves.
     */
    nodeIp: "10.201.0.2",
    nodePrefixLength: 24,
    nodeInterface: "node0",
    /** The pods' bridge and subnet (the CNI bridge plugin with host-local addresses). */
    bridge: "cni0",
    podSubnet: "10.244.0.0/24",
    clusterCidr: "10.244.0.0/16",
    /** Services: the API server's --service-cluster-ip-range, the same as the kwok layouts use. */
    serviceCidr: "10.96.0.0/16",
    clusterDnsIp: "10.96.0.10",
} as const;

export interface NodeNamespace {
    readonly name: string;
    /** The file `nsenter --net=` takes. */
    readonly path: string;
}

/** One name per state folder, so two clusters' namespaces never collide and `down` finds its own. */
export function namespaceFor(dir: string): NodeNamespace {
    const name = `first-k8s-${crypto.createHash("sha256").update(dir).digest("hex").slice(0, 10)}`;
    return { name, path: `/run/netns/${name}` };
}

/** The command line that runs `argv` inside the namespace (not `ip netns exec`, which hides /sys/fs/cgroup). */
export function inNamespace(ns: NodeNamespace, argv: readonly string[]): string[] {
    return ["nsenter", `--net=${ns.path}`, "--", ...argv];
}

function ip(args: readonly string[]): void {
    execFileSync("ip", [...args], { stdio: ["ignore", "ignore", "pipe"] });
}

/** Runs a command inside the namespace and returns its stdout. */
export function runInNamespace(ns: NodeNamespace, argv: readonly string[], timeoutMs = 30_000): string {
    const [command, ...args] = inNamespace(ns, argv);
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
}

/**
 * Makes the namespace: loopback up, the node's address on a bridge of its own, and a default route into that
 * bridge, so that a Service address resolves to a route before kube-proxy rewrites it, while a packet for any
 * other address is dropped there. Forwarding and bridge netfilter are per namespace on this kernel: the pods'
 * traffic is routed, and crosses the iptables rules of kube-proxy and kube-router even between two pods.
 */
export function createNodeNamespace(ns: NodeNamespace): void {
    if (fs.existsSync(ns.path)) {
        throw new Error(
            `The network namespace ${ns.name} exists already (${ns.path}): a cluster from this folder runs`,
        );
    }
    ip(["netns", "add", ns.name]);
    try {
        const { nodeInterface, nodeIp, nodePrefixLength } = NODE_NETWORK;
        ip(["-n", ns.name, "link", "set", "lo", "up"]);
        ip(["-n", ns.name, "link", "add", nodeInterface, "type", "bridge"]);
        ip(["-n", ns.name, "addr", "add", `${nodeIp}/${nodePrefixLength}`, "dev", nodeInterface]);
        ip(["-n", ns.name, "link", "set", nodeInterface, "up"]);
        ip(["-n", ns.name, "route", "add", "default", "dev", nodeInterface]);
        runInNamespace(ns, [
            "sysctl",
            "-q",
            "-w",
            "net.ipv4.ip_forward=1",
            "net.bridge.bridge-nf-call-iptables=1",
            "net.ipv4.conf.all.route_localnet=1",
        ]);
    } catch (error) {
        deleteNodeNamespace(ns);
        throw error;
    }
}

/** Deletes the namespace, and with it every interface, route and iptables rule inside. */
export function deleteNodeNamespace(ns: NodeNamespace): void {
    if (fs.existsSync(ns.path)) {
        ip(["netns", "delete", ns.name]);
    }
}
