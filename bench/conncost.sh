#!/usr/bin/env bash
# What a connection costs the broker, in figures a busy machine moves little. For each jar given (interleaved, ROUNDS
# times, a fresh broker process each time, run.sh's JVM options, one plain listener on 127.0.0.1 configured as run.sh
# configures it), over the first CONNS connections into a fresh JVM (mqttload conns, then the clients' close):
# - the broker's CPU time per connection: every thread's on-CPU nanoseconds (/proc/PID/task/*/schedstat) before and
#   after, the C1 compiler thread's share apart;
# - how many methods C1 compiled meanwhile, and into how many bytes of machine code (jcmd PerfCounter.print): the code
#   on the connect path that ran often enough to be compiled;
# and, with HISTO=1, the live heap per idle connection: jcmd GC.class_histogram at idle and with CONNS idle connections
# held, the difference over CONNS, with the largest class differences.
#
#   bench/conncost.sh [JAR...]   (default broker/target/drawbridge.jar; ROUNDS=5 CONNS=1000 PROTOCOL=311|5 HISTO=1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jars=("$@")
((${#jars[@]} > 0)) || jars=("$here/../broker/target/drawbridge.jar")
for i in "${!jars[@]}"; do jars[i]=$(realpath "${jars[i]}"); done
java=${JAVA:-java}
rounds=${ROUNDS:-5}
conns=${CONNS:-1000}
protocol=${PROTOCOL:-311}
histo=${HISTO:-1}
ml=$here/mqttload/mqttload
[[ -x $ml ]] || make -s -C "$here/mqttload"
# run.sh's JAVA_OPTS.
read -r -a opts <<<"${JAVA_OPTS:--XX:+UseSerialGC -Xss256k -Xms8m -Xmx128m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 \
-XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m -Dio.netty.allocator.numDirectArenas=1 \
-Dio.netty.allocator.numHeapArenas=1 -Dio.netty.allocator.maxOrder=7}"
ulimit -n 4096
work=$(mktemp -d)
bpid=
cleanup() { [[ -n $bpid ]] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

start() { # jar -> sets bpid and port, waits for the first CONNACK and 2 s of idle
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_pending_connections_per_address 0\n' \
        "$port" >"$work/broker.conf"
    "$java" "${opts[@]}" -jar "$1" -c "$work/broker.conf" >"$work/broker.log" 2>&1 &
    bpid=$!
    "$ml" probe -p "$port" --timeout 60 >/dev/null
    sleep 2
}
stop() { kill "$bpid"; wait "$bpid" || true; bpid=; }
# on-CPU nanoseconds of every thread, and of the compiler thread alone: "all c1"
cpu_ns() {
    local all=0 c1=0 t ns
    for t in /proc/"$bpid"/task/*; do
        ns=$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null || echo 0)
        all=$((all + ns))
        [[ $(cat "$t/comm" 2>/dev/null) == C1\ Compiler* ]] && c1=$((c1 + ns))
    done
    echo "$all $c1"
}
# compilations so far and the size of the machine code they made: "count bytes"
compiled() {
    jcmd "$bpid" PerfCounter.print | awk -F= '/^sun.ci.totalCompiles=/ {c = $2} /^sun.ci.nmethodCodeSize=/ {s = $2}
        END {print c, s}'
}
histo_total() { jcmd "$bpid" GC.class_histogram >"$1"; awk '/^Total/ {print $3}' "$1"; }

cpu_run() { # jar -> "us_per_conn c1_us_per_conn methods_compiled code_bytes"
    start "$1"
    read -r m0 b0 < <(compiled)
    read -r a0 c0 < <(cpu_ns)
    "$ml" conns -p "$port" -c "$conns" --hold 2 --protocol "$protocol" >"$work/conns.out" 2>&1
    sleep 1
    read -r a1 c1 < <(cpu_ns)
    read -r m1 b1 < <(compiled)
    stop
    grep -q 'ok=1' "$work/conns.out" || { echo "mqttload failed: $(cat "$work/conns.out")" >&2; exit 1; }
    echo "$(((a1 - a0) / 1000 / conns)) $(((c1 - c0) / 1000 / conns)) $((m1 - m0)) $((b1 - b0))"
}

heap_run() { # jar index -> live heap bytes per idle connection
    start "${jars[$1]}"
    histo_total "$work/h0" >/dev/null # the first attach loads classes of its own
    h0=$(histo_total "$work/h0")
    "$ml" conns -p "$port" -c "$conns" --hold 15 --protocol "$protocol" >"$work/conns.out" 2>&1 &
    local mpid=$! n=0
    for ((i = 0; i < 100 && n < conns; i++)); do
        sleep 0.2
        n=$(($(ss -tnH state established "( sport = :$port )" | wc -l)))
    done
    sleep 1
    h1=$(histo_total "$work/h1")
    wait "$mpid" || true
    stop
    python3 - "$work/h0" "$work/h1" "$conns" >"$work/top.$1" <<'EOF'
import sys
def read(path):
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 4 and f[0].endswith(':'):
            out[f[3]] = (int(f[1]), int(f[2]))
    return out
a, b, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
rows = sorted(((b[k][1] - a.get(k, (0, 0))[1], b[k][0] - a.get(k, (0, 0))[0], k) for k in b), reverse=True)
for size, count, name in rows[:25]:
    print(f"  {size / n:8.1f} B  {count / n:6.2f}/conn  {name}")
EOF
    echo $(((h1 - h0) / conns))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); protocol $protocol, $conns connections, $rounds rounds"
for ((r = 1; r <= rounds; r++)); do
    for i in "${!jars[@]}"; do
        line=$(cpu_run "${jars[i]}")
        echo "round $r jar $i: cpu_us_per_conn c1_us_per_conn methods_compiled code_bytes = $line"
        echo "$line" >>"$work/cpu.$i"
    done
done
if [[ $histo == 1 ]]; then
    for i in "${!jars[@]}"; do
        echo "jar $i: live heap per idle connection $(heap_run "$i") B; largest differences per connection:"
        cat "$work/top.$i"
    done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!jars[@]}"; do
    printf 'jar %s %s: median cpu_us_per_conn %s (of it C1 %s), methods compiled %s (%s bytes of code)\n' \
        "$i" "${jars[i]}" "$(cut -d' ' -f1 "$work/cpu.$i" | median)" "$(cut -d' ' -f2 "$work/cpu.$i" | median)" \
        "$(cut -d' ' -f3 "$work/cpu.$i" | median)" "$(cut -d' ' -f4 "$work/cpu.$i" | median)"
done
