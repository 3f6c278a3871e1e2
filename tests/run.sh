#!/usr/bin/env bash
# Builds sluice and runs every test: unit tests and integration tests with real peers, first in
# a normal build, then again with AddressSanitizer and UBSan, then with ThreadSanitizer (the
# agent processes the integration tests start are sanitized too: a report changes their exit
# code, which the tests check). SLUICE_SKIP_SANITIZERS=1 skips the sanitizer passes.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
took() { echo "tests/run.sh: $1 took $((SECONDS - since)) s"; since=$SECONDS; }
since=$SECONDS

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
took "build"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300
took "tests"

# The agent runs one libuv loop; its other threads are librdkafka's. So the ThreadSanitizer
# pass runs the unit tests and the integration tests with threads in play (Kafka, and the
# agent end to end); SLUICE_TSAN_ALL=1 runs every test there (all pass, about 3 minutes).
threaded='^(KafkaOutput|Agent|Secrets|TlsVerification|Modules)\.'
if [[ "${SLUICE_SKIP_SANITIZERS:-0}" != 1 ]]; then
  for pass in "build-asan -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON" \
    "build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_TSAN=ON"; do
    read -r dir flags <<<"$pass"
    # shellcheck disable=SC2086  # flags are words
    cmake -S . -B "$dir" $flags -DSLUICE_TESTS=ON -DSLUICE_BENCHMARKS=OFF >/dev/null
    cmake --build "$dir" -j"$jobs"
    took "$dir build"
    run_tests=(ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 300)
    if [[ $dir == build-tsan && "${SLUICE_TSAN_ALL:-0}" != 1 ]]; then
      "${run_tests[@]}" -L unit
      "${run_tests[@]}" -L integration -R "$threaded"
    else
      "${run_tests[@]}"
    fi
    took "$dir tests"
  done
fi

# The fuzz targets, briefly (FUZZ_SECONDS each, see tests/fuzz/run.sh); SLUICE_SKIP_FUZZ=1 skips.
if [[ "${SLUICE_SKIP_FUZZ:-0}" != 1 ]]; then
  FUZZ_SECONDS=${FUZZ_SECONDS:-10} tests/fuzz/run.sh
  took "fuzz build and runs"
fi
