#!/usr/bin/env bash
# run.sh - Drawbridge against Mosquitto, side by side, on 127.0.0.1 only (see README.md).
#
#   bench/run.sh                       # plain MQTT scenarios, 3 rounds, about 6 minutes on 2 cores
#   bench/run.sh v5                    # the plain scenarios with MQTT 5 clients (mqttload --protocol 5), ~6 min
#   bench/run.sh tls                   # TLS handshakes (conns_tls_300): Mosquitto, Drawbridge on the JDK
#                                      # and on the OpenSSL TLS provider; RSA and EC certificates; ~5 minutes
#
# Environment (all optional):
#   DRAWBRIDGE_JAR  broker jar (default: broker/target/drawbridge.jar, built with Maven if missing)
#   JAVA_OPTS       JVM flags for Drawbridge (default: bench/java-opts, the small-box set of README.md); `tls` adds
#                   -Ddrawbridge.tls.provider=PROVIDER to them
#   MOSQUITTO       Mosquitto binary (default /usr/sbin/mosquitto)
#   ROUNDS          rounds of A B A B (tls: A B C A B C) starts (default 3)
#   SCENARIOS       comma-separated names from mqttload/scenarios.txt
#                   (default fanin_q0,fanin_q1,fanout_q0,conns_1000; tls: conns_tls_300)
#   KEY_TYPES       tls only: key types of the generated PKI, rsa (2048) and/or ec (P-256) (default rsa,ec)
#   PROVIDERS       tls only: Drawbridge TLS providers, one or two of jdk, openssl, auto (default jdk,openssl)
#   CDS             1: start Drawbridge with a class-data-sharing archive of the jar, made first as the Debian
#                   package's postinst makes it (CdsTraining under -XX:ArchiveClassesAtExit) and passed with the
#                   launcher's flags; the package ships this, the plain jar and the image do not (default 0)
#
# Writes bench/results/<UTC time>/: table.md (the headline table printed at the end), summary.txt
# (every metric; tls: one per key type), results.txt (one raw line per broker start) and each start's logs.
# Exit status 1 if any run failed (error, lost messages, broker died), after printing the table.
set -euo pipefail

# The shared start: here, root, jar, java_opts, mosquitto; die, require_mosquitto, build_mqttload, find_jar
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mode=${1:-plain}
rounds=${ROUNDS:-3}
key_types=${KEY_TYPES:-rsa,ec}
cds=${CDS:-0}
providers=${PROVIDERS:-jdk,openssl}

case "$mode" in
    plain | v5) scenarios=${SCENARIOS:-fanin_q0,fanin_q1,fanout_q0,conns_1000} ;;
    tls) scenarios=${SCENARIOS:-conns_tls_300} ;;
    *) die "unknown mode '$mode': expected no argument (plain scenarios), v5 or tls" ;;
esac
# v5: the same scenarios and brokers, every mqttload client speaking MQTT 5.
protocol_args=()
[[ $mode != v5 ]] || protocol_args=(--mqttload-arg --protocol --mqttload-arg 5)
IFS=, read -r -a key_list <<<"$key_types"
IFS=, read -r -a provider_list <<<"$providers"
for k in "${key_list[@]}"; do [[ $k == rsa || $k == ec ]] || die "KEY_TYPES: expected rsa or ec, found '$k'"; done
for p in "${provider_list[@]}"; do
    [[ $p == jdk || $p == openssl || $p == auto ]] || die "PROVIDERS: expected jdk, openssl or auto, found '$p'"
