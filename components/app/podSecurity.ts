import * as k8s from "@pulumi/kubernetes";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type ContainerSecurityContext = k8s.types.input.core.v1.SecurityContext;

/**
 * Pod-level settings that satisfy Pod Security Admission "restricted"
 * (kubernetes.io/docs/concepts/security/pod-security-standards): a fixed numeric non-root user, so the
 * kubelet can verify runAsNonRoot without inspecting the image, and the runtime's default seccomp filter.
 */
export function restrictedPodSecurityContext(uid: number): PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level settings: nothing to escalate to, no capabilities, and an immutable root filesystem. */
export function restrictedContainerSecurityContext(uid: number): ContainerSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}
