#!/usr/bin/env bash
# Builds sluice and runs every test: unit tests and integration tests with real peers, first in
# a normal build, then again with AddressSanitizer and UBSan (the agent processes the
# integration tests start are sanitized too: a report changes their exit code, which the tests
# check). SLUICE_SKIP_SANITIZERS=1 skips the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300

if [[ "${SLUICE_SKIP_SANITIZERS:-0}" != 1 ]]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON -DSLUICE_TESTS=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 300
fi

# The fuzz targets, briefly (FUZZ_SECONDS each, see tests/fuzz/run.sh); SLUICE_SKIP_FUZZ=1 skips.
if [[ "${SLUICE_SKIP_FUZZ:-0}" != 1 ]]; then
  FUZZ_SECONDS=${FUZZ_SECONDS:-10} tests/fuzz/run.sh
fi
