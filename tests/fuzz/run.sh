#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz (clang, ASan + UBSan) and runs each: first on its
# saved crash inputs (regressions/<target>, each must now pass), then FUZZ_SECONDS (default 20)
# of fuzzing from a copy of its seed corpus (corpus/<target>), so that the runs add no files to
# the checkout. Fails when any target crashes; a crashing input is kept and its path printed.
#   FUZZ_SECONDS=60 tests/fuzz/run.sh               all targets, one minute each
#   tests/fuzz/run.sh fuzz_config fuzz_bulk_response  only these
#   FUZZ_RUNS=10000000 tests/fuzz/run.sh            ten million executions each, no time limit
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-20}
if [[ -n ${FUZZ_RUNS:-} ]]; then budget=(-runs="$FUZZ_RUNS"); else budget=(-max_total_time="$seconds"); fi
all=(fuzz_syslog_parse fuzz_docker_stream fuzz_config fuzz_bulk_response fuzz_http_request)
if (($#)); then targets=("$@"); else targets=("${all[@]}"); fi

if ! command -v clang++ >/dev/null; then
  echo "needs clang: packaging/dev/install-deps.sh --test" >&2
  exit 1
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_FUZZ=ON \
  -DSLUICE_TESTS=OFF -DSLUICE_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for t in "${targets[@]}"; do
  bin=build-fuzz/tests/fuzz/$t
  mkdir -p "$work/$t/corpus" "$work/$t/crashes"
  cp tests/fuzz/corpus/"$t"/* "$work/$t/corpus/"
  log=$work/$t/log
  regressions=(tests/fuzz/regressions/"$t"/*)
  ok=1
  started=$SECONDS
  if [[ -e "${regressions[0]}" ]] && ! "$bin" "${regressions[@]}" >"$log" 2>&1; then
    ok=0
  elif ! "$bin" "${budget[@]}" -timeout=60 -print_final_stats=1 \
      -artifact_prefix="$work/$t/crashes/" "$work/$t/corpus" >"$log" 2>&1; then
    ok=0
  fi
  if [[ $ok == 1 ]]; then
    echo "$t: ok, $(grep -E '^#[0-9]+\s+DONE' "$log" | sed -E 's/^#([0-9]+)\s+DONE\s+/\1 runs, /'), $((SECONDS - started)) s"
  else
    failed+=("$t")
    keep=$(mktemp -d /tmp/sluice-fuzz-"$t".XXXX)
    cp -r "$work/$t/crashes" "$log" "$keep/"
    tail -n 40 "$log" >&2
    echo "$t: FAILED (log and crashing input in $keep)" >&2
  fi
done
[[ ${#failed[@]} -eq 0 ]] || { echo "fuzz targets failed: ${failed[*]}" >&2; exit 1; }
