#!/usr/bin/env bash
# compare.sh - run the same MQTT scenarios against two brokers, side by side, on this machine.
#
#   compare.sh -a 'mosquitto -c {CONF}' -b 'java -jar broker.jar -c {CONF}' [options]
#
# For every round and scenario it starts a fresh broker A, measures it, stops it, then does the
# same for B (and C if given: A B C A B C ...), so all see the same machine state.  Per start it
# records the time from launch to the first CONNACK (startup_ms), the broker's RSS 2 s after that
# (idle_rss_kb), and the scenario's RESULT line from mqttload.  At the end it prints, per scenario
# and metric, the median of each broker over the rounds, the ratios B/A (and C/A), and the spread
# (max-min)/median.
#
# Broker commands are templates; compare.sh fills in
#   {CONF}      a mosquitto.conf it generated for this start (plain + mutual-TLS listener)
#   {PORT}      plain listener port on 127.0.0.1     {TLS_PORT}  TLS listener port
#   {CERTDIR}   throwaway CA/server/client PEM files (mkcerts.sh, --key-type)
#   {DIR}       this start's scratch directory
# The command is run through `exec`, so the PID compare.sh sees is the broker's own: a wrapper
# script must `exec` the broker too, otherwise RSS and CPU are those of the wrapper.
#
# Options
#   -a CMD / -b CMD     broker templates (required)        -A NAME / -B NAME   labels (A, B)
#   -c CMD / -C NAME    an optional third broker (label C)
#   -s FILE             scenario list (default: scenarios.txt beside this script)
#   -r N                rounds (default 3)                 --only a,b          scenario names to run
#   -o DIR              keep logs and results here (default: a new /tmp/mqttcmp.* directory)
#   --certs DIR         reuse a PKI made by mkcerts.sh     --idle-wait S       default 2
#   --key-type rsa|ec   key type of the generated PKI: RSA 2048 (default) or EC P-256
#   --startup-timeout S default 60                        --nofile N          broker fd limit, 20000
#   --no-tls            plain listener only, no TLS probe (for brokers without TLS; scenarios must not use it)
#   --conf-line LINE    append LINE to every generated mosquitto.conf (repeatable, placeholders filled in),
#                       e.g. 'max_queued_messages 0' or 'persistence_location {DIR}/'
#   --conf-line-bc LINE append LINE to the conf of brokers B and C only (repeatable): options Mosquitto refuses,
#                       e.g. Drawbridge's 'max_pending_connections_per_address 0'
#   --mqttload-arg ARG  append ARG (one word) to every scenario's mqttload arguments (repeatable), e.g.
#                       --mqttload-arg --protocol --mqttload-arg 5 for MQTT 5 clients; the startup probe stays at 3.1.1
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ML="$here/mqttload"
cmd_a="" cmd_b="" cmd_c="" name_a="A" name_b="B" name_c="C" scen_file="$here/scenarios.txt" rounds=3 only=""
out="" certdir="" key_type=rsa idle_wait=2 startup_timeout=60 nofile=20000 tls=1 conf_lines=() conf_lines_bc=() mqttload_args=()

die() { echo "compare.sh: $*" >&2; exit 2; }
while (($#)); do
    case "$1" in
        -a) cmd_a=${2:?}; shift 2 ;;
        -b) cmd_b=${2:?}; shift 2 ;;
        -A) name_a=${2:?}; shift 2 ;;
        -B) name_b=${2:?}; shift 2 ;;
        -c) cmd_c=${2:?}; shift 2 ;;
        -C) name_c=${2:?}; shift 2 ;;
        -s) scen_file=${2:?}; shift 2 ;;
        -r) rounds=${2:?}; shift 2 ;;
        -o) out=${2:?}; shift 2 ;;
        --only) only=${2:?}; shift 2 ;;
        --certs) certdir=${2:?}; shift 2 ;;
        --key-type) key_type=${2:?}; shift 2 ;;
        --idle-wait) idle_wait=${2:?}; shift 2 ;;
        --startup-timeout) startup_timeout=${2:?}; shift 2 ;;
        --nofile) nofile=${2:?}; shift 2 ;;
        --no-tls) tls=0; shift ;;
        --conf-line) conf_lines+=("${2:?}"); shift 2 ;;
        --conf-line-bc) conf_lines_bc+=("${2:?}"); shift 2 ;;
        --mqttload-arg) mqttload_args+=("${2:?}"); shift 2 ;;
        -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ -n $cmd_a && -n $cmd_b ]] || die "need -a CMD and -b CMD (see --help)"
