#!/usr/bin/env bash
# The benchmarks. Scenario 1, side by side in one run: 1,000,000 RFC 3164 datagrams of 200
# bytes sent (blocking) to a unix socket; each program forwards them over TCP, one line each,
# to a counting sink on 127.0.0.1. Programs: sluice, Debian's rsyslog (imuxsock → omfwd, rate
# limiting off) and a bare recvmmsg → writev loop that does nothing with the bytes (the
# machine's limit), each with and without the senders' credentials.
# Prints a markdown table of medians over RUNS runs (default 5: runs here vary by 15-20%) and
# the agent's instructions per record on that path (callgrind, instructions.sh); then scenario 2 (the same
# records to Kafka's mock cluster and the Elasticsearch test server), scenario 3 (a container's
# lines through podman's Docker API, against a bare reader of that API), the agent's memory
# (idle, buffer full during an output outage, over a run ten times as long) and the
# micro-benchmarks of the hot paths (Google Benchmark, medians of 3).
# Usage: tests/bench/run.sh        (env: RUNS, MESSAGES, SIZE)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
N=${MESSAGES:-1000000}
SIZE=${SIZE:-200}
work=$(mktemp -d /tmp/sluice-bench-XXXXXX)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT

cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSLUICE_TESTS=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target sluice sluice_benchmarks sluice_bench_peer >/dev/null
for tool in gen sink bare; do gcc -O2 -o "$work/$tool" "tests/bench/$tool.c"; done

# Linux queues net.unix.max_dgram_qlen datagrams per unix socket (10 on some machines, 512 on
# systemd hosts); the benchmark runs with 512, set before the sockets are bound.
if [[ $(cat /proc/sys/net/unix/max_dgram_qlen) -lt 512 ]]; then
  sysctl -qw net.unix.max_dgram_qlen=512 || echo "warning: could not set net.unix.max_dgram_qlen=512"
fi
echo "net.unix.max_dgram_qlen=$(cat /proc/sys/net/unix/max_dgram_qlen)"

source tests/bench/measure.sh
port=5514

sluice_config() {  # socket port [devlog keys] → the agent's config: devlog → syslog over TCP, LF framing
  cat <<CONF
[agent]
shutdown_timeout = "30s"
data_dir = "$work"
[api]
enabled = false
[inputs.local]
type = "devlog"
path = "$1"
${3:-}
[outputs.central]
type = "syslog"
address = "tcp://127.0.0.1:$2"
framing = "lf"
CONF
}

start_program() {  # program socket port → pid on stdout
  local prog=$1 sock=$2 p=$3
  case $prog in
    sluice | sluice_nocreds)
      # sluice_nocreds: without the senders' credentials, as rsyslog_nocreds.
      sluice_config "$sock" "$p" "$([[ $prog == sluice_nocreds ]] && echo 'credentials = false')" \
        >"$work/sluice.toml"
      build-release/sluice --config "$work/sluice.toml" >/dev/null 2>"$work/sluice.log" &
      ;;
    rsyslog | rsyslog_nocreds)
      # rsyslog: imuxsock's defaults but for rate limiting, which take each sender's
      # credentials (SO_PASSCRED) and the kernel's receive time (SO_TIMESTAMP), as sluice's
      # defaults take the credentials. rsyslog_nocreds: with the message's own timestamp
      # (UseSysTimeStamp off), which asks the kernel for neither (strace: no setsockopt).
      mkdir -p "$work/rsyslog"
      cat >"$work/rsyslog.conf" <<CONF
global(workDirectory="$work/rsyslog")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$sock" RateLimit.Interval="0"$([[ $prog == rsyslog_nocreds ]] && echo ' UseSysTimeStamp="off"'))
action(type="omfwd" target="127.0.0.1" port="$p" protocol="tcp")
CONF
      /usr/sbin/rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslog.pid" >/dev/null 2>"$work/rsyslog.log" &
      ;;
    bare)
      "$work/bare" "$sock" "$p" >/dev/null &
      ;;
    bare_creds)
      "$work/bare" "$sock" "$p" credentials >/dev/null &
      ;;
  esac
  echo $!
}

run_once() {  # program → "msgs_per_s cpu_s_per_million peak_rss_kib lost"
  local prog=$1 sock="$work/dev-log-$1" p=$((port++))
  rm -f "$sock"
  "$work/sink" "$p" "$N" >"$work/sink.out" &
  local sink=$!
  for _ in $(seq 100); do ss -ltn | grep -q ":$p " && break; sleep 0.01; done
  local pid
  pid=$(start_program "$prog" "$sock" "$p")
  for _ in $(seq 500); do [[ -S $sock ]] && break; sleep 0.01; done
  local t0 t1
  t0=$(date +%s.%N)
  "$work/gen" "$sock" "$N" "$SIZE"
  wait "$sink" || true
  t1=$(date +%s.%N)
  local cpu rss got
  cpu=$(cpu_ticks "$pid")
  rss=$(peak_kib "$pid")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  got=$(cat "$work/sink.out")
  result "$N" "$t0" "$t1" "$cpu" "$rss" $((N - got))
}

