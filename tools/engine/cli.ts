import * as path from "path";
import { ensureEngine } from "./binaries";
import { down, status, up } from "./localCluster";
import { forwardNodePort } from "./nodePortForward";
import { upRealNode } from "./realNodeCluster";
import { CLUSTER_DIR_VARIABLE, STAND_IN_DIR } from "./standIns/minikube";
import { NODE_LAYOUTS, NodeLayout } from "./nodes";
import { option, runCli } from "../cli";

const DEFAULT_DIR = path.resolve(__dirname, "..", "..", ".tools", "local-cluster");

const USAGE = `usage: npm run local-cluster -- <up|down|status|forward NODEPORT [--port PORT]> [--nodes kwok|real] [--layout minikube|zones] [--context NAME] [--dir DIR]

A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) from the
binaries tools/engine/build.sh builds (and caches) from pinned Go modules, with either kind of node:

  --nodes kwok   kwok's fake nodes, on 127.0.0.1 only (default): no container runs, kwok marks pods Running
                 and Ready as soon as they are scheduled
  --nodes real   one real node named minikube (Linux, root): kubelet, containerd, kube-proxy, kube-router (the
                 NetworkPolicy engine), CoreDNS and metrics-server, the whole cluster in a network namespace of
                 its own with no route out; the host reaches the API server through a forwarder on 127.0.0.1,
                 and a NodePort through one that \`forward\` starts. One per machine; \`down\` also removes
                 its pods, mounts, cgroups and namespaces and writes back the host settings the kubelet changed

  up        start it and wait until every node is Ready; prints the kubeconfig to use
  down      stop exactly the processes \`up\` started (by PID)
  status    which of them run, and whether the API server is ready
  forward NODEPORT   (real node) print a URL on 127.0.0.1 that reaches the node's NODEPORT, as
                     \`minikube service --url\` does; \`down\` stops it. --port PORT: that port on
                     127.0.0.1 (default: a free one); run again, it keeps a forwarder already there

  --layout minikube   one node named minikube, like \`minikube start\` (default)
  --layout zones      three kwok nodes labelled topology.kubernetes.io/zone zone-a, zone-b, zone-c
  --context NAME      the kubeconfig context (default: minikube, the dev stack's kubeContext)
  --dir DIR           state folder: certificates, etcd data, logs, kubeconfig (default: .tools/local-cluster)

Then, for example: KUBECONFIG=<dir>/kubeconfig kubectl get nodes`;

async function main(argv: readonly string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h") || argv.length === 0) {
        console.log(USAGE);
        return argv.length === 0 ? 2 : 0;
    }
    const command = argv[0];
    const dir = path.resolve(option(argv, "--dir") ?? DEFAULT_DIR);
    const layout = option(argv, "--layout") ?? "minikube";
    if (!(NODE_LAYOUTS as readonly string[]).includes(layout)) {
        console.error(`error: --layout must be one of ${NODE_LAYOUTS.join(", ")}, not "${layout}"`);
        return 2;
    }
    const nodes = option(argv, "--nodes") ?? "kwok";
    if (nodes !== "kwok" && nodes !== "real") {
        console.error(`error: --nodes must be kwok or real, not "${nodes}"`);
        return 2;
    }
    if (nodes === "real" && layout !== "minikube") {
        console.error(`error: --nodes real runs one node: --layout ${layout} needs --nodes kwok`);
        return 2;
    }
    switch (command) {
        case "up": {
            const options = { dir, layout: layout as NodeLayout, context: option(argv, "--context") ?? "minikube" };
            const state =
                nodes === "real"
                    ? await upRealNode(ensureEngine({ realNode: true }), options)
                    : await up(ensureEngine(), options);
            console.log(`API server ${state.apiServerUrl}, nodes: ${state.nodes.join(", ")}`);
            if (state.frontendImage !== undefined) {
                console.log(
                    `To deploy the dev stack here: PATH=${STAND_IN_DIR}:$PATH ${CLUSTER_DIR_VARIABLE}=${dir}, and frontendImage ${state.frontendImage}`,
                );
            }
            console.log(`export KUBECONFIG=${state.kubeconfig}   # context "${state.context}"`);
            console.log(`Stop it with: npm run local-cluster -- down --dir ${dir}`);
            return 0;
        }
        case "forward": {
            const nodePort = Number(argv[1]);
            const port = option(argv, "--port");
            console.log(await forwardNodePort(dir, nodePort, port === undefined ? undefined : Number(port)));
            return 0;
        }
        case "down": {
            const stopped = await down(dir);
            console.log(stopped.length === 0 ? `Nothing was running from ${dir}` : `Stopped ${stopped.join(", ")}`);
            return 0;
        }
        case "status": {
            const current = status(ensureEngine(), dir);
            if (current === undefined) {
                console.log(`No local cluster in ${dir}`);
                return 1;
            }
            for (const process of current.processes) {
                console.log(
                    `${process.name.padEnd(24)} pid ${String(process.pid).padEnd(8)} ${process.running ? "running" : "stopped"}`,
                );
            }
            console.log(`API server ready: ${current.apiServerReady ? "yes" : "no"}`);
            return current.apiServerReady ? 0 : 1;
        }
        default:
            console.error(`${USAGE}\n\nerror: unknown command "${command}"`);
            return 2;
    }
}

runCli(main);
