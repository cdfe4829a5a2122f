import { isCanonicalIpv4Cidr } from "./cidr";
import { CONFIG_DEFAULTS } from "./defaults";
import { eksSupportType, eksVersionProblem } from "./eksVersions";
import { ConfigReader } from "./reader";
import {
    AppSettings,
    CONTROL_PLANE_LOG_TYPES,
    ControlPlaneLogType,
    EksNodes,
    EksSettings,
    LOG_RETENTION_DAYS,
    NAT_GATEWAY_STRATEGIES,
    NODE_MODES,
    NodeScaling,
} from "./types";

// Commercial, China and GovCloud region codes: us-east-1, cn-north-1, us-gov-west-1.
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;
// Kept to characters that are safe inside the `aws eks update-kubeconfig --profile` command this stack prints.
const AWS_PROFILE = /^[A-Za-z0-9._-]{1,64}$/;
// family.size: t3.medium, m7i-flex.large, c5n.18xlarge.
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
// Arm (Graviton) families carry a "g" after the generation digit (t4g, m7g, c6gn, x2gd, im4gn); a1 is Graviton 1.
const ARM_FAMILY = /^([a-z]+[0-9]+[a-z]*g[a-z]*|a1)$/;
/** Pods of a tier that must still run after a zone is lost: one can then fail (or drain) and one still serves. */
const SURVIVORS_AFTER_ZONE_LOSS = 2;
const ZONE_BOUNDS = { min: 2, max: 6 };
const NODE_BOUNDS = { min: 1, max: 100 };

function instanceTypeProblem(instanceType: string): string | undefined {
    if (!INSTANCE_TYPE.test(instanceType)) {
        return "an EC2 instance type such as t3.medium";
    }
    if (ARM_FAMILY.test(instanceType.split(".")[0])) {
        return "an x86_64 instance type such as t3.medium: the nodes run AL2023_x86_64_STANDARD and the backend image is built for linux/amd64";
    }
    return undefined;
}

function readNodeScaling(reader: ConfigReader, zoneCount: number): NodeScaling {
    const min = reader.integer("nodeMinSize", CONFIG_DEFAULTS.nodeMinSize, NODE_BOUNDS);
    const desired = reader.integer("nodeDesiredSize", CONFIG_DEFAULTS.nodeDesiredSize, NODE_BOUNDS);
    const max = reader.integer("nodeMaxSize", CONFIG_DEFAULTS.nodeMaxSize, NODE_BOUNDS);
    if (!reader.hasProblem("nodeMinSize") && min < zoneCount) {
        reader.problem(
            "nodeMinSize",
            String(min),
            `an integer >= zoneCount (${zoneCount}), so that every zone has a node`,
        );
    }
    if (max < min) {
        reader.problem("nodeMaxSize", String(max), `an integer >= nodeMinSize (${min})`);
    } else if (!reader.hasProblem("nodeDesiredSize") && (desired < min || desired > max)) {
        reader.problem(
            "nodeDesiredSize",
            String(desired),
            `an integer from nodeMinSize (${min}) to nodeMaxSize (${max})`,
        );
    }
    return { min, desired, max };
}

/** The keys that size a managed node group, which Auto Mode (it picks instances and counts itself) would ignore. */
const MANAGED_NODE_KEYS = ["nodeInstanceTypes", "nodeMinSize", "nodeDesiredSize", "nodeMaxSize"] as const;

/** The keys only the eks target reads; on another target they would be ignored. */
export const EKS_ONLY_KEYS = [
    "awsRegion",
    "awsProfile",
    "kubernetesVersion",
    "zoneCount",
    "natGatewayStrategy",
    "publicAccessCidrs",
    "nodes",
    ...MANAGED_NODE_KEYS,
    "ecrKeepImages",
    "controlPlaneLogTypes",
    "controlPlaneLogRetentionDays",
    "tlsCertificateArn",
] as const;

/**
 * Whether the stack sets `key` to something other than its default. The Pulumi CLI hands the program
 * Pulumi.yaml's defaults as if the stack had set them, so "set" can only mean "set to another value"; a key set to
 * its default changes nothing, ignored or not.
 */
export function setToNonDefault(reader: ConfigReader, key: (typeof EKS_ONLY_KEYS)[number]): boolean {
    const value = reader.optionalString(key);
    if (value === undefined) {
        return false;
    }
    const fallback: unknown = (CONFIG_DEFAULTS as Record<string, unknown>)[key];
    if (Array.isArray(fallback)) {
        try {
            return JSON.stringify(JSON.parse(value)) !== JSON.stringify(fallback);
        } catch {
            return true;
        }
    }
    return value !== String(fallback);
}

