/**
 * The README's concepts table: one row per concept of the guide, each with a command to run on the dev stack
 * and what it shows. Every row has a check here that its command and its claims match what the dev stack
 * declares (under the mock runtime); tests/engine/devStack.engine.test.ts runs its `kubectl get` and
 * `kubectl drain` commands against the deployed stack.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { StackFacts } from "../../components/facts";
import { NGINX_DEFAULTS } from "../../components/nginx/nginxConf";
import { DEFAULT_KEEP } from "../../tools/etcd/snapshots";
import { PROJECT_DIR, ProgramRun, runProgram } from "../../tools/mockRuntime";
import { conceptRows, ConceptRow } from "../support/concepts";
import { kubernetesResources, Manifest, manifest } from "./programQueries";

const NAMESPACE = "first-k8s";

/** What the kubelet's probe needs at worst to act: every allowed failure, a period apart, the last one timing out. */
function worstProbeSeconds(probe: Manifest): number {
    return probe.failureThreshold * probe.periodSeconds + probe.timeoutSeconds;
}

type Check = (row: ConceptRow, run: ProgramRun) => void;

const backend = (run: ProgramRun) => manifest(run, "Deployment", "backend").spec.template.spec.containers[0];
const minReplicas = (run: ProgramRun, tier: string) =>
    manifest(run, "HorizontalPodAutoscaler", tier).spec.minReplicas as number;
const report = (run: ProgramRun) => (run.outputs.report as { facts: StackFacts }).facts;
/** The minikube profile the dev stack deploys to, which is also its one node's name. */
function profile(run: ProgramRun): string {
    const found = /^minikube -p (\S+) service /.exec(String(run.outputs.frontendUrlCommand));
    assert.ok(found, `no profile in ${String(run.outputs.frontendUrlCommand)}`);
    return found[1];
}

/** The namespace the program puts the app in, as its backend Deployment says. */
const appNamespace = (run: ProgramRun): string => manifest(run, "Deployment", "backend").metadata.namespace;

/** The README's commands name no profile for the default one, as `minikube` takes it by default. */
const profileFlag = (run: ProgramRun) => (profile(run) === "minikube" ? "" : ` -p ${profile(run)}`);

const words = ["zero", "one", "two", "three", "four", "five"];

