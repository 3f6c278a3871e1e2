// Human sizes ("64MiB") and durations ("5s") as written in the config.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::config {

// "512", "64KiB", "64MiB", "1GiB" (also KB/MB/GB as powers of 1000, and "B").
std::optional<uint64_t> parse_size(std::string_view text);
// "250ms", "5s", "2m", "1h"; a bare number is seconds.
std::optional<int64_t> parse_duration_ms(std::string_view text);

}  // namespace sluice::config
