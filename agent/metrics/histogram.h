// A Prometheus-style histogram with fixed buckets, for request latencies.
#pragma once

#include <array>
#include <cstdint>

namespace sluice::metrics {

struct Histogram {
  static constexpr std::array<double, 10> kBounds = {0.001, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,  0.5,  1,     5};
  std::array<uint64_t, kBounds.size()>
      buckets{};  // count of observations <= bound (not cumulative)
  uint64_t count = 0;
  double sum = 0;

  void observe(double seconds) {
    for (size_t i = 0; i < kBounds.size(); ++i) {
      if (seconds <= kBounds[i]) {
        ++buckets[i];
        break;
      }
    }
    ++count;
    sum += seconds;
  }
};

}  // namespace sluice::metrics