function readNodes(reader: ConfigReader, zoneCount: number): EksNodes {
    const mode = reader.oneOf("nodes", NODE_MODES, CONFIG_DEFAULTS.nodes);
    if (mode === "auto") {
        // Auto Mode picks instance types and node counts itself: a managed node group key would be ignored.
        for (const key of MANAGED_NODE_KEYS.filter((managedKey) => setToNonDefault(reader, managedKey))) {
            reader.problem(
                key,
                reader.optionalString(key) ?? "",
                "no value with nodes auto, where EKS Auto Mode picks instance types and node counts itself (remove the key, or set nodes managed)",
            );
        }
        return { mode };
    }
    const instanceTypes = reader.stringList("nodeInstanceTypes", CONFIG_DEFAULTS.nodeInstanceTypes, {
        list: 'a list of at least one EC2 instance type, such as ["t3.medium"]',
        itemProblem: instanceTypeProblem,
    });
    return { mode, instanceTypes, scaling: readNodeScaling(reader, zoneCount) };
}

/**
 * The most pods of `replicas` that the required zone spread (maxSkew 1 over `zones` zones) lets one zone hold,
 * as the scheduler places them. (A scale-down can leave a zone fuller: the ReplicaSet does not look at zones
 * when it picks the pods to remove.)
 */
export function mostPodsInOneZone(replicas: number, zones: number): number {
    return Math.ceil(replicas / zones);
}

/** The fewest pods a tier needs so that losing the zone with the most of them still leaves two. */
export function eksMinReplicas(zones: number): number {
    let replicas = SURVIVORS_AFTER_ZONE_LOSS;
    while (replicas - mostPodsInOneZone(replicas, zones) < SURVIVORS_AFTER_ZONE_LOSS) {
        replicas++;
    }
    return replicas;
}

/** On EKS each tier spreads over the zones; losing the zone with the most of its pods must leave two. */
function checkReplicasForZones(reader: ConfigReader, app: AppSettings, zoneCount: number): void {
    // With zoneCount itself wrong, still every problem at once: against the fewest any zone count needs.
    const zonesKnown = !reader.hasProblem("zoneCount");
    const fewest = zonesKnown ? eksMinReplicas(zoneCount) : fewestForAnyZoneCount();
    for (const [key, range] of [
        ["backendMinReplicas", app.backendReplicas],
        ["frontendMinReplicas", app.frontendReplicas],
    ] as const) {
        if (reader.hasProblem(key) || range.min >= fewest) {
            continue;
        }
        const most = mostPodsInOneZone(range.min, zoneCount);
        reader.problem(
            key,
            String(range.min),
            zonesKnown
                ? `an integer >= ${fewest} on target eks with zoneCount ${zoneCount}: the zone spread lets one zone ` +
                      `hold ${most} of ${range.min} pods, and losing it would leave ${range.min - most}, not two`
                : `an integer >= ${fewest} on target eks, the fewest any zoneCount allows (losing a zone must leave two pods)`,
        );
    }
}

function fewestForAnyZoneCount(): number {
    const counts = Array.from({ length: ZONE_BOUNDS.max - ZONE_BOUNDS.min + 1 }, (_, index) => ZONE_BOUNDS.min + index);
    return Math.min(...counts.map(eksMinReplicas));
}

function readControlPlaneLogs(
    reader: ConfigReader,
): Pick<EksSettings, "controlPlaneLogTypes" | "controlPlaneLogRetentionDays"> {
    const logTypes = reader.stringList("controlPlaneLogTypes", CONFIG_DEFAULTS.controlPlaneLogTypes, {
        list: `a list of at least one of ${CONTROL_PLANE_LOG_TYPES.join(", ")}, such as ["api", "audit"]`,
        itemProblem: (item) =>
            (CONTROL_PLANE_LOG_TYPES as readonly string[]).includes(item)
                ? undefined
                : `one of ${CONTROL_PLANE_LOG_TYPES.join(", ")} (EKS's log types, as spelled there)`,
    });
    const duplicates = logTypes.filter((item, index) => logTypes.indexOf(item) !== index);
    if (duplicates.length > 0) {
        reader.problem("controlPlaneLogTypes", JSON.stringify(logTypes), `each log type once (${duplicates[0]} twice)`);
    }
    const retention = reader.integer("controlPlaneLogRetentionDays", CONFIG_DEFAULTS.controlPlaneLogRetentionDays, {
        min: 1,
        max: Math.max(...LOG_RETENTION_DAYS),
    });
    if (!reader.hasProblem("controlPlaneLogRetentionDays") && !LOG_RETENTION_DAYS.includes(retention)) {
        reader.problem(
            "controlPlaneLogRetentionDays",
            String(retention),
            `a retention CloudWatch Logs offers: ${LOG_RETENTION_DAYS.join(", ")} days`,
        );
    }
    return {
        controlPlaneLogTypes: [...new Set(logTypes)] as ControlPlaneLogType[],
        controlPlaneLogRetentionDays: retention,
    };
}

