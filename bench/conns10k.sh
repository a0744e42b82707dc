#!/usr/bin/env bash
# conns10k.sh - RSS of Drawbridge and Mosquitto holding 10,000 idle MQTT connections, side by side (see README.md).
#
#   bench/conns10k.sh                  # 3 rounds of Mosquitto then Drawbridge, about 4 minutes on 2 cores
#
# Each start: a fresh broker on 127.0.0.1 (one plain listener, anonymous), 2 s idle, then two mqttload processes
# open 5,000 connections each (CONNECT, keepalive 60, at most 64 handshakes in flight per process) and hold them
# idle for 30 s. Once the broker's port has 10,000 established connections (or stops gaining any), this script
# waits 10 s and reads the broker's VmRSS and its open sockets; a run counts only if every client got its CONNACK
# before that reading and none was lost until the end of the hold. Two load processes, because libmosquitto keeps
# three descriptors per client (the socket and a wake-up socketpair): 10,000 clients need 30,000 in one process.
#
# Environment (all optional): DRAWBRIDGE_JAR, JAVA_OPTS, MOSQUITTO, ROUNDS (3) as in run.sh; CONNS_NOFILE, the
# fd limit for the brokers and mqttload (default 30000; lowered to the hard limit where that cannot be raised).
set -euo pipefail

# The shared start: here, root, jar, java_opts, mosquitto; die, require_mosquitto, build_mqttload, find_jar
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ML=$here/mqttload/mqttload
rounds=${ROUNDS:-3}
want=${CONNS_NOFILE:-30000}
conns=10000 procs=2 settle=10 hold=30

