import { strict as assert } from "assert";
import { CONFIG_DEFAULTS } from "../../components/config";
import {
    EKS_VERSIONS,
    EKS_VERSIONS_AS_OF,
    eksSupportType,
    eksVersionNotice,
    eksVersionProblem,
    newestStandardVersion,
    nextEksVersion,
} from "../../components/config/eksVersions";
import { awsMocks, runProgram } from "../../tools/mockRuntime";
import { mockAddonVersion } from "../../tools/mockRuntime/awsMocks";
import { one, runEksStack, TEST_DAY } from "./eksQueries";
import { ofType } from "./programQueries";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

/**
 * Runs `run` with console.warn and console.error silenced: a refused cluster makes the runtime log each Output
 * that waited for it, and the program warns of the version; the test asserts the refusal itself.
 */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
    const { warn, error } = console;
    console.warn = console.error = () => undefined;
    try {
        return await run();
    } finally {
        console.warn = warn;
        console.error = error;
    }
}

describe("EKS versions as data", function () {
    this.timeout(60000);

    it("lists 1.36 in standard support and 1.32-1.34 in extended support on 2026-12-07", () => {
        assert.deepEqual(
            EKS_VERSIONS.map((entry) => [entry.version, eksSupportType(entry.version, TEST_DAY)]),
            [
                ["1.32", "EXTENDED"],
                ["1.33", "EXTENDED"],
                ["1.34", "EXTENDED"],
                ["1.35", "STANDARD"],
                ["1.36", "STANDARD"],
            ],
        );
    });

    it("keeps the versions consecutive minors, each with 12 months of extended support after standard", () => {
        EKS_VERSIONS.forEach((entry, index) => {
            assert.equal(entry.version, `1.${32 + index}`);
            const [year, rest] = [Number(entry.standardSupportEnds.slice(0, 4)), entry.standardSupportEnds.slice(4)];
            assert.equal(entry.extendedSupportEnds, `${year + 1}${rest}`, entry.version);
            assert.match(entry.clusterAutoscalerImageTag, new RegExp(`^v${entry.version.replace(".", "\\.")}\\.\\d+$`));
        });
    });

    it("defaults to the newest version in standard support on the table's date: 1.36", () => {
        assert.equal(newestStandardVersion(EKS_VERSIONS_AS_OF), "1.36");
        assert.equal(CONFIG_DEFAULTS.kubernetesVersion, newestStandardVersion());
    });

    it("says why the table cannot choose a default once every version has left standard support", () => {
        assert.throws(() => newestStandardVersion("2027-08-02"), {
            message: "components/config/eksVersions.ts: no version in standard support on 2027-08-02",
        });
    });

    it("takes STANDARD up to the last day of standard support and EXTENDED the day after", () => {
        assert.equal(eksSupportType("1.35", day("2027-03-27")), "STANDARD");
        assert.equal(eksSupportType("1.35", day("2027-03-28")), "EXTENDED");
    });

    it("accepts, for every version it advises from, the version it advises", () => {
        for (const entry of EKS_VERSIONS.slice(0, -1)) {
            const next = nextEksVersion(entry.version);
            assert.ok(next, entry.version);
            assert.equal(eksVersionProblem(next.version, TEST_DAY), undefined, next.version);
            const notice = eksVersionNotice(entry.version, day(entry.standardSupportEnds), "eks");
            assert.ok(notice?.includes(`pulumi config set kubernetesVersion ${next.version} --stack eks`), notice);
        }
        assert.equal(nextEksVersion("1.36"), undefined);
    });

    it("warns of a version in extended support with what to run", () => {
        assert.equal(
            eksVersionNotice("1.34", TEST_DAY, "eks"),
            "kubernetesVersion 1.34 left EKS standard support on 2026-12-02: the cluster runs in extended support " +
                "(upgrade policy EXTENDED, $0.60 an hour instead of $0.10) until 2027-12-02, when EKS upgrades it on its " +
                "own. Upgrade one minor version at a time (EKS allows no more): pulumi config set kubernetesVersion 1.35 " +
                "--stack eks && pulumi up --stack eks (docs/eks.md#upgrading-a-running-stack).",
        );
    });

    it("warns 90 days before standard support ends, not 91", () => {
        assert.equal(eksVersionNotice("1.35", day("2026-12-26"), "prod"), undefined);
        assert.equal(
            eksVersionNotice("1.35", day("2026-12-27"), "prod"),
            "kubernetesVersion 1.35 leaves EKS standard support on 2027-03-27, in 90 days: then EKS upgrades the " +
                "control plane on its own (upgrade policy STANDARD), ahead of this stack's add-ons and nodes. Upgrade " +
                "one minor version at a time (EKS allows no more): pulumi config set kubernetesVersion 1.36 --stack prod " +
                "&& pulumi up --stack prod (docs/eks.md#upgrading-a-running-stack).",
        );
        assert.equal(eksVersionNotice("1.36", TEST_DAY, "eks"), undefined, "237 days left");
    });

    it("tells the newest version's stack to extend the table when no newer version is in it", () => {
        assert.equal(
            eksVersionNotice("1.36", day("2027-06-01"), "eks"),
            "kubernetesVersion 1.36 leaves EKS standard support on 2027-08-01, in 61 days: then EKS upgrades the " +
                "control plane on its own (upgrade policy STANDARD), ahead of this stack's add-ons and nodes. No version " +
                "after 1.36 is in components/config/eksVersions.ts yet: add the one EKS now offers (its dates and Cluster " +
                "Autoscaler release), then raise kubernetesVersion to it.",
        );
    });

    it("makes a cluster on a version past standard support with the upgrade policy EXTENDED, and warns", async () => {
        const logged: string[] = [];
        const consoleWarn = console.warn;
        // Without an engine, pulumi.log.warn prints to console.warn.
        console.warn = (message: unknown) => logged.push(String(message));
        let cluster;
        try {
            const { run } = await runEksStack({ kubernetesVersion: "1.33" });
            cluster = one(run, "eks:index:Cluster");
        } finally {
            console.warn = consoleWarn;
        }
        assert.equal(cluster.inputs.version, "1.33");
        assert.deepEqual(cluster.inputs.upgradePolicy, { supportType: "EXTENDED" });
        assert.deepEqual(logged, [`warning: [runtime] ${eksVersionNotice("1.33", TEST_DAY, "eks")}`]);
        assert.match(
            logged[0],
            /^warning: \[runtime\] kubernetesVersion 1\.33 left EKS standard support on 2026-07-29/,
        );
    });

    it("says one day, and today, in the last days of standard support", () => {
        assert.match(eksVersionNotice("1.35", day("2027-03-26"), "eks") ?? "", /on 2027-03-27, in 1 day: then/);
        assert.match(eksVersionNotice("1.35", day("2027-03-27"), "eks") ?? "", /on 2027-03-27, today: then/);
    });

    it("installs each add-on at EKS's default version for the cluster's version, and moves it with the version", async () => {
        const versions = async (kubernetesVersion: string) => {
            const { run } = await runEksStack({ kubernetesVersion });
            return Object.fromEntries(
                ofType(run, "aws:eks/addon:Addon").map((addon) => [addon.inputs.addonName, addon.inputs.addonVersion]),
            );
        };
        const names = ["coredns", "eks-pod-identity-agent", "metrics-server", "vpc-cni"];
        const expected = (kubernetesVersion: string) =>
            Object.fromEntries(names.map((name) => [name, mockAddonVersion(name, kubernetesVersion)]));
        assert.deepEqual(await versions("1.36"), expected("1.36"));
        assert.deepEqual(await versions("1.35"), expected("1.35"));
        assert.notEqual(expected("1.35").coredns, expected("1.36").coredns);
    });

    it("is refused by the mocks, as by EKS, with STANDARD on a version past standard support", async () => {
        await quietly(() =>
            assert.rejects(
                runProgram({
                    stack: "eks",
                    overrides: { kubernetesVersion: "1.34" },
                    mocks: awsMocks({ today: TEST_DAY }),
                    // The program checked on a day 1.34 was in standard support; EKS checks on the day of the call.
                    today: day("2026-12-01"),
                }),
                {
                    message:
                        "failed to register new resource eks-control-plane-cluster [eks:index:Cluster]: " +
                        "InvalidParameterException: Kubernetes version 1.34 is past the end of standard support " +
                        "(2026-12-02); a cluster on it takes the upgrade policy EXTENDED",
                },
            ),
        );
    });

    it("is refused by the mocks, as by EKS, on a version whose extended support has ended", async () => {
        await quietly(() =>
            assert.rejects(
                runProgram({
                    stack: "eks",
                    overrides: { kubernetesVersion: "1.32" },
                    mocks: awsMocks({ today: day("2027-03-24") }),
                    today: day("2027-03-23"),
                }),
                /failed to register new resource eks-control-plane-cluster \[eks:index:Cluster\]: InvalidParameterException: unsupported Kubernetes version 1\.32$/,
            ),
        );
    });
});
