/**
 * `./scripts/deploy-dev.sh` as a learner runs it on a fresh Linux machine without minikube and without the
 * Pulumi CLI: in a fresh copy of the repository, as root, with a PATH that has neither. It must end with the
 * app's page answering at the URL it prints, and the stop and destroy commands it prints must work; what it
 * refuses, it refuses in one line before it makes anything.
 */
import { strict as assert } from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { launchBrowser } from "../support/browser";
import { conceptRows, readOnlyKubectlCommands } from "../support/concepts";
import { REPO_ROOT } from "../support/processes";

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

const SYSTEM_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Where `program` is on this process's PATH. */
function dirOf(program: string): string {
    const dir = (process.env.PATH ?? "")
        .split(":")
        .find((entry) => entry !== "" && fs.existsSync(path.join(entry, program)));
    assert.ok(dir !== undefined, `${program} is not on PATH`);
    return dir;
}

/** The system's PATH with this test's Node.js first and Go (which the local cluster builds with), no minikube, no pulumi. */
function learnerPath(): string {
    const dirs = [path.dirname(process.execPath), dirOf("go"), ...SYSTEM_PATH];
    for (const tool of ["minikube", "pulumi"]) {
        const found = dirs.find((dir) => fs.existsSync(path.join(dir, tool)));
        assert.equal(found, undefined, `${tool} is installed in ${found}; this test needs a machine without it`);
    }
    return dirs.join(":");
}

