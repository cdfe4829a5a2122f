import * as k8s from "@pulumi/kubernetes";
import { ServiceMocks } from "./context";
import { autoName } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";

type ReleaseInputs = MockInputs<k8s.helm.v3.ReleaseArgs, "name" | "namespace" | "chart" | "version">;

/**
 * A Helm release (the load balancer controller's, the Cluster Autoscaler's) as the Kubernetes provider reports it
 * once installed: its status, with the chart, its version, and appVersion as the eks-charts charts set it
 * (v<version>); revision 1 on install.
 */
export const helmMocks: ServiceMocks = () => ({
    resources: {
        "kubernetes:helm.sh/v3:Release": (args) => {
            const inputs = args.inputs as ReleaseInputs;
            const name = inputs.name ?? autoName(args.name);
            const namespace = inputs.namespace ?? "default";
            const version = inputs.version ?? "0.0.0-mock";
            return {
                id: `${namespace}/${name}`,
                state: {
                    status: {
                        name,
                        namespace,
                        chart: inputs.chart,
                        version,
                        appVersion: `v${version}`,
                        revision: 1,
                        status: "deployed",
                    },
                } satisfies MockOutputs<k8s.helm.v3.Release>,
            };
        },
    },
});
