import { SpreadFacts, StackFacts, TierFacts } from "../../components/facts";
import { Pricing } from "../../components/facts";
import { CostEstimate } from "../../components/report/cost";
import { loadPriceTable, PriceTable } from "../../components/report/priceTable";
import { SCENARIOS } from "../../components/report/failureAnalysis";
import { StackReport } from "../../components/report/report";
import { sourceLink, table } from "./markdownTable";
import {
    authenticationText,
    controlPlaneLocationText,
    controlPlaneUpgradeText,
    etcdBackupText,
    loadBalancerText,
    networkPolicyEnforcerText,
    nodeAutoscalingText,
    nodeMachineText,
    nodePatchingText,
    nodeUpgradeText,
    secretsEncryptionText,
} from "./prose/clusterProse";
import { costItemText, costNoteText, costQuantityText, costSummary, unitPriceCell } from "./prose/costProse";
import { failureReasoning, SCENARIO_TITLES } from "./prose/failureProse";
import { plural } from "./prose/words";
import { recoverySection } from "./recoveryMarkdown";

type Cell = (report: StackReport) => string;

export const usd = (value: number): string => `$${value.toFixed(2)}`;

/** "dev: minikube (self-managed)". */
function stackHeading(facts: StackFacts): string {
    const managed = facts.cluster.controlPlane.managedBy === "you" ? "self-managed" : "managed";
    return `${facts.stack}: ${facts.cluster.kind} (${managed})`;
}

function spreadText(spread: SpreadFacts | null): string {
    if (spread === null) {
        return "none";
    }
    // Only a required spread can be blocked by a dead domain that still counts.
    const deadNodes =
        spread.whenUnsatisfiable === "DoNotSchedule" && spread.nodeTaintsPolicy === "Honor"
            ? ", dead nodes not counted"
            : "";
    return `${spread.whenUnsatisfiable}, maxSkew ${spread.maxSkew}${deadNodes}`;
}

function replicasText(tier: TierFacts): string {
    const range =
        tier.minReplicas === tier.maxReplicas ? `${tier.minReplicas}` : `${tier.minReplicas}–${tier.maxReplicas}`;
    return tier.cpuTargetUtilization === null ? range : `${range} (HPA, ${tier.cpuTargetUtilization}% CPU)`;
}

function budgetText(tier: TierFacts): string {
    const budget = tier.disruptionBudget;
    if (!budget) {
        return "none";
    }
    return [
        budget.maxUnavailable === null ? undefined : `maxUnavailable ${budget.maxUnavailable}`,
        budget.minAvailable === null ? undefined : `minAvailable ${budget.minAvailable}`,
    ]
        .filter((part) => part !== undefined)
        .join(", ");
}

/** How many nodes of what: a count where the stack decides it (with the node groups' bounds), else what they are. */
function nodesText(facts: StackFacts): string {
    const { machine, autoscaling } = facts.cluster.nodes;
    const shared = facts.cluster.controlPlane.sharesNodesWithWorkloads ? ", also the control plane" : "";
    switch (autoscaling.kind) {
        case "fixed":
            return `${autoscaling.nodes} × ${nodeMachineText(machine)}${shared}`;
        case "clusterAutoscaler": {
            const { desired, min, max } = autoscaling;
            // Bounds that cannot move (min = max) say nothing the count does not.
            const bounds = min === max ? "" : ` (min ${min}, max ${max})`;
            return `${desired} × ${nodeMachineText(machine)}${bounds}${shared}`;
        }
        case "autoMode":
        case "notManaged":
            return nodeMachineText(machine);
    }
}

function trafficEntryText(facts: StackFacts): string {
    const entry = facts.app.trafficEntry;
    if (!entry) {
        return "none: no NodePort or LoadBalancer Service";
    }
    if (entry.type === "NodePort") {
        return `NodePort Service \`${entry.service}\`: the same port on every node, no load balancer in front`;
    }
    const { loadBalancer } = facts.cluster;
    const balancer = loadBalancer ? loadBalancerText(loadBalancer) : "none on this cluster: the Service stays pending";
    return `LoadBalancer Service \`${entry.service}\`: ${balancer}`;
}

