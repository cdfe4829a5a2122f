import { ClusterFacts, StackFacts } from "../../components/facts";
import { appFactsFromObjects } from "../../components/report";
import { eksClusterFacts, EksNetworkPolicyEnforcer, EksObservation } from "../../components/targets/eks/eksFacts";
import { minikubeClusterFacts } from "../../components/targets/minikubeFacts";
import { PlanEntry, Rendering } from "../render/renderStack";

/*
 * The same StackFacts the program exports as `report`, read from an offline rendering instead of live
 * resources: the app from the rendered Kubernetes objects, the cluster from plan.json's entries (the inputs the
 * program gives the cloud resources). Each reader recognises one kind of cluster by the resources it creates and
 * hands what it read to the same facts function the target uses live.
 */

type Inputs = Record<string, unknown>;

function inputsOf(entry: PlanEntry): Inputs {
    return (entry.inputs ?? {}) as Inputs;
}

function entriesOf(rendering: Rendering, type: string): PlanEntry[] {
    return rendering.plan.filter((entry) => entry.type === type);
}

/** The one entry of `type`; a rendering with none or several is not one this reader understands. */
function single(rendering: Rendering, type: string): PlanEntry {
    const found = entriesOf(rendering, type);
    if (found.length !== 1) {
        throw new Error(`compare: expected one ${type} in the ${rendering.stack} rendering, found ${found.length}`);
    }
    return found[0];
}

function readMinikube(rendering: Rendering): ClusterFacts | undefined {
    const target = entriesOf(rendering, "first-k8s:targets:MinikubeTarget")[0];
    if (!target) {
        return undefined;
    }
    const provider = rendering.plan.find(
        (entry) => entry.type === "pulumi:providers:kubernetes" && entry.parent === `${target.type}::${target.name}`,
    );
    const context = provider && inputsOf(provider).context;
    if (typeof context !== "string") {
        throw new Error(
            `compare: the minikube target in the ${rendering.stack} rendering has no Kubernetes provider with a context`,
        );
    }
    return minikubeClusterFacts({ profile: context });
}

/** NAT gateways awsx creates for a strategy over `zones` zones. */
function natGatewaysFor(strategy: unknown, zones: number): number {
    switch (strategy ?? "OnePerAz") {
        case "OnePerAz":
            return zones;
        case "Single":
            return 1;
        case "None":
            return 0;
        default:
            throw new Error(`compare: unknown NAT gateway strategy ${String(strategy)}`);
    }
}

function networkPolicyEnforcer(rendering: Rendering, cluster: Inputs): EksNetworkPolicyEnforcer {
    if ((cluster.vpcCniOptions as { enableNetworkPolicy?: boolean } | undefined)?.enableNetworkPolicy === true) {
        return "vpc-cni";
    }
    const autoModeSwitch = rendering.objects.find(
        ({ manifest }) =>
            manifest.kind === "ConfigMap" &&
            manifest.metadata.name === "amazon-vpc-cni" &&
            manifest.metadata.namespace === "kube-system" &&
            (manifest.data as Record<string, string> | undefined)?.["enable-network-policy-controller"] === "true",
    );
    return autoModeSwitch ? "auto-mode" : null;
}

function keptImages(rendering: Rendering): number {
    const policy = inputsOf(single(rendering, "aws:ecr/lifecyclePolicy:LifecyclePolicy")).policy;
    const rules = (JSON.parse(String(policy)) as { rules: { selection: { countType: string; countNumber: number } }[] })
        .rules;
    const keep = rules.find((rule) => rule.selection.countType === "imageCountMoreThan");
    if (!keep) {
        throw new Error(
            "compare: the ECR lifecycle policy has no imageCountMoreThan rule to tell how many images stay",
        );
    }
    return keep.selection.countNumber;
}

function readEks(rendering: Rendering): ClusterFacts | undefined {
    if (entriesOf(rendering, "eks:index:Cluster").length === 0) {
        return undefined;
    }
    const cluster = inputsOf(single(rendering, "eks:index:Cluster"));
    const vpc = inputsOf(single(rendering, "awsx:ec2:Vpc"));
    const region = inputsOf(single(rendering, "pulumi:providers:aws")).region;
    const keys = entriesOf(rendering, "aws:kms/key:Key");
    const zones = Number(vpc.numberOfAvailabilityZones);
    const auto = (cluster.autoMode as { enabled?: boolean } | undefined)?.enabled === true;
    let nodes: EksObservation["nodes"] = { mode: "auto" };
    if (!auto) {
        const group = inputsOf(single(rendering, "eks:index:ManagedNodeGroup"));
        const scaling = group.scalingConfig as { minSize: number; desiredSize: number; maxSize: number };
        const devices = inputsOf(single(rendering, "aws:ec2/launchTemplate:LaunchTemplate")).blockDeviceMappings as
            { ebs?: { volumeSize?: number; volumeType?: string } }[] | undefined;
        nodes = {
            mode: "managed",
            instanceTypes: group.instanceTypes as string[],
            min: scaling.minSize,
            desired: scaling.desiredSize,
            max: scaling.maxSize,
            volumeGiB: devices?.[0]?.ebs?.volumeSize ?? null,
            volumeType: devices?.[0]?.ebs?.volumeType ?? null,
        };
    }
    return eksClusterFacts({
        region: String(region),
        kubernetesVersion: String(cluster.version),
        // What EKS assumes when no upgrade policy is given.
        supportType: (cluster.upgradePolicy as { supportType?: string } | undefined)?.supportType ?? "EXTENDED",
        zones,
        natGateways: natGatewaysFor((vpc.natGateways as { strategy?: string } | undefined)?.strategy, zones),
        // eks.Cluster's default when none is given.
        authenticationMode: String(cluster.authenticationMode ?? "CONFIG_MAP"),
        logTypes: (cluster.enabledClusterLogTypes as string[] | undefined) ?? [],
        // The key's ARN is known only after `pulumi up`; that there is one is known now.
        secretsEncrypted: cluster.encryptionConfigKeyArn !== undefined,
        secretsKeyRotation: keys.length > 0 && keys.every((key) => inputsOf(key).enableKeyRotation === true),
        kmsKeys: keys.length,
        networkPolicyEnforcer: networkPolicyEnforcer(rendering, cluster),
        nodes,
        storedImages: keptImages(rendering),
    });
}

/** One reader per kind of cluster; exactly one must recognise a rendering. */
const CLUSTER_READERS: readonly ((rendering: Rendering) => ClusterFacts | undefined)[] = [readMinikube, readEks];

/** StackFacts of a rendered stack, as the stack's `report` output would give them after `pulumi up`. */
export function factsFromRendering(rendering: Rendering): StackFacts {
    const clusters = CLUSTER_READERS.map((read) => read(rendering)).filter(
        (facts): facts is ClusterFacts => facts !== undefined,
    );
    if (clusters.length !== 1) {
        throw new Error(
            `compare: ${clusters.length} kinds of cluster recognised in the ${rendering.stack} rendering; expected one`,
        );
    }
    const target = rendering.outputs.target;
    if (typeof target !== "string") {
        throw new Error(`compare: the ${rendering.stack} rendering has no target output`);
    }
    return {
        stack: rendering.stack,
        target,
        cluster: clusters[0],
        app: appFactsFromObjects(rendering.objects.map((object) => object.manifest)),
    };
}
