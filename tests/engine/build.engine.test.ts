/**
 * tools/engine/build.sh as a user meets it: a warm cache builds nothing, and a component that cannot be built
 * is named, with its log, and leaves nothing half-built in the cache.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BUILD_SCRIPT, ENGINE_DIR } from "../../tools/engine/binaries";
import { engine, tempDir } from "./support/cluster";

describe("tools/engine/build.sh", function () {
    this.timeout(2 * 60_000);
    before(function () {
        this.timeout(60 * 60_000);
        engine();
    });

    it("builds nothing when every component is cached, and says so per component", () => {
        const result = spawnSync(BUILD_SCRIPT, [], { encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        const lines = result.stderr.split("\n").filter((line) => line.startsWith("  "));
        assert.deepEqual(
            lines.map((line) => line.trim().split(":")[0]),
            [
                "etcd 3.6.16",
                "kwok 0.8.0",
                "language-nodejs 3.68.0",
                "kubernetes 1.36.3",
                "pulumi 3.277.0",
                "kubernetes-provider 4.25.0",
            ],
        );
        assert.ok(
            lines.every((line) => line.includes(": cached (")),
            result.stderr,
        );
    });

    it("names the component that failed and its log, and keeps no half-built folder", () => {
        const scratch = tempDir("build");
        try {
            // The real script with one version that the module proxy does not have.
            fs.copyFileSync(BUILD_SCRIPT, path.join(scratch, "build.sh"));
            const versions = fs.readFileSync(path.join(ENGINE_DIR, "versions.env"), "utf8");
            fs.writeFileSync(
                path.join(scratch, "versions.env"),
                versions.replace(/^ETCD_VERSION=.*$/m, "ETCD_VERSION=0.0.1"),
            );
            const cache = path.join(scratch, "cache");
            const result = spawnSync("bash", [path.join(scratch, "build.sh")], {
                encoding: "utf8",
                env: { ...process.env, FIRST_K8S_CACHE: cache },
            });
            const log = path.join(cache, "engine", "logs", "etcd-0.0.1.log");
            assert.equal(result.status, 1);
            assert.match(
                result.stderr,
                new RegExp(
                    `\\nerror: building etcd 0\\.0\\.1 failed after \\d+ s; the last lines of ${log.replace(/[.]/g, "\\.")}:\\n`,
                ),
            );
            assert.match(fs.readFileSync(log, "utf8"), /go\.etcd\.io\/etcd\/server\/v3@v0\.0\.1/);
            assert.deepEqual(fs.readdirSync(path.join(cache, "engine")).sort(), [".lock", "logs"]);
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });
});
