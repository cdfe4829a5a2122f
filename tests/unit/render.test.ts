import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { BACKEND_DIR, shortHash } from "../../components/images/backendImage";
import { hashDirectory } from "../../components/images/sourceHash";
import { PROJECT_DIR, previewAwsMocks } from "../../tools/mockRuntime";
import { UNKNOWN_IMAGE_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../tools/render/placeholders";
import { Rendering, renderStack } from "../../tools/render/renderStack";
import { manifestText, planText, writeRendering } from "../../tools/render/writeRendering";

const run = promisify(execFile);

function readTree(dir: string): Record<string, string> {
    return Object.fromEntries(fs.readdirSync(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")]));
}

describe("npm run render (offline, under the mock runtime)", function () {
    this.timeout(120000);
    let dev: Rendering;

    before(async () => {
        dev = await renderStack("dev");
    });

    it("writes the same bytes on every run", async () => {
        const first = fs.mkdtempSync(path.join(os.tmpdir(), "render-a-"));
        const second = fs.mkdtempSync(path.join(os.tmpdir(), "render-b-"));
        const written = writeRendering(dev, first);
        writeRendering(await renderStack("dev"), second);
        const a = readTree(path.join(first, "dev"));
        assert.deepEqual(readTree(path.join(second, "dev")), a);
        assert.equal(Object.keys(a).length, 17);
        assert.deepEqual(Object.keys(a), [...written.manifestFiles]);
        assert.equal(written.planFile, path.join(first, "dev.plan.json"));
        assert.equal(
            fs.readFileSync(written.planFile, "utf8"),
            fs.readFileSync(path.join(second, "dev.plan.json"), "utf8"),
        );
    });

    it("names files so that kubectl apply -f meets the namespace first", () => {
        const files = dev.objects.map((object) => object.file);
        assert.equal(files[0], "00-namespace-first-k8s.yaml");
        assert.deepEqual([...files].sort(), files);
        assert.ok(files.includes("04-deployment-backend.yaml"));
        assert.ok(files.includes("07-networkpolicy-default-deny.yaml"));
    });

    it("gives every object apiVersion, kind, a name and, unless cluster-scoped, the app's namespace", () => {
        for (const { manifest, file } of dev.objects) {
            assert.equal(typeof manifest.apiVersion, "string", file);
            assert.equal(typeof manifest.kind, "string", file);
            assert.match(manifest.metadata.name, /^[a-z0-9-]+$/, file);
            assert.equal(manifest.metadata.namespace, manifest.kind === "Namespace" ? undefined : "first-k8s", file);
            assert.ok(manifestText(manifest).startsWith("# Rendered offline"), file);
        }
    });

    it("lists every resource in plan.json with its parent and provider", () => {
        const byKey = new Map(dev.plan.map((entry) => [`${entry.type}::${entry.name}`, entry]));
        const deployment = byKey.get("kubernetes:apps/v1:Deployment::first-k8s-backend-deployment");
        assert.deepEqual(deployment, {
            type: "kubernetes:apps/v1:Deployment",
            name: "first-k8s-backend-deployment",
            parent: "first-k8s:app:AppTier::first-k8s-backend",
            provider: "pulumi:providers:kubernetes::minikube-k8s",
            inputs: { kind: "Deployment", namespace: "first-k8s", name: "backend", file: "04-deployment-backend.yaml" },
        });
        // The image is tagged with, and rebuilt on, the hash of app/backend; a new cluster is the other trigger.
        const sourceHash = hashDirectory(BACKEND_DIR);
        const image = `first-k8s/backend:src-${shortHash(sourceHash)}`;
        assert.equal(dev.outputs.backendImage, image);
        assert.deepEqual(byKey.get("command:local:Command::minikube-backend-image")?.inputs, {
            create: `minikube -p minikube image build -t ${image} .`,
            dir: "./app/backend",
            logging: "stdoutAndStderr",
            triggers: [sourceHash, UNKNOWN_PLACEHOLDER],
        });
        assert.deepEqual(byKey.get("kubernetes:core/v1:Namespace::minikube-kube-system"), {
            type: "kubernetes:core/v1:Namespace",
            name: "minikube-kube-system",
            parent: "first-k8s:targets:MinikubeTarget::minikube",
            provider: "pulumi:providers:kubernetes::minikube-k8s",
            inputs: { read: "kube-system" },
        });
        assert.equal(dev.plan.length, 25);
        // Every Kubernetes resource but the one read (kube-system) is a rendered object.
        assert.equal(dev.plan.filter((entry) => entry.type.startsWith("kubernetes:")).length, dev.objects.length + 1);
        assert.match(planText(dev), /^\{\n {2}"outputs": \{/);
    });

    it("shows what only the cluster knows as a placeholder, never an invented value", () => {
        assert.equal(dev.outputs.frontendUrl, "http://$(minikube -p minikube ip):<assigned on creation>");
        const seen = { keys: new Set<string>(), strings: [] as string[] };
        const walk = (value: unknown): void => {
            if (typeof value === "string") {
                seen.strings.push(value);
            } else if (value && typeof value === "object") {
                for (const [key, member] of Object.entries(value)) {
                    seen.keys.add(key);
                    walk(member);
                }
            }
        };
        walk(JSON.parse(planText(dev)));
        dev.objects.forEach((object) => walk(object.manifest));
        for (const serverField of ["nodePort", "clusterIP", "uid", "resourceVersion", "status"]) {
            assert.equal(seen.keys.has(serverField), false, serverField);
        }
        assert.deepEqual(
            seen.strings.filter((value) => value.startsWith(PROJECT_DIR) || /(^|:)undefined$/.test(value)),
            [],
            "no undefined values and no absolute paths",
        );
        // What only the cluster can tell is there, as the placeholder (the image build's new-cluster trigger).
        assert.ok(seen.strings.includes(UNKNOWN_PLACEHOLDER), "a value only pulumi up knows shows as the placeholder");
    });

    describe("the eks stack", () => {
        let eks: Rendering;
        before(async () => {
            eks = await renderStack("eks", previewAwsMocks());
        });

        it("writes the same bytes on every run", async () => {
            const again = await renderStack("eks", previewAwsMocks());
            assert.equal(planText(again), planText(eks));
            assert.deepEqual(
                again.objects.map((object) => manifestText(object.manifest)),
                eks.objects.map((object) => manifestText(object.manifest)),
            );
        });

        it("shows every value only AWS knows as a placeholder, and never invents one", () => {
            assert.deepEqual(
                Object.entries(eks.outputs)
                    .filter(([, value]) => value === UNKNOWN_PLACEHOLDER)
                    .map(([name]) => name)
                    .sort(),
                [
                    "backendImage",
                    "clusterName",
                    "frontendUrl",
                    "imageRepository",
                    "kubeconfig",
                    "kubeconfigCommand",
                    "report",
                ],
            );
            assert.equal(eks.outputs.region, "us-east-1");
            assert.deepEqual(eks.outputs.zones, [
                "<zone 1, unknown until pulumi up>",
                "<zone 2, unknown until pulumi up>",
                "<zone 3, unknown until pulumi up>",
            ]);
            const backend = eks.objects.find((object) => object.file === "04-deployment-backend.yaml");
            const container = (backend?.manifest.spec as { template: { spec: { containers: { image: string }[] } } })
                .template.spec.containers[0];
            assert.equal(container.image, UNKNOWN_IMAGE_PLACEHOLDER);
            assert.match(UNKNOWN_IMAGE_PLACEHOLDER, /^unknown-until-pulumi-up\.invalid\/image@sha256:0{64}$/);
            // AWS-managed policy ARNs are constants the program passes in; every other ARN would be made up.
            // A policy document's ARN patterns (any region, any account) are no invented ARNs either.
            assert.doesNotMatch(
                planText(eks),
                /123456789012|mock|\.dkr\.ecr\.|\.elb\.|arn:aws:(?!iam::aws:policy\/|[a-z0-9-]+:\*:\*:)/,
            );
            assert.match(planText(eks), /"policyArn": "arn:aws:iam::aws:policy\/AmazonEKSWorkerNodePolicy"/);
        });

        it("lists the cloud resources with their provider and parent", () => {
            const byKey = new Map(eks.plan.map((entry) => [`${entry.type}::${entry.name}`, entry]));
            const cluster = [...byKey.values()].find((entry) => entry.type === "eks:index:Cluster");
            assert.equal(cluster?.parent, "first-k8s:eks:EksControlPlane::eks-control-plane");
            assert.equal(
                cluster?.provider,
                undefined,
                "a remote component gets its AWS provider in providers, not provider",
            );
            assert.equal((cluster?.inputs as { authenticationMode: string }).authenticationMode, "API");
            const frontend = eks.objects.find((object) => object.file === "03-service-frontend.yaml");
            assert.equal((frontend?.manifest.spec as { type: string }).type, "LoadBalancer");
        });
    });

    it("refuses a stack without a config file, naming the ones there are", async () => {
        await assert.rejects(renderStack("prod"), {
            message: /^render: there is no Pulumi\.prod\.yaml; stacks here: (\w+, )*dev, eks/,
        });
    });

    it("runs from the command line and explains its usage", async () => {
        const cli = path.join(PROJECT_DIR, "tools", "render", "cli.ts");
        const tsNode = path.join(PROJECT_DIR, "node_modules", ".bin", "ts-node");
        const help = await run(tsNode, [cli, "--help"], { cwd: PROJECT_DIR });
        assert.match(help.stdout, /^usage: npm run render -- <stack> \[--out DIR\]/);
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-cli-"));
        const result = await run(tsNode, [cli, "dev", "--out", out], { cwd: PROJECT_DIR });
        assert.match(
            result.stdout,
            /^Rendered 17 Kubernetes objects to .*\/dev\/ and 25 resources to .*\/dev\.plan\.json\n/,
        );
        assert.match(
            result.stdout,
            /\nApply without Pulumi: kubectl apply -f .*\/dev\/ {2}\(17 files, namespace first\)\n/,
        );
        // Only manifests in the folder the advice names: kubectl apply -f reads every file in it.
        assert.ok(fs.readdirSync(path.join(out, "dev")).every((file) => /^\d\d-[a-z]+-[a-z0-9-]+\.yaml$/.test(file)));
        assert.equal(fs.readdirSync(path.join(out, "dev")).length, 17);
        await assert.rejects(run(tsNode, [cli], { cwd: PROJECT_DIR }), (error: { code: number; stderr: string }) => {
            assert.equal(error.code, 2);
            assert.match(error.stderr, /error: name one stack \(dev, eks/);
            return true;
        });
    });
});
