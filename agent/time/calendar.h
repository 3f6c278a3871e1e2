// Calendar arithmetic and RFC 3339 timestamps, without libc time functions or allocation: the
// syslog parser and the Docker log decoder read timestamps hundreds of thousands of times a
// second.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace sluice::calendar {

constexpr int64_t kNsPerSec = 1'000'000'000;
constexpr int64_t kSecPerDay = 86'400;
// Instants int64 nanoseconds cannot hold (outside ~1678..2262) are not timestamps.
constexpr int64_t kMaxSec = std::numeric_limits<int64_t>::max() / kNsPerSec - 1;

// Byte at i, or -1 past the end, so lookahead needs no bounds check of its own.
inline int at(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : -1;
}
inline bool is_digit(int c) { return c >= '0' && c <= '9'; }
inline bool expect(std::string_view s, size_t& i, char c) {
  if (at(s, i) != static_cast<unsigned char>(c)) return false;
  ++i;
  return true;
}

bool read_digits(std::string_view s, size_t& i, int n, int& out);
// Here, not in the .cpp: callers divide by constants, which inlined become multiplications.
inline int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
bool is_leap(int64_t y);
int days_in_month(int64_t y, int m);
int64_t days_from_civil(int64_t y, int m, int d);
int64_t year_from_days(int64_t z);
bool read_time(std::string_view s, size_t& i, int64_t& sec_of_day);
// RFC 3339 date-time at s[i] as RFC 5424 restricts it (uppercase T and Z, offset "Z" or
// "+hh:mm"); on success advances i past it and sets UTC nanoseconds.
bool parse_rfc3339(std::string_view s, size_t& i, int64_t& ns);

}  // namespace sluice::calendar
