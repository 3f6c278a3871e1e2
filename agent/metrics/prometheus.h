// Prometheus text exposition format (version 0.0.4).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/metrics/histogram.h"

namespace sluice::metrics {

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

class Exposition {
 public:
  // Starts a metric family; samples that follow belong to it. type: counter, gauge, histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  void histogram(std::string_view name, const Labels& labels, const Histogram& h);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace sluice::metrics
