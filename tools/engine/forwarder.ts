/**
 * How the host reaches into the node's namespace, which has no link to the host's network: a pair of socat
 * processes per port, joined by a Unix socket in the state folder. One listens on 127.0.0.1 on the host; the
 * other, inside the namespace, connects each accepted stream to the target there. Nothing listens on any other
 * host address, and no packet of the cluster can leave the namespace.
 */
import * as fs from "fs";
import * as path from "path";
import { NodeNamespace } from "./nodeNetwork";
import { ClusterProcess, startProcess } from "./processes";

/** sun_path holds 108 bytes; a longer socket path cannot be bound. */
const MAX_SOCKET_PATH = 107;

export interface Forward {
    /** Names the processes and the socket, e.g. "api-server". */
    readonly name: string;
    readonly hostPort: number;
    /** host:port inside the namespace. */
    readonly target: string;
}

export function socketPath(dir: string, name: string): string {
    const socket = path.join(dir, "fwd", `${name}.sock`);
    if (socket.length > MAX_SOCKET_PATH) {
        throw new Error(`The state folder's path is too long for a Unix socket (${socket}): use a shorter --dir`);
    }
    return socket;
}

/** Starts both halves (the namespace's first, so the host's never connects to a missing socket). */
export function startForward(forward: Forward, dir: string, namespace: NodeNamespace): ClusterProcess[] {
    const socket = socketPath(dir, forward.name);
    fs.mkdirSync(path.dirname(socket), { recursive: true, mode: 0o700 });
    fs.rmSync(socket, { force: true });
    const inside = startProcess(
        `forward-${forward.name}-node`,
        "socat",
        [`UNIX-LISTEN:${socket},fork,mode=600`, `TCP:${forward.target}`],
        dir,
        namespace,
    );
    const host = startProcess(
        `forward-${forward.name}-host`,
        "socat",
        [`TCP-LISTEN:${forward.hostPort},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${socket}`],
        dir,
    );
    return [inside, host];
}
