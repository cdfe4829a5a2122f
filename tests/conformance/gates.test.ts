import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as yaml from "js-yaml";
import { checkManifests, checkStack, GateResult, schemaVersionFindings } from "../../tools/conformance/gate";
import { loadKubeScoreConfig } from "../../tools/conformance/kubeScore";
import { PULL_POLICY_CHECK } from "../../tools/conformance/pullPolicy";
import { validateSchemas } from "../../tools/conformance/schema";
import { PROJECT_DIR } from "../../tools/mockRuntime";

const run = promisify(execFile);

/** A Deployment that breaks what the gate guards: unpinned image, no limits, no probes, runs as root. */
const CARELESS_DEPLOYMENT = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "careless", namespace: "demo" },
    spec: {
        replicas: 2,
        selector: { matchLabels: { app: "careless" } },
        template: {
            metadata: { labels: { app: "careless" } },
            spec: { containers: [{ name: "web", image: "nginx:latest", securityContext: { runAsUser: 0 } }] },
        },
    },
};

function manifestDir(...manifests: object[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-"));
    manifests.forEach((manifest, index) => fs.writeFileSync(path.join(dir, `${index}.yaml`), yaml.dump(manifest)));
    return dir;
}

describe("conformance gates: the Kubernetes schema and kube-score", function () {
    this.timeout(120000);
    const config = loadKubeScoreConfig();
    const results: Record<string, GateResult> = {};

    before(async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-stacks-"));
        for (const stack of ["dev", "eks"]) {
            results[stack] = await checkStack(stack, out);
        }
    });

    for (const stack of ["dev", "eks"]) {
        it(`passes both gates for the ${stack} stack: every object valid, nothing CRITICAL`, () => {
            const result = results[stack];
            assert.equal(result.objects, 17);
            assert.deepEqual(result.schema, []);
            assert.deepEqual(result.critical, []);
            assert.equal(result.passed, true);
        });
    }

    it("turns off on eks no check that dev keeps on, only the pull-policy check it replaces, and says why", () => {
        const tests = (stack: string) => config.stacks[stack].ignore.map((ignored) => ignored.test);
        assert.deepEqual(tests("dev"), ["container-image-pull-policy"]);
        assert.deepEqual(tests("eks"), ["container-image-pull-policy"]);
        for (const ignored of [...config.stacks.dev.ignore, ...config.stacks.eks.ignore]) {
            assert.ok(ignored.reason.length > 40, `${ignored.test} needs a reason`);
            assert.match(ignored.reason, /tools\/conformance\/pullPolicy\.ts/);
        }
    });

    it("holds every container to the project's pull-policy rule instead: IfNotPresent only with a digest", async () => {
        const container = (image: string, imagePullPolicy?: string) => ({
            ...CARELESS_DEPLOYMENT,
            metadata: { name: imagePullPolicy?.toLowerCase() ?? "unset", namespace: "demo" },
            spec: {
                ...CARELESS_DEPLOYMENT.spec,
                template: {
                    ...CARELESS_DEPLOYMENT.spec.template,
                    spec: { containers: [{ name: "web", image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] },
                },
            },
        });
        const digest = `nginx:1.27@sha256:${"a".repeat(64)}`;
        const byDigest = await checkManifests(
            "by digest",
            manifestDir(container(digest, "IfNotPresent")),
            config.stacks.eks,
        );
        assert.deepEqual(
            byDigest.critical.filter((finding) => finding.check === PULL_POLICY_CHECK),
            [],
        );
        const byTag = await checkManifests(
            "by tag",
            manifestDir(container("nginx:1.27", "IfNotPresent"), container("nginx:1.27")),
            config.stacks.eks,
        );
        assert.deepEqual(
            byTag.critical.filter((finding) => finding.check === PULL_POLICY_CHECK).map((finding) => finding.object),
            ["Deployment demo/ifnotpresent", "Deployment demo/unset"],
        );
        assert.equal(byTag.passed, false);
    });

    it("scores each stack for the Kubernetes version it runs", () => {
        const project = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
            config: { kubernetesVersion: { default: string } };
        };
        assert.equal(config.stacks.eks.kubernetesVersion, `v${project.config.kubernetesVersion.default}`);
        const deployDev = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "deploy-dev.sh"), "utf8");
        const minikube = /--kubernetes-version=(v\d+\.\d+)\.\d+/.exec(deployDev);
        assert.equal(config.stacks.dev.kubernetesVersion, minikube?.[1]);
    });

    it("fails a careless manifest, naming each CRITICAL check", async () => {
        const result = await checkManifests("careless", manifestDir(CARELESS_DEPLOYMENT), config.stacks.eks);
        assert.equal(result.passed, false);
        assert.deepEqual(result.schema, [], "the careless Deployment is valid, only unwise");
        const critical = new Set(result.critical.map((finding) => finding.check));
        for (const check of [
            "container-image-tag",
            "container-resources",
            "container-security-context-user-group-id",
            "container-security-context-readonlyrootfilesystem",
            "deployment-has-poddisruptionbudget",
            "pod-networkpolicy",
        ]) {
            assert.ok(critical.has(check), `expected ${check} in ${[...critical].join(", ")}`);
        }
        assert.ok(result.critical.every((finding) => finding.object === "Deployment demo/careless"));
    });

    it("fails objects that do not match the v1.36 schema, strictly, with a message per problem", async () => {
        const broken = {
            ...CARELESS_DEPLOYMENT,
            spec: {
                replicas: "two",
                template: { spec: { containers: [{ name: "web", image: "nginx:1.27", imagePullPolcy: "Always" }] } },
            },
        };
        const widget = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };
        assert.deepEqual(
            await validateSchemas([
                { file: "0.yaml", manifest: broken },
                { file: "1.yaml", manifest: widget },
            ]),
            {
                kubernetesVersion: "v1.36",
                findings: [
                    { file: "0.yaml", message: 'spec.replicas: expected integer, got "two"' },
                    { file: "0.yaml", message: "spec.template.spec.containers[0].imagePullPolcy: unknown field" },
                    { file: "0.yaml", message: "spec.selector: required field missing" },
                    { file: "1.yaml", message: "no schema for example.com/v1 Widget in Kubernetes v1.36" },
                ],
            },
        );
    });

    it("validates each stack against the schema of the Kubernetes version it runs: both v1.36", () => {
        assert.equal(config.stacks.dev.kubernetesVersion, "v1.36");
        assert.equal(config.stacks.eks.kubernetesVersion, "v1.36");
        for (const stack of ["dev", "eks"]) {
            assert.equal(results[stack].schemaVersion, config.stacks[stack].kubernetesVersion, stack);
        }
    });

    it("runs the local engine's control plane at the version both stacks deploy, and minikube at its patch", () => {
        const versions = fs.readFileSync(path.join(PROJECT_DIR, "tools", "engine", "versions.env"), "utf8");
        const engine = /^KUBERNETES_VERSION=((\d+\.\d+)\.\d+)$/m.exec(versions);
        assert.equal(`v${engine?.[2]}`, config.stacks.eks.kubernetesVersion);
        const deployDev = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "deploy-dev.sh"), "utf8");
        const minikube = new Set(deployDev.match(/--kubernetes-version=v[\d.]+/g));
        assert.deepEqual([...minikube], [`--kubernetes-version=v${engine?.[1]}`]);
    });

    it("fails a stack whose Kubernetes version is not the schema's, naming both", async () => {
        assert.deepEqual(schemaVersionFindings("v1.36", "v1.36"), []);
        const older = await checkManifests("older", manifestDir(CARELESS_DEPLOYMENT), {
            ...config.stacks.eks,
            kubernetesVersion: "v1.35",
        });
        assert.equal(older.passed, false);
        assert.deepEqual(older.schema, [
            {
                file: "conformance/requirements.txt",
                message:
                    "the schema is Kubernetes v1.36's, but the stack runs v1.35 (conformance/kube-score.yaml): " +
                    "pin the Kubernetes Python client of that minor",
            },
        ]);
    });

    it("exits 1 from the command line on a careless manifest, and 0 on the rendered stacks", async () => {
        const cli = path.join(PROJECT_DIR, "tools", "conformance", "cli.ts");
        const tsNode = path.join(PROJECT_DIR, "node_modules", ".bin", "ts-node");
        await assert.rejects(
            run(tsNode, [cli, "--manifests", manifestDir(CARELESS_DEPLOYMENT), "--as", "eks"], { cwd: PROJECT_DIR }),
            (error: { code: number; stdout: string }) => {
                assert.equal(error.code, 1);
                assert.match(error.stdout, /^FAIL /);
                assert.match(error.stdout, /\[CRITICAL\] container-image-tag Deployment demo\/careless/);
                return true;
            },
        );
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-cli-"));
        const passed = await run(tsNode, [cli, "dev", "eks", "--out", out], { cwd: PROJECT_DIR });
        assert.match(passed.stdout, /^PASS dev: 17 objects/);
        assert.match(passed.stdout, /\nPASS eks: 17 objects/);
    });
});
