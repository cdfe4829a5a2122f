/**
 * compose.yaml's backend health check is a command of its own (the image has Python but no curl), so it runs here,
 * as written, against the real backend: it must pass when the backend is ready and fail when it hangs or is gone,
 * or the frontend would start too early, or a hung backend would still be called healthy.
 */
import assert from "node:assert/strict";
import * as path from "path";
import { signal } from "../../tools/engine/signals";
import { loadComposeFile } from "../../tools/compose/composeFile";
import {
    BACKEND_STOP_GRACE_MS,
    backendGunicorn,
    freePort,
    makeTempDir,
    ManagedProcess,
    printLogsIfFailed,
    removeDir,
    runToCompletion,
    startBackend,
} from "../support/processes";

/** The backend's healthcheck command, its port swapped for `port` and `python` for the backend venv's. */
function healthcheck(port: number): { command: string; args: string[] } {
    const backend = (loadComposeFile().services ?? {}).backend as {
        healthcheck: { test: string[] };
        environment: Record<string, string>;
    };
    const [kind, command, ...args] = backend.healthcheck.test;
    assert.deepEqual([kind, command], ["CMD", "python"]);
    const address = `127.0.0.1:${backend.environment.PORT}`;
    assert.equal(args.filter((arg) => arg.includes(address)).length, 1, args.join(" "));
    return {
        command: path.join(path.dirname(backendGunicorn()), "python"),
        args: args.map((arg) => arg.replace(address, `127.0.0.1:${port}`)),
    };
}

describe("compose.yaml's backend health check, against the real backend", function () {
    this.timeout(40000);
    let logDir: string | undefined;
    let backend: ManagedProcess | undefined;
    let port = 0;

    const check = () => {
        const { command, args } = healthcheck(port);
        return runToCompletion(command, args, { logFile: path.join(logDir ?? "", "healthcheck.log") });
    };

    before(async () => {
        logDir = makeTempDir("compose");
        port = await freePort();
        backend = await startBackend(port, logDir);
    });
    afterEach(function () {
        printLogsIfFailed(this.currentTest, [backend]);
    });
    after(async () => {
        await backend?.stop(BACKEND_STOP_GRACE_MS);
        removeDir(logDir);
    });

    it("passes while the backend is ready", () => {
        assert.deepEqual(check(), { status: 0, output: "" });
    });

    it("fails within its 2 s timeout while every backend process hangs", () => {
        const pid = backend?.child.pid ?? NaN;
        signal(-pid, "SIGSTOP");
        try {
            const started = Date.now();
            const result = check();
            assert.equal(result.status, 1);
            assert.match(result.output, /TimeoutError: timed out\n$/);
            assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
        } finally {
            signal(-pid, "SIGCONT");
        }
        assert.equal(check().status, 0, "ready again once the processes run");
    });

    it("fails once the backend is gone", async () => {
        await backend?.stop(BACKEND_STOP_GRACE_MS);
        const result = check();
        assert.equal(result.status, 1);
        assert.match(result.output, /ConnectionRefusedError/);
    });
});
