import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { ClusterTarget } from "./clusterTarget";
import { EksTarget } from "./eks";
import { ExistingClusterTarget } from "./existingCluster";
import { MinikubeTarget } from "./minikube";

/** The cluster the stack config asks for, behind the one ClusterTarget interface. */
export function createTarget(config: StackConfig, opts?: pulumi.ComponentResourceOptions): ClusterTarget {
    switch (config.target) {
        case "minikube":
            return new MinikubeTarget("minikube", config.minikube, opts);
        case "eks":
            return new EksTarget("eks", config.eks, opts);
        case "cluster":
            return new ExistingClusterTarget("cluster", config.cluster, opts);
    }
}
