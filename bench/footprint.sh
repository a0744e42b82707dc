#!/usr/bin/env bash
# footprint.sh - Drawbridge's memory footprint under several JVM option sets, against Mosquitto, on 127.0.0.1 only
# (see README.md, "Footprint").
#
#   bench/footprint.sh                 # every set in footprint-sets.txt, 3 rounds: 2-3 minutes per set on 2 cores
#   ONLY=base,small bench/footprint.sh
#
# For each set it runs mqttload/compare.sh with the scenarios fanin_q1 (4 QoS 1 publishers, 1 subscriber) and
# conns_100 (100 idle clients held 5 s), Mosquitto and Drawbridge alternating, a fresh broker per run, and prints
# one row per set: idle RSS, RSS with 100 clients, startup ms and fanin_q1 msgs/s, each with Mosquitto's from the
# same compare.sh run, and fanin_q1 relative to the first set (as the ratio of the two sets' Drawbridge/Mosquitto
# ratios, which cancels most of the load other work puts on the machine).
#
# Environment (all optional):
#   DRAWBRIDGE_JAR  broker jar (default: broker/target/drawbridge.jar; it must exist)
#   MOSQUITTO       Mosquitto binary (default /usr/sbin/mosquitto)
#   ROUNDS          rounds per set (default 3)
#   SETS            option sets, one a line "LABEL FLAGS..." (default: footprint-sets.txt beside this script);
#                   {JSA} in FLAGS is an AppCDS archive this script makes first with a short training run
#   ONLY            comma-separated labels to run (default: all)
#   FOOTPRINT_OUT   output directory (default: bench/results/footprint-<UTC time>)
#
# Writes footprint.md (the table) and one compare.sh directory per set.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jar=${DRAWBRIDGE_JAR:-$root/broker/target/drawbridge.jar}
mosquitto=${MOSQUITTO:-/usr/sbin/mosquitto}
rounds=${ROUNDS:-3}
sets=${SETS:-$here/footprint-sets.txt}
only=${ONLY:-}
ML=$here/mqttload/mqttload

die() { echo "footprint.sh: $*" >&2; exit 2; }
[[ -x $mosquitto ]] || die "no Mosquitto at $mosquitto (apt-get install -y mosquitto)"
[[ -f $jar ]] || die "no broker jar at $jar (mvn -pl broker -am package -DskipTests)"
[[ -r $sets ]] || die "cannot read $sets"
command -v python3 >/dev/null || die "python3 not found"
make -s -C "$here/mqttload" || die "cannot build mqttload (apt-get install -y gcc make libmosquitto-dev libssl-dev)"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
ulimit -n 4096

