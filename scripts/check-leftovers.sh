#!/usr/bin/env bash
# What a test run must not leave behind: temp folders named first-k8s-*, processes of the local engine, NGINX
# or gunicorn, TCP ports listening on loopback, and what a real node changes outside its folder (mounts,
# network namespaces, the kubelet's cgroups, the host-wide sysctls it sets, the paths it hard-codes).
#   scripts/check-leftovers.sh snapshot FILE   record what is there now
#   scripts/check-leftovers.sh compare FILE    exit 1, listing them, if anything is there that FILE lacks
set -euo pipefail

state() {
    sections | LC_ALL=C sort -u
}

sections() {
    local tmp=${TMPDIR:-/tmp}
    find "$tmp" -maxdepth 1 -name 'first-k8s-*' -printf 'folder %p\n' 2>/dev/null | sort
    # Processes by executable, not by PID: a PID can be reused between the two snapshots.
    ps -eo pid=,args= | awk '/first-k8s\/engine\/|[n]ginx: master|[g]unicorn|kwok|watchdog\.sh/ && !/awk|check-leftovers/ {
        $1 = ""; print "process" $0 }' | sort
    ss -Hltn 2>/dev/null | awk '{ print "port " $4 }' | sort -u
    awk '{ print "mount " $5 }' /proc/self/mountinfo | sort -u
    find /run/netns -mindepth 1 -maxdepth 1 -printf 'netns %p\n' 2>/dev/null || true
    find /sys/fs/cgroup -maxdepth 2 -type d -name 'kubepods*' -printf 'cgroup %p\n' 2>/dev/null || true
    # The sysctls and paths of tools/engine/hostState.ts (HOST_SYSCTLS, HARD_CODED_PATHS).
    local key
    for key in kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes \
        vm.overcommit_memory vm.panic_on_oom net.netfilter.nf_conntrack_max; do
        printf 'sysctl %s=%s\n' "$key" "$(cat "/proc/sys/${key//.//}" 2>/dev/null || echo absent)"
    done
    find /var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /run/containerd -maxdepth 0 \
        -printf 'path %p\n' 2>/dev/null || true
}

case "${1:-} ${2:-}" in
    snapshot\ ?*) state >"$2" ;;
    compare\ ?*)
        left=$(LC_ALL=C comm -13 <(LC_ALL=C sort -u "$2") <(state))
        if [[ -n "$left" ]]; then
            echo "error: the tests left these behind:" >&2
            echo "$left" | sed 's/^/  /' >&2
            exit 1
        fi
        echo "no test left a temp folder, a process, a listening port, a mount, a network namespace, a cgroup, a changed sysctl or a node path behind"
        ;;
    *)
        sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
