#!/bin/sh
# persist-autosave.sh - starts Drawbridge with `persistence_mode autosave` added to the configuration that
# compare.sh generated, for bench/persist.sh. Usage: persist-autosave.sh java [JVM options] -jar JAR -c CONF
# It execs the broker, so compare.sh measures the broker's own PID.
set -eu
prev=""
for a in "$@"; do
    if [ "$prev" = "-c" ]; then conf=$a; fi
    prev=$a
done
[ -n "${conf:-}" ] || { echo "persist-autosave.sh: no -c CONF in: $*" >&2; exit 2; }
echo "persistence_mode autosave" >> "$conf"
exec "$@"
