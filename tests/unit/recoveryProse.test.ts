import { strict as assert } from "assert";
import { LostPart, RecoveryStep, RegionCheck } from "../../components/report/recoveryReasons";
import {
    dataLostText,
    durationText,
    lostPartText,
    recoveryStepText,
    regionCheckText,
} from "../../tools/compare/prose/recoveryProse";

/** Each sentence of the recovery table, once: the recovery tests assert the steps, these the words. */

const LAUNCH = { minutes: { low: 2, high: 5 }, basis: "typical, observed" } as const;
const nodeGroup = (domain: "node" | "zone", autoscaler: boolean): RecoveryStep => ({
    kind: "nodeReplacement",
    domain,
    by: { kind: "nodeGroup", autoscaler, launch: LAUNCH },
});
const QUICK = { minutes: { low: 1, high: 4 }, basis: "typical, observed" } as const;

describe("the recovery table's words", () => {
    const steps: [RecoveryStep, string][] = [
        [
            {
                kind: "probes",
                tiers: [
                    {
                        tier: "web",
                        reason: {
                            readiness: {
                                failureThreshold: 2,
                                periodSeconds: 5,
                                timeoutSeconds: 2,
                                detectionSeconds: 12,
                            },
                            livenessSeconds: 32,
                            ready: { low: 7, high: 65 },
                        },
                    },
                    { tier: "bare", reason: { readiness: null, livenessSeconds: null, ready: { low: 0, high: 0 } } },
                ],
            },
            "web: readiness (2 × 5 s + 2 s timeout) takes a hung pod out of its Service within 12 s, a crashed one at once, liveness restarts a hung container after 32 s, a new container is Ready 7–65 s after it starts (startup, then readiness probe); " +
                "bare: no readiness probe: a hung pod stays in its Service, no liveness probe: a hung container is never restarted, a new container is Ready 0–0 s after it starts (startup, then readiness probe)",
        ],
        [
            { kind: "othersServe", fewestReplicas: 2 },
            "every tier runs at least 2 pods, so the others answer meanwhile (requests the dead pod gets before it leaves its Service fail)",
        ],
        [
            { kind: "othersServe", fewestReplicas: 1 },
            "a tier with 1 pod answers nothing until its replacement is Ready",
        ],
        [
            {
                kind: "notReady",
                domain: "zone",
                after: { low: 50, high: 55 },
                gracePeriodSeconds: 50,
                monitorPeriodSeconds: 5,
            },
            "the zone's nodes are NotReady after 50–55 s (node-monitor-grace-period 50 s, checked every 5 s) and their pods leave their Services; requests sent to them until then fail",
        ],
        [
            { kind: "evicted", tolerationSeconds: 300, ready: { low: 7, high: 65 } },
            "their pods are evicted 300 s later (the default tolerationSeconds) and start elsewhere, Ready 7–65 s after",
        ],
        [
            {
                kind: "loadBalancerDrops",
                detectionSeconds: 100,
                unhealthyThreshold: 3,
                intervalSeconds: 30,
                timeoutSeconds: 10,
            },
            "the NLB stops sending to them within 100 s (3 failed checks 30 s apart, 10 s timeout)",
        ],
        [
            {
                kind: "replacementsHeld",
                domain: "zone",
                tiers: [
                    { tier: "a", reason: { kind: "deadNodesCounted" } },
                    { tier: "b", reason: { kind: "minDomains", minDomains: 3 } },
                ],
            },
            "a: the replacements stay Pending until the zone is back (DoNotSchedule still counts its nodes); b: the replacements stay Pending until the zone is back (minDomains 3 counts the lost zone as empty)",
        ],
        [{ kind: "appServes", up: true }, "the pods left answer throughout"],
        [
            { kind: "appServes", up: false },
            "no pod of some tier is left: the app is down until the replacements are Ready",
        ],
        [{ kind: "etcdQuorum", kept: true }, "the control plane keeps its etcd quorum"],
        [{ kind: "etcdQuorum", kept: false }, "the control plane loses its etcd quorum"],
        [
            { kind: "egress", natPerZone: true },
            "each zone has its own NAT gateway, so the zones left keep their way out (image pulls included)",
        ],
        [
            { kind: "egress", natPerZone: false },
            "one NAT gateway: if the lost zone held it, the nodes left pull no image from outside the VPC until it is back, so a replacement starts only on a node that holds its image (imagePullPolicy IfNotPresent)",
        ],
        [
            { kind: "nodeReplacement", domain: "node", by: { kind: "autoMode" } },
            "EKS Auto Mode launches nodes for pods that have none",
        ],
        [
            nodeGroup("node", true),
            "the node's group replaces an instance that is terminated or fails its EC2 status checks (2–5 min, typical, observed); meanwhile the Cluster Autoscaler adds nodes for replacements that find no room, and removes a node left unready for 20 minutes (scale-down-unready-time)",
        ],
        [
            nodeGroup("node", false),
            "the node's group replaces an instance that is terminated or fails its EC2 status checks (2–5 min, typical, observed); one that runs but stops reporting stays until you replace it",
        ],
        [
            nodeGroup("zone", true),
            "the lost zone's node group waits for its zone; the Cluster Autoscaler grows the other zones' groups for replacements that find no room, within their maximum (a node in 2–5 min, typical, observed)",
        ],
        [
            nodeGroup("zone", false),
            "the lost zone's node group waits for its zone; nothing adds nodes in the zones left",
        ],
        [{ kind: "clusterIsOneNode" }, "the one node is the control plane and runs every pod: nothing can reschedule"],
        [
            { kind: "remakeCluster", creation: QUICK, deploy: QUICK },
            "make the cluster again (1–4 min, typical, observed) and `pulumi up --refresh` (1–4 min, typical, observed)",
        ],
        [
            { kind: "snapshotForHandMadeObjects" },
            "an etcd snapshot is only needed for objects made by hand, outside the program",
        ],
        [
            { kind: "setUpMachine", setup: { minutes: { low: 15, high: 45 }, basis: "estimate" } },
            "install the tools and clone the repository (15–45 min, estimate)",
        ],
        [
            { kind: "makeClusterAndDeploy", creation: QUICK, deploy: QUICK },
            "make the cluster (1–4 min, typical, observed) and deploy (1–4 min, typical, observed)",
        ],
        [
            { kind: "stateStartsEmpty" },
            "with no Pulumi state left, a new stack of the same name starts empty: nothing to reconcile, as its cluster is gone too",
        ],
        [
            { kind: "newStack", setup: { minutes: { low: 2, high: 5 }, basis: "estimate" } },
            "a second stack from the first one's config with another awsRegion (2–5 min, estimate)",
        ],
        [
            {
                kind: "pulumiUp",
                path: [
                    { step: "vpc", minutes: { low: 1, high: 3 } },
                    { step: "loadBalancer", minutes: { low: 2, high: 2 } },
                ],
                minutes: { low: 3, high: 5 },
            },
            "its `pulumi up`, along the critical path of the resource graph: the VPC and a NAT gateway per zone (1–3 min) → the frontend's LoadBalancer Service and its NLB, which wait for the add-ons (2 min) = 3–5 min",
        ],
        [
            { kind: "clientCutover", cutover: { minutes: { low: 1, high: 10 }, basis: "estimate" } },
            "clients moved to the new load balancer (1–10 min, estimate)",
        ],
    ];
    for (const [step, expected] of steps) {
        it(`step ${step.kind}: ${expected.slice(0, 60)}`, () => assert.equal(recoveryStepText(step), expected));
    }

    const lost: [LostPart, string][] = [
        [{ kind: "podScratch" }, "the pod's emptyDir (/tmp) and the requests it was answering"],
        [{ kind: "domainPods", domain: "zone" }, "the zone's pods and their emptyDirs"],
        [
            { kind: "localCluster" },
            "the cluster: control plane, etcd and every pod (a stopped VM that starts again keeps them on its disk)",
        ],
        [{ kind: "everythingLocal" }, "the cluster and everything in it"],
        [
            { kind: "localPulumiState" },
            "the Pulumi state, if its backend was only on this machine (the deploy scripts' default: .pulumi-state in the repository)",
        ],
        [{ kind: "localEtcdSnapshots" }, "your etcd snapshots, if they were kept on this machine"],
        [
            { kind: "regionalCluster" },
            "the cluster and its etcd: AWS's backups of it stay with the region, and the program makes every object again",
        ],
        [
            { kind: "regionalPulumiState" },
            "the Pulumi state, if its backend is in that region (an S3 bucket there); the deploy scripts' default, a folder on your machine, is not",
        ],
        [
            { kind: "regionalImages" },
            "the backend images in ECR (a repository is regional): the new stack builds them again from source",
        ],
        [
            { kind: "regionalLogs", logs: ["api", "audit"], destination: "CloudWatch Logs" },
            "the control plane logs (api, audit) in the region's CloudWatch Logs, until it returns",
        ],
        [
            { kind: "regionalKmsKey" },
            "the KMS key of the cluster's Secrets (keys are regional): the new cluster gets its own",
        ],
        [
            { kind: "loadBalancerName" },
            "the load balancer's DNS name: the new NLB has another, and clients must be pointed at it",
        ],
    ];
    for (const [part, expected] of lost) {
        it(`lost ${part.kind}`, () => assert.equal(lostPartText(part), expected));
    }

    const checks: [RegionCheck, string][] = [
        [
            { kind: "kubernetesVersion", version: "1.35", zones: 3 },
            "the new region must offer Kubernetes 1.35 on EKS, and 3 zones EKS accepts for zoneCount",
        ],
        [
            { kind: "kubernetesVersion", version: null, zones: 2 },
            "the new region must offer Kubernetes (the cluster's version) on EKS, and 2 zones EKS accepts for zoneCount",
        ],
        [
            { kind: "elasticIpQuota", natGateways: 3 },
            "its quotas must allow 3 more Elastic IPs for the NAT gateways (5 per region by default) and the nodes' vCPUs",
        ],
        [
            { kind: "certificateIsRegional" },
            "an ACM certificate, if you add one for TLS, is regional: request or import it in the new region too",
        ],
    ];
    for (const [check, expected] of checks) {
        it(`check ${check.kind}: ${check.kind === "kubernetesVersion" ? String(check.version) : ""}`, () =>
            assert.equal(regionCheckText(check), expected));
    }

    it("data lost: none, a volume, volumes, and a remade cluster's objects", () => {
        assert.deepEqual(
            [
                { durableVolumes: 0, clusterObjectsRemade: false },
                { durableVolumes: 1, clusterObjectsRemade: false },
                { durableVolumes: 2, clusterObjectsRemade: true },
            ].map(dataLostText),
            [
                "none: no pod mounts a volume that outlives it",
                "what 1 durable volume held since the last backup (not modelled)",
                "what 2 durable volumes held since the last backup (not modelled); the cluster's objects: the program makes every one again",
            ],
        );
    });

    describe("durations", () => {
        const cases: [Parameters<typeof durationText>[0], string][] = [
            [{ low: 0, high: 0 }, "0"],
            [{ low: 7, high: 97 }, "7–97 s"],
            [{ low: 60, high: 60 }, "60 s"],
            [{ low: 357, high: 420 }, "6–7 min"],
            [{ low: 120, high: 480 }, "2–8 min"],
            [{ low: 1020, high: 2760 }, "17–46 min"],
            [{ low: 870, high: 2340 }, "15–39 min"],
            [{ low: 300, high: 570 }, "5–9.5 min"],
            [{ low: 600, high: 630 }, "10–11 min"], // whole minutes from ten on
            [{ low: 90, high: null }, "at least 90 s, until the lost part is back"],
            [{ low: 357, high: null }, "at least 6 min, until the lost part is back"],
        ];
        for (const [range, text] of cases) {
            it(`${JSON.stringify(range)} -> ${text}`, () => assert.equal(durationText(range), text));
        }
    });
});
