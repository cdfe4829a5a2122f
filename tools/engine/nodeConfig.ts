/**
 * The configuration files of the real node's agents, all under the state folder: containerd (its root, state
 * and socket under <dir>/containerd), the CNI network (a bridge with host-local addresses), the kubelet and
 * kube-proxy. Each setting that differs from a kubeadm node says why.
 */
import * as fs from "fs";
import * as path from "path";
import { NODE_NETWORK } from "./nodeNetwork";

/**
 * The node's name, as minikube names its node, so the README's commands (`kubectl drain minikube`) work as
 * written. The API server never looks it up: it dials the kubelet at the node's InternalIP.
 */
export const REAL_NODE_NAME = "minikube";

/** Where the pods' sandbox image is found: imported into containerd by `up`, never pulled. */
export const PAUSE_IMAGE = "first-k8s.local/pause:local";

export const CNI_BIN_DIR = "/usr/lib/cni";

/** Fixed ports inside the node's namespace, which nothing else shares. */
export const NODE_PORTS = {
    etcdClient: 2379,
    etcdPeer: 2380,
    apiServer: 6443,
    controllerManager: 10257,
    scheduler: 10259,
    kubelet: 10250,
    kubeletHealthz: 10248,
    kubeProxyHealthz: 10256,
    kubeRouterHealthz: 20244,
} as const;

export interface NodePaths {
    readonly containerdConfig: string;
    readonly containerdSocket: string;
    readonly containerdRoot: string;
    readonly containerdState: string;
    readonly cniConfDir: string;
    readonly cniDataDir: string;
    readonly kubeletRoot: string;
    readonly kubeletConfig: string;
    readonly kubeletCertDir: string;
    readonly kubeProxyConfig: string;
    readonly resolvConf: string;
    /** Folders whose mounts `down` removes: the kubelet's and containerd's. */
    readonly mountRoots: readonly string[];
}

export function nodePaths(dir: string): NodePaths {
    const node = path.join(dir, "node");
    const containerdRoot = path.join(node, "containerd", "root");
    const containerdState = path.join(node, "containerd", "state");
    const kubeletRoot = path.join(node, "kubelet");
    return {
        containerdConfig: path.join(node, "containerd", "config.toml"),
        containerdSocket: path.join(node, "containerd", "containerd.sock"),
        containerdRoot,
        containerdState,
        cniConfDir: path.join(node, "cni", "net.d"),
        cniDataDir: path.join(node, "cni", "ipam"),
        kubeletRoot,
        kubeletConfig: path.join(node, "kubelet.yaml"),
        kubeletCertDir: path.join(node, "kubelet-pki"),
        kubeProxyConfig: path.join(node, "kube-proxy.yaml"),
        resolvConf: path.join(node, "resolv.conf"),
        mountRoots: [kubeletRoot, containerdRoot, containerdState],
    };
}

function containerdConfig(paths: NodePaths): string {
    return `version = 2
root = "${paths.containerdRoot}"
state = "${paths.containerdState}"
# Snapshotters that need a kernel module or a file system this node lacks, and the unused stream plugins.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

[grpc]
  address = "${paths.containerdSocket}"

[ttrpc]
  address = "${paths.containerdSocket}.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "${path.join(paths.containerdRoot, "opt")}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  # The kubelet asks for OOM scores below containerd's own (-998 for sandboxes), which needs CAP_SYS_RESOURCE,
  # and this machine's root lacks it: containers get containerd's score or higher instead.
  restrict_oom_score_adj = true
  # Every image is imported by \`up\` or built on the node; nothing may come from a registry.
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # The kubelet's cgroupDriver is cgroupfs: no systemd here.
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${CNI_BIN_DIR}"
    conf_dir = "${paths.cniConfDir}"
`;
}

