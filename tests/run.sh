#!/usr/bin/env bash
# Builds sluice and runs every test: unit and integration (real rsyslog, podman, Kafka mock)
# in a normal build, then the unit tests again under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300

if [[ "${SLUICE_SKIP_SANITIZERS:-0}" != 1 ]]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs" --target sluice_unit_tests
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -L unit
fi
