#!/usr/bin/env bash
# Instructions the agent runs per record in scenario 1 (devlog → syslog over TCP, LF framing,
# the defaults), counted by callgrind over MESSAGES datagrams of 200 bytes. CPU time on this
# kind of shared machine moves by 15-20% between runs of the same code; this count moves by
# about 2% over an hour (how datagrams batch into reads depends on the machine's pace), and
# builds counted in one invocation differ by what their code does, to a few instructions.
# Usage: tests/bench/instructions.sh [AGENT_BINARY ...]  (default: a fresh Release build;
# several binaries are counted one after another, for comparing versions). Env: MESSAGES.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${MESSAGES:-200000}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d /tmp/sluice-instructions-XXXXXX)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT

binaries=("$@")
if [[ ${#binaries[@]} -eq 0 ]]; then
  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSLUICE_TESTS=OFF >/dev/null
  cmake --build build-release -j"$(nproc)" --target sluice >/dev/null
  binaries=(build-release/sluice)
fi
for tool in gen sink; do gcc -O2 -o "$work/$tool" "tests/bench/$tool.c"; done

port=5799  # apart from run.sh's
for bin in "${binaries[@]}"; do
  rm -f "$work/sock" "$work/callgrind.out"
  "$work/sink" $port "$N" >"$work/sink.out" &
  sink=$!
  for _ in $(seq 100); do ss -ltn | grep -q ":$port " && break; sleep 0.01; done
  cat >"$work/sluice.toml" <<CONF
[agent]
data_dir = "$work"
[api]
enabled = false
[inputs.local]
type = "devlog"
path = "$work/sock"
[outputs.central]
type = "syslog"
address = "tcp://127.0.0.1:$port"
framing = "lf"
CONF
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$bin" --config "$work/sluice.toml" >/dev/null 2>"$work/agent.log" &
  agent=$!
  for _ in $(seq 3000); do [[ -S $work/sock ]] && break; sleep 0.01; done  # valgrind starts slowly
  "$work/gen" "$work/sock" "$N" 200
  wait $sink
  kill -TERM $agent
  wait $agent || true
  total=$(callgrind_annotate "$work/callgrind.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$bin: $((total / N)) instructions per record ($N datagrams, $(cat "$work/sink.out") delivered)"
done
