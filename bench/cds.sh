#!/usr/bin/env bash
# The package's class-data-sharing archive, measured: makes the archive as the Debian postinst does (the training run
# dev.drawbridge.broker.cli.CdsTraining under -XX:ArchiveClassesAtExit), then starts the broker ROUNDS times with and
# ROUNDS times without it, interleaved, each a fresh process with the service's JVM options and a plain listener on
# 127.0.0.1, and prints per run and as medians: startup_ms (launch to the first CONNACK, mqttload's probe as in
# compare.sh), the CPU time from launch to idle (utime + stime in /proc/PID/stat 2 s after that CONNACK) and VmRSS then.
#
#   bench/cds.sh            (ROUNDS=5, DRAWBRIDGE_JAR=broker/target/drawbridge.jar, JAVA=java)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$(realpath "${DRAWBRIDGE_JAR:-$here/../broker/target/drawbridge.jar}")
java=${JAVA:-java}
rounds=${ROUNDS:-5}
# The Debian unit's JVM options, read from the unit itself, without the archive's (added per run).
unit=$here/../broker/src/deb/root/lib/systemd/system/drawbridge.service
read -ra opts < <(sed -n 's|^ExecStart=/usr/bin/java \(.*\) -jar .*|\1|p' "$unit" | tr ' ' '\n' \
    | grep -v -e '^-Xshare:' -e '^-XX:SharedArchiveFile=' -e '^-Xlog:cds' | tr '\n' ' ')
((${#opts[@]} > 0)) || { echo "cds.sh: no JVM options in the ExecStart line of $unit" >&2; exit 2; }
ml=$here/mqttload/mqttload
[[ -x $ml ]] || make -s -C "$here/mqttload"
work=$(mktemp -d)
bpid=
cleanup() { [[ -n $bpid ]] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

timeout 120 "$java" -XX:ArchiveClassesAtExit="$work/drawbridge.jsa" "${opts[@]}" -cp "$jar" \
    dev.drawbridge.broker.cli.CdsTraining >"$work/training.log" 2>&1
echo "archive: $(stat -c %s "$work/drawbridge.jsa") bytes"
tick_ms=$((1000 / $(getconf CLK_TCK)))

one() { # with|without -> "startup_ms cpu_ms rss_kb"
    local port cds=() t0 probe cpu
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$work/broker.conf"
    [[ $1 == with ]] && cds=(-Xshare:auto -XX:SharedArchiveFile="$work/drawbridge.jsa" '-Xlog:cds*=off')
    t0=$(date +%s%N)
    "$java" "${cds[@]}" "${opts[@]}" -jar "$jar" -c "$work/broker.conf" >"$work/broker.log" 2>&1 &
    bpid=$!
    probe=$("$ml" probe -p "$port" --since "$t0" --timeout 60 | tail -1)
    sleep 2
    # fields 14 and 15 of /proc/PID/stat: utime and stime in clock ticks (the name in field 2 has no spaces: java)
    cpu=$(awk -v t="$tick_ms" '{print ($14 + $15) * t}' "/proc/$bpid/stat")
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$bpid/status")
    kill "$bpid"; wait "$bpid" || true; bpid=
    echo "$(tr ' ' '\n' <<<"$probe" | sed -n 's/^startup_ms=//p') $cpu $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
: >"$work/with"; : >"$work/without"
for ((r = 1; r <= rounds; r++)); do
    for side in with without; do
        line=$(one "$side")
        echo "round $r $side: startup_ms cpu_ms rss_kb = $line"
        echo "$line" >>"$work/$side"
    done
done
for side in with without; do
    printf '%-8s median startup_ms %s  cpu_to_idle_ms %s  idle_rss_kb %s\n' "$side" \
        "$(cut -d' ' -f1 "$work/$side" | median)" "$(cut -d' ' -f2 "$work/$side" | median)" \
        "$(cut -d' ' -f3 "$work/$side" | median)"
done
