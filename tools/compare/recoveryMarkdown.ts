import { sourceLink, table } from "./markdownTable";
import { AUTO_MODE_REBUILD_PATH, MANAGED_NODES_REBUILD_PATH, timedPath } from "./rebuildPath";
import { RECOVERY_FAILURES, RecoveryFailureId, SecondsRange } from "./recovery";
import {
    CLIENT_CUTOVER,
    Estimate,
    LOCAL_CLUSTER_CREATION,
    LOCAL_DEPLOY,
    minutesText,
    NEW_STACK_SETUP,
    nlbHealthCheck,
    NODE_MONITOR_GRACE_PERIOD,
    NODE_MONITOR_PERIOD,
    NODE_REPLACEMENT,
    Timing,
    UNREACHABLE_TOLERATION,
    WORKSTATION_SETUP,
} from "./recoveryTimings";
import { StackReport } from "./report";

/** Minutes to the half minute below ten, whole above. */
function roundedMinutes(seconds: number): string {
    const value = seconds / 60;
    return `${value < 10 ? Math.round(value * 2) / 2 : Math.round(value)}`;
}

/** "0", "7–97 s", "6–7 min", "at least 6 min, until the zone is back". */
export function durationText(range: SecondsRange, until = "until the lost part is back"): string {
    if (range.high === null) {
        return `at least ${range.low < 180 ? `${range.low} s` : `${roundedMinutes(range.low)} min`}, ${until}`;
    }
    if (range.high === 0) {
        return "0";
    }
    if (range.high < 180) {
        return range.low === range.high ? `${range.high} s` : `${range.low}–${range.high} s`;
    }
    const [low, high] = [roundedMinutes(range.low), roundedMinutes(range.high)];
    return low === high ? `${high} min` : `${low}–${high} min`;
}

function recoveryTable(reports: readonly StackReport[]): string {
    const failures = Object.keys(RECOVERY_FAILURES) as RecoveryFailureId[];
    const rows = failures.flatMap((failure) =>
        reports.flatMap((report) =>
            report.recovery
                .filter((estimate) => estimate.failure === failure)
                .map((estimate) => [
                    estimate.title,
                    report.facts.stack,
                    durationText(estimate.appDown),
                    durationText(estimate.fullStrength),
                    estimate.dataLost,
                    estimate.lost.join("; "),
                    estimate.derivation.join("; "),
                ]),
        ),
    );
    return table(["failure", "stack", "app down (RTO)", "all back", "data lost (RPO)", "also lost", "how"], rows);
}

/** The region's rebuild, step by step, for a stack in a cloud region. */
function criticalPathTable(report: StackReport): string {
    const path = timedPath(
        report.facts.cluster.nodes.count === null ? AUTO_MODE_REBUILD_PATH : MANAGED_NODES_REBUILD_PATH,
    );
    const rows = path.steps.map((step) => [
        step.what,
        `\`${step.kind}\``,
        minutesText(step.time.minutes),
        step.time.basis,
        sourceLink(step.time.source),
    ]);
    const region = report.recovery.find((estimate) => estimate.failure === "region");
    const operator = [NEW_STACK_SETUP, CLIENT_CUTOVER].map((estimate) => [
        estimate.what,
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
        `Check first: ${(region?.notes ?? []).join("; ")}.`,
    ].join("\n");
}

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
    return `- ${amount}: ${clock.what} (${sourceLink(clock.source)})`;
}

/** RTO and RPO of every failure of every stack, the region's critical path, and the clocks behind them. */
export function recoverySection(reports: readonly StackReport[]): string {
    const regional = reports.filter((report) => report.facts.cluster.region !== null);
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
        ...regional.flatMap((report) => [criticalPathTable(report), ""]),
        "The clocks:",
        "",
        ...CLOCKS.map(clockLine),
        ...reports.flatMap((report) => {
            const check = report.facts.cluster.loadBalancer ? nlbHealthCheck(report.facts.app.trafficEntry) : undefined;
            return check
                ? [
                      `- ${check.intervalSeconds} s × ${check.unhealthyThreshold} checks, ${check.timeoutSeconds} s timeout: ` +
                          `the NLB of ${report.facts.stack} stops sending new connections to a target that fails its health check ` +
                          `(${check.setBy}, ${sourceLink(check.source)})`,
                  ]
                : [];
        }),
        "- the probes: the kubelet marks a probe failed after failureThreshold failures periodSeconds apart, the last one taking up to timeoutSeconds " +
            `(${sourceLink("https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes")})`,
    ].join("\n");
}