const CHECKS: Readonly<Record<string, Check>> = {
    Node: (row, run) => {
        assert.deepEqual(report(run).cluster.nodes.autoscaling, { kind: "fixed", nodes: 1 });
        assert.match(row.shows, /^one node, `minikube`/);
    },
    Pod: (row, run) => {
        const [frontend, backendPods] = [minReplicas(run, "frontend"), minReplicas(run, "backend")];
        assert.match(row.shows, new RegExp(`^${words[frontend]} frontend and ${words[backendPods]} backend pods`));
    },
    "Control plane": (row, run) => {
        assert.equal(report(run).cluster.controlPlane.apiServers, 1);
        assert.equal(report(run).cluster.controlPlane.etcdMembers, 1);
        assert.match(row.shows, /one of each, on your node/);
    },
    // The dev stack's one node is its minikube profile's: the node the rows ssh into and the scheduler assigns to.
    kubelet: (row, run) =>
        assert.match(row.command, new RegExp(`^\`minikube${profileFlag(run)} ssh -- systemctl status kubelet\`$`)),
    "kube-proxy": (row, run) => {
        assert.match(row.command, /-l k8s-app=kube-proxy`/);
        assert.match(row.command, new RegExp(`grep ${appNamespace(run)}\``));
    },
    Scheduler: (row, run) => {
        assert.match(row.command, new RegExp(`-n ${appNamespace(run)} --field-selector reason=Scheduled`));
        assert.match(
            row.shows,
            new RegExp(`Successfully assigned ${appNamespace(run)}/backend-… to ${profile(run)}\``),
        );
    },
    etcd: (row, run) => {
        assert.equal(report(run).cluster.controlPlane.etcdMembers, 1);
        assert.match(row.shows, new RegExp(`the newest ${DEFAULT_KEEP} kept`));
    },
    "Load balancing": (row, run) => {
        const page = fs.readFileSync(path.join(PROJECT_DIR, "app", "frontend", "index.html"), "utf8");
        assert.match(page, />Send 20</);
        assert.match(row.command, /press \*\*Send 20\*\*/);
        assert.equal(minReplicas(run, "backend"), 2, "both backend pods");
    },
    "Health checks fail traffic over (a crash)": (row, run) => {
        const pod = manifest(run, "Deployment", "backend").spec.template.spec;
        assert.equal(pod.restartPolicy ?? "Always", "Always");
        assert.ok(backend(run).readinessProbe);
        assert.match(row.shows, /`restartPolicy: Always`/);
    },
    "Health checks fail traffic over (a hang)": (row, run) => {
        const { readinessProbe, livenessProbe } = backend(run);
        assert.equal(worstProbeSeconds(readinessProbe), 12);
        assert.equal(worstProbeSeconds(livenessProbe), 32);
        const expected =
            `within ${worstProbeSeconds(readinessProbe)} s the readiness probe (${readinessProbe.failureThreshold} failures ` +
            `${readinessProbe.periodSeconds} s apart, ${readinessProbe.timeoutSeconds} s timeout)`;
        assert.ok(row.shows.includes(expected), `expected "${expected}" in: ${row.shows}`);
        assert.ok(
            row.shows.includes(
                `within ${worstProbeSeconds(livenessProbe)} s the liveness probe (${livenessProbe.failureThreshold} failures ${livenessProbe.periodSeconds} s apart)`,
            ),
        );
        assert.ok(row.shows.includes(`JSON 504 after ${NGINX_DEFAULTS.proxyReadTimeoutSeconds} s`));
        const env = Object.fromEntries(
            (backend(run).env as { name: string; value?: string }[]).map((e) => [e.name, e.value]),
        );
        assert.equal(env.GUNICORN_TIMEOUT, undefined, "gunicorn.conf.py's default of 30 s applies");
        assert.match(row.shows, /gunicorn's own 30 s worker timeout/);
    },
    "Horizontal scaling": (row, run) => {
        const hpa = manifest(run, "HorizontalPodAutoscaler", "backend");
        assert.equal(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
        assert.match(row.shows, /after five minutes, it removes them/);
    },
    "Vertical scaling": (row, run) => {
        const project = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8");
        assert.match(project, /^ {2}backendCpuRequest:$/m);
        const strategy = manifest(run, "Deployment", "backend").spec.strategy;
        assert.deepEqual(strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
        assert.match(row.shows, /`maxUnavailable: 0`/);
    },
    "Redundancy (PDB)": (row, run) => {
        for (const tier of ["frontend", "backend"]) {
            assert.equal(manifest(run, "PodDisruptionBudget", tier).spec.maxUnavailable, 1);
        }
        assert.match(row.shows, /^at most one pod of each tier/);
    },
    "Network policies": (row, run) => {
        const policies = kubernetesResources(run).filter((r) => r.inputs.kind === "NetworkPolicy");
        const denyAll = policies.filter((p) => {
            const spec = (p.inputs as Manifest).spec;
            return Object.keys(spec.podSelector ?? {}).length === 0 && !spec.ingress && !spec.egress;
        });
        assert.equal(denyAll.length, 1, "one default-deny policy");
        assert.deepEqual((denyAll[0].inputs as Manifest).spec.policyTypes, ["Ingress", "Egress"]);
        assert.match(row.shows, /^default deny/);
    },
};

describe("the README's concepts table", function () {
    this.timeout(60000);
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ stack: "dev" });
    });
    const rows = conceptRows();

    it("has exactly one checked row per concept", () => {
        assert.deepEqual(
            rows.map((row) => row.concept),
            Object.keys(CHECKS),
        );
    });

    it("runs every namespaced command in the app's namespace", () => {
        assert.equal(manifest(run, "Deployment", "backend").metadata.namespace, NAMESPACE);
        for (const row of rows) {
            for (const match of `${row.command} ${row.shows}`.matchAll(/ -n ([\w.-]+)/g)) {
                assert.ok([NAMESPACE, "kube-system"].includes(match[1]), `${row.concept}: -n ${match[1]}`);
            }
        }
    });

    for (const row of rows) {
        it(`says true things about ${row.concept}`, () => {
            const check = CHECKS[row.concept];
            assert.ok(check, `no check for the row "${row.concept}"`);
            check(row, run);
        });
    }
});
