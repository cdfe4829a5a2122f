/**
 * The local cluster's processes: started detached with their output in the state folder's logs, recorded by
 * PID and start time (so that a later process with a reused PID is never signalled), and waited on.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NodeNamespace, inNamespace } from "./nodeNetwork";
import { signal } from "./signals";

export interface ClusterProcess {
    readonly name: string;
    readonly pid: number;
    /** Field 22 of /proc/<pid>/stat when started: tells the process apart from a later one with its PID. */
    readonly startTime: string;
    readonly log: string;
}

export function procStartTime(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}

/** Whether the process we started is still the one with this PID. */
export function isAlive(process: ClusterProcess): boolean {
    return procStartTime(process.pid) === process.startTime;
}

export function readTail(file: string, lines = 30): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : "";
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts `binary` detached, its output appended to <dir>/logs/<name>.log. With `namespace`, it runs inside that
 * network namespace (nsenter enters it and then execs the binary, so the PID recorded is the binary's own).
 */
export function startProcess(
    name: string,
    binary: string,
    args: readonly string[],
    dir: string,
    namespace?: NodeNamespace,
): ClusterProcess {
    const log = path.join(dir, "logs", `${name}.log`);
    const fd = fs.openSync(log, "a");
    try {
        const [command, ...argv] =
            namespace === undefined ? [binary, ...args] : inNamespace(namespace, [binary, ...args]);
        // Its own process group, and no tie to this process's lifetime: `down` or the watchdog stops it.
        const child = spawn(command, argv, { cwd: dir, stdio: ["ignore", fd, fd], detached: true });
        child.unref();
        if (child.pid === undefined) {
            throw new Error(`${name} did not start (${binary})`);
        }
        const startTime = procStartTime(child.pid);
        if (startTime === undefined) {
            throw new Error(`${name} exited at once; see ${log}:\n${readTail(log)}`);
        }
        return { name, pid: child.pid, startTime, log };
    } finally {
        fs.closeSync(fd);
    }
}

/** Polls `check` until it returns true; fails with the processes' logs after `timeoutMs`, or when one exits. */
export async function waitFor(
    what: string,
    check: () => boolean,
    timeoutMs: number,
    processes: readonly ClusterProcess[],
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const dead = processes.find((process) => !isAlive(process));
        if (dead !== undefined) {
            throw new Error(
                `${dead.name} exited while waiting for ${what}; its log (${dead.log}):\n${readTail(dead.log)}`,
            );
        }
        if (check()) {
            return;
        }
        await sleep(250);
    }
    const logs = processes.map((process) => `--- ${process.name} (${process.log}):\n${readTail(process.log, 10)}`);
    throw new Error(`${what} within ${timeoutMs} ms: no\n${logs.join("\n")}`);
}

/** SIGTERM, then SIGKILL to its process group after `graceMs`; returns once it is gone. */
export async function stopProcess(process: ClusterProcess, graceMs: number): Promise<void> {
    signal(process.pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isAlive(process) && Date.now() < deadline) {
        await sleep(50);
    }
    if (isAlive(process)) {
        signal(-process.pid, "SIGKILL");
        while (isAlive(process)) {
            await sleep(20);
        }
    }
}