[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS: expected a positive number, found '$rounds'"
require_mosquitto mosquitto
for c in java python3 ss; do command -v "$c" >/dev/null || die "$c not found"; done
build_mqttload
find_jar

# Root may raise the hard limit; in a container without CAP_SYS_RESOURCE it cannot, so take what there is as long
# as each process fits: the broker needs one descriptor per client, each mqttload three.
ulimit -Hn "$want" 2>/dev/null || true
hard=$(ulimit -Hn)
[[ $hard == unlimited ]] && hard=$want
nofile=$((hard < want ? hard : want))
need=$((3 * conns / procs + 1000))
((nofile >= need)) || die "fd hard limit $hard is too low: need $need (CONNS_NOFILE, ulimit -Hn)"
ulimit -n "$nofile"
read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
((hi - lo + 1 >= conns + 1000)) ||
    die "ephemeral ports $lo-$hi are too few for $conns connections from 127.0.0.1 (net.ipv4.ip_local_port_range)"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out="$here/results/conns10k-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
chmod 755 "$out" # Debian's mosquitto drops to user 'mosquitto'
results=$out/results.txt
: > "$results"

bpid="" lpids=()
cleanup() {
    for p in "${lpids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    if [[ -n $bpid ]] && kill -0 "$bpid" 2>/dev/null; then
        kill -TERM "$bpid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$bpid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$bpid" 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    bpid="" lpids=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
established() { ss -Htn state established "( sport = :$1 )" | wc -l; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
sum_field() { # key files... -> sum of key= over the RESULT lines
    cat "${@:2}" | awk -v k="$1" '/^RESULT / {for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) s += substr($i, length(k) + 2)} END {print s + 0}'
}

run_one() { # side command-template round
    local side=$1 tmpl=$2 round=$3
    local dir=$out/r$round-$side port
    mkdir -p "$dir"
    chmod 755 "$dir"
    port=$(free_port)
    printf 'allow_anonymous true\nlistener %s 127.0.0.1\n' "$port" > "$dir/broker.conf"
    chmod 644 "$dir/broker.conf"
    local cmd=${tmpl//\{CONF\}/$dir/broker.conf}
    echo "$cmd" > "$dir/command"
    bash -c "ulimit -n $nofile; exec $cmd" > "$dir/broker.log" 2>&1 &
    bpid=$!
    if ! "$ML" probe -p "$port" --timeout 60 > "$dir/probe.out" 2>&1; then
        echo "round=$round side=$side ok=0 error=startup" >> "$results"
        cleanup
        return
    fi
    sleep 2
    local idle; idle=$(rss_kb "$bpid")
    local i
    for ((i = 1; i <= procs; i++)); do
        "$ML" conns -p "$port" -c $((conns / procs)) --hold "$hold" --settle 1 --connect-timeout 120 \
            > "$dir/mqttload$i.out" 2> "$dir/mqttload$i.err" &
        lpids+=($!)
    done
    # Wait until the kernel has 10,000 established on the port (or no new one for 10 s, or 150 s), then settle.
    # Checked afterwards: the reading must come after mqttload's last CONNACK, so every client is an MQTT session.
    local t0 last=-1 since=$SECONDS start=$SECONDS n
    t0=$(date +%s%N)
    while :; do
        n=$(established "$port")
        ((n >= conns)) && break
        if ((n != last)); then last=$n since=$SECONDS; fi
        ((SECONDS - since >= 10 || SECONDS - start >= 150)) && break
        sleep 0.5
    done
    sleep "$settle"
    local rss est fds hwm read_s
    rss=$(rss_kb "$bpid")
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$bpid/status")
    read_s=$(python3 -c "print(f'{($(date +%s%N) - $t0) / 1e9:.1f}')")
    est=$(established "$port")
    fds=$(find "/proc/$bpid/fd" -mindepth 1 -maxdepth 1 -lname 'socket:*' 2>/dev/null | wc -l)
    wait "${lpids[@]}" 2>/dev/null || true
    lpids=()
    local alive=1
    kill -0 "$bpid" 2>/dev/null || alive=0
    local connected failed lost connect_s
    connected=$(sum_field connected "$dir"/mqttload*.out)
    failed=$(sum_field failed "$dir"/mqttload*.out)
    lost=$(sum_field lost_conns "$dir"/mqttload*.out)
    connect_s=$(cat "$dir"/mqttload*.out | awk '/^RESULT / {for (i = 1; i <= NF; i++) if (index($i, "connect_s=") == 1) {v = substr($i, 11) + 0; if (v > m) m = v}} END {print m + 0}')
    cleanup
    local ok=1 error=""
    ((connected == conns)) || error=connect_failed
    ((lost == 0)) || error=lost_during_hold
    ((alive == 1)) || error=broker_died
    python3 -c "import sys; sys.exit(0 if $connect_s < $read_s else 1)" || error=${error:-read_before_last_connack}
    [[ -z $error ]] || ok=0
    local line="round=$round side=$side ok=$ok${error:+ error=$error} connected=$connected failed=$failed"
    line+=" lost_conns=$lost established=$est broker_sockets=$fds connect_s=$connect_s read_s=$read_s"
    line+=" idle_rss_kb=$idle rss_kb=$rss hwm_kb=$hwm"
    line+=" rss_per_conn_kb=$(python3 -c "print(f'{($rss - $idle) / max($connected, 1):.2f}')")"
    echo "$line" >> "$results"
    echo "  $line" >&2
}

echo "conns10k.sh: $rounds rounds, fd limit $nofile, output $out" >&2
for ((r = 1; r <= rounds; r++)); do
    echo "round $r/$rounds" >&2
    run_one mosquitto "$mosquitto -c {CONF}" "$r"
    run_one drawbridge "java $java_opts -jar $jar -c {CONF}" "$r"
done

{
    echo "- Date (UTC): $(date -u '+%Y-%m-%d %H:%M')  machine: $(nproc) cores, $(uname -m), $(uname -r)"
    echo "- Mosquitto: $("$mosquitto" -h 2>/dev/null | head -1 | sed 's/^mosquitto version /version /')"
    echo "- Java: $(java -version 2>&1 | head -1)  flags: $java_opts"
    echo "- fd limit $nofile (hard $hard), ephemeral ports $lo-$hi, clients from 127.0.0.1 in $procs mqttload processes"
    echo "- Load average (1/5/15 min) before: $load_before  after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Rounds: $rounds  figures: median over runs with ok=1"
    echo
} > "$out/table.md"
python3 - "$results" >> "$out/table.md" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split() if "=" in kv) for line in open(sys.argv[1])]
FIGURES = [("connected", "connections accepted (CONNACK 0)"),
           ("established", "established on the broker's port at the reading"),
           ("broker_sockets", "sockets the broker process holds"),
           ("idle_rss_kb", "VmRSS idle, before connecting (kB)"),
           ("rss_kb", "VmRSS 10 s after all connected (kB)"),
           ("hwm_kb", "VmHWM at that moment (kB)"),
           ("rss_per_conn_kb", "RSS growth per connection (kB)"),
           ("connect_s", "first connect to last CONNACK (s)"),
           ("read_s", "RSS read at, from the start of the load (s)")]
def med(side, key):
    vals = [float(d[key]) for d in rows if d.get("side") == side and d.get("ok") == "1" and key in d]
    return statistics.median(vals) if vals else None
def fmt(v):
    return "-" if v is None else (f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}")
print("| figure | mosquitto | drawbridge | drawbridge/mosquitto |")
print("| --- | ---: | ---: | ---: |")
for key, label in FIGURES:
    a, b = med("mosquitto", key), med("drawbridge", key)
    print(f"| {label} | {fmt(a)} | {fmt(b)} | {f'{b / a:.2f}' if a and b is not None else '-'} |")
ok = {s: f"{sum(d.get('ok') == '1' for d in rows if d.get('side') == s)}/{sum(d.get('side') == s for d in rows)}"
      for s in ("mosquitto", "drawbridge")}
print(f"\nvalid runs: mosquitto {ok['mosquitto']}, drawbridge {ok['drawbridge']}")
for d in rows:
    if d.get("ok") != "1":
        print(f"- failed: round {d.get('round')} {d.get('side')}: " + " ".join(
            f"{k}={d[k]}" for k in ("error", "connected", "failed", "lost_conns", "established") if k in d))
PY
echo
cat "$out/table.md"
echo "conns10k.sh: table in $out/table.md, raw lines in $out/results.txt, logs in $out" >&2
if grep -q '^- failed' "$out/table.md"; then exit 1; fi
