// syslog::Parser remembers the last RFC 3164 header: whatever it remembers, it must give
// exactly what parse() gives, views included.
#include <string>
#include <vector>

#include "tests/inputs/devlog/syslog_parse_checks.h"

namespace sluice::syslog {
namespace {

using namespace std::string_literals;

void expect_same_view(std::string_view a, std::string_view b, const char* field) {
  EXPECT_EQ(a.data(), b.data()) << field;
  EXPECT_EQ(a.size(), b.size()) << field;
}

// What a Record and a ParsedMessage have in common; views compared by where they point.
template <typename Parsed>
void expect_same_fields(const Parsed& got, const Parsed& want) {
  EXPECT_EQ(got.facility, want.facility);
  EXPECT_EQ(got.severity, want.severity);
  expect_same_view(got.hostname, want.hostname, "hostname");
  expect_same_view(got.app_name, want.app_name, "app_name");
  expect_same_view(got.procid, want.procid, "procid");
  expect_same_view(got.msgid, want.msgid, "msgid");
  expect_same_view(got.structured_data, want.structured_data, "structured_data");
  expect_same_view(got.message, want.message, "message");
}

// Parses each datagram with one Parser, in order, and with parse() alone; makes its record
// with another, as to_record() does.
void expect_parses_as_parse(const std::vector<std::string>& datagrams, int64_t now_ns = kNow) {
  Parser parser, recorder;
  for (const std::string& d : datagrams) {
    SCOPED_TRACE(d);
    const ParsedMessage got = parser.parse(d, now_ns), want = parse(d, now_ns);
    EXPECT_EQ(got.grammar, want.grammar);
    EXPECT_EQ(got.has_timestamp, want.has_timestamp);
    EXPECT_EQ(got.timestamp_ns, want.timestamp_ns);
    expect_same_fields(got, want);
    expect_invariants(got, d);

    Grammar grammar;
    const Record r = recorder.record(d, now_ns, grammar), want_r = to_record(want, now_ns);
    EXPECT_EQ(grammar, want.grammar);
    EXPECT_EQ(r.event_ns, want_r.event_ns);
    EXPECT_EQ(r.receive_ns, want_r.receive_ns);
    expect_same_fields(r, want_r);
  }
}

TEST(SyslogParser, RepeatedHeadersParseAsParseDoes) {
  ScopedTz tz("UTC");
  expect_parses_as_parse({
      "<14>Nov 24 21:00:00 bench[42]: message 1",
      "<14>Nov 24 21:00:00 bench[42]: message 2",
      "<14>Nov 24 21:00:00 bench[42]: ",       // the header alone: an empty message
      "<14>Nov 24 21:00:00 bench[42]: \n\0"s,  // its trailer is not part of it
      "<14>Nov 24 21:00:00 bench[42]:",        // shorter than the header
      "<14>Nov 24 21:00:00 bench[42]: [x] y:z \n",
      "<14>Nov 24 21:00:00 bench[43]: another pid",  // differs inside the header
      "<13>Nov 24 21:00:00 bench[43]: another pri",
      "<14>Nov 24 21:00:01 bench[43]: next second",
      "<14>Nov 24 21:00:01 host bench[43]: with a hostname",
      "<14>Nov 24 21:00:01 host bench[43]: again",
      "<14>Nov 24 21:00:01 host bench[43]:no space, no tag",
      "<14>Nov 24 21:00:01 some words, no tag",
      "<14>Nov 24 21:00:01 some words, no tag",
      "<14>Nov 24 21:00:01 bench: a tag after the same timestamp",
      "<14>bench: no timestamp",
      "<14>bench: no timestamp again",
      "<14>1 2026-11-24T21:00:00Z host app 1 id - rfc 5424",
      "<14>1 2026-11-24T21:00:00Z host app 1 id - rfc 5424 again",
      "<14>bench: no timestamp, after RFC 5424",
      "no pri",
      "<14>bench: after no pri",
  });
}

TEST(SyslogParser, EachSecondChoosesItsOwnYear) {
  ScopedTz tz("UTC");
  const std::string d = "<14>Jan  1 00:00:30 bench: x";
  const int64_t in_june = (k20260704T100000 - 10 * 86400) * kSec;  // 2026-01-01 is closer
  Parser parser;
  EXPECT_EQ(parser.parse(d, k20261231T235959 * kSec).timestamp_ns, k20270101T000030 * kSec);
  EXPECT_EQ(parser.parse(d, in_june).timestamp_ns, (k20270101T000030 - 365 * 86400) * kSec);
}

TEST(SyslogParser, ANewTimeZoneIsReadAgain) {
  const std::string d = "<14>Nov  4 12:34:56 bench: x";
  Parser parser;
  int64_t utc = 0, cet = 0;
  {
    ScopedTz tz("UTC");
    utc = parser.parse(d, kNow).timestamp_ns;
  }
  {
    ScopedTz tz("CET-1CEST,M3.5.0,M10.5.0/3");
    cet = parser.parse(d, kNow).timestamp_ns;
  }
  EXPECT_EQ(utc, k20261104T123456 * kSec);
  EXPECT_EQ(cet, utc - 3600 * kSec);
}

}  // namespace
}  // namespace sluice::syslog
