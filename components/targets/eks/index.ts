export { CLUSTER_ADDONS, clusterAddon, ClusterAddonName } from "./addons";
export { createAwsProvider, managedPolicyArn, partitionOf } from "./awsProvider";
export { enableAutoModeNetworkPolicies } from "./autoModeNetworkPolicy";
export { CONTROL_PLANE_LOG_TYPES, EksControlPlane, EksControlPlaneArgs } from "./controlPlane";
export { EksTarget, EksTargetArgs } from "./eksTarget";
export { EcrImageBuilder, EcrImageBuilderArgs, IMAGE_PLATFORM, keepNewestImagesPolicy } from "./imageBuilder";
export { KubeconfigArgs, renderKubeconfig, updateKubeconfigCommand } from "./kubeconfig";
export {
    ManagedNodes,
    ManagedNodesArgs,
    NODE_AMI_TYPE,
    NODE_METADATA_OPTIONS,
    NODE_POLICIES,
    NODE_ROOT_VOLUME,
} from "./managedNodes";
export {
    EksNetwork,
    EksNetworkArgs,
    PRIVATE_SUBNET_TAGS,
    PUBLIC_SUBNET_TAGS,
    subnetNetmasks,
    VPC_CIDR,
} from "./network";
export { AUTO_MODE_LOAD_BALANCER_CLASS, eksTrafficEntry } from "./trafficEntry";