[[ -r $scen_file ]] || die "cannot read scenario file $scen_file"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "-r needs a positive number"
[[ $key_type == rsa || $key_type == ec ]] || die "--key-type must be rsa or ec, found '$key_type'"
sides=("$name_a" "$name_b")
cmds=("$cmd_a" "$cmd_b")
if [[ -n $cmd_c ]]; then sides+=("$name_c"); cmds+=("$cmd_c"); fi
[[ $(printf '%s\n' "${sides[@]}" | sort -u | wc -l) == "${#sides[@]}" ]] || die "broker labels must differ"
command -v python3 >/dev/null || die "python3 is needed for the summary"
if [[ ! -x $ML || $here/mqttload.c -nt $ML ]]; then
    make -s -C "$here" >&2 || die "cannot build mqttload (needs gcc, libmosquitto-dev, libssl-dev)"
fi

out=${out:-$(mktemp -d /tmp/mqttcmp.XXXXXX)}
mkdir -p "$out" || die "cannot create $out"
chmod 755 "$out"   # Debian's mosquitto drops to user 'mosquitto' before reading certificates
certdir=${certdir:-$out/certs}
"$here/mkcerts.sh" "$certdir" "$key_type" || die "cannot create $key_type certificates in $certdir"
results="$out/results.txt"
: > "$results"

# Scenario list: NAME ARGS..., comments and blank lines skipped.
names=() args=()
while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    read -r n a <<<"$line" || true
    [[ -z ${n:-} ]] && continue
    if [[ -n $only && ",$only," != *",$n,"* ]]; then continue; fi
    names+=("$n"); args+=("$a")
