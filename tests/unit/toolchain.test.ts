import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { engineVersions } from "../../tools/engine/binaries";
import { PROJECT_DIR } from "../../tools/mockRuntime";

const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
};

const major = (version: string) => Number(/^\D*(\d+)/.exec(version)?.[1]);

describe("Node.js versions", () => {
    it("names the current LTS in .nvmrc, the version the engine tests run on", () => {
        assert.equal(fs.readFileSync(path.join(PROJECT_DIR, ".nvmrc"), "utf8").trim(), engineVersions().NODE_VERSION);
        assert.equal(major(engineVersions().NODE_VERSION), 24);
    });

    it("accepts the oldest LTS the dependencies accept, types to match, and tests on it", () => {
        // @pulumi/pulumi needs Node >= 22, mocha 12 needs >= 22.12 on the 22 line.
        assert.equal(packageJson.engines.node, ">=22.12.0");
        assert.equal(major(packageJson.devDependencies["@types/node"]), 22);
        const maintenance = engineVersions().NODE_MAINTENANCE_VERSION.split(".").map(Number);
        assert.equal(maintenance[0], 22);
        assert.ok(
            maintenance[1] >= 12,
            `${engineVersions().NODE_MAINTENANCE_VERSION} satisfies ${packageJson.engines.node}`,
        );
    });
});
