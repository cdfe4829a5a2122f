#!/usr/bin/env bash
# What a test run must not leave behind: temp folders named first-k8s-*, processes of the local engine, NGINX
# or gunicorn, and TCP ports listening on loopback.
#   scripts/check-leftovers.sh snapshot FILE   record what is there now
#   scripts/check-leftovers.sh compare FILE    exit 1, listing them, if anything is there that FILE lacks
set -euo pipefail

state() {
    local tmp=${TMPDIR:-/tmp}
    find "$tmp" -maxdepth 1 -name 'first-k8s-*' -printf 'folder %p\n' 2>/dev/null | sort
    # Processes by executable, not by PID: a PID can be reused between the two snapshots.
    ps -eo pid=,args= | awk '/first-k8s\/engine\/|[n]ginx: master|[g]unicorn|kwok|watchdog\.sh/ && !/awk|check-leftovers/ {
        $1 = ""; print "process" $0 }' | sort
    ss -Hltn 2>/dev/null | awk '{ print "port " $4 }' | sort -u
}

case "${1:-} ${2:-}" in
    snapshot\ ?*) state >"$2" ;;
    compare\ ?*)
        left=$(comm -13 "$2" <(state))
        if [[ -n "$left" ]]; then
            echo "error: the tests left these behind:" >&2
            echo "$left" | sed 's/^/  /' >&2
            exit 1
        fi
        echo "no test left a temp folder, a process or a listening port behind"
        ;;
    *)
        sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
