import { CONFIG_DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { TierResources } from "./types";

// Kubernetes quantities in the forms the docs use: millicores or whole/decimal cores; Mi or Gi of memory.
const CPU = /^(?:([1-9][0-9]{0,5})m|([0-9]{1,2})(?:\.([0-9]{1,3}))?)$/;
const MEMORY = /^([1-9][0-9]{0,5})(Mi|Gi)$/;
const CPU_BOUNDS = { min: 10, max: 8000 }; // millicores
const MEMORY_BOUNDS = { min: 16, max: 16384 }; // MiB

/** Millicores of a CPU quantity ("250m", "0.5", "2"); undefined for anything else. */
export function millicores(value: string): number | undefined {
    const match = CPU.exec(value);
    if (!match) {
        return undefined;
    }
    if (match[1] !== undefined) {
        return Number(match[1]);
    }
    return Number(match[2]) * 1000 + Number((match[3] ?? "").padEnd(3, "0"));
}

/** MiB of a memory quantity ("128Mi", "1Gi"); undefined for anything else. */
export function mebibytes(value: string): number | undefined {
    const match = MEMORY.exec(value);
    return match ? Number(match[1]) * (match[2] === "Gi" ? 1024 : 1) : undefined;
}

type ResourceKey<T extends "backend" | "frontend"> =
    `${T}CpuRequest` | `${T}CpuLimit` | `${T}MemoryRequest` | `${T}MemoryLimit`;

function quantity(
    reader: ConfigReader,
    key: ResourceKey<"backend" | "frontend">,
    parse: (value: string) => number | undefined,
    bounds: { min: number; max: number },
    expected: string,
): { text: string; amount: number } | undefined {
    const text = reader.string(key, CONFIG_DEFAULTS[key]);
    const amount = parse(text);
    if (amount === undefined || amount < bounds.min || amount > bounds.max) {
        reader.problem(key, text, expected);
        return undefined;
    }
    return { text, amount };
}

/** One tier's requests and limits; each limit at least its request. Keys are spelled out for a search. */
function readTier(
    reader: ConfigReader,
    keys: {
        cpuRequest: ResourceKey<"backend" | "frontend">;
        cpuLimit: ResourceKey<"backend" | "frontend">;
        memoryRequest: ResourceKey<"backend" | "frontend">;
        memoryLimit: ResourceKey<"backend" | "frontend">;
    },
): TierResources {
    const cpu = "a CPU quantity from 10m to 8 cores, such as 250m or 0.5";
    const memory = "a memory quantity from 16Mi to 16Gi, such as 128Mi or 1Gi";
    const cpuRequest = quantity(reader, keys.cpuRequest, millicores, CPU_BOUNDS, cpu);
    const cpuLimit = quantity(reader, keys.cpuLimit, millicores, CPU_BOUNDS, cpu);
    const memoryRequest = quantity(reader, keys.memoryRequest, mebibytes, MEMORY_BOUNDS, memory);
    const memoryLimit = quantity(reader, keys.memoryLimit, mebibytes, MEMORY_BOUNDS, memory);
    if (cpuRequest && cpuLimit && cpuLimit.amount < cpuRequest.amount) {
        reader.problem(keys.cpuLimit, cpuLimit.text, `a CPU quantity >= ${keys.cpuRequest} (${cpuRequest.text})`);
    }
    if (memoryRequest && memoryLimit && memoryLimit.amount < memoryRequest.amount) {
        reader.problem(
            keys.memoryLimit,
            memoryLimit.text,
            `a memory quantity >= ${keys.memoryRequest} (${memoryRequest.text})`,
        );
    }
    return {
        cpuRequest: cpuRequest?.text ?? CONFIG_DEFAULTS[keys.cpuRequest],
        cpuLimit: cpuLimit?.text ?? CONFIG_DEFAULTS[keys.cpuLimit],
        memoryRequest: memoryRequest?.text ?? CONFIG_DEFAULTS[keys.memoryRequest],
        memoryLimit: memoryLimit?.text ?? CONFIG_DEFAULTS[keys.memoryLimit],
    };
}

export function readBackendResources(reader: ConfigReader): TierResources {
    return readTier(reader, {
        cpuRequest: "backendCpuRequest",
        cpuLimit: "backendCpuLimit",
        memoryRequest: "backendMemoryRequest",
        memoryLimit: "backendMemoryLimit",
    });
}

export function readFrontendResources(reader: ConfigReader): TierResources {
    return readTier(reader, {
        cpuRequest: "frontendCpuRequest",
        cpuLimit: "frontendCpuLimit",
        memoryRequest: "frontendMemoryRequest",
        memoryLimit: "frontendMemoryLimit",
    });
}
