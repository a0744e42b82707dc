#!/usr/bin/env bash
# run.sh - Drawbridge against Mosquitto, side by side, on 127.0.0.1 only (see README.md).
#
#   bench/run.sh                       # 3 rounds, about 6 minutes on 2 cores
#
# Environment (all optional):
#   DRAWBRIDGE_JAR  broker jar (default: broker/target/drawbridge.jar, built with Maven if missing)
#   JAVA_OPTS       JVM flags for Drawbridge (default: the small-box set chosen in README.md)
#   MOSQUITTO       Mosquitto binary (default /usr/sbin/mosquitto)
#   ROUNDS          rounds of A B A B starts (default 3)
#   SCENARIOS       comma-separated names from mqttload/scenarios.txt
#                   (default fanin_q0,fanin_q1,fanout_q0,conns_1000)
#
# Writes bench/results/<UTC time>/: table.md (the headline table printed at the end), summary.txt
# (every metric), results.txt (one raw line per broker start) and each start's logs.
# Exit status 1 if any run failed (error, lost messages, broker died), after printing the table.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jar=${DRAWBRIDGE_JAR:-$root/broker/target/drawbridge.jar}
java_opts=${JAVA_OPTS:--XX:+UseSerialGC -Xss256k -Xms16m -Xmx128m -XX:TieredStopAtLevel=1}
mosquitto=${MOSQUITTO:-/usr/sbin/mosquitto}
rounds=${ROUNDS:-3}
scenarios=${SCENARIOS:-fanin_q0,fanin_q1,fanout_q0,conns_1000}

die() { echo "run.sh: $*" >&2; exit 2; }
[[ -x $mosquitto ]] || die "no Mosquitto at $mosquitto (apt-get install -y mosquitto)"
command -v java >/dev/null || die "java not found"
command -v python3 >/dev/null || die "python3 not found"

make -s -C "$here/mqttload" || die "cannot build mqttload (apt-get install -y gcc make libmosquitto-dev libssl-dev)"
if [[ ! -f $jar ]]; then
    echo "run.sh: $jar missing, building it" >&2
    (cd "$root" && mvn -B -q -pl broker -am package -DskipTests)
fi
[[ -f $jar ]] || die "no broker jar at $jar"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[[ $jar != *" "* ]] || die "the jar path must not contain spaces: $jar"

# conns_1000 holds 1000 sockets in mqttload; compare.sh gives each broker the same limit.
ulimit -n 4096

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

# compare.sh runs in its own process group (setsid); on INT/TERM we signal that whole group, so the
# broker and mqttload stop at once, and compare.sh's own trap still stops its broker.
cpid=""
stop() { [[ -z $cpid ]] || kill -TERM -- "-$cpid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop; exit 130' INT TERM
trap 'stop' EXIT

# Same generated mosquitto.conf for both: one plain listener on 127.0.0.1 (Drawbridge has no TLS
# yet), anonymous, and no queue limit (Mosquitto's default 1000 drops QoS 1 messages in fanin_q1).
setsid "$here/mqttload/compare.sh" -r "$rounds" --only "$scenarios" -o "$out" --no-tls --nofile 4096 \
    --conf-line 'max_queued_messages 0' \
    -a "$mosquitto -c {CONF}" -A mosquitto \
    -b "java $java_opts -jar $jar -c {CONF}" -B drawbridge &
cpid=$!
wait "$cpid"
cpid=""

{
    echo "- Date (UTC): $(date -u '+%Y-%m-%d %H:%M')  machine: $(nproc) cores, $(uname -m), $(uname -r)"
    echo "- Mosquitto: $("$mosquitto" -h 2>/dev/null | head -1 | sed 's/^mosquitto version /version /')"
    echo "- Java: $(java -version 2>&1 | head -1)  flags: $java_opts"
    echo "- Load average (1/5/15 min) before: $load_before  after: $(cut -d' ' -f1-3 /proc/loadavg)  (other work on the machine skews the figures)"
    echo "- Rounds: $rounds  figures: median over runs with ok=1 (startup and idle RSS: over every start)"
    echo
} > "$out/table.md"

python3 - "$out/results.txt" >> "$out/table.md" <<'EOF'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split() if "=" in kv) for line in open(sys.argv[1])]
A, B = "mosquitto", "drawbridge"
# broker_cpu_us_per_msg is the steadiest figure when other work shares the machine.
HEADLINE = [(s, m, b) for s, first in (("fanin_q0", "msgs_per_s"), ("fanin_q1", "msgs_per_s"),
                                       ("fanout_q0", "deliveries_per_s"))
            for m, b in ((first, "higher"), ("p99_us", "lower"), ("broker_cpu_us_per_msg", "lower"))]
HEADLINE += [("conns_1000", "rss_per_conn_kb", "lower"), ("conns_1000", "conns_per_s", "higher")]
def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None
def median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None
def fmt(v):
    return "-" if v is None else (f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}")
def ratio(a, b):
    return f"{b / a:.2f}" if a and b is not None else "-"
print(f"| scenario | figure | better | {A} | {B} | {B}/{A} | ok {A} | ok {B} |")
print("| --- | --- | --- | ---: | ---: | ---: | --- | --- |")
failed = []
for scen, metric, better in HEADLINE:
    side = {s: [d for d in rows if d.get("name") == scen and d.get("side") == s] for s in (A, B)}
    if not side[A] and not side[B]:
        continue
    med = {s: median(num(d.get(metric)) for d in side[s] if d.get("ok") == "1") for s in (A, B)}
    ok = {s: f"{sum(d.get('ok') == '1' for d in side[s])}/{len(side[s])}" for s in (A, B)}
    print(f"| {scen} | {metric} | {better} | {fmt(med[A])} | {fmt(med[B])} | {ratio(med[A], med[B])} "
          f"| {ok[A]} | {ok[B]} |")
for metric in ("idle_rss_kb", "startup_ms"):
    med = {s: median(num(d.get(metric)) for d in rows if d.get("side") == s) for s in (A, B)}
    n = {s: f"n={sum(d.get('side') == s for d in rows)}" for s in (A, B)}
    print(f"| (every start) | {metric} | lower | {fmt(med[A])} | {fmt(med[B])} | {ratio(med[A], med[B])} "
          f"| {n[A]} | {n[B]} |")
for d in rows:
    if d.get("ok") != "1" or "broker_died" in d:
        why = " ".join(f"{k}={d[k]}" for k in ("error", "lost", "unacked", "broker_died") if k in d)
        failed.append(f"- round {d.get('round')} {d.get('side')} {d.get('name')}: {why or 'not ok'}")
if failed:
    print("\nFailed runs (not counted in the figures; see each start's broker.log and mqttload.err):")
    print("\n".join(failed))
EOF

echo
cat "$out/table.md"
echo
echo "run.sh: table in $out/table.md, every metric in $out/summary.txt, logs in $out" >&2
if grep -q '^Failed runs' "$out/table.md"; then exit 1; fi
