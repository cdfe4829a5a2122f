import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig } from "../config";
import { ClusterTarget } from "./clusterTarget";
import { MinikubeTarget } from "./minikube";

export * from "./clusterTarget";
export { MinikubeTarget, minikubeImageTag } from "./minikube";

/** The cluster the stack config asks for, behind the one ClusterTarget interface. */
export function createTarget(config: StackConfig, opts?: pulumi.ComponentResourceOptions): ClusterTarget {
    switch (config.target) {
        case "minikube":
            return new MinikubeTarget("minikube", config.minikube, opts);
        case "eks":
            throw new ConfigError([
                {
                    key: "first-k8s:target",
                    value: "eks",
                    expected: "minikube: the EKS target is not built yet (it comes with the EKS issue)",
                },
            ]);
    }
}
