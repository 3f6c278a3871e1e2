#include "inputs/devlog/syslog_parse.h"

#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::syslog {
namespace {

using namespace std::string_view_literals;

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

bool within(std::string_view view, std::string_view buffer) {
  return view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size();
}

// What must hold for any input: every view inside the datagram, and the message running to the
// end of it (less trailing LF/NUL), so no byte of the text is dropped.
void expect_invariants(const ParsedMessage& m, std::string_view in) {
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

ParsedMessage parse_checked(std::string_view in, int64_t now_ns = kNow) {
  const ParsedMessage m = parse(in, now_ns);
  expect_invariants(m, in);
  return m;
}
ParsedMessage parse_checked(const char* in, int64_t now_ns = kNow) {
  return parse_checked(std::string_view(in), now_ns);
}
// The views would dangle: keep the input in a variable.
ParsedMessage parse_checked(std::string&& in, int64_t now_ns = kNow) = delete;

// ---- RFC 5424 ----

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

TEST(SyslogParse, Rfc3164Glibc) {
  ScopedTz tz("UTC");
  const ParsedMessage m = parse_checked("<13>Nov  4 12:34:56 myprog[1234]: hello world\n");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_EQ(m.facility, 1);
  EXPECT_EQ(m.severity, 5);
  EXPECT_TRUE(m.has_timestamp);
  EXPECT_EQ(m.timestamp_ns, k20261104T123456 * kSec);
  EXPECT_TRUE(m.hostname.empty());
  EXPECT_EQ(m.app_name, "myprog");
  EXPECT_EQ(m.procid, "1234");
  EXPECT_TRUE(m.msgid.empty());
  EXPECT_TRUE(m.structured_data.empty());
  EXPECT_EQ(m.message, "hello world");
}

TEST(SyslogParse, Rfc3164WithHostname) {
  ScopedTz tz("UTC");
  ParsedMessage m = parse_checked("<86>Nov  4 12:34:56 web-1.example.com sshd[99]: Accepted");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_EQ(m.facility, 10);
  EXPECT_EQ(m.severity, 6);
  EXPECT_EQ(m.timestamp_ns, k20261104T123456 * kSec);
  EXPECT_EQ(m.hostname, "web-1.example.com");
  EXPECT_EQ(m.app_name, "sshd");
  EXPECT_EQ(m.procid, "99");
  EXPECT_EQ(m.message, "Accepted");

  m = parse_checked("<13>Nov  4 12:34:56 myhost alice: hi");
  EXPECT_EQ(m.hostname, "myhost");
  EXPECT_EQ(m.app_name, "alice");
  EXPECT_TRUE(m.procid.empty());
  EXPECT_EQ(m.message, "hi");
}

TEST(SyslogParse, Rfc3164DayPadding) {
  ScopedTz tz("UTC");
  for (std::string_view in :
       {"<13>Nov  4 12:34:56 t: m"sv, "<13>Nov 04 12:34:56 t: m"sv, "<13>Nov 4 12:34:56 t: m"sv}) {
    SCOPED_TRACE(in);
    const ParsedMessage m = parse_checked(in);
    EXPECT_TRUE(m.has_timestamp);
    EXPECT_EQ(m.timestamp_ns, k20261104T123456 * kSec);
    EXPECT_EQ(m.app_name, "t");
    EXPECT_EQ(m.message, "m");
  }
  const ParsedMessage two_digit = parse_checked("<13>Nov 14 12:34:56 t: m");
  EXPECT_EQ(two_digit.timestamp_ns, (k20261104T123456 + 10 * 86400) * kSec);
}

TEST(SyslogParse, Rfc3164InvalidTimestampIsText) {
  ScopedTz tz("UTC");
  const std::string_view bad[] = {
      "Nov 31 12:00:00 t: m",    "Nov  0 12:00:00 t: m",  "Nov  4 24:00:00 t: m",
      "nov  4 12:00:00 t: m",    "Nov   4 12:00:00 t: m", "Nov  4 12:00 t: m",
      "Nov  4 12:00:00:00 t: m", "Nox  4 12:00:00 t: m",
  };
  for (std::string_view rest : bad) {
    SCOPED_TRACE(rest);
    const std::string in = "<13>" + std::string(rest);
    const ParsedMessage m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::rfc3164);
    EXPECT_FALSE(m.has_timestamp);
    EXPECT_TRUE(m.app_name.empty());
    EXPECT_EQ(m.message, rest);
  }
}

TEST(SyslogParse, Rfc3164WithRfc3339Timestamp) {
  // rsyslog's high-precision format.
  const ParsedMessage m =
      parse_checked("<30>2026-11-24T21:00:00.123456+01:00 host systemd[1]: Started x.");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_EQ(m.facility, 3);
  EXPECT_EQ(m.severity, 6);
  EXPECT_TRUE(m.has_timestamp);
  EXPECT_EQ(m.timestamp_ns, k20261124T200000 * kSec + 123'456'000);
  EXPECT_EQ(m.hostname, "host");
  EXPECT_EQ(m.app_name, "systemd");
  EXPECT_EQ(m.procid, "1");
  EXPECT_EQ(m.message, "Started x.");
}

TEST(SyslogParse, Rfc3164NoTimestamp) {
  // Python's SysLogHandler: no timestamp, trailing NUL.
  ParsedMessage m = parse_checked("<14>message\0"sv);
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_FALSE(m.has_timestamp);
  EXPECT_TRUE(m.app_name.empty());
  EXPECT_EQ(m.message, "message");

  m = parse_checked("<14>myapp: some message\0"sv);
  EXPECT_EQ(m.app_name, "myapp");
  EXPECT_EQ(m.message, "some message");

  m = parse_checked("<14>myapp[42]: some message");
  EXPECT_EQ(m.app_name, "myapp");
  EXPECT_EQ(m.procid, "42");
  EXPECT_EQ(m.message, "some message");

  // Without a timestamp there is no hostname.
  m = parse_checked("<14>host tag: msg");
  EXPECT_TRUE(m.hostname.empty());
  EXPECT_TRUE(m.app_name.empty());
  EXPECT_EQ(m.message, "host tag: msg");

  m = parse_checked("<14>");
  EXPECT_EQ(m.grammar, Grammar::rfc3164);
  EXPECT_TRUE(m.message.empty());
}

TEST(SyslogParse, Rfc3164TimestampOnly) {
  ScopedTz tz("UTC");
  ParsedMessage m = parse_checked("<13>Nov  4 12:34:56");
  EXPECT_TRUE(m.has_timestamp);
  EXPECT_TRUE(m.message.empty());
  m = parse_checked("<13>Nov  4 12:34:56 ");
  EXPECT_TRUE(m.has_timestamp);
  EXPECT_TRUE(m.message.empty());
  m = parse_checked("<13>Nov  4 12:34:56x");
  EXPECT_FALSE(m.has_timestamp);
  EXPECT_EQ(m.message, "Nov  4 12:34:56x");
}

TEST(SyslogParse, Rfc3164TagForms) {
  ScopedTz tz("UTC");
  struct Case {
    std::string_view rest;  // after "<13>Nov  4 12:34:56 "
    std::string_view app, procid, message;
  };
  const std::string tag48(48, 't');
  const std::string tag49(49, 't');
  const std::string with48 = tag48 + ": m";
  const std::string with49 = tag49 + ": m";
  const Case cases[] = {
      {"tag: msg", "tag", "", "msg"},
      {"tag[12]: msg", "tag", "12", "msg"},
      {"tag[12] msg", "tag", "12", "msg"},     // '[' ends the tag, colon optional
      {"tag[12]:msg", "", "", "tag[12]:msg"},  // no space: not a tag
      {"tag:msg", "", "", "tag:msg"},
      {"tag:", "tag", "", ""},
      {"tag[12]:", "tag", "12", ""},
      {"tag: ", "tag", "", ""},
      {"tag:  two spaces", "tag", "", " two spaces"},
      {"/usr/sbin/cron[7]: x", "/usr/sbin/cron", "7", "x"},
      {"(sd-pam)[1]: x", "(sd-pam)", "1", "x"},
      {"tag[]: msg", "", "", "tag[]: msg"},
      {"tag[1 2]: msg", "", "", "tag[1 2]: msg"},
      {"tag[12: msg", "", "", "tag[12: msg"},
      {"t\xC3\xA9g: msg", "", "", "t\xC3\xA9g: msg"},
      {with48, tag48, "", "m"},
      {with49, "", "", with49},
      {"http://example.com/ is down", "", "", "http://example.com/ is down"},
      {"just a message", "", "", "just a message"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rest);
    const std::string in = "<13>Nov  4 12:34:56 " + std::string(c.rest);
    const ParsedMessage m = parse_checked(in);
    EXPECT_TRUE(m.has_timestamp);
    EXPECT_TRUE(m.hostname.empty());
    EXPECT_EQ(m.app_name, c.app);
    EXPECT_EQ(m.procid, c.procid);
    EXPECT_EQ(m.message, c.message);
  }
}

TEST(SyslogParse, Rfc3164HostnameHeuristic) {
  ScopedTz tz("UTC");
  struct Case {
    std::string_view rest;  // after "<13>Nov  4 12:34:56 "
    std::string_view hostname, app, procid, message;
  };
  const std::string host255(255, 'h');
  const std::string host256(256, 'h');
  const std::string long_host = host255 + " t: m";
  const std::string longer_host = host256 + " t: m";
  const Case cases[] = {
      // A token ending in ':' or with a '[' is the tag.
      {"tag: msg", "", "tag", "", "msg"},
      {"tag[1]: msg", "", "tag", "1", "msg"},
      // A plain word is the hostname only if a tag follows it.
      {"host tag: msg", "host", "tag", "", "msg"},
      {"host tag[1] msg", "host", "tag", "1", "msg"},
      {"10.0.0.1 tag: msg", "10.0.0.1", "tag", "", "msg"},
      {"fe80::1 tag: msg", "fe80::1", "tag", "", "msg"},
      // Otherwise no hostname: the words are the message.
      {"host some words", "", "", "", "host some words"},
      {"some words here", "", "", "", "some words here"},
      {"host tag msg", "", "", "", "host tag msg"},
      {"host tag[1]:msg", "", "", "", "host tag[1]:msg"},
      {"ho[st tag: msg", "", "", "", "ho[st tag: msg"},
      {"host  tag: msg", "", "", "", "host  tag: msg"},
      {"host", "", "", "", "host"},
      {long_host, host255, "t", "", "m"},
      {longer_host, "", "", "", longer_host},
      // Known limit of the heuristic: a tagless message whose second word looks like a tag.
      {"Error disk: full", "Error", "disk", "", "full"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rest);
    const std::string in = "<13>Nov  4 12:34:56 " + std::string(c.rest);
    const ParsedMessage m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::rfc3164);
    EXPECT_TRUE(m.has_timestamp);
    EXPECT_EQ(m.hostname, c.hostname);
    EXPECT_EQ(m.app_name, c.app);
    EXPECT_EQ(m.procid, c.procid);
    EXPECT_EQ(m.message, c.message);
  }
}