out=${FOOTPRINT_OUT:-$here/results/footprint-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

cpid="" tpid=""
stop() {
    [[ -z $cpid ]] || kill -TERM -- "-$cpid" 2>/dev/null || true
    [[ -z $tpid ]] || kill -TERM "$tpid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap 'stop' EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# AppCDS training: start the broker with -XX:ArchiveClassesAtExit, connect, publish and subscribe at QoS 0 and 1,
# stop it with SIGTERM; the JVM writes the archive as it exits.
make_archive() { # jsa flags...
    local jsa=$1; shift
    local dir="$out/cds-training" port
    mkdir -p "$dir"; port=$(free_port)
    printf 'allow_anonymous true\nlistener %s 127.0.0.1\nmax_queued_messages 0\nmax_pending_connections_per_address 0\n' \
        "$port" > "$dir/broker.conf"
    # shellcheck disable=SC2068  # flags are a word list by design
    java $@ -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" -c "$dir/broker.conf" > "$dir/broker.log" 2>&1 &
    tpid=$!
    "$ML" probe -p "$port" --timeout 60 > "$dir/probe.out" 2>&1 || die "training broker did not start ($dir)"
    timeout 60 "$ML" fanin -p "$port" -q 1 --pubs 2 -d 3 > "$dir/fanin.out" 2>&1 || true
    timeout 60 "$ML" fanout -p "$port" -q 0 --subs 5 -d 2 > "$dir/fanout.out" 2>&1 || true
    kill -TERM "$tpid"
    timeout 60 tail --pid="$tpid" -f /dev/null || kill -KILL "$tpid" 2>/dev/null || true
    wait "$tpid" 2>/dev/null || true
    tpid=""
    [[ -s $jsa ]] || die "no archive written ($dir/broker.log)"
}

labels=()
while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    read -r label flags <<<"$line" || true
    [[ -z ${label:-} ]] && continue
    if [[ -n $only && ",$only," != *",$label,"* ]]; then continue; fi
    labels+=("$label")
    if [[ $flags == *"{JSA}"* ]]; then
        jsa="$out/$label.jsa"
        flags=${flags//\{JSA\}/$jsa}
        echo "footprint.sh: $label: making the AppCDS archive $jsa" >&2
        make_archive "$jsa" "${flags//-XX:SharedArchiveFile=$jsa/}"
    fi
    echo "$flags" > "$out/$label.flags"
    echo "footprint.sh: $label: $flags" >&2
    setsid "$here/mqttload/compare.sh" -r "$rounds" --only fanin_q1,conns_100 -o "$out/$label" --no-tls --nofile 4096 \
        --conf-line 'max_queued_messages 0' --conf-line-bc 'max_pending_connections_per_address 0' \
        -a "$mosquitto -c {CONF}" -A mosquitto \
        -b "java $flags -jar $jar -c {CONF}" -B drawbridge > "$out/$label.log" 2>&1 &
    cpid=$!
    wait "$cpid" || echo "footprint.sh: $label: compare.sh exited with status $? (see $out/$label.log)" >&2
    cpid=""
done < "$sets"
((${#labels[@]})) || die "no option set selected"

{
    echo "- Date (UTC): $(date -u '+%Y-%m-%d %H:%M')  machine: $(nproc) cores, $(uname -m), $(uname -r)"
    echo "- Mosquitto: $("$mosquitto" -h 2>/dev/null | head -1 | sed 's/^mosquitto version /version /')"
    echo "- Java: $(java -version 2>&1 | head -1)"
    echo "- Load average (1/5/15 min) before: $load_before  after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Rounds: $rounds  figures: medians (idle RSS and startup over every start of the set)"
    echo
} > "$out/footprint.md"

python3 - "$out" "${labels[@]}" >> "$out/footprint.md" <<'PY'
import statistics, sys
out, labels = sys.argv[1], sys.argv[2:]
def rows(label):
    return [dict(kv.split("=", 1) for kv in line.split() if "=" in kv) for line in open(f"{out}/{label}/results.txt")]
def med(vals):
    vals = [float(v) for v in vals if v not in (None, "NA")]
    return statistics.median(vals) if vals else None
def fig(rs, side):
    s = [d for d in rs if d.get("side") == side]
    ok = lambda n: [d for d in s if d.get("name") == n and d.get("ok") == "1"]
    return {"idle": med(d.get("idle_rss_kb") for d in s),
            "c100": med(d.get("rss_end_kb") for d in ok("conns_100")),
            "start": med(d.get("startup_ms") for d in s),
            "q1": med(d.get("msgs_per_s") for d in ok("fanin_q1")),
            "failed": sum(d.get("ok") != "1" for d in s)}
def mb(v): return "-" if v is None else f"{v / 1024:.1f}"
def n(v): return "-" if v is None else f"{v:.0f}"
print("| set | idle RSS MB | RSS 100 clients MB | startup ms | fanin_q1 msgs/s | fanin_q1 vs first set | failed runs |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
first = first_abs = None
for label in labels:
    rs = rows(label)
    d, m = fig(rs, "drawbridge"), fig(rs, "mosquitto")
    ratio = d["q1"] / m["q1"] if d["q1"] and m["q1"] else None
    first = ratio if first is None else first
    first_abs = d["q1"] if first_abs is None else first_abs
    rel = (f"{d['q1'] / first_abs:.2f}" if d["q1"] and first_abs else "-") + " / " + \
          (f"{ratio / first:.2f}" if ratio and first else "-")
    print(f"| {label} | {mb(d['idle'])} (M {mb(m['idle'])}) | {mb(d['c100'])} (M {mb(m['c100'])}) "
          f"| {n(d['start'])} (M {n(m['start'])}) | {n(d['q1'])} (M {n(m['q1'])}, {'-' if ratio is None else f'{ratio:.2f}'}) "
          f"| {rel} | {d['failed']} (M {m['failed']}) |")
print()
print("M: Mosquitto in the same compare.sh run; the figure after its msgs/s is Drawbridge/Mosquitto. "
      "\"vs first set\": Drawbridge's msgs/s over the first set's, then the same for the Drawbridge/Mosquitto ratios.")
print()
for label in labels:
    print(f"- `{label}`: `{open(f'{out}/{label}.flags').read().strip()}`")
PY

echo
cat "$out/footprint.md"
echo "footprint.sh: table in $out/footprint.md, logs in $out" >&2
