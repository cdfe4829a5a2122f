/**
 * The frontend's own probes against the real NGINX with the rendered config: liveness answers whenever the
 * worker does; readiness only once the page (the pod's ConfigMap volume) is there.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
    freePort,
    LOOPBACK,
    prepareNginxSite,
    printLogsIfFailed,
    removeDir,
    RunningNginx,
    startNginx,
} from "../support/processes";

describe("frontend probes on the real NGINX", function () {
    let nginx: RunningNginx | undefined;

    before(async function () {
        this.timeout(20000);
        // No backend at all: neither probe may depend on it.
        nginx = await startNginx(prepareNginxSite({ backendServers: [`${LOOPBACK}:9`], listenPort: await freePort() }));
    });
    afterEach(function () {
        printLogsIfFailed(this.currentTest, [nginx?.process]);
    });
    after(async function () {
        await nginx?.process.stop();
        removeDir(nginx?.site.dir);
    });

    it("is live and ready with the page mounted, with the backend down", async () => {
        const live = await fetch(`${nginx?.baseUrl}/healthz`);
        assert.deepEqual([live.status, await live.text()], [200, "ok\n"]);
        const ready = await fetch(`${nginx?.baseUrl}/readyz`);
        assert.deepEqual([ready.status, await ready.text()], [200, "ready\n"]);
    });

    it("is live but not ready while the page is missing, and ready again once it is back", async () => {
        const index = path.join(nginx?.site.staticRoot ?? "", "index.html");
        const moved = `${index}.away`;
        fs.renameSync(index, moved);
        try {
            const ready = await fetch(`${nginx?.baseUrl}/readyz`);
            assert.deepEqual([ready.status, await ready.text()], [503, "page not mounted\n"]);
            assert.equal((await fetch(`${nginx?.baseUrl}/healthz`)).status, 200);
        } finally {
            fs.renameSync(moved, index);
        }
        assert.equal((await fetch(`${nginx?.baseUrl}/readyz`)).status, 200);
    });
});