TEST(SyslogParse, YearClosestToNow) {
  ScopedTz tz("UTC");
  // Dec 31 read on Jan 1: last year.
  ParsedMessage m = parse_checked("<13>Dec 31 23:59:59 t: m", k20270101T000030 * kSec);
  EXPECT_EQ(m.timestamp_ns, k20261231T235959 * kSec);
  // Jan 1 read on Dec 31 (a clock slightly behind the sender's): next year.
  m = parse_checked("<13>Jan  1 00:00:30 t: m", k20261231T235959 * kSec);
  EXPECT_EQ(m.timestamp_ns, k20270101T000030 * kSec);
  // Same year otherwise, even months apart.
  m = parse_checked("<13>Jul  4 10:00:00 t: m", kNow);
  EXPECT_EQ(m.timestamp_ns, k20260704T100000 * kSec);
  // Feb 29 exists only in the leap year.
  m = parse_checked("<13>Feb 29 12:00:00 t: m", (k20280229T120000 + 86400) * kSec);
  EXPECT_EQ(m.timestamp_ns, k20280229T120000 * kSec);
  m = parse_checked("<13>Feb 29 12:00:00 t: m", (k20280229T120000 - 300 * 86400) * kSec);
  EXPECT_EQ(m.timestamp_ns, k20280229T120000 * kSec);
  // ... and is no timestamp when no year within one has it.
  m = parse_checked("<13>Feb 29 12:00:00 t: m", kNow);  // 2025..2027
  EXPECT_FALSE(m.has_timestamp);
  EXPECT_EQ(m.message, "Feb 29 12:00:00 t: m");
}

