// The fault suite's closing check: one output's accounting read from the agent's /metrics, and
// every record sent either at the peer or counted dropped, never lost.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace sluice::test {

struct Accounting {
  double received = 0, delivered = 0, dropped = 0, buffered = 0;  // buffered includes in flight
  std::map<std::string, double> dropped_by_reason;
};

// Nothing when /metrics cannot be fetched, does not parse or lacks the output.
std::optional<Accounting> read_accounting(uint16_t api_port, const std::string& output);

// Waits until the output holds nothing and has received at least `min_received`, then checks
// received = delivered + dropped + buffered from /metrics, and that each record the source sent
// is at the peer or was dropped: lost = sent - at_peer() - dropped = 0, where at_peer() counts
// the distinct records the peer holds then. Prints the fault-suite row
// "[ fault    ] <case> | sent=… at_peer=… received=… delivered=… dropped=… buffered=… lost=…".
::testing::AssertionResult all_accounted_for(
    uint16_t api_port, const std::string& output, const std::string& fault, uint64_t sent,
    const std::function<size_t()>& at_peer, double min_received = 1,
    std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace sluice::test
