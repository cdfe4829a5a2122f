export { managedPolicyArn, partitionOf } from "./awsProvider";
export { EksTarget } from "./eksTarget";
export { keepNewestImagesPolicy } from "./imageBuilder";
export { renderKubeconfig, updateKubeconfigCommand } from "./kubeconfig";
export { subnetNetmasks } from "./network";
export { eksNodeMode } from "./nodeModes";
export { chooseEksZones, lookupEksZones } from "./zones";
export { PodIdentityRole } from "./podIdentityRole";
