#!/usr/bin/env bash
# Installs the Debian packages sluice needs that are missing: to build and run (default), or
# also to run the tests (--test: the real peers rsyslog, podman, kcat, sanitizer runtimes, and
# valgrind, whose callgrind counts the benchmarks' instructions per record).
set -euo pipefail

build=(build-essential cmake pkg-config libuv1-dev libtomlplusplus-dev rapidjson-dev
       libssl-dev zlib1g-dev libcurl4-openssl-dev libzstd-dev libre2-dev librdkafka-dev
       libsystemd-dev libhttp-parser-dev)
test=(libgtest-dev libgmock-dev libbenchmark-dev rsyslog rsyslog-openssl openssl bsdutils
      podman runc busybox-static kcat curl clang-format libyaml-cpp-dev valgrind
      clang libclang-rt-14-dev)  # the last two: the fuzz targets (tests/fuzz)

want=("${build[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
