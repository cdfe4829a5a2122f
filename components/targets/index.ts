import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import type { ClusterFacts } from "../facts";
import { ClusterTarget } from "./clusterTarget";
import { EksTarget } from "./eks";
import { eksClusterFacts, eksObservation } from "./eks/eksFacts";
import { ExistingClusterTarget } from "./existingCluster";
import { existingClusterFacts } from "./existingClusterFacts";
import { MinikubeTarget } from "./minikube";
import { minikubeClusterFacts } from "./minikubeFacts";

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

/**
 * What the cluster the config asks for is, from its validated settings alone: what each target reports (an EKS
 * target then takes the Kubernetes version AWS reports), and what `npm run compare` reads offline.
 */
export function clusterFactsOf(config: StackConfig): ClusterFacts {
    switch (config.target) {
        case "minikube":
            return minikubeClusterFacts({ profile: config.minikube.kubeContext });
        case "eks":
            return eksClusterFacts(eksObservation(config.eks));
        case "cluster":
            return existingClusterFacts(config.cluster);
    }
}
