// Realistic container log lines, deterministic by index: JSON application logs, access logs
// and Java stack traces, with the ids, counters and timestamps that make real logs only
// partly repetitive. For buffer capacity tests and benchmarks (compression ratios on "xxxx"
// would say nothing).
#pragma once

#include <cstdint>
#include <string>

namespace sluice::test {

// The message of line i (the same i gives the same text).
std::string container_log_line(uint64_t i);

}  // namespace sluice::test
