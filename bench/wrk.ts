/** Runs wrk (the HTTP load generator from Debian's "wrk" package) and reads its report. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";

export interface WrkResult {
    readonly requestsPerSecond: number;
    readonly requests: number;
    readonly durationSeconds: number;
    readonly latencyMs: { readonly p50: number; readonly p75: number; readonly p90: number; readonly p99: number };
    /** Responses with a status of 400 or more (wrk counts them as "Non-2xx or 3xx"). */
    readonly non2xx3xx: number;
    readonly socketErrors: {
        readonly connect: number;
        readonly read: number;
        readonly write: number;
        readonly timeout: number;
    };
}

export interface WrkOptions {
    readonly url: string;
    readonly durationSeconds: number;
    readonly connections: number;
    readonly threads: number;
    /** A Lua script (e.g. for POST requests); none for a plain GET. */
    readonly script?: string;
    /** CPUs wrk may run on (a taskset list such as "0"); undefined: any. */
    readonly cpuList?: string;
}

export function wrkBinary(): string {
    const binary = process.env.WRK_BIN ?? "/usr/bin/wrk";
    if (!fs.existsSync(binary)) {
        throw new Error(
            `wrk is not installed at ${binary}. Install it (Debian/Ubuntu: apt-get install -y wrk; macOS: brew install wrk) ` +
                "or point WRK_BIN at a wrk binary.",
        );
    }
    return binary;
}

export function wrkArgs(options: WrkOptions): string[] {
    return [
        `--threads=${options.threads}`,
        `--connections=${options.connections}`,
        `--duration=${options.durationSeconds}s`,
        // A request slower than this counts as a timeout error rather than skewing the percentiles.
        "--timeout=5s",
        "--latency",
        ...(options.script === undefined ? [] : [`--script=${options.script}`]),
        options.url,
    ];
}

export async function runWrk(options: WrkOptions): Promise<{ result: WrkResult; output: string }> {
    const [command, args] =
        options.cpuList === undefined
            ? [wrkBinary(), wrkArgs(options)]
            : ["taskset", ["--cpu-list", options.cpuList, wrkBinary(), ...wrkArgs(options)]];
    const { stdout } = await promisify(execFile)(command, args, {
        timeout: (options.durationSeconds + 30) * 1000,
    });
    return { result: parseWrkOutput(stdout), output: stdout };
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60000 };

/** "1.23ms" -> 1.23, "870.00us" -> 0.87, "1.02s" -> 1020 */
export function parseDurationMs(text: string): number {
    const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
    if (match === null) {
        throw new Error(`Unexpected wrk duration "${text}"`);
    }
    return Number(match[1]) * UNIT_MS[match[2]];
}

/** The figures of a `wrk --latency` report; throws, quoting the report, when a figure is missing. */
export function parseWrkOutput(output: string): WrkResult {
    const find = (pattern: RegExp, what: string): RegExpExecArray => {
        const match = pattern.exec(output);
        if (match === null) {
            throw new Error(`wrk's report has no ${what}:\n${output}`);
        }
        return match;
    };
    const percentile = (p: number) =>
        parseDurationMs(find(new RegExp(`^\\s+${p}%\\s+(\\S+)$`, "m"), `${p}% latency`)[1]);
    const total = find(/^\s+(\d+) requests in ([\d.]+)(us|ms|s|m),/m, "request count");
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
    return {
        requestsPerSecond: Number(find(/^Requests\/sec:\s+([\d.]+)$/m, "Requests/sec")[1]),
        requests: Number(total[1]),
        durationSeconds: parseDurationMs(`${total[2]}${total[3]}`) / 1000,
        latencyMs: { p50: percentile(50), p75: percentile(75), p90: percentile(90), p99: percentile(99) },
        non2xx3xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
        socketErrors: {
            connect: Number(socket?.[1] ?? 0),
            read: Number(socket?.[2] ?? 0),
            write: Number(socket?.[3] ?? 0),
            timeout: Number(socket?.[4] ?? 0),
        },
    };
}

/** Non-2xx answers plus socket errors: anything but zero makes the figures meaningless. */
export function errorCount(result: WrkResult): number {
    const s = result.socketErrors;
    return result.non2xx3xx + s.connect + s.read + s.write + s.timeout;
}
