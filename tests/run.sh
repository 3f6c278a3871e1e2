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

if [[ "${SLUICE_SKIP_SANITIZERS:-0}" != 1 ]]; then
  for pass in "build-asan -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON" \
    "build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_TSAN=ON"; do
    read -r dir flags <<<"$pass"
    # shellcheck disable=SC2086  # flags are words
    cmake -S . -B "$dir" $flags -DSLUICE_TESTS=ON -DSLUICE_BENCHMARKS=OFF >/dev/null
    cmake --build "$dir" -j"$jobs"
    took "$dir build"
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 300
    took "$dir tests"
  done
fi

# The fuzz targets, briefly (FUZZ_SECONDS each, see tests/fuzz/run.sh); SLUICE_SKIP_FUZZ=1 skips.
if [[ "${SLUICE_SKIP_FUZZ:-0}" != 1 ]]; then
  FUZZ_SECONDS=${FUZZ_SECONDS:-10} tests/fuzz/run.sh
  took "fuzz build and runs"
fi
