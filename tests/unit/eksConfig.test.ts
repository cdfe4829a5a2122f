import { strict as assert } from "assert";
import { ConfigError, EksStackConfig, parseStackConfig } from "../../components/config";
import { isCanonicalIpv4Cidr } from "../../components/config/cidr";
import { eksMinReplicas, mostPodsInOneZone } from "../../components/config/parseEks";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { awsMocks, PROJECT_DIR, programMocks, runProgram } from "../../tools/mockRuntime";

const PROJECT = "first-k8s";
const HEADER = "Invalid stack configuration (nothing was created):\n";
/** The least an eks stack needs beyond the defaults: three pods per tier, as Pulumi.eks.yaml sets. */
const EKS = { target: "eks", backendMinReplicas: "3", frontendMinReplicas: "3" };
/** The day the version checks run on: the date the version table was read. */
const TODAY = new Date("2026-12-07T12:00:00Z");

function parseEks(values: Record<string, string>, today = TODAY): EksStackConfig {
    const config = parseStackConfig((key) => ({ ...EKS, ...values })[key], PROJECT, [], today);
    assert.equal(config.target, "eks");
    return config as EksStackConfig;
}

function errorOf(values: Record<string, string>): ConfigError {
    try {
        parseEks(values);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${JSON.stringify(values)} to be rejected`);
}

describe("stack config: the eks target", () => {
    it("applies every EKS default", () => {
        assert.deepEqual(parseEks({}).eks, {
            region: "us-east-1",
            profile: undefined,
            kubernetesVersion: "1.36",
            supportType: "STANDARD",
            zoneCount: 3,
            natGateways: "OnePerAz",
            publicAccessCidrs: ["0.0.0.0/0"],
            nodes: { mode: "managed", instanceTypes: ["t3.medium"], scaling: { min: 3, desired: 3, max: 6 } },
            ecrKeepImages: 10,
            controlPlaneLogTypes: ["api", "audit", "authenticator"],
            controlPlaneLogRetentionDays: 30,
            tlsCertificateArn: undefined,
        });
    });

    it("reads every EKS key as its type (lists as Pulumi passes them: JSON)", () => {
        const config = parseEks({
            awsRegion: "eu-west-1",
            awsProfile: "lab-admin",
            kubernetesVersion: "1.34",
            zoneCount: "2",
            backendMinReplicas: "4",
            frontendMinReplicas: "4",
            natGatewayStrategy: "Single",
            publicAccessCidrs: '["203.0.113.0/24", "198.51.100.7/32"]',
            nodeInstanceTypes: '["m7i.large", "m6i.large"]',
            nodeMinSize: "2",
            nodeDesiredSize: "4",
            nodeMaxSize: "8",
            ecrKeepImages: "25",
            controlPlaneLogTypes: '["scheduler", "api"]',
            controlPlaneLogRetentionDays: "365",
            tlsCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211",
        });
        assert.deepEqual(config.eks, {
            region: "eu-west-1",
            profile: "lab-admin",
            kubernetesVersion: "1.34",
            // 1.34 left standard support on 2026-12-02: EKS takes only EXTENDED for it.
            supportType: "EXTENDED",
            zoneCount: 2,
            natGateways: "Single",
            publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
            nodes: {
                mode: "managed",
                instanceTypes: ["m7i.large", "m6i.large"],
                scaling: { min: 2, desired: 4, max: 8 },
            },
            ecrKeepImages: 25,
            controlPlaneLogTypes: ["scheduler", "api"],
            controlPlaneLogRetentionDays: 365,
            tlsCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211",
        });
    });

    it("refuses, in Auto Mode, the node group keys it would ignore", () => {
        assert.equal(
            errorOf({ nodes: "auto", nodeInstanceTypes: '["m7i.large"]' }).message,
            `${HEADER}  - first-k8s:nodeInstanceTypes = "[\\"m7i.large\\"]": expected no value with nodes auto, where ` +
                "EKS Auto Mode picks instance types and node counts itself (remove the key, or set nodes managed)",
        );
        assert.deepEqual(
            errorOf({ nodes: "auto", nodeInstanceTypes: "[]", nodeMinSize: "1", nodeMaxSize: "9" }).problems.map(
                (problem) => [problem.key, problem.value],
            ),
            [
                ["first-k8s:nodeInstanceTypes", "[]"],
                ["first-k8s:nodeMinSize", "1"],
                ["first-k8s:nodeMaxSize", "9"],
            ],
        );
    });

    it("takes Auto Mode with the node group keys at their Pulumi.yaml defaults, as the CLI hands them over", () => {
        const config = parseEks({
            nodes: "auto",
            nodeInstanceTypes: '["t3.medium"]',
            nodeMinSize: "3",
            nodeDesiredSize: "3",
            nodeMaxSize: "6",
        });
        assert.deepEqual(config.eks.nodes, { mode: "auto" });
    });

    it("treats an empty awsProfile (the Pulumi.yaml default) as the default credential chain", () => {
        assert.equal(parseEks({ awsProfile: "" }).eks.profile, undefined);
    });

    it("reads the EKS keys only on target eks, and at their defaults ignores them elsewhere", () => {
        const defaults: Record<string, string> = { awsRegion: "us-east-1", nodes: "managed", zoneCount: "3" };
        const config = parseStackConfig((key) => defaults[key], PROJECT, [], TODAY, "dev");
        assert.equal(config.target, "minikube");
        assert.equal("eks" in config, false);
    });

    it("refuses a stack without target eks that sets EKS-only keys: it would deploy to minikube", () => {
        assert.throws(
            () =>
                parseStackConfig(
                    (key) => ({ zoneCount: "2", nodes: "auto", publicAccessCidrs: '["0.0.0.0/0"]' })[key],
                    PROJECT,
                    [],
                    TODAY,
                    "lab",
                ),
            {
                name: "ConfigError",
                message:
                    `${HEADER}  - first-k8s:target = "minikube": expected eks, as it sets zoneCount, nodes, which only ` +
                    "target eks reads: pulumi config set target eks --stack lab (or remove those keys)",
            },
        );
    });

    it("refuses a stack named eks (or eks-...) without target eks", () => {
        for (const stack of ["eks", "eks-west"]) {
            assert.throws(() => parseStackConfig(() => undefined, PROJECT, [], TODAY, stack), {
                message:
                    `${HEADER}  - first-k8s:target = "minikube": expected eks, as the stack is named ${stack}: ` +
                    `pulumi config set target eks --stack ${stack}`,
            });
        }
        const cluster: Record<string, string> = { target: "cluster", backendImage: "ghcr.io/acme/backend:1.0.0" };
        assert.throws(() => parseStackConfig((key) => cluster[key], PROJECT, [], TODAY, "eks"), {
            message:
                `${HEADER}  - first-k8s:target = "cluster": expected eks, as the stack is named eks: ` +
                "pulumi config set target eks --stack eks",
        });
        assert.equal(parseStackConfig(() => undefined, PROJECT, [], TODAY, "weeks").target, "minikube");
    });

    it("stops an eks stack file without target before it creates anything", async () => {
        const stackFile = path.join(os.tmpdir(), `first-k8s-eks-no-target-${process.pid}.yaml`);
        const eksFile = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.eks.yaml"), "utf8");
        fs.writeFileSync(stackFile, eksFile.replace(/^  first-k8s:target: eks\n/m, ""));
        const recorder = programMocks(awsMocks({ today: TODAY }));
        try {
            assert.doesNotMatch(fs.readFileSync(stackFile, "utf8"), /target/);
            await assert.rejects(runProgram({ stack: "eks", stackFile, recorder, today: TODAY }), {
                name: "ConfigError",
                message:
                    `${HEADER}  - first-k8s:target = "minikube": expected eks, as the stack is named eks: ` +
                    "pulumi config set target eks --stack eks",
            });
        } finally {
            fs.rmSync(stackFile, { force: true });
        }
        assert.deepEqual(
            recorder.resources.map((resource) => resource.type),
            ["pulumi:pulumi:Stack"],
        );
    }).timeout(60000);

    const cases: [string, Record<string, string>, string][] = [
        ["fewer than two zones", { zoneCount: "1" }, 'first-k8s:zoneCount = "1": expected an integer from 2 to 6'],
        [
            "more zones than any region has",
            { zoneCount: "7" },
            'first-k8s:zoneCount = "7": expected an integer from 2 to 6',
        ],
        [
            "more minimum nodes than maximum",
            { nodeMinSize: "5", nodeMaxSize: "4" },
            'first-k8s:nodeMaxSize = "4": expected an integer >= nodeMinSize (5)',
        ],
        [
            "a desired size above the maximum",
            { nodeDesiredSize: "7" },
            'first-k8s:nodeDesiredSize = "7": expected an integer from nodeMinSize (3) to nodeMaxSize (6)',
        ],
        [
            "a desired size below the minimum",
            { nodeMinSize: "4", nodeDesiredSize: "3" },
            'first-k8s:nodeDesiredSize = "3": expected an integer from nodeMinSize (4) to nodeMaxSize (6)',
        ],
        [
            "fewer nodes than zones",
            { nodeMinSize: "2", nodeDesiredSize: "2" },
            'first-k8s:nodeMinSize = "2": expected an integer >= zoneCount (3), so that every zone has a node',
        ],
        [
            "a node count of zero",
            { nodeMinSize: "0" },
            'first-k8s:nodeMinSize = "0": expected an integer from 1 to 100',
        ],
        ["an unknown nodes mode", { nodes: "fargate" }, 'first-k8s:nodes = "fargate": expected one of managed, auto'],
        [
            "an unknown NAT gateway strategy",
            { natGatewayStrategy: "None" },
            'first-k8s:natGatewayStrategy = "None": expected one of OnePerAz, Single',
        ],
        [
            "a CIDR block with host bits set",
            { publicAccessCidrs: '["10.0.0.1/8"]' },
            'first-k8s:publicAccessCidrs = "10.0.0.1/8": expected an IPv4 CIDR block with no host bits set, such as 203.0.113.0/24',
        ],
        [
            "an octet above 255",
            { publicAccessCidrs: '["203.0.113.0/24", "300.0.0.0/8"]' },
            'first-k8s:publicAccessCidrs = "300.0.0.0/8": expected an IPv4 CIDR block with no host bits set, such as 203.0.113.0/24',
        ],
        [
            "an address without a prefix length",
            { publicAccessCidrs: '["203.0.113.7"]' },
            'first-k8s:publicAccessCidrs = "203.0.113.7": expected an IPv4 CIDR block with no host bits set, such as 203.0.113.0/24',
        ],
        [
            "an empty CIDR list",
            { publicAccessCidrs: "[]" },
            'first-k8s:publicAccessCidrs = "[]": expected a list of at least one IPv4 CIDR block, such as ["203.0.113.0/24"]',
        ],
        [
            "a CIDR list that is not a list",
            { publicAccessCidrs: "203.0.113.0/24" },
            'first-k8s:publicAccessCidrs = "203.0.113.0/24": expected a list of at least one IPv4 CIDR block, such as ["203.0.113.0/24"]',
        ],
        [
            "a Kubernetes version with a patch number",
            { kubernetesVersion: "1.35.2" },
            'first-k8s:kubernetesVersion = "1.35.2": expected a Kubernetes version EKS offers: 1.32, 1.33, 1.34, 1.35, 1.36; the list, as of 2026-12-07, is in components/config/eksVersions.ts',
        ],
        [
            "a Kubernetes version with a v",
            { kubernetesVersion: "v1.35" },
            'first-k8s:kubernetesVersion = "v1.35": expected a Kubernetes version EKS offers: 1.32, 1.33, 1.34, 1.35, 1.36; the list, as of 2026-12-07, is in components/config/eksVersions.ts',
        ],
        [
            "1.30 written unquoted, which YAML reads as the number 1.3",
            { kubernetesVersion: "1.3" },
            'first-k8s:kubernetesVersion = "1.3": expected a Kubernetes version EKS offers: 1.32, 1.33, 1.34, 1.35, 1.36 (an unquoted 1.30 reads as the number 1.3: quote it); the list, as of 2026-12-07, is in components/config/eksVersions.ts',
        ],
        [
            "a version EKS never had",
            { kubernetesVersion: "1.99" },
            'first-k8s:kubernetesVersion = "1.99": expected a Kubernetes version EKS offers: 1.32, 1.33, 1.34, 1.35, 1.36; the list, as of 2026-12-07, is in components/config/eksVersions.ts',
        ],
        [
            "a version whose extended support has ended",
            { kubernetesVersion: "1.31" },
            'first-k8s:kubernetesVersion = "1.31": expected a Kubernetes version EKS offers: 1.32, 1.33, 1.34, 1.35, 1.36; the list, as of 2026-12-07, is in components/config/eksVersions.ts',
        ],
        [
            "an empty instance type list",
            { nodeInstanceTypes: "[]" },
            'first-k8s:nodeInstanceTypes = "[]": expected a list of at least one EC2 instance type, such as ["t3.medium"]',
        ],
        [
            "a malformed instance type",
            { nodeInstanceTypes: '["t3_medium"]' },
            'first-k8s:nodeInstanceTypes = "t3_medium": expected an EC2 instance type such as t3.medium',
        ],
        [
            "an Arm instance type",
            { nodeInstanceTypes: '["t4g.medium"]' },
            'first-k8s:nodeInstanceTypes = "t4g.medium": expected an x86_64 instance type such as t3.medium: the nodes run AL2023_x86_64_STANDARD and the backend image is built for linux/amd64',
        ],
        [
            "a malformed region",
            { awsRegion: "US-EAST-1" },
            'first-k8s:awsRegion = "US-EAST-1": expected an AWS region code such as us-east-1',
        ],
        [
            "a profile name a shell would split",
            { awsProfile: "lab admin" },
            "first-k8s:awsProfile = \"lab admin\": expected an AWS CLI profile name: letters, digits, '.', '_' and '-', at most 64",
        ],
        [
            "keeping no images",
            { ecrKeepImages: "0" },
            'first-k8s:ecrKeepImages = "0": expected an integer from 1 to 1000',
        ],
        [
            "a log type EKS does not have",
            { controlPlaneLogTypes: '["api", "controller-manager"]' },
            'first-k8s:controlPlaneLogTypes = "controller-manager": expected one of api, audit, authenticator, controllerManager, scheduler (EKS\'s log types, as spelled there)',
        ],
        [
            "a log type twice",
            { controlPlaneLogTypes: '["api", "audit", "api"]' },
            'first-k8s:controlPlaneLogTypes = "[\\"api\\",\\"audit\\",\\"api\\"]": expected each log type once (api twice)',
        ],
        [
            "no log types",
            { controlPlaneLogTypes: "[]" },
            'first-k8s:controlPlaneLogTypes = "[]": expected a list of at least one of api, audit, authenticator, controllerManager, scheduler, such as ["api", "audit"]',
        ],
        [
            "a retention CloudWatch does not offer",
            { controlPlaneLogRetentionDays: "10" },
            'first-k8s:controlPlaneLogRetentionDays = "10": expected a retention CloudWatch Logs offers: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days',
        ],
        [
            "logs that never expire",
            { controlPlaneLogRetentionDays: "0" },
            'first-k8s:controlPlaneLogRetentionDays = "0": expected an integer from 1 to 3653',
        ],
        [
            "a TLS certificate that is no ACM certificate ARN",
            { tlsCertificateArn: "arn:aws:iam::123456789012:server-certificate/first-k8s" },
            'first-k8s:tlsCertificateArn = "arn:aws:iam::123456789012:server-certificate/first-k8s": expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef',
        ],
        [
            "a TLS certificate from another region",
            {
                tlsCertificateArn:
                    "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211",
            },
            'first-k8s:tlsCertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211": expected a certificate in awsRegion (us-east-1), arn:aws:acm:us-east-1:…: a load balancer takes ACM certificates from its own region only',
        ],
        [
            "a TLS certificate of another partition",
            {
                awsRegion: "cn-north-1",
                tlsCertificateArn:
                    "arn:aws:acm:cn-north-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211",
            },
            'first-k8s:tlsCertificateArn = "arn:aws:acm:cn-north-1:123456789012:certificate/0f1e2d3c-4b5a-4697-8877-665544332211": expected a certificate in awsRegion (cn-north-1), arn:aws-cn:acm:cn-north-1:…: a load balancer takes ACM certificates from its own region only',
        ],
        [
            "two backend pods over three zones",
            { backendMinReplicas: "2" },
            'first-k8s:backendMinReplicas = "2": expected an integer >= 3 on target eks with zoneCount 3: the zone spread lets one zone hold 1 of 2 pods, and losing it would leave 1, not two',
        ],
        [
            "three pods per tier over two zones",
            { zoneCount: "2", nodeMinSize: "2", nodeDesiredSize: "2" },
            'first-k8s:backendMinReplicas = "3": expected an integer >= 4 on target eks with zoneCount 2: the zone spread lets one zone hold 2 of 3 pods, and losing it would leave 1, not two\n' +
                '  - first-k8s:frontendMinReplicas = "3": expected an integer >= 4 on target eks with zoneCount 2: the zone spread lets one zone hold 2 of 3 pods, and losing it would leave 1, not two',
        ],
        [
            "two frontend pods over four zones",
            { zoneCount: "4", nodeMinSize: "4", nodeDesiredSize: "4", frontendMinReplicas: "2" },
            'first-k8s:frontendMinReplicas = "2": expected an integer >= 3 on target eks with zoneCount 4: the zone spread lets one zone hold 1 of 2 pods, and losing it would leave 1, not two',
        ],
    ];
    for (const [what, values, problem] of cases) {
        it(`rejects ${what}, naming the key, the value and the expectation`, () => {
            assert.equal(errorOf(values).message, `${HEADER}  - ${problem}`);
        });
    }

    it("holds the app's default of two pods per tier against the eks target", () => {
        assert.throws(() => parseStackConfig((key) => ({ target: "eks" })[key], PROJECT), {
            message:
                `${HEADER}` +
                '  - first-k8s:backendMinReplicas = "2": expected an integer >= 3 on target eks with zoneCount 3: the zone spread lets one zone hold 1 of 2 pods, and losing it would leave 1, not two\n' +
                '  - first-k8s:frontendMinReplicas = "2": expected an integer >= 3 on target eks with zoneCount 3: the zone spread lets one zone hold 1 of 2 pods, and losing it would leave 1, not two',
        });
    });

    it("derives the fewest pods per tier from zoneCount: losing the fullest zone leaves two", () => {
        assert.deepEqual(
            [2, 3, 4, 5, 6].map((zones) => [zones, eksMinReplicas(zones)]),
            [
                [2, 4],
                [3, 3],
                [4, 3],
                [5, 3],
                [6, 3],
            ],
        );
        for (let zones = 2; zones <= 6; zones++) {
            const fewest = eksMinReplicas(zones);
            for (let replicas = 1; replicas <= 12; replicas++) {
                const left = replicas - mostPodsInOneZone(replicas, zones);
                assert.equal(left >= 2, replicas >= fewest, `${replicas} pods over ${zones} zones leave ${left}`);
            }
        }
    });

    for (const [zones, replicas] of [
        ["2", "4"],
        ["3", "3"],
        ["4", "3"],
    ] as const) {
        it(`accepts ${replicas} pods per tier over ${zones} zones`, () => {
            const config = parseEks({
                zoneCount: zones,
                nodeMinSize: zones,
                nodeDesiredSize: zones,
                backendMinReplicas: replicas,
                frontendMinReplicas: replicas,
            });
            assert.equal(config.app.backendReplicas.min, Number(replicas));
            assert.equal(config.eks.zoneCount, Number(zones));
        });
    }

    it("holds the replicas to the fewest any zoneCount allows when zoneCount is itself wrong", () => {
        assert.equal(
            errorOf({ zoneCount: "7", backendMinReplicas: "2" }).message,
            `${HEADER}  - first-k8s:zoneCount = "7": expected an integer from 2 to 6\n` +
                '  - first-k8s:backendMinReplicas = "2": expected an integer >= 3 on target eks, the fewest any zoneCount allows (losing a zone must leave two pods)',
        );
        assert.equal(
            errorOf({ zoneCount: "two" }).message,
            `${HEADER}  - first-k8s:zoneCount = "two": expected an integer from 2 to 6`,
            "three pods are enough for some zone count",
        );
    });

    it("reports a replica count once, not again as too few for eks", () => {
        assert.equal(
            errorOf({ backendMinReplicas: "0" }).message,
            `${HEADER}  - first-k8s:backendMinReplicas = "0": expected an integer from 1 to 50`,
        );
    });

    it("hints at quoting when YAML read an unquoted minor version as a number", () => {
        assert.equal(
            errorOf({ kubernetesVersion: "1.4" }).problems[0].expected,
            "a Kubernetes version EKS offers: 1.32, 1.33, 1.34, 1.35, 1.36 (an unquoted 1.40 reads as the number 1.4: quote it)" +
                "; the list, as of 2026-12-07, is in components/config/eksVersions.ts",
        );
    });

    it("refuses a version once its extended support has ended, and accepts it the day before", () => {
        assert.equal(
            parseEks({ kubernetesVersion: "1.32" }, new Date("2027-03-23T23:00:00Z")).eks.kubernetesVersion,
            "1.32",
        );
        assert.throws(() => parseEks({ kubernetesVersion: "1.32" }, new Date("2027-03-24T00:00:00Z")), {
            message:
                `${HEADER}  - first-k8s:kubernetesVersion = "1.32": expected a Kubernetes version EKS still offers: ` +
                "1.33, 1.34, 1.35, 1.36 (1.32's extended support ended on 2027-03-23)",
        });
    });

    it("lists every problem at once", () => {
        const error = errorOf({
            zoneCount: "9",
            nodes: "fargate",
            kubernetesVersion: "latest",
            frontendMinReplicas: "1",
        });
        assert.deepEqual(
            error.problems.map((problem) => problem.key),
            ["first-k8s:kubernetesVersion", "first-k8s:zoneCount", "first-k8s:nodes", "first-k8s:frontendMinReplicas"],
        );
    });

    it("stops the eks stack on bad config before it creates anything", async () => {
        const recorder = programMocks(awsMocks({ today: TODAY }));
        await assert.rejects(runProgram({ stack: "eks", overrides: { zoneCount: "1" }, recorder, today: TODAY }), {
            name: "ConfigError",
            message: `${HEADER}  - first-k8s:zoneCount = "1": expected an integer from 2 to 6`,
        });
        assert.deepEqual(
            recorder.resources.map((resource) => resource.type),
            ["pulumi:pulumi:Stack"],
        );
    }).timeout(60000);
});

describe("IPv4 CIDR blocks", () => {
    const cases: [string, boolean][] = [
        ["0.0.0.0/0", true],
        ["203.0.113.0/24", true],
        ["198.51.100.7/32", true],
        ["10.0.0.0/8", true],
        ["10.0.0.1/8", false],
        ["192.168.1.0/16", false],
        ["256.0.0.0/8", false],
        ["010.0.0.0/8", false],
        ["1.2.3.0/33", false],
        ["1.2.3.0", false],
        ["::/0", false],
    ];
    for (const [cidr, valid] of cases) {
        it(`${valid ? "accepts" : "refuses"} ${cidr}`, () => {
            assert.equal(isCanonicalIpv4Cidr(cidr), valid);
        });
    }
});
