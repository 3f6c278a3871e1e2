// Shared by the syslog parser's tests: fixed instants, a scoped time zone, and the invariants
// every parse must keep (views inside the datagram, no byte of the text dropped).
#pragma once

#include <gtest/gtest.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "inputs/devlog/syslog_parse.h"

namespace sluice::syslog {

constexpr int64_t kSec = 1'000'000'000;

// Seconds since the epoch of some instants used below (date -u -d ... +%s).
constexpr int64_t k20261124T200000 = 1795550400;
constexpr int64_t k20261104T123456 = 1793795696;
constexpr int64_t k20261231T235959 = 1798761599;
constexpr int64_t k20270101T000030 = 1798761630;
constexpr int64_t k20280229T120000 = 1835438400;
constexpr int64_t k20260704T100000 = 1783159200;
constexpr int64_t k20261104T110000 = 1793790000;

// "Now" for most tests: a week after the timestamps above, so the year is 2026.
constexpr int64_t kNow = (k20261104T123456 + 7 * 86400) * kSec;

// Sets TZ for one test and restores it: 3164 timestamps are local time.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTz() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

inline bool within(std::string_view view, std::string_view buffer) {
  return view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size();
}

// What must hold for any input: every view inside the datagram, and the message running to the
// end of it (less trailing LF/NUL), so no byte of the text is dropped.
inline void expect_invariants(const ParsedMessage& m, std::string_view in) {
  EXPECT_TRUE(within(m.hostname, in));
  EXPECT_TRUE(within(m.app_name, in));
  EXPECT_TRUE(within(m.procid, in));
  EXPECT_TRUE(within(m.msgid, in));
  EXPECT_TRUE(within(m.structured_data, in));
  ASSERT_TRUE(within(m.message, in));
  size_t end = in.size();
  while (end > 0 && (in[end - 1] == '\n' || in[end - 1] == '\0')) --end;
  EXPECT_EQ(m.message.data() + m.message.size(), in.data() + end);
  EXPECT_LE(m.facility, 23);
  EXPECT_LE(m.severity, 7);
  if (m.grammar == Grammar::unparsed) {
    EXPECT_EQ(m.message, in.substr(0, end));
    EXPECT_EQ(m.facility, 1);
    EXPECT_EQ(m.severity, 5);
  }
}

inline ParsedMessage parse_checked(std::string_view in, int64_t now_ns = kNow) {
  const ParsedMessage m = parse(in, now_ns);
  expect_invariants(m, in);
  return m;
}
inline ParsedMessage parse_checked(const char* in, int64_t now_ns = kNow) {
  return parse_checked(std::string_view(in), now_ns);
}
// The views would dangle: keep the input in a variable.
ParsedMessage parse_checked(std::string&& in, int64_t now_ns = kNow) = delete;

}  // namespace sluice::syslog
