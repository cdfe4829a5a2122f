import { RebuildStepId } from "../../components/facts";
import { timedPath } from "../../components/report/rebuildPath";
import { RECOVERY_FAILURES } from "../../components/report/recovery";
import {
    CLIENT_CUTOVER,
    Estimate,
    HealthCheck,
    LOCAL_CLUSTER_CREATION,
    LOCAL_DEPLOY,
    NEW_STACK_SETUP,
    nlbHealthCheck,
    NODE_MONITOR_GRACE_PERIOD,
    NODE_MONITOR_PERIOD,
    NODE_REPLACEMENT,
    Timing,
    UNREACHABLE_TOLERATION,
    WORKSTATION_SETUP,
} from "../../components/report/recoveryTimings";
import { StackReport } from "../../components/report/report";
import { sourceLink, table } from "./markdownTable";
import {
    CLOCK_TEXT,
    dataLostText,
    durationText,
    FAILURE_TITLES,
    lostPartText,
    minutesText,
    REBUILD_STEP_TEXT,
    recoveryStepText,
    regionCheckText,
} from "./prose/recoveryProse";

function recoveryTable(reports: readonly StackReport[]): string {
    const rows = RECOVERY_FAILURES.flatMap((failure) =>
        reports.flatMap((report) =>
            report.recovery
                .filter((estimate) => estimate.failure === failure)
                .map((estimate) => [
                    FAILURE_TITLES[estimate.failure],
                    report.facts.stack,
                    durationText(estimate.appDown),
                    durationText(estimate.fullStrength),
                    dataLostText(estimate.dataLost),
                    estimate.lost.map(lostPartText).join("; "),
                    estimate.steps.map(recoveryStepText).join("; "),
                ]),
        ),
    );
    return table(["failure", "stack", "app down (RTO)", "all back", "data lost (RPO)", "also lost", "how"], rows);
}

/** The region's rebuild, step by step, for a stack in a cloud region. */
function criticalPathTable(report: StackReport, rebuildPath: readonly RebuildStepId[]): string {
    const path = timedPath(rebuildPath);
    const rows = path.steps.map((step) => [
        REBUILD_STEP_TEXT[step.id],
        `\`${step.kind}\``,
        minutesText(step.time.minutes),
        step.time.basis,
        sourceLink(step.time.source),
    ]);
    const region = report.recovery.find((estimate) => estimate.failure === "region");
    const operator = [NEW_STACK_SETUP, CLIENT_CUTOVER].map((estimate) => [
        CLOCK_TEXT[estimate.id],
        "(you)",
        minutesText(estimate.minutes),
        estimate.basis,
        sourceLink(estimate.source),
    ]);
    return [
        `**${report.facts.stack}** in another region: each step waits for the one before; the rest of the graph (IAM roles, the KMS key, the image build, the other Kubernetes objects) runs beside them and finishes earlier.`,
        "",
        table(
            ["step", "resource", "time", "basis", "source"],
            [
                operator[0],
                ...rows,
                [`**\`pulumi up\`**`, "", `**${minutesText(path.minutes)}**`, "", ""],
                operator[1],
                ["**Total**", "", `**${region ? durationText(region.appDown) : "?"}**`, "", ""],
            ],
        ),
        "",
        `Check first: ${(region?.checks ?? []).map(regionCheckText).join("; ")}.`,
    ].join("\n");
}

const HEALTH_CHECK_SETTERS: Readonly<Record<HealthCheck["setBy"], string>> = {
    annotations: "the Service's annotations",
    cloudProviderDefaults: "the AWS cloud provider's defaults",
};

const CLOCKS: readonly (Timing | Estimate)[] = [
    NODE_MONITOR_GRACE_PERIOD,
    NODE_MONITOR_PERIOD,
    UNREACHABLE_TOLERATION,
    NODE_REPLACEMENT,
    LOCAL_CLUSTER_CREATION,
    LOCAL_DEPLOY,
    WORKSTATION_SETUP,
];

function clockLine(clock: Timing | Estimate): string {
    const amount = "seconds" in clock ? `${clock.seconds} s` : `${minutesText(clock.minutes)} (${clock.basis})`;
    return `- ${amount}: ${CLOCK_TEXT[clock.id]} (${sourceLink(clock.source)})`;
}

/** RTO and RPO of every failure of every stack, the region's critical path, and the clocks behind them. */
export function recoverySection(reports: readonly StackReport[]): string {
    // The stacks in a cloud region, whose recovery covers losing it: their rebuild elsewhere, step by step.
    const criticalPaths = reports.flatMap((report) => {
        const { runsOn } = report.facts.cluster;
        return runsOn.kind === "cloudRegion" ? [criticalPathTable(report, runsOn.rebuildPath), ""] : [];
    });
    return [
        "### Recovery time and recovery point",
        "",
        "How long the app answers nothing (RTO), how long until all it lost runs again, and what data is lost (RPO), " +
            "from the probes, replicas and spread above and the clocks below (`components/report/recovery.ts`). " +
            "Not counted: the time to notice the failure and decide to act. The runbooks are in " +
            "[disaster-recovery.md](disaster-recovery.md).",
        "",
        recoveryTable(reports),
        "",
        ...criticalPaths,
        "The clocks:",
        "",
        ...CLOCKS.map(clockLine),
        ...reports.flatMap((report) => {
            const check = report.facts.cluster.loadBalancer ? nlbHealthCheck(report.facts.app.trafficEntry) : undefined;
            return check
                ? [
                      `- ${check.intervalSeconds} s × ${check.unhealthyThreshold} checks, ${check.timeoutSeconds} s timeout: ` +
                          `the NLB of ${report.facts.stack} stops sending new connections to a target that fails its health check ` +
                          `(${HEALTH_CHECK_SETTERS[check.setBy]}, ${sourceLink(check.source)})`,
                  ]
                : [];
        }),
        "- the probes: the kubelet marks a probe failed after failureThreshold failures periodSeconds apart, the last one taking up to timeoutSeconds " +
            `(${sourceLink("https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes")})`,
    ].join("\n");
}
