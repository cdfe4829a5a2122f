/**
 * CPU placement and CPU time of the benchmark's processes, from Linux's /proc and taskset (util-linux):
 * what each request costs NGINX and the backend, and which cores each may use.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime; 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat that matter here; `comm` may contain spaces and parentheses. */
export function parseProcStat(stat: string): { readonly processGroup: number; readonly cpuTicks: number } {
    const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 3 onwards of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    const processGroup = Number(afterName[2]);
    const cpuTicks = Number(afterName[11]) + Number(afterName[12]);
    if (!Number.isInteger(processGroup) || !Number.isInteger(cpuTicks)) {
        throw new Error(`Unexpected /proc/<pid>/stat line: ${stat}`);
    }
    return { processGroup, cpuTicks };
}

/** Pids of the live processes in process group `group` (a server started detached leads its own group). */
export function processGroupMembers(group: number): number[] {
    const members: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            if (parseProcStat(fs.readFileSync(`/proc/${entry}/stat`, "utf8")).processGroup === group) {
                members.push(Number(entry));
            }
        } catch {
            // The process ended between readdir and read.
        }
    }
    return members;
}

/** User plus system CPU seconds used so far by the live processes of process group `group`, all their threads. */
export function processGroupCpuSeconds(group: number): number {
    let ticks = 0;
    for (const pid of processGroupMembers(group)) {
        try {
            ticks += parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, "utf8")).cpuTicks;
        } catch {
            // Gone meanwhile: its time is lost, which the servers here (no worker recycling) never do mid-run.
        }
    }
    return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * Where each side runs: the backend on the last core, NGINX and the load generator on the others, as in the
 * cluster, where the backend pod has its own CPU (500m, less than a core) and NGINX runs in other pods.
 * Undefined on a single core, where nothing can be separated.
 */
export interface CpuSplit {
    /** taskset CPU lists, e.g. "1" and "0". */
    readonly backend: string;
    readonly frontAndLoad: string;
}

export function cpuSplit(cores = os.availableParallelism()): CpuSplit | undefined {
    if (cores < 2) {
        return undefined;
    }
    return { backend: String(cores - 1), frontAndLoad: cores === 2 ? "0" : `0-${cores - 2}` };
}

/** Confines every process and thread of group `group` (and what they fork later) to the CPUs in `cpuList`. */
export function pinProcessGroup(group: number, cpuList: string): void {
    const members = processGroupMembers(group);
    if (members.length === 0) {
        throw new Error(`No process is left in process group ${group} to pin to CPUs ${cpuList}`);
    }
    for (const pid of members) {
        execFileSync("taskset", ["--all-tasks", "--cpu-list", "--pid", cpuList, String(pid)], { stdio: "ignore" });
    }
}
