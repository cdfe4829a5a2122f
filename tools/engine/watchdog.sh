#!/bin/sh
# watchdog.sh OWNER_PID DIR [TEARDOWN...]: once OWNER_PID is gone, runs TEARDOWN (a real node's `down`, which
# also kills its pods and puts the host back), stops whatever still runs of the local cluster recorded in
# DIR/processes.txt ("pid start-time name" per line; a PID whose start time differs is another process and is
# left alone), then deletes DIR. Started by tools/engine/localCluster.ts for clusters owned by a test run, so that an
# interrupted or crashed run leaves no process and no folder behind.
owner=$1
dir=$2
shift 2
while kill -0 "$owner" 2>/dev/null; do
    sleep 1
done

start_time() {
    # Field 22 of /proc/PID/stat; the command name in field 2 may hold spaces, so count from its ')'.
    sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

stop_all() {
    sig=$1
    [ -f "$dir/processes.txt" ] || return 0
    while read -r pid started name; do
        if [ "$(start_time "$pid")" = "$started" ]; then
            kill "-$sig" "-$pid" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null
        fi
    done <"$dir/processes.txt"
}

if [ $# -gt 0 ]; then
    "$@" >"$dir/logs/watchdog-teardown.log" 2>&1 </dev/null
fi
stop_all TERM
sleep 5
stop_all KILL
rm -rf "$dir"
