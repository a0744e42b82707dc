#!/usr/bin/env bash
# bridge.sh - bridged throughput: Drawbridge bridged to a Mosquitto "remote" against Mosquitto bridged the same way,
# on 127.0.0.1 only (see README.md, "Bridged throughput").
#
#   bench/bridge.sh              # bridge_q0 and bridge_q1, bridge at MQTT 3.1.1, 3 rounds, about 4 minutes
#   bench/bridge.sh v5           # the same with bridge_protocol_version mqttv50
#
# Each start: a remote Mosquitto on one free port, the local broker (Mosquitto, then Drawbridge: A B A B) on another
# with one bridge `connection bench` / `address` the remote / `topic bench/# out QOS`. mqttload's fanin publishers
# connect to the local broker and its subscriber to the remote (`--sub-port`), so every message crosses the bridge;
# loss and duplicates are counted per message as in run.sh. The local broker's CPU is measured (`--pid`).
#
# Environment (all optional): DRAWBRIDGE_JAR, JAVA_OPTS, MOSQUITTO, ROUNDS (3), DURATION (10 s per run),
# SCENARIOS (bridge_q0,bridge_q1).
# Writes bench/results/bridge-<UTC time>/: table.md, results.txt (one line per run), each start's logs.
set -euo pipefail

# The shared start: here, root, jar, java_opts, mosquitto; die, require_mosquitto, build_mqttload, find_jar
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mode=${1:-plain}
rounds=${ROUNDS:-3}
duration=${DURATION:-10}
scenarios=${SCENARIOS:-bridge_q0,bridge_q1}

case "$mode" in
    plain) bridge_version=mqttv311 ;;
    v5) bridge_version=mqttv50 ;;
    *) die "unknown mode '$mode': expected no argument (bridge at MQTT 3.1.1) or v5" ;;
esac
require_mosquitto "mosquitto mosquitto-clients"
command -v mosquitto_pub >/dev/null || die "mosquitto_pub not found (apt-get install -y mosquitto-clients)"
command -v python3 >/dev/null || die "python3 not found"
build_mqttload
find_jar

out="$here/results/bridge-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pids=()
stop_all() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until a message published on the local broker arrives at the remote: the bridge is up.
wait_for_bridge() { # LOCAL_PORT REMOTE_PORT LOG
    local deadline=$((SECONDS + 30))
    while ((SECONDS < deadline)); do
        mosquitto_sub -h 127.0.0.1 -p "$2" -t bench/probe -C 1 -W 2 >"$3.probe" 2>/dev/null &
        local sub=$!
        sleep 0.3
        mosquitto_pub -h 127.0.0.1 -p "$1" -t bench/probe -m up -q 1 2>/dev/null || true
        if wait "$sub" && grep -q up "$3.probe"; then return 0; fi
    done
    return 1
}

run_one() { # ROUND SIDE SCENARIO QOS
    local round=$1 side=$2 name=$3 qos=$4 dir="$out/r$1-$2-$3"
    mkdir -p "$dir"
    local remote_port local_port
    remote_port=$(free_port)
    local_port=$(free_port)
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$remote_port" >"$dir/remote.conf"
    {
        printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$local_port"
        printf 'connection bench\naddress 127.0.0.1:%s\ntopic bench/# out %s\n' "$remote_port" "$qos"
        printf 'bridge_protocol_version %s\ncleansession true\n' "$bridge_version"
    } >"$dir/local.conf"
    "$mosquitto" -c "$dir/remote.conf" >"$dir/remote.log" 2>&1 &
    pids+=($!)
    if [[ $side == mosquitto ]]; then
        "$mosquitto" -c "$dir/local.conf" >"$dir/local.log" 2>&1 &
    else
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
        java $java_opts -jar "$jar" -c "$dir/local.conf" >"$dir/local.log" 2>&1 &
    fi
    local local_pid=$!
    pids+=("$local_pid")
    local line
    if ! wait_for_bridge "$local_port" "$remote_port" "$dir/bridge"; then
        line="RESULT scenario=fanin ok=0 error=bridge_not_up"
    else
        line=$("$here/mqttload/mqttload" fanin -p "$local_port" --sub-port "$remote_port" -q "$qos" -t bench \
            -d "$duration" --warmup 2 --pid "$local_pid" 2>"$dir/mqttload.err" | grep '^RESULT' | tail -1) ||
            line="RESULT scenario=fanin ok=0 error=mqttload_failed"
    fi
    kill -0 "$local_pid" 2>/dev/null || line="$line broker_died=1"
    echo "$line round=$round side=$side name=$name" | tee -a "$out/results.txt"
    stop_all
}

IFS=, read -r -a scenario_list <<<"$scenarios"
for round in $(seq 1 "$rounds"); do
    for name in "${scenario_list[@]}"; do
        case "$name" in
            bridge_q0) qos=0 ;;
            bridge_q1) qos=1 ;;
            *) die "unknown scenario '$name': expected bridge_q0 or bridge_q1" ;;
        esac
        for side in mosquitto drawbridge; do run_one "$round" "$side" "$name" "$qos"; done
    done
done

{
    echo "- Date (UTC): $(date -u '+%Y-%m-%d %H:%M')  machine: $(nproc) cores, $(uname -m)"
    echo "- Bridge: $bridge_version, topic bench/# out QOS, to a remote $("$mosquitto" -h 2>/dev/null | head -1)"
    echo "- Java: $(java -version 2>&1 | head -1)  flags: $java_opts"
    echo "- Load average before: $load_before  after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Rounds: $rounds, ${duration} s per run; figures: medians over runs with ok=1; CPU is the local broker's"
    echo
} >"$out/table.md"
python3 - "$out/results.txt" >>"$out/table.md" <<'EOF'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split() if "=" in kv) for line in open(sys.argv[1])]
def med(name, side, metric):
    vals = [float(r[metric]) for r in rows
            if r.get("name") == name and r.get("side") == side and r.get("ok") == "1" and metric in r]
    return statistics.median(vals) if vals else None
fmt = lambda v: "-" if v is None else (f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}")
print("| scenario | figure | better | mosquitto | drawbridge | drawbridge/mosquitto | ok mosquitto | ok drawbridge |")
print("| --- | --- | --- | ---: | ---: | ---: | --- | --- |")
for name in dict.fromkeys(r.get("name") for r in rows):
    ok = {s: f"{sum(r.get('ok') == '1' for r in rows if r.get('name') == name and r.get('side') == s)}/"
             f"{sum(r.get('name') == name and r.get('side') == s for r in rows)}" for s in ("mosquitto", "drawbridge")}
    for metric, better in (("msgs_per_s", "higher"), ("p99_us", "lower"), ("broker_cpu_us_per_msg", "lower"),
                           ("lost", "lower"), ("dup", "lower")):
        a, b = med(name, "mosquitto", metric), med(name, "drawbridge", metric)
        r = f"{b / a:.2f}" if a and b is not None else "-"
        print(f"| {name} | {metric} | {better} | {fmt(a)} | {fmt(b)} | {r} | {ok['mosquitto']} | {ok['drawbridge']} |")
failed = [r for r in rows if r.get("ok") != "1" or "broker_died" in r]
if failed:
    print("\nFailed runs (not counted):")
    for r in failed:
        print(f"- round {r.get('round')} {r.get('side')} {r.get('name')}: error={r.get('error', '-')} lost={r.get('lost', '-')}")
EOF
echo
cat "$out/table.md"
echo "bridge.sh: table in $out/table.md, logs in $out" >&2
if grep -q '^Failed runs' "$out/table.md"; then exit 1; fi