declare -A results
steal0=$(steal_ticks) wall0=$SECONDS
for run in $(seq "$RUNS"); do
  # Every other run in reverse, so that no program always follows the same one.
  order=(bare bare_creds rsyslog rsyslog_nocreds sluice sluice_nocreds)
  ((run % 2)) || order=(sluice_nocreds sluice rsyslog_nocreds rsyslog bare_creds bare)
  for prog in "${order[@]}"; do
    r=$(run_once "$prog")
    echo "run $run $prog: $r (msgs/s, CPU-s per million, peak RSS KiB, lost)"
    results[$prog]+="$r;"
  done
done

python3 - "$N" "${results[bare]}" "${results[bare_creds]}" "${results[rsyslog]}" \
  "${results[rsyslog_nocreds]}" "${results[sluice]}" "${results[sluice_nocreds]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
# Each program's runs as rows of (msgs/s, CPU-s per million, peak RSS KiB, lost).
def runs(s): return [list(map(float, r.split())) for r in s.strip(';').split(';')]
bare, bare_cr, rsys, rsys_nc, sl, sl_nc = (runs(a) for a in sys.argv[2:8])
def median_row(rows): return [statistics.median(col) for col in zip(*rows)]
# Ratios are taken run by run (the programs of one run share the machine's state of the
# moment, which drifts by 15-20% here), then their median.
def cpu_ratio(rows, peer): return statistics.median(p[1] / r[1] for r, p in zip(rows, peer))
def rate_ratio(rows): return statistics.median(r[0] / b[0] for r, b in zip(rows, bare))
def cpu_vs_bare(rows, limit): return statistics.median(r[1] / b[1] for r, b in zip(rows, limit))
print(f"\n{n:,} datagrams of the given size, medians of {len(bare)} runs; ratios: the median of each run's ratio\n")
print("| program | kernel per datagram | msgs/s | CPU-s per million | peak RSS | lost | msgs per CPU-s vs rsyslog, same kernel work | msgs/s vs bare | CPU per message vs bare, same kernel work |")
print("|---|---|---|---|---|---|---|---|---|")
# Each program with the rsyslog and the bare loop that ask the kernel for the same per datagram.
for name, kernel, rows, peer, limit in (
        ("bare recvmmsg→writev", "-", bare, rsys_nc, bare),
        ("bare recvmmsg→writev", "credentials", bare_cr, rsys, bare_cr),
        ("rsyslog 8.2302, imuxsock defaults", "credentials, timestamp", rsys, rsys, bare_cr),
        ("rsyslog 8.2302, UseSysTimeStamp off", "-", rsys_nc, rsys_nc, bare),
        ("sluice, defaults", "credentials", sl, rsys, bare_cr),
        ("sluice, credentials = false", "-", sl_nc, rsys_nc, bare)):
    r = median_row(rows)
    print(f"| {name} | {kernel} | {r[0]:,.0f} | {r[1]:.2f} | {r[2]/1024:.1f} MiB | {r[3]:.0f} | "
          f"{cpu_ratio(rows, peer):.2f}× | {100*rate_ratio(rows):.0f}% | {100*cpu_vs_bare(rows, limit):.0f}% |")
PY
# A virtual machine's host may run others on its cores meanwhile; what it took (steal) makes
# every program's runs slower and costlier alike, so only the same run's ratios compare.
steal=$(($(steal_ticks) - steal0)) wall=$((SECONDS - wall0))
echo
echo "Steal during scenario 1: $((steal / ticks)) s of $(nproc) cores x ${wall} s" \
  "($((100 * steal / ticks / ($(nproc) * (wall > 0 ? wall : 1))))%)"
# The same path counted in instructions, which move only with the code (see instructions.sh).
echo
if command -v valgrind >/dev/null; then
  tests/bench/instructions.sh build-release/sluice
else
  echo "(no valgrind: instructions per record not counted)"
fi

