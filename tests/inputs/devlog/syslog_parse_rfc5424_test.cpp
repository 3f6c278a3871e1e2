// The syslog parser on RFC 5424: header fields, timestamps, structured data.
#include <gtest/gtest.h>

#include "tests/inputs/devlog/syslog_parse_checks.h"

namespace sluice::syslog {
namespace {

using namespace std::string_view_literals;

TEST(SyslogParse, Rfc5424Full) {
  const std::string in =
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 42 ID47 "
      "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] "
      "\xEF\xBB\xBF"
      "An application event log entry...";
  const ParsedMessage m = parse_checked(in);
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.facility, 20);
  EXPECT_EQ(m.severity, 5);
  EXPECT_TRUE(m.has_timestamp);
  EXPECT_EQ(m.timestamp_ns, 1065910455 * kSec + 3'000'000);
  EXPECT_EQ(m.hostname, "mymachine.example.com");
  EXPECT_EQ(m.app_name, "evntslog");
  EXPECT_EQ(m.procid, "42");
  EXPECT_EQ(m.msgid, "ID47");
  EXPECT_EQ(m.structured_data,
            "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]");
  EXPECT_EQ(m.message, "An application event log entry...");
}

TEST(SyslogParse, Rfc5424NilValues) {
  ParsedMessage m = parse_checked("<14>1 - - - - - -");
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_FALSE(m.has_timestamp);
  EXPECT_TRUE(m.hostname.empty());
  EXPECT_TRUE(m.app_name.empty());
  EXPECT_TRUE(m.procid.empty());
  EXPECT_TRUE(m.msgid.empty());
  EXPECT_TRUE(m.structured_data.empty());
  EXPECT_TRUE(m.message.empty());

  m = parse_checked("<14>1 - host - 7 - - hello\n");
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.hostname, "host");
  EXPECT_TRUE(m.app_name.empty());
  EXPECT_EQ(m.procid, "7");
  EXPECT_EQ(m.message, "hello");

  // Only a lone "-" is nil.
  m = parse_checked("<14>1 - -h -a -p -m - x");
  EXPECT_EQ(m.hostname, "-h");
  EXPECT_EQ(m.app_name, "-a");
  EXPECT_EQ(m.procid, "-p");
  EXPECT_EQ(m.msgid, "-m");
  EXPECT_EQ(m.message, "x");
}

TEST(SyslogParse, Rfc5424UtilLinuxLogger) {
  // logger --rfc5424 on the local socket.
  const ParsedMessage m = parse_checked(
      "<13>1 2026-11-24T21:00:00.123456+01:00 myhost alice - - "
      "[timeQuality tzKnown=\"1\" isSynced=\"1\" syncAccuracy=\"4500\"] hello");
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.timestamp_ns, k20261124T200000 * kSec + 123'456'000);
  EXPECT_EQ(m.app_name, "alice");
  EXPECT_EQ(m.structured_data, "[timeQuality tzKnown=\"1\" isSynced=\"1\" syncAccuracy=\"4500\"]");
  EXPECT_EQ(m.message, "hello");
}

TEST(SyslogParse, Rfc3339FractionsAndOffsets) {
  struct Case {
    std::string_view ts;
    int64_t ns;
  };
  const int64_t base = k20261124T200000 * kSec;
  const Case cases[] = {
      {"2026-11-24T20:00:00Z", base},
      {"2026-11-24T21:00:00.123456+01:00", base + 123'456'000},
      {"2026-11-24T20:00:00.1Z", base + 100'000'000},
      {"2026-11-24T20:00:00.000000001Z", base + 1},
      {"2026-11-24T20:00:00.123456789Z", base + 123'456'789},
      {"2026-11-24T20:00:00.1234567891234Z", base + 123'456'789},  // beyond ns: truncated
      {"2026-11-24T14:30:00-05:30", base},
      {"2026-11-25T01:45:00+05:45", base},
      {"2026-11-24T20:00:00+00:00", base},
      {"2026-11-24T20:00:00-00:00", base},
      {"2026-11-24T23:59:60Z", (k20261124T200000 + 4 * 3600) * kSec},  // leap second
      {"1969-12-31T23:59:59.5Z", -kSec / 2},
      {"2024-02-29T00:00:00Z", 1709164800 * kSec},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ts);
    const std::string in = "<14>1 " + std::string(c.ts) + " h a p m - msg";
    const ParsedMessage m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::rfc5424);
    EXPECT_TRUE(m.has_timestamp);
    EXPECT_EQ(m.timestamp_ns, c.ns);
    EXPECT_EQ(m.message, "msg");
  }
}

