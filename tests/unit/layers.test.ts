import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { importGraph, layerViolations } from "../../tools/layers/importGraph";

describe("layers of components/ (npm run layers)", () => {
    it("has every import point down: targets never import the app or the report, the report only facts", () => {
        assert.deepEqual(layerViolations(importGraph()), []);
    });

    it("names an import that points up, with the file that makes it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-k8s-layers-"));
        try {
            fs.mkdirSync(path.join(dir, "targets"));
            fs.mkdirSync(path.join(dir, "app"));
            fs.writeFileSync(path.join(dir, "app", "tier.ts"), "export const tier = 1;\n");
            fs.writeFileSync(
                path.join(dir, "targets", "minikube.ts"),
                'import { tier } from "../app/tier";\nexport { naming } from "../naming";\nexport const t = tier;\n',
            );
            const graph = importGraph(dir);
            assert.deepEqual([...graph.keys()], ["targets -> app", "targets -> naming"]);
            assert.deepEqual(layerViolations(graph), ["targets -> app (targets/minikube.ts)"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
