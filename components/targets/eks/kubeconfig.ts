export interface KubeconfigArgs {
    readonly clusterName: string;
    /** The API server URL, https://... */
    readonly endpoint: string;
    /** Base64 PEM of the cluster's certificate authority. */
    readonly certificateAuthority: string;
    readonly region: string;
    /** AWS CLI profile to get tokens with; undefined: the default credential chain. */
    readonly profile: string | undefined;
}

/**
 * A kubeconfig for an EKS cluster that gets a short-lived token from `aws eks get-token` on every use, as
 * `aws eks update-kubeconfig` writes it. Built here rather than taken from eks.Cluster's `kubeconfig` output,
 * which leaves the profile out (that one is for people, whose shell picks the profile) while the Kubernetes
 * provider of this stack must use the configured one.
 */
export function renderKubeconfig(args: KubeconfigArgs): string {
    const tokenArgs = [
        "--region",
        args.region,
        "eks",
        "get-token",
        "--cluster-name",
        args.clusterName,
        "--output",
        "json",
    ];
    if (args.profile !== undefined) {
        // --profile rather than AWS_PROFILE, which ambient credentials (AWS_ACCESS_KEY_ID) would override.
        tokenArgs.push("--profile", args.profile);
    }
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: args.clusterName,
                cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority },
            },
        ],
        users: [
            {
                name: args.clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: tokenArgs,
                    },
                },
            },
        ],
        contexts: [{ name: args.clusterName, context: { cluster: args.clusterName, user: args.clusterName } }],
        "current-context": args.clusterName,
    });
}

/** The command that writes this cluster into ~/.kube/config for kubectl. */
export function updateKubeconfigCommand(args: Pick<KubeconfigArgs, "clusterName" | "region" | "profile">): string {
    const profile = args.profile !== undefined ? ` --profile ${args.profile}` : "";
    return `aws eks update-kubeconfig --region ${args.region} --name ${args.clusterName}${profile}`;
}