done < "$scen_file"
((${#names[@]})) || die "no scenarios selected"

free_port() {
    python3 - <<'EOF'
import random, socket
for _ in range(200):
    p = random.randint(20000, 32000)          # below the ephemeral range clients use
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
EOF
}

fill() { # template -> text with placeholders replaced
    local t=$1
    t=${t//\{CONF\}/$conf}; t=${t//\{PORT\}/$port}; t=${t//\{TLS_PORT\}/$tls_port}
    t=${t//\{CERTDIR\}/$certdir}; t=${t//\{DIR\}/$rundir}; t=${t//\{PID\}/${bpid:-0}}
    printf '%s' "$t"
}

write_conf() { # side-label
    {
        echo "# generated by compare.sh for one benchmark start"
        echo "allow_anonymous true"
        echo "listener $port 127.0.0.1"
        for l in "${conf_lines[@]}"; do fill "$l"; echo; done
        if [[ $1 != "$name_a" ]] && ((${#conf_lines_bc[@]})); then printf '%s\n' "${conf_lines_bc[@]}"; fi
    } > "$conf"
    ((tls)) && cat >> "$conf" <<EOF
listener $tls_port 127.0.0.1
cafile $certdir/ca.crt
certfile $certdir/server.crt
keyfile $certdir/server.key
require_certificate true
tls_version tlsv1.2
EOF
    chmod 644 "$conf"
}

bpid=""
stop_broker() {
    [[ -n $bpid ]] || return 0
    if kill -0 "$bpid" 2>/dev/null; then
        kill -TERM "$bpid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$bpid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$bpid" 2>/dev/null; then
            echo "  broker $bpid ignored SIGTERM for 10 s, sending SIGKILL" >&2
            kill -KILL "$bpid" 2>/dev/null
        fi
    fi
    wait "$bpid" 2>/dev/null
    bpid=""
}
trap 'stop_broker' EXIT
trap 'stop_broker; exit 130' INT TERM

field() { # key, RESULT line -> value
    local kv
    for kv in $2; do [[ $kv == "$1="* ]] && { printf '%s' "${kv#*=}"; return; }; done
}

run_one() { # side-label template scenario-name scenario-args round
    local label=$1 tmpl=$2 sname=$3 sargs=$4 round=$5
    rundir="$out/r$round-$sname-$label"
    mkdir -p "$rundir"; chmod 755 "$rundir"
    port=$(free_port); tls_port=$(free_port)
    while [[ $tls_port == "$port" ]]; do tls_port=$(free_port); done
    conf="$rundir/broker.conf"
    write_conf "$label"
    local cmd; cmd=$(fill "$tmpl")
    echo "$cmd" > "$rundir/command"
    local t0; t0=$(date +%s%N)
    bash -c "ulimit -n $nofile 2>/dev/null; exec $cmd" > "$rundir/broker.log" 2>&1 &
    bpid=$!
    local probe startup idle res
    probe=$("$ML" probe -p "$port" --since "$t0" --timeout "$startup_timeout" 2>>"$rundir/probe.err" | tail -1)
    startup=$(field startup_ms "$probe")
    if [[ $(field ok "$probe") != 1 ]] || ! kill -0 "$bpid" 2>/dev/null; then
        echo "  $label: broker did not accept a connection within ${startup_timeout}s (see $rundir/broker.log)" >&2
        echo "round=$round side=$label name=$sname ok=0 error=startup" >> "$results"
        stop_broker; return
    fi
    # the TLS listener may open a little later than the plain one
    ((tls)) && "$ML" probe -p "$tls_port" --timeout 10 --cafile "$certdir/ca.crt" --cert "$certdir/client.crt" \
        --key "$certdir/client.key" > "$rundir/probe-tls.out" 2>&1
    sleep "$idle_wait"
    idle=$(awk '/^VmRSS:/ {print $2}' "/proc/$bpid/status" 2>/dev/null)
    local margs; margs=$(fill "$sargs")
    # shellcheck disable=SC2086  # the scenario line is a word list by design
    timeout 900 "$ML" $margs "${mqttload_args[@]}" > "$rundir/mqttload.out" 2> "$rundir/mqttload.err"
    res=$(grep '^RESULT ' "$rundir/mqttload.out" | tail -1)
    [[ -n $res ]] || res="RESULT ok=0 error=no_result"
    if ! kill -0 "$bpid" 2>/dev/null; then res="$res broker_died=1"; fi
    stop_broker
    echo "round=$round side=$label name=$sname startup_ms=$startup idle_rss_kb=${idle:-NA} ${res#RESULT }" >> "$results"
    printf '  %-6s %-14s startup %6s ms  idle %6s kB  %s\n' "$label" "$sname" "$startup" "${idle:-NA}" \
        "$(tr ' ' '\n' <<<"$res" | grep -E '^(ok|error|msgs_per_s|deliveries_per_s|conns_per_s|p50_us|p99_us|lost|rss_per_conn_kb)=' | tr '\n' ' ')"
}

echo "compare.sh: A=$name_a ($cmd_a)  B=$name_b ($cmd_b)${cmd_c:+  C=$name_c ($cmd_c)}" \
    "rounds=$rounds  keys=$key_type  output=$out" >&2
for ((r = 1; r <= rounds; r++)); do
    echo "round $r/$rounds" >&2
    for i in "${!names[@]}"; do
        for s in "${!sides[@]}"; do
            run_one "${sides[$s]}" "${cmds[$s]}" "${names[$i]}" "${args[$i]}" "$r"
        done
    done
done

python3 - "$results" "${sides[@]}" <<'EOF' | tee "$out/summary.txt"
import statistics, sys
path, A, *OTHERS = sys.argv[1:]
SIDES = [A] + OTHERS
rows = []
for line in open(path):
    d = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    rows.append(d)
# Metrics worth a line, in order; others stay in results.txt.
METRICS = ["msgs_per_s", "deliveries_per_s", "conns_per_s", "p50_us", "p99_us", "max_us", "lost",
           "connect_p99_ms", "rss_per_conn_kb", "broker_cpu_us_per_msg", "broker_cpu_ms_per_conn",
           "broker_hwm_kb", "gen_cpu_pct"]
def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None
def stats(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None, None
    m = statistics.median(vals)
    spread = (max(vals) - min(vals)) / m * 100 if m else 0.0
    return m, spread
def fmt(v):
    if v is None:
        return "-"
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}"
names = []
for d in rows:
    if d.get("name") not in names:
        names.append(d.get("name"))
LETTERS = "ABC"[:len(SIDES)]
W = [max(12, len(s) + 1) for s in SIDES]
print(f"{'scenario':<15}{'metric':<24}" + "".join(f"{s:>{w}}" for s, w in zip(SIDES, W))
      + "".join(f"{L + '/A':>8}" for L in LETTERS[1:]) + "  "
      + "".join(f"{'spread ' + L:>9}" for L in LETTERS) + "  ok")
def line(scen, metric, vals, oks):
    st = [stats(v) for v in vals]
    meds = [m for m, _ in st]
    ratios = [f"{m / meds[0]:.2f}" if meds[0] and m is not None else "-" for m in meds[1:]]
    spreads = [f"{sp:.0f}%" if sp is not None else "-" for _, sp in st]
    print(f"{scen:<15}{metric:<24}" + "".join(f"{fmt(m):>{w}}" for m, w in zip(meds, W))
          + "".join(f"{r:>8}" for r in ratios) + "  " + "".join(f"{sp:>9}" for sp in spreads)
          + "  " + " ".join(oks))
for n in names:
    per = [[d for d in rows if d.get("name") == n and d.get("side") == s] for s in SIDES]
    oks = [f"{sum(d.get('ok') == '1' for d in r)}/{len(r)}" for r in per]
    for m in METRICS:
        vals = [[num(d.get(m)) for d in r] for r in per]
        if all(v is None for vs in vals for v in vs):
            continue
        line(n, m, vals, oks)
    errs = sorted({d.get("side") + ":" + d["error"] for r in per for d in r if "error" in d})
    if errs:
        print(f"{'':<15}errors: {', '.join(errs)}")
for m in ("startup_ms", "idle_rss_kb"):
    vals = [[num(d.get(m)) for d in rows if d.get("side") == s] for s in SIDES]
    line("(every start)", m, vals, [f"n={len(v)}" for v in vals])
EOF
echo "compare.sh: raw results in $results, logs in $out" >&2