TEST(SyslogParse, Rfc3164LocalTimeZone) {
  std::string_view in = "<13>Nov  4 12:00:00 t: m";
  {
    ScopedTz tz("UTC");
    EXPECT_EQ(parse_checked(in).timestamp_ns, (k20261104T110000 + 3600) * kSec);
  }
  {
    // Central European Time without tzdata: UTC+1, summer UTC+2.
    ScopedTz tz("CET-1CEST,M3.5.0,M10.5.0/3");
    // The same timestamp again: the zone change must not reuse a cached answer.
    EXPECT_EQ(parse_checked(in).timestamp_ns, k20261104T110000 * kSec);
    EXPECT_EQ(parse_checked("<13>Jul  4 12:00:00 t: m").timestamp_ns, k20260704T100000 * kSec);
    // Summer time ends at 01:00 UTC on Oct 25; 01:30 local is still summer time, though 01:30
    // UTC is not.
    EXPECT_EQ(parse_checked("<13>Oct 25 01:30:00 t: m").timestamp_ns, 1792884600 * kSec);
    // RFC 3339 carries its own offset: the local zone does not apply.
    EXPECT_EQ(parse_checked("<13>2026-11-24T20:00:00Z t: m").timestamp_ns, k20261124T200000 * kSec);
  }
  {
    ScopedTz tz("UTC");
    EXPECT_EQ(parse_checked(in).timestamp_ns, (k20261104T110000 + 3600) * kSec);
  }
}

