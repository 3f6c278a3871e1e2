#include "config/units.h"

#include <charconv>
#include <string>
#include <utility>

namespace sluice::config {
namespace {

// Splits "64MiB" into 64 and "MiB"; the number must be a whole, non-negative decimal.
std::optional<std::pair<uint64_t, std::string_view>> split_number(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, text.data() + text.size() - end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return std::pair{value, unit};
}

std::optional<uint64_t> scaled(uint64_t value, uint64_t factor) {
  if (factor && value > UINT64_MAX / factor) return std::nullopt;
  return value * factor;
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
  auto parts = split_number(text);
  if (!parts) return std::nullopt;
  auto [value, unit] = *parts;
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"", 1},      {"B", 1},        {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
      {"KB", 1000}, {"MB", 1000000}, {"GB", 1000000000},
  };
  for (auto [name, factor] : kUnits) {
    if (unit == name) return scaled(value, factor);
  }
  return std::nullopt;
}

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  auto parts = split_number(text);
  if (!parts) return std::nullopt;
  auto [value, unit] = *parts;
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
  for (auto [name, factor] : kUnits) {
    if (unit == name) {
      auto ms = scaled(value, factor);
      if (!ms || *ms > INT64_MAX) return std::nullopt;
      return static_cast<int64_t>(*ms);
    }
  }
  return std::nullopt;
}

}  // namespace sluice::config
