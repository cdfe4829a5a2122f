/** Where the app is deployed. Each target is a cluster behind the same small interface (see ../targets). */
export type TargetName = "minikube" | "eks";

export const TARGET_NAMES: readonly TargetName[] = ["minikube", "eks"];

/** Replica bounds of one tier; the HorizontalPodAutoscaler moves between them. */
export interface ReplicaRange {
    readonly min: number;
    readonly max: number;
}

/** Settings of the app itself, the same on every target. */
export interface AppSettings {
    readonly namespace: string;
    /** An image reference to run instead of building app/backend (undefined: the target builds it). */
    readonly backendImage: string | undefined;
    readonly frontendImage: string;
    readonly backendReplicas: ReplicaRange;
    readonly frontendReplicas: ReplicaRange;
    /** Average CPU utilisation, in percent of the request, that the HPAs aim for. */
    readonly cpuTargetUtilization: number;
}

export interface MinikubeSettings {
    /** kubeconfig context, which minikube names after its profile; also the profile `minikube image build` uses. */
    readonly kubeContext: string;
}

export interface MinikubeStackConfig {
    readonly target: "minikube";
    readonly app: AppSettings;
    readonly minikube: MinikubeSettings;
}

export interface EksStackConfig {
    readonly target: "eks";
    readonly app: AppSettings;
}

export type StackConfig = MinikubeStackConfig | EksStackConfig;