// ---- PRI ----

TEST(SyslogParse, PriValues) {
  struct Case {
    std::string_view in;
    int facility, severity;
  };
  const Case cases[] = {
      {"<0>x", 0, 0},  {"<7>x", 0, 7},    {"<8>x", 1, 0},
      {"<13>x", 1, 5}, {"<191>x", 23, 7}, {"<100>x", 12, 4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    const ParsedMessage m = parse_checked(c.in);
    EXPECT_EQ(m.grammar, Grammar::rfc3164);
    EXPECT_EQ(m.facility, c.facility);
    EXPECT_EQ(m.severity, c.severity);
    EXPECT_EQ(m.message, "x");
  }
}

TEST(SyslogParse, BadPriKeepsWholeDatagram) {
  const std::string_view bad[] = {
      "<192>1 - h a p m - x",
      "<01>x",
      "<00>x",
      "<a>x",
      "<>x",
      "<1234>x",
      "<999>x",
      "<-1>x",
      "<1",
      "<",
      "<12",
      "< 1>x",
      "<1 >x",
      "<+1>x",
      "<13>"sv.substr(0, 3),
  };
  for (std::string_view in : bad) {
    SCOPED_TRACE(in);
    const ParsedMessage m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::unparsed);
    EXPECT_EQ(m.facility, 1);
    EXPECT_EQ(m.severity, 5);
    EXPECT_FALSE(m.has_timestamp);
    EXPECT_EQ(m.message, in);
  }
}

