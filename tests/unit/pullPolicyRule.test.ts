import { strict as assert } from "assert";
import { PULL_POLICY_CHECK, pullPolicyFindings } from "../../tools/conformance/pullPolicy";

const DIGEST = `sha256:${"b".repeat(64)}`;

type Container = { name: string; image: string; imagePullPolicy?: string };

function deployment(name: string, containers: Container[], initContainers: Container[] = []) {
    return {
        manifest: {
            kind: "Deployment",
            metadata: { name, namespace: "app" },
            spec: { template: { spec: { containers, initContainers } } },
        },
    };
}

describe("the project's pull-policy rule (the conformance gate's replacement for kube-score's)", () => {
    it("accepts Always for a tag, IfNotPresent for a digest, Never for an image built on the node", () => {
        assert.deepEqual(
            pullPolicyFindings([
                deployment("ok", [
                    { name: "tagged", image: "nginx:1.27", imagePullPolicy: "Always" },
                    { name: "pinned", image: `nginx:1.27@${DIGEST}`, imagePullPolicy: "IfNotPresent" },
                    {
                        name: "digest-only",
                        image: `registry.example.com/web@${DIGEST}`,
                        imagePullPolicy: "IfNotPresent",
                    },
                    { name: "built", image: "first-k8s/backend:src-0123456789ab", imagePullPolicy: "Never" },
                    // Kubernetes makes an unset policy Always for `latest` and for no tag at all.
                    { name: "latest", image: "nginx:latest" },
                    { name: "bare", image: "nginx" },
                ]),
            ]),
            [],
        );
    });

    it("refuses IfNotPresent, set or defaulted, for an image named by tag, in init containers too", () => {
        const findings = pullPolicyFindings([
            deployment(
                "web",
                [
                    { name: "set", image: "nginx:1.27", imagePullPolicy: "IfNotPresent" },
                    { name: "defaulted", image: "registry.example.com/team/app:1.2.3" },
                ],
                [{ name: "init", image: "busybox:1.37", imagePullPolicy: "IfNotPresent" }],
            ),
        ]);
        assert.equal(findings.length, 1);
        assert.equal(findings[0].grade, "CRITICAL");
        assert.equal(findings[0].check, PULL_POLICY_CHECK);
        assert.equal(findings[0].object, "Deployment app/web");
        assert.deepEqual(
            findings[0].comments.map((comment) => comment.split(":")[0]),
            ["init", "set", "defaulted"],
        );
        assert.equal(
            findings[0].comments[1],
            "set: IfNotPresent for nginx:1.27, which names no digest: a tag may move, so the node must ask the registry (Always), or pin the digest",
        );
    });

    it("reads the pod spec of a Pod and of a CronJob's job template, and ignores objects without pods", () => {
        const container = { name: "c", image: "nginx:1.27", imagePullPolicy: "IfNotPresent" };
        const findings = pullPolicyFindings([
            { manifest: { kind: "Pod", metadata: { name: "p", namespace: "app" }, spec: { containers: [container] } } },
            {
                manifest: {
                    kind: "CronJob",
                    metadata: { name: "j", namespace: "app" },
                    spec: { jobTemplate: { spec: { template: { spec: { containers: [container] } } } } },
                },
            },
            { manifest: { kind: "ConfigMap", metadata: { name: "c", namespace: "app" }, data: {} } },
        ]);
        assert.deepEqual(
            findings.map((finding) => finding.object),
            ["Pod app/p", "CronJob app/j"],
        );
    });
});