function tierOf(report: StackReport, name: string): TierFacts | undefined {
    return report.facts.app.tiers.find((tier) => tier.name === name);
}

/** Tier names in the order the first stack lists them, then any only later stacks have. */
function tierNames(reports: readonly StackReport[]): string[] {
    return [...new Set(reports.flatMap((report) => report.facts.app.tiers.map((tier) => tier.name)))];
}

function conceptRows(reports: readonly StackReport[]): [string, Cell][] {
    const tierRows = tierNames(reports).flatMap((name): [string, Cell][] => {
        const of =
            (text: (tier: TierFacts) => string): Cell =>
            (report) => {
                const tier = tierOf(report, name);
                return tier ? text(tier) : "-";
            };
        return [
            [`\`${name}\` pods`, of(replicasText)],
            [
                `\`${name}\` spread`,
                of((tier) => `zones: ${spreadText(tier.zoneSpread)}; nodes: ${spreadText(tier.nodeSpread)}`),
            ],
            [`\`${name}\` PodDisruptionBudget`, of(budgetText)],
        ];
    });
    return [
        [
            "Control plane: who runs it",
            ({ facts }) =>
                `${facts.cluster.controlPlane.managedBy}: ${controlPlaneLocationText(facts.cluster.controlPlane.location)}`,
        ],
        ["Control plane: API servers", ({ facts }) => `${facts.cluster.controlPlane.apiServers}`],
        ["Control plane: zones", ({ facts }) => `${facts.cluster.controlPlane.zones}`],
        ["etcd", ({ facts }) => plural(facts.cluster.controlPlane.etcdMembers, "member")],
        [
            "etcd backups",
            ({ facts }) =>
                `${facts.cluster.controlPlane.etcdBackup}: ${etcdBackupText(facts.cluster.controlPlane.etcdBackupHow)}`,
        ],
        ["Worker nodes", ({ facts }) => nodesText(facts)],
        ["Worker node zones", ({ facts }) => `${facts.cluster.nodes.zones}`],
        ["Node autoscaling", ({ facts }) => nodeAutoscalingText(facts.cluster.nodes.autoscaling)],
        [
            "Node patching",
            ({ facts }) => `${facts.cluster.nodes.patchedBy}: ${nodePatchingText(facts.cluster.nodes.patching)}`,
        ],
        ...tierRows,
        ["Traffic entry", ({ facts }) => trafficEntryText(facts)],
        [
            "NetworkPolicies",
            ({ facts }) => {
                const { enforced, by } = facts.cluster.security.networkPolicies;
                return `${facts.app.networkPolicies}, enforced: ${enforced} (${networkPolicyEnforcerText(by)})`;
            },
        ],
        [
            "Secrets at rest",
            ({ facts }) => {
                const { secretsEncryption } = facts.cluster.security;
                return secretsEncryption === null ? "not encrypted" : secretsEncryptionText(secretsEncryption);
            },
        ],
        [
            "Control plane logs",
            ({ facts }) => {
                const { controlPlaneLogs, controlPlaneLogDestination } = facts.cluster.security;
                return controlPlaneLogs.length === 0
                    ? "none kept"
                    : `${controlPlaneLogs.join(", ")} to ${controlPlaneLogDestination ?? "?"}`;
            },
        ],
        ["API authentication", ({ facts }) => authenticationText(facts.cluster.security.authentication)],
        ["Kubernetes version", ({ facts }) => facts.cluster.upgrades.kubernetesVersion ?? "not pinned"],
        ["Control plane upgrades", ({ facts }) => controlPlaneUpgradeText(facts.cluster.upgrades.controlPlane)],
        ["Node upgrades", ({ facts }) => nodeUpgradeText(facts.cluster.upgrades.nodes)],
        ["Monthly cost", ({ cost, facts }) => costSummary(cost, facts.cluster.cost.pricing)],
    ];
}