function cniConfig(paths: NodePaths): string {
    return `${JSON.stringify(
        {
            cniVersion: "1.0.0",
            name: "first-k8s",
            plugins: [
                {
                    type: "bridge",
                    bridge: NODE_NETWORK.bridge,
                    isGateway: true,
                    // No masquerade: there is no outside to hide pod addresses from.
                    ipMasq: false,
                    // A pod reaching itself through its own Service (kube-proxy may pick it) needs the hairpin.
                    hairpinMode: true,
                    ipam: {
                        type: "host-local",
                        ranges: [[{ subnet: NODE_NETWORK.podSubnet }]],
                        routes: [{ dst: "0.0.0.0/0" }],
                        dataDir: paths.cniDataDir,
                    },
                },
                { type: "portmap", capabilities: { portMappings: true } },
            ],
        },
        null,
        2,
    )}\n`;
}

function kubeletConfig(paths: NodePaths, caCert: string): string {
    return `${JSON.stringify(
        {
            apiVersion: "kubelet.config.k8s.io/v1beta1",
            kind: "KubeletConfiguration",
            // No systemd, and this kernel mounts cgroup v1 (which 1.35+ refuses unless told).
            cgroupDriver: "cgroupfs",
            failCgroupV1: false,
            address: NODE_NETWORK.nodeIp,
            port: NODE_PORTS.kubelet,
            readOnlyPort: 0,
            healthzBindAddress: "127.0.0.1",
            healthzPort: NODE_PORTS.kubeletHealthz,
            authentication: {
                anonymous: { enabled: false },
                webhook: { enabled: true },
                x509: { clientCAFile: caCert },
            },
            authorization: { mode: "Webhook" },
            clusterDomain: "cluster.local",
            clusterDNS: [NODE_NETWORK.clusterDnsIp],
            // The pods' resolv.conf: the cluster DNS only, never the host's resolvers.
            resolvConf: paths.resolvConf,
            containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
            failSwapOn: false,
            // This machine's disk is shared with its other work: evict only when it is really full.
            evictionHard: {
                "memory.available": "100Mi",
                "nodefs.available": "2%",
                "nodefs.inodesFree": "2%",
                "imagefs.available": "2%",
            },
            // Images exist only on the node (imported or built here): garbage collection would lose them.
            imageGCHighThresholdPercent: 100,
            imageGCLowThresholdPercent: 99,
            serializeImagePulls: false,
            // The HPA and `kubectl top` read what metrics-server reads here; minikube's kubelet runs it the same.
            nodeStatusReportFrequency: "10s",
        },
        null,
        2,
    )}\n`;
}

function kubeProxyConfig(kubeconfig: string): string {
    return `${JSON.stringify(
        {
            apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
            kind: "KubeProxyConfiguration",
            clientConnection: { kubeconfig },
            mode: "iptables",
            hostnameOverride: REAL_NODE_NAME,
            clusterCIDR: NODE_NETWORK.clusterCidr,
            healthzBindAddress: `127.0.0.1:${NODE_PORTS.kubeProxyHealthz}`,
            metricsBindAddress: "127.0.0.1:10249",
            nodePortAddresses: [`${NODE_NETWORK.nodeIp}/32`],
            // Zero leaves conntrack's table size and timeouts as the host has them: these are host-wide settings.
            conntrack: {
                maxPerCore: 0,
                min: 0,
                tcpEstablishedTimeout: "0s",
                tcpCloseWaitTimeout: "0s",
            },
        },
        null,
        2,
    )}\n`;
}

/** Writes every configuration file of the node; `kubeconfig` is the agents' (the API server at the node's IP). */
export function writeNodeConfig(paths: NodePaths, caCert: string, kubeconfig: string): void {
    for (const folder of [paths.cniConfDir, paths.cniDataDir, paths.kubeletRoot, paths.kubeletCertDir]) {
        fs.mkdirSync(folder, { recursive: true });
    }
    fs.mkdirSync(path.dirname(paths.containerdConfig), { recursive: true });
    fs.writeFileSync(paths.containerdConfig, containerdConfig(paths));
    fs.writeFileSync(path.join(paths.cniConfDir, "10-first-k8s.conflist"), cniConfig(paths));
    fs.writeFileSync(paths.kubeletConfig, kubeletConfig(paths, caCert));
    fs.writeFileSync(paths.kubeProxyConfig, kubeProxyConfig(kubeconfig));
    // The cluster's own search path only: a name outside the cluster resolves nowhere, as nothing is outside.
    fs.writeFileSync(paths.resolvConf, "search cluster.local\noptions ndots:5\n");
}