# Scenario 2: devlog -> Kafka (librdkafka's mock cluster, 3 brokers) and -> Elasticsearch (the
# bulk test server), each peer a process of its own. Time and CPU until the agent reports every
# record delivered (its /metrics, polled), one run each.
peer_scenario() {  # kind [records] → "msgs_per_s cpu_s_per_million peak_rss_kib lost"
  local kind=$1 n=${2:-$N} sock="$work/dev-log-$1" api=$((port++))
  rm -f "$sock" "$work/peer.in"
  mkfifo "$work/peer.in"
  build-release/tests/bench/sluice_bench_peer "$kind" <"$work/peer.in" >"$work/peer.addr" \
    2>"$work/peer.log" &
  local peer=$!
  exec 7>"$work/peer.in"
  for _ in $(seq 500); do [[ -s $work/peer.addr ]] && break; sleep 0.01; done
  local addr
  addr=$(head -1 "$work/peer.addr")
  {
    printf '[agent]\nshutdown_timeout = "30s"\ndata_dir = "%s"\n' "$work"
    printf '[api]\nlisten = "127.0.0.1:%s"\n' "$api"
    printf '[inputs.local]\ntype = "devlog"\npath = "%s"\n[outputs.peer]\n' "$sock"
    if [[ $kind == kafka ]]; then
      printf 'type = "kafka"\ntopic = "logs"\nbrokers = ["%s"]\n' "${addr//,/\",\"}"
    else
      printf 'type = "elasticsearch"\nurls = ["%s"]\n' "$addr"
    fi
  } >"$work/peer.toml"
  build-release/sluice --config "$work/peer.toml" >/dev/null 2>"$work/peer-sluice.log" &
  local pid=$!
  for _ in $(seq 500); do [[ -S $sock ]] && break; sleep 0.01; done
  local t0 t1 delivered cpu rss
  t0=$(date +%s.%N)
  "$work/gen" "$sock" "$n" "$SIZE"
  delivered=$(wait_delivered "$api" peer "$n")
  t1=$(date +%s.%N)
  cpu=$(cpu_ticks "$pid")
  rss=$(peak_kib "$pid")
  awk '/VmRSS/ {print $2}' "/proc/$pid/status" >"$work/peer.after"  # once all was delivered
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  exec 7>&-
  wait "$peer" 2>/dev/null || true
  result "$n" "$t0" "$t1" "$cpu" "$rss" $((n - delivered))
}

kafka=($(peer_scenario kafka))
es=($(peer_scenario es))
echo
echo "| scenario 2: devlog → | msgs/s | CPU-s per million | peak RSS | not delivered |"
echo "|---|---|---|---|---|"
row() {  # name msgs_per_s cpu rss lost
  python3 -c "import sys; n=sys.argv[1]; r=[float(x) for x in sys.argv[2:6]]
print(f'| {n} | {r[0]:,.0f} | {r[1]:.2f} | {r[2]/1024:.1f} MiB | {r[3]:.0f} |')" "$@"
}
row "Kafka (mock cluster, zstd, acks=all)" "${kafka[@]}"
row "Elasticsearch (bulk test server, gzip)" "${es[@]}"

# Scenario 3: a container's lines through podman's Docker API (tests/bench/docker_scenario.sh).
echo
tests/bench/docker_scenario.sh "$work"

# Memory. Idle: started, nothing sent. Outage: nobody listens on the output's port while
# MESSAGES records arrive (the buffer fills, compressed). Buffer full while draining: twice
# MESSAGES to Elasticsearch. Long run: ten times MESSAGES to the sink; its peak should be the
# 1x run's.
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
start_sluice() {  # socket port → pid
  rm -f "$1"
  sluice_config "$1" "$2" >"$work/mem.toml"
  build-release/sluice --config "$work/mem.toml" >/dev/null 2>"$work/mem.log" &
  local pid=$!
  for _ in $(seq 500); do [[ -S $1 ]] && break; sleep 0.01; done
  echo "$pid"
}
stop_sluice() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

sock="$work/dev-log-mem"
pid=$(start_sluice "$sock" $((port++)))
sleep 2
idle=$(rss_kib "$pid")
stop_sluice "$pid"

pid=$(start_sluice "$sock" $((port++)))  # nothing listens there
"$work/gen" "$sock" "$N" "$SIZE"
outage=$(peak_kib "$pid")
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true  # it could only drain into nowhere

# Buffer full while it drains: twice MESSAGES to Elasticsearch, slower than the input.
es_full=($(peer_scenario es $((N * 2))))

long=$((N * 10)); p=$((port++))
"$work/sink" "$p" "$long" >"$work/sink.out" &
sink=$!
for _ in $(seq 100); do ss -ltn | grep -q ":$p " && break; sleep 0.01; done
pid=$(start_sluice "$sock" "$p")
"$work/gen" "$sock" "$long" "$SIZE"
wait "$sink" || true
long_peak=$(peak_kib "$pid")
stop_sluice "$pid"

echo
echo "| agent memory | RSS |"
echo "|---|---|"
echo "| idle | $(python3 -c "print(f'{$idle/1024:.1f} MiB')") |"
echo "| buffer full during an output outage ($N records, buffer 64 MiB) | $(python3 -c "print(f'{$outage/1024:.1f} MiB')") peak |"
echo "| $((N * 2)) records to Elasticsearch, buffer full while it drains ($((N * 2 - es_full[3])) delivered) | $(python3 -c "print(f'{${es_full[2]}/1024:.1f} MiB')") peak |"
echo "| the same, once all was delivered | $(python3 -c "print(f'{$(cat "$work/peer.after")/1024:.1f} MiB')") |"
echo "| $long records to the sink ($(cat "$work/sink.out") arrived) | $(python3 -c "print(f'{$long_peak/1024:.1f} MiB')") peak |"

echo
build-release/tests/bench/sluice_benchmarks --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "^(Benchmark|-+$|BM_.*_median)"
