/**
 * The local cluster with a real node: the same control plane as the kwok layouts, and a kubelet, containerd,
 * kube-proxy and kube-router running real pods (CoreDNS and metrics-server among them), all inside one network
 * namespace of their own (nodeNetwork.ts). The host reaches the API server and the app's NodePort through
 * forwarders on 127.0.0.1 only.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineInstall } from "./binaries";
import { startForward } from "./forwarder";
import { HostSnapshot, snapshotHost } from "./hostState";
import {
    DEFAULT_TIMINGS,
    LocalClusterOptions,
    LocalClusterState,
    down,
    freePorts,
    kubeconfigText,
    kubectl,
    readState,
    startWatchdog,
    succeeds,
    writeState,
} from "./localCluster";
import { FRONT_PROXY_CLIENT, createLocalPki } from "./pki";
import { nodeAddons } from "./nodeAddons";
import { CNI_BIN_DIR, NODE_PORTS, REAL_NODE_NAME, nodePaths, writeNodeConfig } from "./nodeConfig";
import { importImage, pinByDigest } from "./nodeImages";
import { NODE_NETWORK, createNodeNamespace, namespaceFor, runInNamespace } from "./nodeNetwork";
import { ClusterProcess, isAlive, startProcess, waitFor } from "./processes";
import { REAL_NODE_LOCK, RealNodeState, realNodeHolder } from "./realNodeTeardown";
import { NGINX_STAND_IN_IMAGE, buildStandIn, standInImages } from "./standInImages";

/** What a real node needs from the machine: Linux, root, and the node's Debian packages (versions.env). */
const REQUIRED_PROGRAMS: readonly [program: string, debianPackage: string][] = [
    ["containerd", "containerd"],
    ["runc", "runc"],
    ["ctr", "containerd"],
    ["iptables", "iptables"],
    ["ipset", "ipset"],
    ["conntrack", "conntrack"],
    ["socat", "socat"],
    ["nsenter", "util-linux"],
];

function onPath(program: string): boolean {
    return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && fs.existsSync(path.join(dir, program)));
}

/** Why a real node cannot run here, in one line, or undefined when it can. */
export function realNodeUnsupported(): string | undefined {
    if (process.platform !== "linux") {
        return `a real node runs on Linux only (this is ${process.platform}); use --nodes kwok, or minikube`;
    }
    if (process.getuid?.() !== 0) {
        return "a real node needs root (it makes a network namespace, cgroups and mounts): run it with sudo";
    }
    const missing = REQUIRED_PROGRAMS.filter(([program]) => !onPath(program));
    if (missing.length > 0 || !fs.existsSync(path.join(CNI_BIN_DIR, "bridge"))) {
        const packages = [...new Set([...missing.map(([, pkg]) => pkg), "containernetworking-plugins"])];
        return `a real node needs ${[...missing.map(([program]) => program), `${CNI_BIN_DIR}/bridge`].join(", ")}: apt-get install ${packages.join(" ")}`;
    }
    return undefined;
}

function agentKubeconfig(
    dir: string,
    context: string,
    caCert: string,
    cert: string,
    key: string,
    name: string,
): string {
    const file = path.join(dir, `${name}.kubeconfig`);
    fs.writeFileSync(
        file,
        kubeconfigText(context, `https://${NODE_NETWORK.nodeIp}:${NODE_PORTS.apiServer}`, {
            caCert,
            adminCert: cert,
            adminKey: key,
        } as Parameters<typeof kubeconfigText>[2]),
        { mode: 0o600 },
    );
    return file;
}

/** Whether kube-proxy has written the rules of the API server's own Service, which every pod's client uses. */
function kubeProxyHasSynced(namespace: ReturnType<typeof namespaceFor>): boolean {
    try {
        return runInNamespace(namespace, ["iptables-save", "-t", "nat"], 5000).includes('"default/kubernetes:https');
    } catch {
        return false;
    }
}