/** The repository's files as a fresh clone has them (committed or not, nothing ignored), and its node_modules. */
function freshCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-k8s-deploy-"));
    fs.chmodSync(dir, 0o755);
    const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    assert.equal(listed.status, 0, listed.stderr);
    for (const file of listed.stdout.split("\0").filter((name) => name !== "")) {
        const source = path.join(REPO_ROOT, file);
        if (fs.existsSync(source)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.cpSync(source, path.join(dir, file), { verbatimSymlinks: true });
        }
    }
    // The script runs `npm ci` where node_modules is missing; hard links give it the same tree in a second.
    const linked = spawnSync("cp", ["-al", path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules")]);
    assert.equal(linked.status, 0, String(linked.stderr));
    return dir;
}

describe("./scripts/deploy-dev.sh on a fresh machine: no minikube, no pulumi (the project's local cluster)", function () {
    this.timeout(30 * 60_000);
    let clone = "";
    let env: NodeJS.ProcessEnv = {};
    let printed = { url: "", stop: "", destroy: "" };
    const localDir = () => path.join(clone, ".tools", "local-cluster");

    const script = (args: readonly string[], extra: NodeJS.ProcessEnv = {}, prefix: readonly string[] = []): Run => {
        const command = [...prefix, path.join(clone, "scripts", "deploy-dev.sh"), ...args];
        const run = spawnSync(command[0], command.slice(1), {
            cwd: clone,
            env: { ...env, ...extra },
            encoding: "utf8",
            maxBuffer: 64 << 20,
        });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    const inShell = (line: string): Run => {
        const run = spawnSync("bash", ["-c", line], { cwd: clone, env, encoding: "utf8", maxBuffer: 64 << 20 });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    /** Nothing of a cluster was made: no state folder, no real node holding the machine. */
    const nothingStarted = () => {
        assert.equal(fs.existsSync(localDir()), false, `${localDir()} was made`);
        assert.equal(fs.existsSync("/run/first-k8s-real-node"), false, "a real node was started");
    };
    const refused = (run: Run, message: string) => {
        assert.deepEqual([run.status, run.stderr], [1, `error: ${message}\n`], run.stdout);
        nothingStarted();
    };

    before(function () {
        this.timeout(5 * 60_000);
        clone = freshCopy();
        env = {
            PATH: learnerPath(),
            HOME: process.env.HOME,
            LANG: "C.UTF-8",
            TMPDIR: process.env.TMPDIR,
            CHROMIUM_BIN: process.env.CHROMIUM_BIN,
        };
    });
    after(async function () {
        this.timeout(5 * 60_000);
        if (clone !== "" && fs.existsSync(path.join(localDir(), "cluster.json"))) {
            inShell("npm run --silent local-cluster -- down");
        }
        if (clone !== "") {
            fs.rmSync(clone, { recursive: true, force: true });
        }
    });

    it("refuses another platform, a user who is not root, a port in use and a bad --port, each in one line, before making anything", async () => {
        const fakeBin = path.join(clone, ".fake-bin");
        fs.mkdirSync(fakeBin);
        fs.writeFileSync(path.join(fakeBin, "uname"), "#!/bin/sh\necho Darwin\n", { mode: 0o755 });
        refused(
            script([], { PATH: `${fakeBin}:${env.PATH}` }),
            "the local cluster runs on Linux only (this is macOS): install minikube and Docker Desktop " +
                "(brew install minikube; https://docs.docker.com/desktop/), then run ./scripts/deploy-dev.sh",
        );
        fs.rmSync(fakeBin, { recursive: true });

        refused(
            script(["--local"], {}, ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]),
            "the local cluster needs root (it makes a network namespace, cgroups and mounts): run sudo " +
                "./scripts/deploy-dev.sh --local, or install minikube (https://minikube.sigs.k8s.io/docs/start/) " +
                "and run ./scripts/deploy-dev.sh",
        );

        refused(script(["--port", "http"]), "--port takes a port number from 1 to 65535, not 'http'");
        refused(script(["--port", "65536"]), "--port takes a port number from 1 to 65535, not '65536'");

        const holder = net.createServer();
        await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
        const port = (holder.address() as net.AddressInfo).port;
        try {
            refused(
                script(["--port", String(port)]),
                `127.0.0.1:${port} is in use by another program: free it, or pick another port: ` +
                    `./scripts/deploy-dev.sh --local --port ${port + 1}`,
            );
        } finally {
            holder.close();
        }
    });

    it("deploys the dev stack and prints the app's URL, the kubeconfig and the stop and destroy commands; a second run meanwhile is refused", async () => {
        const started = Date.now();
        const first: ChildProcess = spawn(path.join(clone, "scripts", "deploy-dev.sh"), [], { cwd: clone, env });
        let stdout = "";
        let stderr = "";
        first.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        first.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => first.on("exit", resolve));
        const pidFile = path.join(clone, ".tools", "deploy-dev.pid");
        while (!(fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim() === String(first.pid))) {
            assert.equal(first.exitCode, null, `the first run ended early:\n${stdout}\n${stderr}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const second = script([]);
        assert.deepEqual(
            [second.status, second.stderr],
            [1, `error: another ./scripts/deploy-dev.sh is running (pid ${first.pid}); wait for it to finish\n`],
        );

        const status = await exited;
        assert.equal(status, 0, `${stdout}\n${stderr}`);
        console.log(
            `      measured: deploy-dev.sh on a fresh copy, warm engine cache: ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
        const lines = stdout.trimEnd().split("\n");
        assert.equal(
            lines[0],
            "minikube is not installed: deploying onto the project's own local cluster (one real node on this machine; --minikube to insist on minikube).",
        );
        assert.ok(
            stdout.includes(
                "pulumi is not installed: using the one tools/engine/build.sh built from source (to install the official CLI instead: curl -fsSL https://get.pulumi.com | sh).",
            ),
            stdout,
        );
        const tail = lines.slice(-4);
        assert.deepEqual(tail, [
            "==> The app: http://127.0.0.1:8080/",
            `    kubectl: export KUBECONFIG=${localDir()}/kubeconfig (context minikube), or in a new shell: source .tools/dev.env`,
            "    Stop the cluster:   npm run local-cluster -- down  (./scripts/deploy-dev.sh starts it again)",
            "    Destroy the stack:  source .tools/dev.env && pulumi destroy --stack dev --yes",
        ]);
        printed = {
            url: "http://127.0.0.1:8080/",
            stop: "npm run local-cluster -- down",
            destroy: "source .tools/dev.env && pulumi destroy --stack dev --yes",
        };

        // `pulumi up` ends when both backend pods are Ready; their endpoints reach kube-proxy a moment later.
        const readyEndpoints = () =>
            inShell(
                "source .tools/dev.env && kubectl get endpointslices -n first-k8s -l kubernetes.io/service-name=backend " +
                    "-o jsonpath='{range .items[*].endpoints[?(@.conditions.ready==true)]}{.targetRef.name}{\"\\n\"}{end}'",
            )
                .stdout.split("\n")
                .filter((name) => name !== "").length;
        for (let waited = 0; readyEndpoints() < 2; waited += 1) {
            assert.ok(waited < 30, "the backend Service has fewer than 2 ready endpoints after 30 s");
            await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        const browser = await launchBrowser();
        try {
            const page = await browser.newPage();
            await page.goto(printed.url);
            await page.locator('#backend-status[data-state="available"]').waitFor({ timeout: 30_000 });
            await page.getByRole("button", { name: "Send 20" }).click();
            await page
                .getByRole("status")
                .filter({ hasText: "20 of 20 messages answered." })
                .waitFor({ timeout: 30_000 });
            assert.equal((await page.locator("#distribution-body tr").all()).length, 2);
            assert.deepEqual([browser.offLoopbackRequests, browser.pageErrors], [[], []]);
        } finally {
            await browser.close();
        }
    });

    it("gives kubectl the cluster through the printed kubeconfig: the concepts table's kubectl get commands answer", () => {
        const nodes = inShell("source .tools/dev.env && kubectl get nodes -o wide");
        assert.equal(nodes.status, 0, nodes.stderr);
        assert.match(nodes.stdout, /^minikube\s+Ready\s/m);
        const commands = conceptRows().flatMap((row) => readOnlyKubectlCommands(row));
        assert.ok(commands.length >= 8, `only ${commands.length} kubectl commands in the table`);
        for (const words of commands) {
            const line = `kubectl ${words.join(" ")}`;
            const run = inShell(`source .tools/dev.env && ${line}`);
            assert.equal(run.status, 0, `${line}\n${run.stderr}`);
        }
    });

    it("is idempotent: a second run changes nothing and prints the same URL", () => {
        const run = script([]);
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /^==> The local cluster already runs /m);
        assert.doesNotMatch(run.stdout, /^\s+[-+~]+\s*\d+ (created|updated|replaced|deleted)$/m);
        assert.match(run.stdout, /^\s+\d+ unchanged$/m);
        assert.match(run.stdout, /^==> The app: http:\/\/127\.0\.0\.1:8080\/$/m);
    });

    it("brings the cluster and the app back after its processes were killed (as a reboot kills them), building the image again", async () => {
        for (const line of fs.readFileSync(path.join(localDir(), "processes.txt"), "utf8").trim().split("\n")) {
            const pid = Number(line.split(" ")[0]);
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // gone already
            }
        }
        await assert.rejects(fetch(printed.url, { signal: AbortSignal.timeout(5_000) }));
        const started = Date.now();
        const run = script([]);
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        console.log(
            `      measured: deploy-dev.sh after the cluster died: ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
        // A new cluster: the image is built into its node again (the pods run it with imagePullPolicy Never).
        assert.match(run.stdout, /command:local:Command\s+\S*backend-image\s+replaced/);
        const page = await fetch(printed.url, { signal: AbortSignal.timeout(10_000) });
        assert.equal(page.status, 200);
        const info = await fetch(`${printed.url}api/info`, { signal: AbortSignal.timeout(10_000) });
        assert.equal(info.status, 200);
    });

    it("destroys the stack and stops the cluster with the commands it printed", () => {
        const destroyed = inShell(printed.destroy);
        assert.equal(destroyed.status, 0, `${destroyed.stdout}\n${destroyed.stderr}`);
        const namespaces = inShell("source .tools/dev.env && kubectl get namespace first-k8s");
        assert.match(namespaces.stderr, /namespaces "first-k8s" not found/);
        const stopped = inShell(printed.stop);
        assert.equal(stopped.status, 0, stopped.stderr);
        assert.match(stopped.stdout, /^Stopped /m);
        assert.equal(fs.existsSync("/run/first-k8s-real-node"), false);
    });
});