function failureTable(reports: readonly StackReport[]): string {
    const tiers = tierNames(reports);
    const rows = SCENARIOS.flatMap((scenario) =>
        reports.map((report) => {
            const outcome = report.failures.find((candidate) => candidate.scenario === scenario);
            if (!outcome) {
                throw new Error(`report of ${report.facts.stack} has no outcome for "${SCENARIO_TITLES[scenario]}"`);
            }
            const survivors = tiers.map((name) => {
                const tier = outcome.tiers.find((candidate) => candidate.tier === name);
                return tier ? `${tier.survivors} of ${tier.replicas}` : "-";
            });
            return [
                SCENARIO_TITLES[scenario],
                report.facts.stack,
                ...survivors,
                outcome.controlPlane.available ? "up" : "**down**",
                outcome.appUp ? "up" : "**down**",
                failureReasoning(outcome, report.facts),
            ];
        }),
    );
    return table(["failure", "stack", ...tiers.map((name) => `\`${name}\` pods left`), "API", "app", "why"], rows);
}

export type PriceTableLookup = (pricing: Pricing) => PriceTable | undefined;

function costSection(stack: string, cost: CostEstimate, pricing: Pricing, prices: PriceTable | undefined): string {
    const heading = `**${stack}**: ${costSummary(cost, pricing)}.`;
    if (cost.basis !== "priced" || prices === undefined) {
        return heading;
    }
    const rows = cost.lines.map((line) => [
        costItemText(line.item),
        costQuantityText(line.quantity),
        unitPriceCell(line.unitPrice),
        line.monthlyUsd === null ? "unknown" : usd(line.monthlyUsd),
        line.note === null ? "" : costNoteText(line.note, prices),
        line.source === null ? "-" : sourceLink(line.source),
    ]);
    rows.push([`**Total**${cost.complete ? "" : " (priced lines only)"}`, "", "", `**${usd(cost.totalUsd)}**`, "", ""]);
    return [
        heading,
        "",
        table(["item", "quantity", "unit price", "per month", "note", "source"], rows),
        "",
        `${cost.hoursPerMonth} hours a month; prices from \`data/prices/aws-${cost.region}.json\` (as of ${cost.asOf}). Not included: ${prices.excluded.join("; ")}.`,
    ].join("\n");
}

/**
 * The whole comparison, one column (or row group) per stack. `origin` says where the facts came from; the price
 * tables give the bills' notes and exclusions in their own words.
 */
export function comparisonMarkdown(
    reports: readonly StackReport[],
    origin: string,
    priceTables: PriceTableLookup = (pricing) => loadPriceTable(pricing),
): string {
    const concepts = conceptRows(reports);
    return [
        `_Generated by \`npm run compare\` from ${origin}._`,
        "",
        "### Side by side",
        "",
        table(
            ["concept", ...reports.map((report) => stackHeading(report.facts))],
            concepts.map(([concept, text]) => [concept, ...reports.map(text)]),
        ),
        "",
        "### What survives a failure",
        "",
        "Worst case, with every tier at its HPA minimum and the failure hitting where the spread rules allow the most pods " +
            "(`components/report/failureAnalysis.ts` states the model). Running pods keep serving without the API; " +
            "nothing can be rescheduled until it is back.",
        "",
        failureTable(reports),
        "",
        recoverySection(reports),
        "",
        "### What each stack costs a month",
        "",
        reports
            .map((report) => {
                const { pricing } = report.facts.cluster.cost;
                return costSection(report.facts.stack, report.cost, pricing, priceTables(pricing));
            })
            .join("\n\n"),
        "",
    ].join("\n");
}