TEST(SyslogParse, Rfc5424InvalidTimestampIsNotA5424Header) {
  const std::string_view bad[] = {
      "2026-13-01T00:00:00Z",      "2026-02-29T00:00:00Z",  "2026-11-31T00:00:00Z",
      "2026-11-24 20:00:00Z",      "2026-11-24t20:00:00Z",  "2026-11-24T20:00:00",
      "2026-11-24T20:00:00z",      "2026-11-24T24:00:00Z",  "2026-11-24T20:60:00Z",
      "2026-11-24T20:00:61Z",      "2026-11-24T20:00:00.Z", "2026-11-24T20:00:00+0100",
      "2026-11-24T20:00:00+24:00", "26-11-24T20:00:00Z",    "2026-1-24T20:00:00Z",
      "9999-12-31T23:59:59Z",  // does not fit int64 nanoseconds
      "1000-01-01T00:00:00Z",
  };
  for (std::string_view ts : bad) {
    SCOPED_TRACE(ts);
    const std::string rest = "1 " + std::string(ts) + " h a p m - msg";
    const std::string in = "<14>" + rest;
    const ParsedMessage m = parse_checked(in);
    // Read as RFC 3164 instead: nothing recognisable, so all of it is the message.
    EXPECT_EQ(m.grammar, Grammar::rfc3164);
    EXPECT_FALSE(m.has_timestamp);
    EXPECT_TRUE(m.hostname.empty());
    EXPECT_TRUE(m.app_name.empty());
    EXPECT_EQ(m.message, rest);
  }
}

TEST(SyslogParse, Rfc5424StructuredDataEscapesAndMultipleElements) {
  const std::string_view sd = R"([a@1 k="x\"]y\\" k2="\]" k3="[not ] an end"][b@2][c@3 e="\\"])";
  const std::string in = "<14>1 - h a p m " + std::string(sd) + " the message";
  const ParsedMessage m = parse_checked(in);
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.structured_data, sd);
  EXPECT_EQ(m.message, "the message");

  const ParsedMessage bare = parse_checked("<14>1 - h a p m [x@1 k=\"v\"][y@2]");
  EXPECT_EQ(bare.structured_data, "[x@1 k=\"v\"][y@2]");
  EXPECT_TRUE(bare.message.empty());
}

TEST(SyslogParse, Rfc5424MalformedStructuredDataKeptInMessage) {
  const std::string_view bad_sd[] = {
      "[a k=v] msg",                            // unquoted value
      "[a k=\"v] msg",                          // unterminated value
      "[a k=\"v\\\"] msg",                      // escaped quote leaves it unterminated
      "[] msg",                                 // no SD-ID
      "[a k=\"v\"]msg",                         // no space before MSG
      "[a k=\"v\"",                             // no closing bracket
      "[a  k=\"v\"] msg",                       // two spaces
      "[a =\"v\"] msg",                         // no PARAM-NAME
      "-msg",                                   // nil then no space
      "msg without sd",                         // no SD at all
      "[abcdefghijklmnopqrstuvwxyz0123456] x",  // SD-ID longer than 32
  };
  for (std::string_view rest : bad_sd) {
    SCOPED_TRACE(rest);
    const std::string in = "<14>1 2026-11-24T20:00:00Z h a p m " + std::string(rest);
    const ParsedMessage m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::rfc5424);
    EXPECT_TRUE(m.has_timestamp);
    EXPECT_EQ(m.msgid, "m");
    EXPECT_TRUE(m.structured_data.empty());
    EXPECT_EQ(m.message, rest);
  }
}

TEST(SyslogParse, Rfc5424HeaderFieldLimits) {
  const std::string app48(48, 'a');
  const std::string in48 = "<14>1 - h " + app48 + " - - - x";
  ParsedMessage m = parse_checked(in48);
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.app_name, app48);

  const std::string too_long[] = {
      "<14>1 - h " + std::string(49, 'a') + " - - - x",
      "<14>1 - " + std::string(256, 'h') + " a - - - x",
      "<14>1 - h a " + std::string(129, 'p') + " - - x",
      "<14>1 - h a p " + std::string(33, 'm') + " - x",
      "<14>1 - h\xC3\xA9 a p m - x",  // non-ASCII hostname
      "<14>1 - h  a p m - x",         // empty field
      "<14>1 - h a p m",              // header cut before SD
  };
  for (const std::string& in : too_long) {
    SCOPED_TRACE(in);
    m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::rfc3164);
    EXPECT_EQ(m.message, std::string_view(in).substr(4));
  }
}

TEST(SyslogParse, Rfc5424BomStrippedOnlyAtStartOfMessage) {
  ParsedMessage m = parse_checked("<14>1 - h a p m - \xEF\xBB\xBFhello");
  EXPECT_EQ(m.message, "hello");
  m = parse_checked("<14>1 - h a p m - x\xEF\xBB\xBFy");
  EXPECT_EQ(m.message, "x\xEF\xBB\xBFy");
  m = parse_checked("<14>1 - h a p m - \xEF\xBB\xBF");
  EXPECT_TRUE(m.message.empty());
  m = parse_checked("<14>1 - h a p m - \xEF\xBB");  // partial BOM is text
  EXPECT_EQ(m.message, "\xEF\xBB");
  // RFC 3164 messages keep it: only RFC 5424 defines it.
  m = parse_checked("<14>tag: \xEF\xBB\xBFhello");
  EXPECT_EQ(m.message, "\xEF\xBB\xBFhello");
}

TEST(SyslogParse, VersionOtherThanOneIsRfc3164) {
  ParsedMessage m = parse_checked("<14>2 - h a p m - x");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_EQ(m.message, "2 - h a p m - x");
  m = parse_checked("<14>1");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_EQ(m.message, "1");
  m = parse_checked("<14>10 - h a p m - x");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
}

// ---- RFC 3164 and variants ----

}  // namespace
}  // namespace sluice::syslog