// arn:<partition>:acm:<region>:<account>:certificate/<uuid>, as ACM's RequestCertificate and ImportCertificate return it.
const ACM_CERTIFICATE_ARN =
    /^arn:(aws|aws-cn|aws-us-gov):acm:([a-z0-9-]+):(\d{12}):certificate\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The ARN partition of a region: aws, aws-cn (China) or aws-us-gov (GovCloud). */
export function awsPartition(region: string): string {
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/**
 * The ACM certificate the load balancer terminates TLS with. A load balancer takes certificates only from ACM in
 * its own region (a CloudFront certificate lives in us-east-1, which serves no NLB elsewhere), so a certificate
 * from another region is refused here rather than by the load balancer controller, after the NLB exists.
 */
function readTlsCertificateArn(reader: ConfigReader, region: string): string | undefined {
    const arn = reader.optionalString("tlsCertificateArn");
    if (arn === undefined) {
        return undefined;
    }
    const parts = ACM_CERTIFICATE_ARN.exec(arn);
    if (!parts) {
        reader.problem(
            "tlsCertificateArn",
            arn,
            `an ACM certificate ARN such as arn:${awsPartition(region)}:acm:${region}:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef`,
        );
    } else if (!reader.hasProblem("awsRegion") && (parts[2] !== region || parts[1] !== awsPartition(region))) {
        reader.problem(
            "tlsCertificateArn",
            arn,
            `a certificate in awsRegion (${region}), arn:${awsPartition(region)}:acm:${region}:…: a load balancer takes ACM certificates from its own region only`,
        );
    }
    return arn;
}

/** The EKS target's settings; problems go to `reader`, like every other key's. */
export function readEksSettings(reader: ConfigReader, app: AppSettings, today: Date): EksSettings {
    const region = reader.matching(
        "awsRegion",
        CONFIG_DEFAULTS.awsRegion,
        AWS_REGION,
        "an AWS region code such as us-east-1",
    );
    const profile = reader.optionalString("awsProfile");
    if (profile !== undefined && !AWS_PROFILE.test(profile)) {
        reader.problem("awsProfile", profile, "an AWS CLI profile name: letters, digits, '.', '_' and '-', at most 64");
    }
    // major.minor only: EKS applies patch releases itself.
    const kubernetesVersion = reader.string("kubernetesVersion", CONFIG_DEFAULTS.kubernetesVersion);
    const versionProblem = eksVersionProblem(kubernetesVersion, today);
    if (versionProblem !== undefined) {
        reader.problem("kubernetesVersion", kubernetesVersion, versionProblem);
    }
    const zoneCount = reader.integer("zoneCount", CONFIG_DEFAULTS.zoneCount, ZONE_BOUNDS);
    const natGateways = reader.oneOf("natGatewayStrategy", NAT_GATEWAY_STRATEGIES, CONFIG_DEFAULTS.natGatewayStrategy);
    const publicAccessCidrs = reader.stringList("publicAccessCidrs", CONFIG_DEFAULTS.publicAccessCidrs, {
        list: 'a list of at least one IPv4 CIDR block, such as ["203.0.113.0/24"]',
        itemProblem: (cidr) =>
            isCanonicalIpv4Cidr(cidr) ? undefined : "an IPv4 CIDR block with no host bits set, such as 203.0.113.0/24",
    });
    const nodes = readNodes(reader, zoneCount);
    const ecrKeepImages = reader.integer("ecrKeepImages", CONFIG_DEFAULTS.ecrKeepImages, { min: 1, max: 1000 });
    const logs = readControlPlaneLogs(reader);
    const tlsCertificateArn = readTlsCertificateArn(reader, region);
    checkReplicasForZones(reader, app, zoneCount);
    return {
        region,
        profile,
        kubernetesVersion,
        supportType: eksSupportType(kubernetesVersion, today),
        zoneCount,
        natGateways,
        publicAccessCidrs,
        nodes,
        ecrKeepImages,
        ...logs,
        tlsCertificateArn,
    };
}
