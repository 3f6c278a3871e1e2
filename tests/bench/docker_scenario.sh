#!/usr/bin/env bash
# Scenario 3 of the benchmarks: a container (podman serving the Docker API) prints MESSAGES
# lines of SIZE bytes, as fast as `cat` writes them; the Docker input reads them through
# /containers/{id}/logs and the console output writes them (to /dev/null). Side by side with
# a bare reader of the same API (curl reading the container's whole log once it has exited),
# which is the engine's limit. Time runs from `podman run` until every line is out; CPU is the reader's own
# (the engine's is the same for both). Medians of RUNS runs.
# Usage: tests/bench/docker_scenario.sh WORKDIR   (env: RUNS, MESSAGES, SIZE; needs build-release)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
N=${MESSAGES:-1000000}
SIZE=${SIZE:-200}
work=$1/docker
mkdir -p "$work/rootfs/bin"
source tests/bench/measure.sh
flags=(--runtime runc --cgroup-manager=cgroupfs --storage-driver=vfs --events-backend=file
  --root "$work/root" --runroot "$work/runroot" --tmpdir "$work/tmp")
sock=$work/docker.sock
api=18780

cp /bin/busybox "$work/rootfs/bin/busybox"
ln -sf busybox "$work/rootfs/bin/cat"
tar -C "$work/rootfs" -c . | podman "${flags[@]}" import - local/busybox >/dev/null 2>&1
# The workload: numbered lines padded to SIZE bytes (newline included).
python3 - "$N" "$SIZE" >"$work/lines" <<'PY'
import sys
n, size = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
for i in range(n):
    head = f"<14>Nov 24 21:00:00 app[1]: line {i} "
    out.write(head + "x" * (size - len(head) - 1) + "\n")
PY
podman "${flags[@]}" system service --time=0 "unix://$sock" >"$work/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true; wait $service 2>/dev/null || true' EXIT
for _ in $(seq 500); do curl -sf --unix-socket "$sock" http://d/_ping >/dev/null && break; sleep 0.02; done

run_container() {  # name → id
  podman "${flags[@]}" run -d --name "$1" --network=none --ulimit nofile=1024:1024 \
    --ulimit nproc=1024:1024 -v "$work/lines:/lines:ro" local/busybox cat /lines
}

bare_once() {  # run → "msgs_per_s cpu_s_per_million peak_rss_kib lost"
  # podman's follow stream can end before a fast writer's last lines (sluice reads again from
  # where it stopped); the bare reader waits for the exit and reads the whole log at once.
  local t0 t1 id out
  t0=$(date +%s.%N)
  id=$(run_container "bare-$1")
  podman "${flags[@]}" wait "$id" >/dev/null
  out=$(/usr/bin/time -f "%U %S %M" curl -s --unix-socket "$sock" \
    "http://d/containers/$id/logs?stdout=1&stderr=1&timestamps=1" 2>&1 >"$work/bare.out")
  t1=$(date +%s.%N)
  local got
  got=$(python3 - "$work/bare.out" <<'PY'
import sys
data, at, lines = open(sys.argv[1], "rb").read(), 0, 0
while at + 8 <= len(data):  # 8-byte frame headers: stream, 0, 0, 0, big-endian size
    size = int.from_bytes(data[at + 4:at + 8], "big")
    lines += data.count(b"\n", at + 8, at + 8 + size)
    at += 8 + size
print(lines)
PY
)
  rm -f "$work/bare.out"
  podman "${flags[@]}" rm -f "$id" >/dev/null
  python3 -c "u,s,m='$out'.split(); n=$N; dt=$t1-$t0
print(f'{n/dt:.0f} {(float(u)+float(s))/(n/1e6):.3f} {m} {n-$got}')"
}

sluice_once() {  # run → "msgs_per_s cpu_s_per_million peak_rss_kib lost"
  cat >"$work/sluice.toml" <<CONF
[agent]
data_dir = "$work/data-$1"
[api]
listen = "127.0.0.1:$api"
[inputs.docker]
type = "docker"
socket = "$sock"
[outputs.console]
type = "console"
CONF
  build-release/sluice --config "$work/sluice.toml" >/dev/null 2>"$work/sluice.log" &
  local pid=$! t0 t1 delivered id cpu rss
  for _ in $(seq 500); do curl -sf "127.0.0.1:$api/health" >/dev/null && break; sleep 0.01; done
  t0=$(date +%s.%N)
  id=$(run_container "sluice-$1")
  delivered=$(wait_delivered "$api" console "$N")
  t1=$(date +%s.%N)
  cpu=$(cpu_ticks "$pid")
  rss=$(peak_kib "$pid")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  podman "${flags[@]}" rm -f "$id" >/dev/null
  result "$N" "$t0" "$t1" "$cpu" "$rss" $((N - delivered))
}

bare_runs="" sluice_runs=""
for run in $(seq "$RUNS"); do
  r=$(bare_once "$run"); echo "run $run bare API reader: $r"; bare_runs+="$r;"
  r=$(sluice_once "$run"); echo "run $run sluice: $r"; sluice_runs+="$r;"
done

python3 - "$N" "$bare_runs" "$sluice_runs" <<'PY'
import statistics, sys
n = int(sys.argv[1])
def parse(s):
    rows = [list(map(float, r.split())) for r in s.strip(';').split(';')]
    return [statistics.median(col) for col in zip(*rows)]
bare, sl = parse(sys.argv[2]), parse(sys.argv[3])
print(f"\n| scenario 3: container → (podman, Docker API) | msgs/s | CPU-s per million | peak RSS | lost | msgs/s vs bare |")
print("|---|---|---|---|---|---|")
for name, r in (("bare API reader (curl, whole log after exit)", bare), ("sluice (docker input → console)", sl)):
    print(f"| {name} | {r[0]:,.0f} | {r[1]:.2f} | {r[2]/1024:.1f} MiB | {r[3]:.0f} | {100*r[0]/bare[0]:.0f}% |")
PY
