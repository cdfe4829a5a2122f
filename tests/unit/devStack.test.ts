import { strict as assert } from "assert";
import { backendBuildRequest, shortHash } from "../../components/images";
import { minikubeImageTag } from "../../components/targets/minikube";
import { checksumOf } from "../../components/app/frontendContent";
import { hashDirectory } from "../../components/images";
import { BACKEND_DIR } from "../../components/images";
import { ProgramRun, resourceKey, runProgram } from "../../tools/mockRuntime";
import { countByKind, kubernetesResources, manifest, ofType } from "./programQueries";

const TIERS = ["backend", "frontend"] as const;

describe("dev stack (minikube) under the mock runtime", function () {
    this.timeout(60000);
    let run: ProgramRun;

    before(async () => {
        run = await runProgram({ stack: "dev" });
    });

    it("creates exactly the app's objects", () => {
        assert.deepEqual(countByKind(run), {
            Namespace: 1,
            ServiceAccount: 2,
            Deployment: 2,
            Service: 2,
            PodDisruptionBudget: 2,
            HorizontalPodAutoscaler: 2,
            ConfigMap: 1,
            NetworkPolicy: 5,
        });
        assert.equal(ofType(run, "pulumi:providers:kubernetes").length, 1);
        assert.equal(ofType(run, "command:local:Command").length, 1);
    });

    it("points the Kubernetes provider at the configured context", () => {
        const [provider] = ofType(run, "pulumi:providers:kubernetes");
        assert.equal(provider.inputs.context, "minikube");
        assert.equal(provider.inputs.enableServerSideApply, "true");
        // Objects applied with `kubectl apply -f rendered/dev/` are adopted, not refused with AlreadyExists.
        assert.equal(provider.inputs.upsertExistingObjects, "true");
    });

    it("creates every Kubernetes object with the minikube target's provider", () => {
        const [provider] = ofType(run, "pulumi:providers:kubernetes");
        const reference = `urn:pulumi:dev::first-k8s::first-k8s:targets:MinikubeTarget$pulumi:providers:kubernetes::${provider.name}::${provider.id}`;
        for (const resource of kubernetesResources(run)) {
            assert.equal(resource.provider, reference, `${resource.type} ${resource.name}`);
        }
    });

    it("parents every resource to the component that owns it", () => {
        const parentOf = (type: string, name: string) => run.parents.get(resourceKey(type, name));
        assert.equal(parentOf("first-k8s:app:TwoTierApp", "first-k8s"), undefined);
        assert.equal(
            parentOf("kubernetes:core/v1:Namespace", "first-k8s-namespace"),
            "first-k8s:app:TwoTierApp::first-k8s",
        );
        for (const tier of TIERS) {
            const owner = `first-k8s:app:AppTier::first-k8s-${tier}`;
            assert.equal(parentOf("first-k8s:app:AppTier", `first-k8s-${tier}`), "first-k8s:app:TwoTierApp::first-k8s");
            assert.equal(parentOf("kubernetes:apps/v1:Deployment", `first-k8s-${tier}-deployment`), owner);
            assert.equal(parentOf("kubernetes:core/v1:Service", `first-k8s-${tier}-service`), owner);
            assert.equal(parentOf("kubernetes:policy/v1:PodDisruptionBudget", `first-k8s-${tier}-pdb`), owner);
            assert.equal(parentOf("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `first-k8s-${tier}-hpa`), owner);
            assert.equal(parentOf("kubernetes:core/v1:ServiceAccount", `first-k8s-${tier}-sa`), owner);
        }
        assert.equal(
            parentOf("kubernetes:networking.k8s.io/v1:NetworkPolicy", "first-k8s-network-policies-default-deny"),
            "first-k8s:app:AppNetworkPolicies::first-k8s-network-policies",
        );
        assert.equal(
            parentOf("command:local:Command", "minikube-backend-image"),
            "first-k8s:targets:MinikubeTarget::minikube",
        );
        assert.equal(
            parentOf("pulumi:providers:kubernetes", "minikube-k8s"),
            "first-k8s:targets:MinikubeTarget::minikube",
        );
    });

    it("labels the namespace for Pod Security Admission restricted", () => {
        const labels = manifest(run, "Namespace", "first-k8s").metadata.labels;
        assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
        assert.equal(labels["pod-security.kubernetes.io/audit"], "restricted");
    });

    for (const tier of TIERS) {
        describe(`the ${tier} tier`, () => {
            const deployment = () => manifest(run, "Deployment", tier);
            const pod = () => deployment().spec.template.spec;
            const container = () => pod().containers[0];

            it("selects its pods by labels derived from the pod template's", () => {
                const selector = deployment().spec.selector.matchLabels;
                assert.deepEqual(selector, {
                    "app.kubernetes.io/name": tier,
                    "app.kubernetes.io/instance": "first-k8s",
                });
                const podLabels = deployment().spec.template.metadata.labels;
                for (const [key, value] of Object.entries(selector)) {
                    assert.equal(podLabels[key], value);
                }
                assert.equal(podLabels["app.kubernetes.io/part-of"], "first-k8s");
                assert.equal(podLabels["app.kubernetes.io/managed-by"], "pulumi");
                assert.deepEqual(manifest(run, "Service", tier).spec.selector, selector);
                assert.deepEqual(manifest(run, "PodDisruptionBudget", tier).spec.selector.matchLabels, selector);
            });

            it("leaves the replica count to the HPA, within the configured bounds", () => {
                assert.equal("replicas" in deployment().spec, false);
                const hpa = manifest(run, "HorizontalPodAutoscaler", tier).spec;
                assert.deepEqual(hpa.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: tier });
                assert.deepEqual([hpa.minReplicas, hpa.maxReplicas], tier === "backend" ? [2, 5] : [2, 4]);
                assert.equal(hpa.metrics[0].resource.name, "cpu");
                assert.deepEqual(hpa.metrics[0].resource.target, { type: "Utilization", averageUtilization: 70 });
            });

            it("rolls out without losing capacity and drains before SIGTERM", () => {
                assert.deepEqual(deployment().spec.strategy, {
                    type: "RollingUpdate",
                    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
                });
                assert.deepEqual(container().lifecycle, { preStop: { sleep: { seconds: 5 } } });
                assert.ok(pod().terminationGracePeriodSeconds > 5);
            });

            it("probes readiness, liveness and startup on the named port", () => {
                const expected =
                    tier === "backend"
                        ? { readiness: "/api/readyz", liveness: "/api/healthz", startup: "/api/healthz" }
                        : { readiness: "/readyz", liveness: "/healthz", startup: "/healthz" };
                assert.deepEqual(container().readinessProbe.httpGet, { path: expected.readiness, port: "http" });
                assert.deepEqual(container().livenessProbe.httpGet, { path: expected.liveness, port: "http" });
                assert.deepEqual(container().startupProbe.httpGet, { path: expected.startup, port: "http" });
                assert.deepEqual(container().ports, [
                    { name: "http", containerPort: tier === "backend" ? 8000 : 8080, protocol: "TCP" },
                ]);
            });

            it("requests and limits cpu, memory and ephemeral storage", () => {
                for (const bound of ["requests", "limits"]) {
                    assert.deepEqual(Object.keys(container().resources[bound]).sort(), [
                        "cpu",
                        "ephemeral-storage",
                        "memory",
                    ]);
                }
            });

            it("runs as a numeric non-root user with nothing to escalate to", () => {
                const uid = tier === "backend" ? 10001 : 10101;
                assert.deepEqual(pod().securityContext, {
                    runAsNonRoot: true,
                    runAsUser: uid,
                    runAsGroup: uid,
                    fsGroup: uid,
                    seccompProfile: { type: "RuntimeDefault" },
                });
                assert.deepEqual(container().securityContext, {
                    runAsNonRoot: true,
                    runAsUser: uid,
                    runAsGroup: uid,
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    privileged: false,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: { type: "RuntimeDefault" },
                });
                assert.equal(pod().automountServiceAccountToken, false);
                assert.equal(pod().serviceAccountName, tier);
                assert.equal(manifest(run, "ServiceAccount", tier).automountServiceAccountToken, false);
                assert.ok(container().volumeMounts.some((mount: { mountPath: string }) => mount.mountPath === "/tmp"));
            });

            it("spreads over zones and nodes without blocking scheduling on one node", () => {
                const selector = deployment().spec.selector.matchLabels;
                assert.deepEqual(
                    pod().topologySpreadConstraints.map((c: Record<string, unknown>) => [
                        c.topologyKey,
                        c.whenUnsatisfiable,
                        c.maxSkew,
                    ]),
                    [
                        ["topology.kubernetes.io/zone", "ScheduleAnyway", 1],
                        ["kubernetes.io/hostname", "ScheduleAnyway", 1],
                    ],
                );
                for (const constraint of pod().topologySpreadConstraints) {
                    assert.deepEqual(constraint.labelSelector.matchLabels, selector);
                }
            });

            it("keeps all but one pod up through voluntary disruptions", () => {
                assert.deepEqual(manifest(run, "PodDisruptionBudget", tier).spec, {
                    maxUnavailable: 1,
                    selector: { matchLabels: deployment().spec.selector.matchLabels },
                    unhealthyPodEvictionPolicy: "AlwaysAllow",
                });
            });
        });
    }

    it("exposes the frontend by NodePort and the backend only inside the cluster", () => {
        assert.equal(manifest(run, "Service", "frontend").spec.type, "NodePort");
        assert.equal(manifest(run, "Service", "backend").spec.type, "ClusterIP");
        const types = kubernetesResources(run)
            .filter((resource) => resource.inputs.kind === "Service")
            .map((resource) => (resource.inputs.spec as { type: string }).type);
        assert.equal(types.includes("LoadBalancer"), false, "no cloud load balancer on minikube");
    });

    it("builds the backend inside minikube, tagged by the hash of app/backend", () => {
        const sourceHash = hashDirectory(BACKEND_DIR);
        const tag = `first-k8s/backend:src-${shortHash(sourceHash)}`;
        assert.equal(minikubeImageTag(backendBuildRequest()), tag);
        const [build] = ofType(run, "command:local:Command");
        assert.equal(build.inputs.create, `minikube -p minikube image build -t ${tag} .`);
        assert.equal(build.inputs.dir, BACKEND_DIR);
        // A new cluster under the same profile (a new kube-system uid) has none of the old one's images.
        const [kubeSystem] = ofType(run, "kubernetes:core/v1:Namespace").filter((resource) => resource.read);
        assert.equal(kubeSystem.id, "kube-system");
        assert.equal(kubeSystem.name, "minikube-kube-system");
        assert.deepEqual(build.inputs.triggers, [sourceHash, (kubeSystem.state.metadata as { uid: string }).uid]);
        const backend = manifest(run, "Deployment", "backend").spec.template.spec.containers[0];
        assert.equal(backend.image, tag);
        assert.equal(
            manifest(run, "Deployment", "backend").metadata.labels["app.kubernetes.io/version"],
            `src-${shortHash(sourceHash)}`,
        );
        assert.equal(run.outputs.backendImage, tag);
    });

    it("runs the frontend image pinned by digest, pulled only when the node lacks it", () => {
        const container = manifest(run, "Deployment", "frontend").spec.template.spec.containers[0];
        assert.equal(
            container.image,
            "nginxinc/nginx-unprivileged:1.28.3-alpine@sha256:6a23acdfca2b9cfbcec61419e3f1426bcbedb91362f2f19306a8567423bb4612",
        );
        assert.equal(container.imagePullPolicy, "IfNotPresent");
    });

    it("never pulls the backend image minikube built, which no registry has", () => {
        const container = manifest(run, "Deployment", "backend").spec.template.spec.containers[0];
        assert.equal(container.imagePullPolicy, "Never");
    });

    it("gives the backend its pod, node and IP through the downward API", () => {
        const env = manifest(run, "Deployment", "backend").spec.template.spec.containers[0].env;
        const fieldOf = (name: string) =>
            env.find((variable: { name: string }) => variable.name === name)?.valueFrom?.fieldRef;
        // apiVersion written out as the server defaults it: fieldRef is atomic under server-side apply.
        assert.deepEqual(fieldOf("POD_NAME"), { apiVersion: "v1", fieldPath: "metadata.name" });
        assert.deepEqual(fieldOf("NODE_NAME"), { apiVersion: "v1", fieldPath: "spec.nodeName" });
        assert.deepEqual(fieldOf("POD_IP"), { apiVersion: "v1", fieldPath: "status.podIP" });
    });

    it("serves nginx.conf and the page from a ConfigMap whose checksum rolls the frontend", () => {
        const configMap = manifest(run, "ConfigMap", "frontend-content");
        assert.deepEqual(Object.keys(configMap.data).sort(), ["app.js", "index.html", "nginx.conf", "styles.css"]);
        assert.match(configMap.data["nginx.conf"], /server backend\.first-k8s\.svc\.cluster\.local:80/);
        const template = manifest(run, "Deployment", "frontend").spec.template;
        assert.equal(template.metadata.annotations["first-k8s/config-checksum"], checksumOf(configMap.data));
        const container = template.spec.containers[0];
        assert.deepEqual(container.command, ["nginx"]);
        assert.deepEqual(container.args, ["-c", "/etc/nginx/first-k8s/nginx.conf", "-g", "daemon off;"]);
    });

    it("denies all traffic but the app's own paths", () => {
        const policy = (name: string) => manifest(run, "NetworkPolicy", name).spec;
        const frontend = { "app.kubernetes.io/name": "frontend", "app.kubernetes.io/instance": "first-k8s" };
        const backend = { "app.kubernetes.io/name": "backend", "app.kubernetes.io/instance": "first-k8s" };
        assert.deepEqual(policy("default-deny"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        assert.deepEqual(policy("allow-frontend-ingress"), {
            podSelector: { matchLabels: frontend },
            policyTypes: ["Ingress"],
            ingress: [{ ports: [{ protocol: "TCP", port: 8080 }] }],
        });
        assert.deepEqual(policy("allow-frontend-to-backend-egress"), {
            podSelector: { matchLabels: frontend },
            policyTypes: ["Egress"],
            egress: [{ to: [{ podSelector: { matchLabels: backend } }], ports: [{ protocol: "TCP", port: 8000 }] }],
        });
        assert.deepEqual(policy("allow-backend-from-frontend"), {
            podSelector: { matchLabels: backend },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: frontend } }], ports: [{ protocol: "TCP", port: 8000 }] }],
        });
        const dns = policy("allow-dns-egress");
        assert.deepEqual(dns.egress[0].ports, [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
        ]);
        assert.deepEqual(dns.egress[0].to[0].podSelector, { matchLabels: { "k8s-app": "kube-dns" } });
    });

    it("exports the namespace, the image and how to reach the frontend", () => {
        const frontendService = ofType(run, "kubernetes:core/v1:Service").find(
            (s) => s.name === "first-k8s-frontend-service",
        );
        const nodePort = (frontendService?.state.spec as { ports: { nodePort: number }[] }).ports[0].nodePort;
        assert.ok(nodePort >= 30000 && nodePort <= 32767);
        assert.equal(run.outputs.target, "minikube");
        assert.equal(run.outputs.namespace, "first-k8s");
        assert.equal(run.outputs.frontendUrlCommand, "minikube -p minikube service frontend -n first-k8s --url");
        assert.equal(run.outputs.frontendUrl, `http://$(minikube -p minikube ip):${nodePort}`);
    });
});
