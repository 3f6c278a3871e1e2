// A strict reader of the Prometheus text format, for tests: every sample line must parse.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace sluice::test {

struct PrometheusSamples {
  // "name{a=\"x\",b=\"y\"}" (labels in the order written) → value
  std::map<std::string, double> values;
  std::map<std::string, std::string> types;  // family name → counter/gauge/histogram
  std::string error;                         // first malformed line, if any
  std::optional<double> get(const std::string& key) const;
};

PrometheusSamples parse_prometheus(const std::string& text);

}  // namespace sluice::test