/** Whether `url`, fetched from inside the node's namespace, answers 200 (the components' certificates are their own). */
function answersInside(namespace: ReturnType<typeof namespaceFor>, url: string): boolean {
    try {
        const code = runInNamespace(
            namespace,
            [
                "curl",
                "--silent",
                "--insecure",
                "--max-time",
                "2",
                "--output",
                "/dev/null",
                "--write-out",
                "%{http_code}",
                url,
            ],
            5000,
        );
        return code.trim() === "200";
    } catch {
        return false;
    }
}

/**
 * Starts the cluster with one real node named `minikube` and waits until it is Ready with CoreDNS and
 * metrics-server available. Fails, with everything it started stopped and the host put back, when a component
 * exits or is not ready in time.
 */
export async function upRealNode(engine: EngineInstall, options: LocalClusterOptions): Promise<LocalClusterState> {
    const dir = path.resolve(options.dir);
    const unsupported = realNodeUnsupported();
    if (unsupported !== undefined) {
        throw new Error(unsupported);
    }
    if (readState(dir)?.processes.some(isAlive)) {
        throw new Error(`A local cluster already runs from ${dir}; stop it first (down).`);
    }
    const holder = realNodeHolder();
    if (holder !== undefined && readState(holder)?.processes.some(isAlive)) {
        throw new Error(
            `A local cluster with a real node already runs from ${holder}, and one machine holds one (the kubelet's ` +
                `/var/lib/kubelet and kubepods cgroups are machine-wide): stop it first (npm run local-cluster -- down --dir ${holder})`,
        );
    }
    const timings = options.timings ?? DEFAULT_TIMINGS;
    fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
    fs.mkdirSync(path.join(dir, "certs"), { recursive: true });
    fs.writeFileSync(REAL_NODE_LOCK, `${dir}\n`);
    const host: HostSnapshot = snapshotHost();
    const namespace = namespaceFor(dir);
    const paths = nodePaths(dir);
    const realNode: RealNodeState = { namespace, host, paths };
    const [apiServerHostPort] = await freePorts(1);
    const ports = { ...NODE_PORTS, apiServerHost: apiServerHostPort };
    const apiServerUrl = `https://127.0.0.1:${apiServerHostPort}`;
    const etcdUrl = `http://127.0.0.1:${NODE_PORTS.etcdClient}`;
    const pki = createLocalPki(path.join(dir, "pki"), { name: REAL_NODE_NAME, ip: NODE_NETWORK.nodeIp });
    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, kubeconfigText(options.context, apiServerUrl, pki), { mode: 0o600 });
    const adminInside = agentKubeconfig(dir, options.context, pki.caCert, pki.adminCert, pki.adminKey, "admin-node");
    if (pki.nodeCert === undefined || pki.nodeKey === undefined) {
        throw new Error("The local PKI made no kubelet certificate for the real node");
    }
    const kubeletKubeconfig = agentKubeconfig(dir, options.context, pki.caCert, pki.nodeCert, pki.nodeKey, "kubelet");
    writeNodeConfig(paths, pki.caCert, adminInside);

    // The watchdog's teardown is this tool's own `down`: killing the processes alone would leave the pods, the
    // mounts and the host's settings behind.
    const teardown = [
        process.execPath,
        require.resolve("ts-node/dist/bin.js"),
        path.join(__dirname, "cli.ts"),
        "down",
        "--dir",
        dir,
    ];
    const watchdogPid = options.ownerPid === undefined ? undefined : startWatchdog(options.ownerPid, dir, teardown);
    const processes: ClusterProcess[] = [];
    let frontendImage: string | undefined;
    const state = (): LocalClusterState => ({
        dir,
        kubeconfig,
        context: options.context,
        layout: "minikube",
        apiServerUrl,
        etcdUrl,
        ports,
        processes: [...processes],
        watchdogPid,
        nodes: [REAL_NODE_NAME],
        timings,
        realNode,
        frontendImage,
    });
    const started = (...list: ClusterProcess[]) => {
        processes.push(...list);
        writeState(state());
    };
    const inside = (name: string, binary: string, args: readonly string[]) =>
        started(startProcess(name, binary, args, dir, namespace));
    try {
        writeState(state());
        createNodeNamespace(namespace);
        inside("etcd", engine.binary("etcd"), [
            "--name=local",
            `--data-dir=${path.join(dir, "etcd")}`,
            `--listen-client-urls=${etcdUrl}`,
            `--advertise-client-urls=${etcdUrl}`,
            `--listen-peer-urls=http://127.0.0.1:${NODE_PORTS.etcdPeer}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${NODE_PORTS.etcdPeer}`,
            `--initial-cluster=local=http://127.0.0.1:${NODE_PORTS.etcdPeer}`,
            "--log-level=warn",
        ]);
        inside("kube-apiserver", engine.binary("kube-apiserver"), [
            `--etcd-servers=${etcdUrl}`,
            `--bind-address=${NODE_NETWORK.nodeIp}`,
            `--advertise-address=${NODE_NETWORK.nodeIp}`,
            `--secure-port=${NODE_PORTS.apiServer}`,
            `--cert-dir=${path.join(dir, "certs")}`,
            `--tls-cert-file=${pki.apiServerCert}`,
            `--tls-private-key-file=${pki.apiServerKey}`,
            `--client-ca-file=${pki.caCert}`,
            `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
            `--service-account-key-file=${pki.serviceAccountPublicKey}`,
            `--service-account-signing-key-file=${pki.serviceAccountKey}`,
            `--service-cluster-ip-range=${NODE_NETWORK.serviceCidr}`,
            "--authorization-mode=Node,RBAC",
            "--allow-privileged=true",
            "--kubelet-preferred-address-types=InternalIP",
            // Logs, exec and metrics: the API server is the kubelet's client, as kubeadm sets it up.
            `--kubelet-client-certificate=${pki.adminCert}`,
            `--kubelet-client-key=${pki.adminKey}`,
            // The aggregation layer, for metrics-server's metrics.k8s.io.
            `--requestheader-client-ca-file=${pki.caCert}`,
            `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
            "--requestheader-extra-headers-prefix=X-Remote-Extra-",
            "--requestheader-group-headers=X-Remote-Group",
            "--requestheader-username-headers=X-Remote-User",
            `--proxy-client-cert-file=${pki.frontProxyCert}`,
            `--proxy-client-key-file=${pki.frontProxyKey}`,
            "--enable-aggregator-routing=true",
            `--default-not-ready-toleration-seconds=${timings.podEvictionTolerationSeconds}`,
            `--default-unreachable-toleration-seconds=${timings.podEvictionTolerationSeconds}`,
            "--profiling=false",
        ]);
        started(
            ...startForward(
                {
                    name: "api-server",
                    hostPort: apiServerHostPort,
                    target: `${NODE_NETWORK.nodeIp}:${NODE_PORTS.apiServer}`,
                },
                dir,
                namespace,
            ),
        );
        await waitFor(
            "the API server to be ready",
            () => succeeds(engine, kubeconfig, ["get", "--raw", "/readyz"]),
            60_000,
            processes,
        );
        const componentFlags = [
            `--kubeconfig=${adminInside}`,
            `--authentication-kubeconfig=${adminInside}`,
            `--authorization-kubeconfig=${adminInside}`,
            "--bind-address=127.0.0.1",
            "--leader-elect=false",
            "--profiling=false",
            `--cert-dir=${path.join(dir, "certs")}`,
        ];
        inside("kube-controller-manager", engine.binary("kube-controller-manager"), [
            ...componentFlags,
            `--secure-port=${NODE_PORTS.controllerManager}`,
            `--service-account-private-key-file=${pki.serviceAccountKey}`,
            `--root-ca-file=${pki.caCert}`,
            "--use-service-account-credentials=true",
            `--flex-volume-plugin-dir=${path.join(dir, "flexvolume")}`,
            `--node-monitor-grace-period=${timings.nodeMonitorGracePeriodSeconds}s`,
        ]);
        inside("kube-scheduler", engine.binary("kube-scheduler"), [
            ...componentFlags,
            `--secure-port=${NODE_PORTS.scheduler}`,
        ]);
        inside("containerd", "containerd", ["--config", paths.containerdConfig]);
        await waitFor(
            "containerd to answer",
            () => {
                try {
                    execFileSync("ctr", ["--address", paths.containerdSocket, "version"], {
                        stdio: "ignore",
                        timeout: 5000,
                    });
                    return true;
                } catch {
                    return false;
                }
            },
            30_000,
            processes,
        );
        const images = path.join(dir, "images");
        fs.mkdirSync(images, { recursive: true });
        for (const image of standInImages({
            pause: engine.binary("pause"),
            coredns: engine.binary("coredns"),
            metricsServer: engine.binary("metrics-server"),
            wget: engine.binary("wget"),
        })) {
            importImage(paths.containerdSocket, buildStandIn(image, images));
        }
        frontendImage = pinByDigest(paths.containerdSocket, NGINX_STAND_IN_IMAGE);
        inside("kubelet", engine.binary("kubelet"), [
            `--config=${paths.kubeletConfig}`,
            `--kubeconfig=${kubeletKubeconfig}`,
            `--root-dir=${paths.kubeletRoot}`,
            `--cert-dir=${paths.kubeletCertDir}`,
            `--hostname-override=${REAL_NODE_NAME}`,
            `--node-ip=${NODE_NETWORK.nodeIp}`,
            "--v=1",
        ]);
        inside("kube-proxy", engine.binary("kube-proxy"), [`--config=${paths.kubeProxyConfig}`]);
        await waitFor(
            "the node to be Ready",
            () =>
                succeeds(engine, kubeconfig, [
                    "wait",
                    "--for=condition=Ready",
                    `node/${REAL_NODE_NAME}`,
                    "--timeout=1s",
                ]),
            60_000,
            processes,
        );
        // It reads its node's address from the Node object, so it starts once the kubelet has registered.
        inside("kube-router", engine.binary("kube-router"), [
            `--kubeconfig=${adminInside}`,
            "--run-firewall=true",
            "--run-router=false",
            "--run-service-proxy=false",
            `--hostname-override=${REAL_NODE_NAME}`,
            `--service-cluster-ip-range=${NODE_NETWORK.serviceCidr}`,
            `--health-port=${NODE_PORTS.kubeRouterHealthz}`,
            "--metrics-port=0",
        ]);
        // As minikube labels its node (a kubelet may not set these itself): it runs the control plane too.
        kubectl(engine, { kubeconfig }, [
            "label",
            "node",
            REAL_NODE_NAME,
            "node-role.kubernetes.io/control-plane=",
            "minikube.k8s.io/primary=true",
        ]);
        await waitFor(
            // Pods reach the API server through the kubernetes Service: only once kube-proxy has written its rules.
            "the controller manager, the scheduler, kube-proxy and kube-router to be healthy",
            () =>
                answersInside(namespace, `https://127.0.0.1:${NODE_PORTS.controllerManager}/healthz`) &&
                answersInside(namespace, `https://127.0.0.1:${NODE_PORTS.scheduler}/healthz`) &&
                kubeProxyHasSynced(namespace) &&
                answersInside(namespace, `http://127.0.0.1:${NODE_PORTS.kubeRouterHealthz}/healthz`),
            60_000,
            processes,
        );
        kubectl(engine, { kubeconfig }, ["apply", "--server-side", "-f", "-"], JSON.stringify(nodeAddons()));
        await waitFor(
            "CoreDNS and metrics-server to be available",
            () =>
                succeeds(engine, kubeconfig, [
                    "wait",
                    "--for=condition=Available",
                    "-n",
                    "kube-system",
                    "deployment/coredns",
                    "deployment/metrics-server",
                    "--timeout=1s",
                ]) &&
                succeeds(engine, kubeconfig, [
                    "wait",
                    "--for=condition=Available",
                    "apiservice/v1beta1.metrics.k8s.io",
                    "--timeout=1s",
                ]),
            120_000,
            processes,
        );
        return state();
    } catch (error) {
        await down(dir);
        throw error;
    }
}
