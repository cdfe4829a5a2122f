/**
 * A Service's NodePort reached from the host, as `minikube service --url` gives it: a forwarder from a free port
 * on 127.0.0.1 to the node's address and that port. Its processes join the cluster's state, so `down` (and the
 * watchdog) stop them with the rest.
 */
import * as fs from "fs";
import { startForward } from "./forwarder";
import { freePorts, readState, writeState } from "./localCluster";
import { NODE_NETWORK } from "./nodeNetwork";
import { isAlive, stopProcess, waitFor } from "./processes";

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

function validPort(what: string, port: number, low: number, high: number): void {
    if (!Number.isInteger(port) || port < low || port > high) {
        throw new Error(`${what} is a whole number from ${low} to ${high}, not ${port}`);
    }
}

/**
 * Starts the forwarder for `nodePort` of the real node in `dir` and returns its URL (http://127.0.0.1:<port>/).
 * With `hostPort`, the URL's port is that one and a second call is idempotent: a forwarder already there for the
 * same NodePort is kept, one for another NodePort (a Service made again) is replaced, and a port that another
 * program holds is refused.
 */
export async function forwardNodePort(dir: string, nodePort: number, hostPort?: number): Promise<string> {
    const state = readState(dir);
    if (state?.realNode === undefined) {
        throw new Error(`No real node runs from ${dir} (start one with: up --nodes real)`);
    }
    validPort("A NodePort", nodePort, 30000, 32767);
    if (hostPort !== undefined) {
        validPort("A port on 127.0.0.1", hostPort, 1, 65535);
    }
    const port = hostPort ?? (await freePorts(1))[0];
    const name = hostPort === undefined ? `node-port-${nodePort}` : `node-port-${nodePort}-on-${hostPort}`;
    const url = `http://127.0.0.1:${port}/`;
    const ours = state.processes.filter((process) => process.name.startsWith(`forward-${name}-`));
    if (hostPort !== undefined && ours.length === 2 && ours.every(isAlive)) {
        return url;
    }
    // This tool's earlier forwarder to that port: dead, or for another NodePort.
    const stale =
        hostPort === undefined
            ? []
            : state.processes.filter(
                  (process) =>
                      process.name.startsWith("forward-node-port-") && process.name.includes(`-on-${hostPort}-`),
              );
    for (const process of stale.filter(isAlive)) {
        await stopProcess(process, 5_000);
    }
    if (listensOnLoopback(port)) {
        throw new Error(`127.0.0.1:${port} is in use by another program: free it, or pick another port`);
    }
    const processes = startForward(
        { name, hostPort: port, target: `${NODE_NETWORK.nodeIp}:${nodePort}` },
        dir,
        state.realNode.namespace,
    );
    writeState({
        ...state,
        processes: [...state.processes.filter((process) => !stale.includes(process)), ...processes],
    });
    await waitFor(
        `the forwarder of NodePort ${nodePort} to listen on 127.0.0.1:${port}`,
        () => listensOnLoopback(port),
        10_000,
        processes,
    );
    return url;
}
