#!/usr/bin/env bash
# console.sh - Drawbridge's idle memory with the console off and on (see README.md).
#
#   bench/console.sh                   # 3 rounds of off then on, about 2 minutes on 2 cores
#
# Each start: a fresh broker on 127.0.0.1 with one plain MQTT listener (anonymous); "on" adds a console listener
# (protocol http_api, console_users admin, a password file made by the jar's own passwd tool). Once the MQTT port
# answers a CONNECT (mqttload's probe), "on" logs in with curl and loads the overview as a browser would (the page,
# its style sheet and script, one /api/overview). Then 10 s idle, and the broker's VmRSS is read. Figures are medians.
#
# Environment (all optional): DRAWBRIDGE_JAR, JAVA_OPTS, ROUNDS (3) as in run.sh.
set -euo pipefail

# The shared start: here, root, jar, java_opts, mosquitto; die, require_mosquitto, build_mqttload, find_jar
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ML=$here/mqttload/mqttload
rounds=${ROUNDS:-3}
idle=10

[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS: expected a positive number, found '$rounds'"
for c in java python3 curl; do command -v "$c" >/dev/null || die "$c not found"; done
build_mqttload
find_jar

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out="$here/results/console-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
results=$out/results.txt
: >"$results"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java $java_opts -jar "$jar" passwd -c -b "$out/passwd" admin "$password" >/dev/null

bpid=""
cleanup() { [[ -z $bpid ]] || { kill "$bpid" 2>/dev/null; wait "$bpid" 2>/dev/null; } || true; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Logs in as a browser does and loads the overview with everything it fetches; prints the bytes received.
page_load() { # console-port
    local base="http://127.0.0.1:$1" jar_file="$out/cookies" csrf bytes=0 n
    rm -f "$jar_file"
    csrf=$(curl -sf -c "$jar_file" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
    [[ -n $csrf ]] || die "no CSRF token on the login page"
    curl -sf -b "$jar_file" -c "$jar_file" -o /dev/null --data-urlencode "username=admin" \
        --data-urlencode "password=$password" --data-urlencode "csrf=$csrf" "$base/login"
    for path in / /static/console.css /static/console.js /api/overview; do
        n=$(curl -sf -b "$jar_file" -o /dev/null -w '%{size_download}' "$base$path") || die "GET $path failed"
        bytes=$((bytes + n))
    done
    echo "$bytes"
}

run_one() { # off|on round
    local side=$1 round=$2 port cport conf=$out/$1-$2.conf log=$out/$1-$2.log page_bytes=0 rss ok=1
    port=$(free_port)
    printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$conf"
    if [[ $side == on ]]; then
        cport=$(free_port)
        printf 'password_file %s\nlistener %s 127.0.0.1\nprotocol http_api\nconsole_users admin\n' \
            "$out/passwd" "$cport" >>"$conf"
    fi
    # shellcheck disable=SC2086
    java $java_opts -jar "$jar" -c "$conf" >"$log" 2>&1 &
    bpid=$!
    "$ML" probe -p "$port" --timeout 60 >/dev/null || ok=0
    if [[ $side == on && $ok == 1 ]]; then
        page_bytes=$(page_load "$cport") || ok=0
    fi
    sleep "$idle"
    kill -0 "$bpid" 2>/dev/null || ok=0
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$bpid/status" 2>/dev/null || echo 0)
    kill "$bpid"; wait "$bpid" 2>/dev/null || true; bpid=""
    echo "console=$side round=$round ok=$ok idle_rss_kb=$rss page_bytes=$page_bytes" | tee -a "$results"
}

for ((r = 1; r <= rounds; r++)); do
    run_one off "$r"
    run_one on "$r"
done

{
    echo "# Drawbridge idle RSS, console off and on"
    echo
    echo "- Machine: $(nproc) cores, load before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Java: $(java -version 2>&1 | head -1)  flags: $java_opts"
    echo "- Rounds: $rounds, $idle s idle before the reading; figures: medians over runs with ok=1"
    echo
    python3 - "$results" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.strip()]
print("| console | idle VmRSS (MB) | runs ok |")
print("|---|---|---|")
for side in ("off", "on"):
    ok = [int(r["idle_rss_kb"]) for r in rows if r["console"] == side and r["ok"] == "1"]
    med = f"{statistics.median(ok) / 1024:.1f}" if ok else "-"
    print(f"| {side} | {med} | {len(ok)} of {sum(1 for r in rows if r['console'] == side)} |")
PY
} | tee "$out/summary.md"
grep -q "ok=0" "$results" && exit 1 || exit 0
