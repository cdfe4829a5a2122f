/**
 * A Service's NodePort reached from the host, as `minikube service --url` gives it: a forwarder from a free port
 * on 127.0.0.1 to the node's address and that port. Its processes join the cluster's state, so `down` (and the
 * watchdog) stop them with the rest.
 */
import * as fs from "fs";
import { startForward } from "./forwarder";
import { freePorts, readState, writeState } from "./localCluster";
import { NODE_NETWORK } from "./nodeNetwork";
import { waitFor } from "./processes";

/** Whether something listens on 127.0.0.1:`port` (the kernel's table: 0100007F is 127.0.0.1, state 0A LISTEN). */
function listensOnLoopback(port: number): boolean {
    const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
    return fs
        .readFileSync("/proc/net/tcp", "utf8")
        .split("\n")
        .some((line) => {
            const columns = line.trim().split(/\s+/);
            return columns[1] === wanted && columns[3] === "0A";
        });
}

/** Starts the forwarder for `nodePort` of the real node in `dir` and returns its URL (http://127.0.0.1:<port>/). */
export async function forwardNodePort(dir: string, nodePort: number): Promise<string> {
    const state = readState(dir);
    if (state?.realNode === undefined) {
        throw new Error(`No real node runs from ${dir} (start one with: up --nodes real)`);
    }
    if (!Number.isInteger(nodePort) || nodePort < 30000 || nodePort > 32767) {
        throw new Error(`A NodePort is a whole number from 30000 to 32767, not ${nodePort}`);
    }
    const [hostPort] = await freePorts(1);
    const processes = startForward(
        { name: `node-port-${nodePort}`, hostPort, target: `${NODE_NETWORK.nodeIp}:${nodePort}` },
        dir,
        state.realNode.namespace,
    );
    writeState({ ...state, processes: [...state.processes, ...processes] });
    await waitFor(
        `the forwarder of NodePort ${nodePort} to listen on 127.0.0.1:${hostPort}`,
        () => listensOnLoopback(hostPort),
        10_000,
        processes,
    );
    return `http://127.0.0.1:${hostPort}/`;
}