TEST(SyslogParse, MissingPriKeepsWholeDatagram) {
  ScopedTz tz("UTC");
  // Even with a recognisable header: no sender on /dev/log omits the PRI, so the rest is not
  // trusted to be one.
  for (std::string_view in : {"hello world"sv, "Nov  4 12:34:56 tag[1]: msg"sv,
                              "1 2026-11-24T20:00:00Z h a p m - x"sv, " <13>x"sv}) {
    SCOPED_TRACE(in);
    const std::string with_lf = std::string(in) + "\n";
    const ParsedMessage m = parse_checked(with_lf);
    EXPECT_EQ(m.grammar, Grammar::unparsed);
    EXPECT_FALSE(m.has_timestamp);
    EXPECT_TRUE(m.app_name.empty());
    EXPECT_EQ(m.message, in);
  }
}

// ---- message bytes ----

TEST(SyslogParse, EmptyDatagram) {
  ParsedMessage m = parse_checked(std::string_view());
  EXPECT_EQ(m.grammar, Grammar::unparsed);
  EXPECT_TRUE(m.message.empty());
  for (std::string_view in : {"\n"sv, "\0"sv, "\n\0\n"sv}) {
    m = parse_checked(in);
    EXPECT_EQ(m.grammar, Grammar::unparsed);
    EXPECT_TRUE(m.message.empty());
  }
}

TEST(SyslogParse, TrailingLfAndNulStripped) {
  struct Case {
    std::string_view in, message;
  };
  const Case cases[] = {
      {"<14>msg\n"sv, "msg"sv},
      {"<14>msg\0"sv, "msg"sv},
      {"<14>msg\n\0"sv, "msg"sv},
      {"<14>msg\0\n\n\0"sv, "msg"sv},
      {"<14>msg\r\n"sv, "msg\r"sv},  // only LF and NUL are framing
      {"<14>msg \n"sv, "msg "sv},
      {"<14>a\nb\0c\n"sv, "a\nb\0c"sv},
      {"<14>1 - h a p m - a\0b\n"sv, "a\0b"sv},
      {"plain\0"sv, "plain"sv},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.in)));
    EXPECT_EQ(parse_checked(c.in).message, c.message);
  }
}

TEST(SyslogParse, EmbeddedNulsAndInvalidUtf8Kept) {
  ScopedTz tz("UTC");
  const std::string_view text = "a\0b\xFF\xC0\x80\xED\xA0\x80 \xF8 z"sv;
  const std::string in3164 = "<13>Nov  4 12:34:56 tag[1]: " + std::string(text);
  ParsedMessage m = parse_checked(in3164);
  EXPECT_EQ(m.app_name, "tag");
  EXPECT_EQ(m.message, text);
  const std::string in5424 = "<14>1 - h a p m - " + std::string(text);
  m = parse_checked(in5424);
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.message, text);
  m = parse_checked(text);
  EXPECT_EQ(m.grammar, Grammar::unparsed);
  EXPECT_EQ(m.message, text);
  // A NUL inside the header stops it being one, and is kept.
  m = parse_checked("<13>Nov  4 12:34:56 ta\0g: x"sv);
  EXPECT_TRUE(m.app_name.empty());
  EXPECT_EQ(m.message, "ta\0g: x"sv);
}

TEST(SyslogParse, LargeMessage) {
  const std::string body(64 * 1024, 'x');
  const std::string in5424 = "<14>1 2026-11-24T20:00:00Z h a p m - " + body + "\n";
  ParsedMessage m = parse_checked(in5424);
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.message.size(), body.size());
  EXPECT_EQ(m.message, body);
  const std::string in3164 = "<13>tag[1]: " + body;
  m = parse_checked(in3164);
  EXPECT_EQ(m.message.size(), body.size());
  m = parse_checked(body);
  EXPECT_EQ(m.message.size(), body.size());
}

