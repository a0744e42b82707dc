#!/usr/bin/env bash
# persist.sh - what crash safety costs: fanin_q1 into a persistent session (the subscriber connects with clean
# session 0, so every QoS 1 message must be stored for it), against three brokers in one run, on 127.0.0.1 only:
#   A  Mosquitto with `persistence true` (saves its database every autosave_interval, 1800 s by default: a crash
#      loses what came since)
#   B  Drawbridge with `persistence true` (`persistence_mode durable`, the default: each PUBACK waits until the
#      message is synced to disk for the subscriber; acknowledgements share syncs)
#   C  Drawbridge with `persistence_mode autosave` (Mosquitto's behaviour)
#
#   bench/persist.sh          # 3 rounds, about 3 minutes on 2 cores
#
# Environment (all optional): DRAWBRIDGE_JAR (default broker/target/drawbridge.jar, built with Maven if missing),
# JAVA_OPTS (default as bench/run.sh), MOSQUITTO (default /usr/sbin/mosquitto), ROUNDS (3), OUT (output directory).
# Output: OUT/summary.txt (medians, ratios B/A and C/A, spreads), OUT/results.txt, per start its logs.
set -euo pipefail

# The shared start: here, root, jar, java_opts, mosquitto; die, require_mosquitto, build_mqttload, find_jar
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds=${ROUNDS:-3}

require_mosquitto mosquitto
build_mqttload
find_jar
[[ $jar != *" "* ]] || die "the jar path must not contain spaces: $jar"
out=${OUT:-$(mktemp -d /tmp/drawbridge-persist.XXXXXX)}
mkdir -p "$out"
ulimit -n 4096 2>/dev/null || true
echo "persist.sh: load before $(cut -d' ' -f1-3 /proc/loadavg), output $out" >&2

# max_queued_messages 0: as bench/run.sh (Mosquitto's default of 1000 would drop QoS 1 messages).
"$here/mqttload/compare.sh" -r "$rounds" -o "$out" --no-tls --only fanin_q1_persist \
    --conf-line 'max_queued_messages 0' --conf-line 'persistence true' --conf-line 'persistence_location {DIR}/' \
    -a "$mosquitto -c {CONF}" -A mosquitto \
    -b "java $java_opts -jar $jar -c {CONF}" -B durable \
    -c "$here/persist-autosave.sh java $java_opts -jar $jar -c {CONF}" -C autosave
echo "persist.sh: load after $(cut -d' ' -f1-3 /proc/loadavg)" >&2
