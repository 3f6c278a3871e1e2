#include "tests/support/accounting.h"

#include <cstdio>

#include "tests/support/agent_process.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/wait.h"

namespace sluice::test {

std::optional<Accounting> read_accounting(uint16_t api_port, const std::string& output) {
  const auto [status, body] = http_get(api_port, "/metrics");
  if (status != 200) return std::nullopt;
  const PrometheusSamples m = parse_prometheus(body);
  const std::string label = "{output=\"" + output + "\"}";
  const auto received = m.get("sluice_output_received_total" + label);
  const auto delivered = m.get("sluice_output_delivered_total" + label);
  const auto buffered = m.get("sluice_output_buffered_records" + label);
  if (!m.error.empty() || !received || !delivered || !buffered) return std::nullopt;
  Accounting a{*received, *delivered, 0, *buffered, {}};
  const std::string dropped = "sluice_output_dropped_total{output=\"" + output + "\",reason=\"";
  for (const auto& [key, value] : m.values) {
    if (key.rfind(dropped, 0) != 0) continue;
    a.dropped += value;
    a.dropped_by_reason[key.substr(dropped.size(), key.size() - dropped.size() - 2)] = value;
  }
  return a;
}

::testing::AssertionResult all_accounted_for(uint16_t api_port, const std::string& output,
                                             const std::string& fault, uint64_t sent,
                                             const std::function<size_t()>& at_peer,
                                             double min_received,
                                             std::chrono::milliseconds timeout) {
  std::optional<Accounting> a;
  const bool settled = wait_until(
      [&] {
        a = read_accounting(api_port, output);
        return a && a->received >= min_received && a->buffered == 0;
      },
      timeout, std::chrono::milliseconds(50));
  if (!a) return ::testing::AssertionFailure() << "no accounting for " << output << " in /metrics";
  std::string reasons;
  for (const auto& [reason, n] : a->dropped_by_reason) {
    if (n > 0) reasons += " " + reason + "=" + std::to_string(static_cast<uint64_t>(n));
  }
  const size_t peer = at_peer();
  const double lost = static_cast<double>(sent) - static_cast<double>(peer) - a->dropped;
  std::printf(
      "[ fault    ] %s | sent=%llu at_peer=%llu received=%.0f delivered=%.0f dropped=%.0f%s "
      "buffered=%.0f lost=%.0f\n",
      fault.c_str(), static_cast<unsigned long long>(sent), static_cast<unsigned long long>(peer),
      a->received, a->delivered, a->dropped, reasons.c_str(), a->buffered, lost);
  if (!settled) {
    return ::testing::AssertionFailure()
           << fault << ": not settled (received=" << a->received << " delivered=" << a->delivered
           << " dropped=" << a->dropped << " buffered=" << a->buffered << ")";
  }
  if (a->received != a->delivered + a->dropped + a->buffered) {
    return ::testing::AssertionFailure() << fault << ": received != delivered + dropped + buffered";
  }
  if (lost != 0) return ::testing::AssertionFailure() << fault << ": " << lost << " lost";
  return ::testing::AssertionSuccess();
}

}  // namespace sluice::test