TEST(SyslogParse, ViewsPointIntoDatagram) {
  ScopedTz tz("UTC");
  // Absent fields too, so a consumer may memcpy from any .data().
  for (std::string_view in :
       {"<13>Nov  4 12:34:56 tag[1]: msg"sv, "<14>x"sv, "x"sv, "<14>1 - - - - - -"sv}) {
    SCOPED_TRACE(in);
    const ParsedMessage m = parse(in, kNow);
    for (std::string_view v :
         {m.hostname, m.app_name, m.procid, m.msgid, m.structured_data, m.message}) {
      EXPECT_NE(v.data(), nullptr);
      EXPECT_TRUE(within(v, in));
    }
  }
}

// ---- robustness ----

// Every prefix, each in its own heap buffer of exactly that size so ASan sees any overread.
void check_every_prefix(std::string_view full) {
  for (size_t n = 0; n <= full.size(); ++n) {
    SCOPED_TRACE(n);
    const std::vector<char> buf(full.begin(), full.begin() + static_cast<ptrdiff_t>(n));
    parse_checked(std::string_view(buf.data(), buf.size()));
  }
}

TEST(SyslogParse, TruncatedRfc5424AtEveryLength) {
  ScopedTz tz("UTC");
  const std::string full =
      "<165>1 2026-11-24T21:00:00.123456+01:00 host app 42 ID47 "
      "[a@1 k=\"x\\\"]y\\\\\" k2=\"v\"][b@2] \xEF\xBB\xBFmsg\n";
  check_every_prefix(full);
  // The full message is still fully parsed.
  const ParsedMessage m = parse_checked(full);
  EXPECT_EQ(m.grammar, Grammar::rfc5424);
  EXPECT_EQ(m.message, "msg");
}

TEST(SyslogParse, TruncatedRfc3164AtEveryLength) {
  ScopedTz tz("UTC");
  check_every_prefix("<13>Nov  4 12:34:56 host prog[1234]: msg\0"sv);
  check_every_prefix("<13>2026-11-24T21:00:00.5-01:00 prog: msg\n"sv);
  // A prefix that still holds a whole header parses as one.
  const ParsedMessage m = parse_checked("<13>Nov  4 12:34:56 host prog[1234]:");
  EXPECT_EQ(m.hostname, "host");
  EXPECT_EQ(m.procid, "1234");
  EXPECT_TRUE(m.message.empty());
}

TEST(SyslogParse, Garbage) {
  ScopedTz tz("UTC");
  // Bytes biased towards syntax so that random inputs get deep into the grammars.
  const std::string_view syntax = "<>0123456789 -:[]\"=\\TZ+.1\n\0NovDecJan"sv;
  std::mt19937 rng(12345);  // fixed: the same inputs every run
  for (int round = 0; round < 20000; ++round) {
    const size_t len = rng() % 120;
    std::vector<char> buf(len);
    for (char& c : buf) {
      c = rng() % 3 == 0 ? static_cast<char>(rng()) : syntax[rng() % syntax.size()];
    }
    // Start most with a valid PRI and a grammar's opening.
    static constexpr std::string_view kOpenings[] = {"<14>1 ", "<13>Nov  4 ", "<14>", "<165>1 - "};
    std::string_view opening = kOpenings[rng() % 4];
    if (rng() % 4 != 0 && buf.size() >= opening.size()) {
      std::copy(opening.begin(), opening.end(), buf.begin());
    }
    parse_checked(std::string_view(buf.data(), buf.size()), static_cast<int64_t>(rng()) * kSec);
    if (testing::Test::HasFailure()) break;
  }
}

TEST(SyslogParse, ExtremeNow) {
  ScopedTz tz("UTC");
  for (int64_t now : {INT64_MIN, INT64_MAX, int64_t{0}, int64_t{-1}}) {
    SCOPED_TRACE(now);
    const ParsedMessage m = parse_checked("<13>Dec 31 23:59:59 t: m", now);
    EXPECT_EQ(m.message, m.has_timestamp ? "m" : "Dec 31 23:59:59 t: m");
  }
}

}  // namespace
}  // namespace sluice::syslog