done
[[ $cds == 0 || $cds == 1 ]] || die "CDS: expected 0 or 1, found '$cds'"
((${#provider_list[@]} >= 1 && ${#provider_list[@]} <= 2)) || die "PROVIDERS: one or two, found '$providers'"
require_mosquitto mosquitto
command -v java >/dev/null || die "java not found"
command -v python3 >/dev/null || die "python3 not found"

build_mqttload
find_jar
[[ $jar != *" "* ]] || die "the jar path must not contain spaces: $jar"

# conns_1000 holds 1000 sockets in mqttload; compare.sh gives each broker the same limit.
ulimit -n 4096

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

if [[ $cds == 1 ]]; then
    # Made with the flags it is used with, as the postinst does; a refused archive would silently measure
    # the plain jar, so the training must succeed and -Xshare:on must accept the result.
    # shellcheck disable=SC2086
    timeout 180 java -XX:ArchiveClassesAtExit="$out/drawbridge.jsa" $java_opts -cp "$jar" \
        dev.drawbridge.broker.cli.CdsTraining >"$out/cds-training.log" 2>&1 \
        || die "CDS training failed, see $out/cds-training.log"
    # shellcheck disable=SC2086
    java -Xshare:on -XX:SharedArchiveFile="$out/drawbridge.jsa" $java_opts -jar "$jar" --version \
        >/dev/null 2>"$out/cds-check.log" \
        || die "the CDS archive is not accepted, see $out/cds-check.log"
    java_opts="-Xshare:auto -XX:SharedArchiveFile=$out/drawbridge.jsa -Xlog:cds*=off $java_opts"
fi

# compare.sh runs in its own process group (setsid); on INT/TERM we signal that whole group, so the
# broker and mqttload stop at once, and compare.sh's own trap still stops its broker.
cpid=""
stop() { [[ -z $cpid ]] || kill -TERM -- "-$cpid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop; exit 130' INT TERM
trap 'stop' EXIT
compare() { # compare.sh arguments...
    setsid "$here/mqttload/compare.sh" -r "$rounds" --only "$scenarios" --nofile 4096 \
        --conf-line 'max_queued_messages 0' --conf-line-bc 'max_pending_connections_per_address 0' \
        -a "$mosquitto -c {CONF}" -A mosquitto "${protocol_args[@]}" "$@" &
    cpid=$!
    wait "$cpid"
    cpid=""
}

# Same generated mosquitto.conf for all: anonymous, no queue limit (Mosquitto's default 1000 drops QoS 1
# messages in fanin_q1); for Drawbridge also no cap on pending sockets per address (the conns scenarios open up to
# 64 at once from 127.0.0.1, and Drawbridge's default closes those beyond 16). plain: one plain listener on 127.0.0.1, as for the earlier results. tls: also a
# TLS listener (require_certificate, tls_version tlsv1.2) with certificates both brokers read from one
# directory per key type; every connection of conns_tls_300 is a full handshake with a client certificate.
sides=(mosquitto)
inputs=()
if [[ $mode == plain || $mode == v5 ]]; then
    sides+=(drawbridge)
    compare -o "$out" --no-tls -b "java $java_opts -jar $jar -c {CONF}" -B drawbridge
    inputs+=("$out/results.txt=")
else
    side_args=()
    letters=(b c)
    for i in "${!provider_list[@]}"; do
        p=${provider_list[$i]} l=${letters[$i]}
        sides+=("drawbridge-$p")
        side_args+=("-$l" "java $java_opts -Ddrawbridge.tls.provider=$p -jar $jar -c {CONF}" "-${l^^}" "drawbridge-$p")
    done
    for k in "${key_list[@]}"; do
        compare -o "$out/$k" --key-type "$k" "${side_args[@]}"
        inputs+=("$out/$k/results.txt=$k")
    done
    for k in "${key_list[@]}"; do sed "s/\$/ keys=$k/" "$out/$k/results.txt"; done > "$out/results.txt"
fi

{
    echo "- Date (UTC): $(date -u '+%Y-%m-%d %H:%M')  machine: $(nproc) cores, $(uname -m), $(uname -r)"
    echo "- Clients: MQTT $([[ $mode == v5 ]] && echo 5 || echo 3.1.1) (mqttload)"
    echo "- Mosquitto: $("$mosquitto" -h 2>/dev/null | head -1 | sed 's/^mosquitto version /version /')"
    echo "- Java: $(java -version 2>&1 | head -1)  flags: $java_opts"
    if [[ $mode == tls ]]; then
        echo "- TLS: certificates per key type ($key_types) shared by all brokers, TLS 1.2, client certificate" \
            "required, no session resumption; Drawbridge providers: $providers"
    fi
    echo "- Load average (1/5/15 min) before: $load_before  after: $(cut -d' ' -f1-3 /proc/loadavg)  (other work on the machine skews the figures)"
    echo "- Rounds: $rounds  figures: median over runs with ok=1 (startup and idle RSS: over every start)"
    echo
} > "$out/table.md"

python3 - "$mode" "${sides[*]}" "${inputs[@]}" >> "$out/table.md" <<'EOF'
import statistics, sys
mode, SIDES, inputs = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
A, OTHERS = SIDES[0], SIDES[1:]
rows = []  # (key label, parsed line)
for spec in inputs:
    path, label = spec.rsplit("=", 1)
    rows += [(label, dict(kv.split("=", 1) for kv in line.split() if "=" in kv)) for line in open(path)]
if mode in ("plain", "v5"):
    # broker_cpu_us_per_msg is the steadiest figure when other work shares the machine.
    HEADLINE = [(s, m, b) for s, first in (("fanin_q0", "msgs_per_s"), ("fanin_q1", "msgs_per_s"),
                                           ("fanout_q0", "deliveries_per_s"))
                for m, b in ((first, "higher"), ("p99_us", "lower"), ("broker_cpu_us_per_msg", "lower"))]
    HEADLINE += [("conns_1000", "rss_per_conn_kb", "lower"), ("conns_1000", "conns_per_s", "higher")]
else:
    # Each connection is one full TLS handshake (plus MQTT CONNECT): conns_per_s is handshakes per second,
    # broker_cpu_ms_per_conn the broker's CPU time per handshake over the connect phase.
    HEADLINE = [(s, m, b) for s in ("conns_tls_300",) for m, b in (
        ("conns_per_s", "higher"), ("broker_cpu_ms_per_conn", "lower"), ("connect_p99_ms", "lower"),
        ("rss_per_conn_kb", "lower"))]
LABELS = list(dict.fromkeys(label for label, _ in rows))
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
print("| scenario | figure | better | " + " | ".join(SIDES) + " | " + " | ".join(f"{s}/{A}" for s in OTHERS)
      + " | " + " | ".join(f"ok {s}" for s in SIDES) + " |")
print("| --- | --- | --- | " + " | ".join("---:" for _ in SIDES + OTHERS) + " | " + " | ".join("---" for _ in SIDES) + " |")
def table_row(name, metric, better, med, ok):
    print(f"| {name} | {metric} | {better} | " + " | ".join(fmt(med[s]) for s in SIDES) + " | "
          + " | ".join(ratio(med[A], med[s]) for s in OTHERS) + " | " + " | ".join(ok[s] for s in SIDES) + " |")
for label in LABELS:
    for scen, metric, better in HEADLINE:
        side = {s: [d for l, d in rows if l == label and d.get("name") == scen and d.get("side") == s] for s in SIDES}
        if not any(side.values()):
            continue
        med = {s: median(num(d.get(metric)) for d in side[s] if d.get("ok") == "1") for s in SIDES}
        ok = {s: f"{sum(d.get('ok') == '1' for d in side[s])}/{len(side[s])}" for s in SIDES}
        table_row(f"{scen} {label}".strip(), metric, better, med, ok)
for metric in ("idle_rss_kb", "startup_ms"):
    med = {s: median(num(d.get(metric)) for _, d in rows if d.get("side") == s) for s in SIDES}
    n = {s: f"n={sum(d.get('side') == s for _, d in rows)}" for s in SIDES}
    table_row("(every start)", metric, "lower", med, n)
failed = []
for label, d in rows:
    if d.get("ok") != "1" or "broker_died" in d:
        why = " ".join(f"{k}={d[k]}" for k in ("error", "lost", "unacked", "broker_died") if k in d)
        name = f"{d.get('name')} {label}".strip()
        failed.append(f"- round {d.get('round')} {d.get('side')} {name}: {why or 'not ok'}")
if failed:
    print("\nFailed runs (not counted in the figures; see each start's broker.log and mqttload.err):")
    print("\n".join(failed))
EOF

echo
cat "$out/table.md"
echo
if [[ $mode == plain || $mode == v5 ]]; then summaries=$out/summary.txt
elif ((${#key_list[@]} == 1)); then summaries=$out/$key_types/summary.txt
else summaries="$out/{$key_types}/summary.txt"; fi
echo "run.sh: table in $out/table.md, every metric in $summaries, logs in $out" >&2
if grep -q '^Failed runs' "$out/table.md"; then exit 1; fi
