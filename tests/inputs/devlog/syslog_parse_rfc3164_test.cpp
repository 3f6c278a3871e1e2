// The syslog parser on RFC 3164 as real senders write it: glibc, hostnames, tags, years, zones.
#include <gtest/gtest.h>

#include "tests/inputs/devlog/syslog_parse_checks.h"

namespace sluice::syslog {
namespace {

using namespace std::string_view_literals;

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
  // Every digit in every place of the time.
  const ParsedMessage late = parse_checked("<13>Nov  4 19:59:60 t: m");
  EXPECT_EQ(late.timestamp_ns, (k20261104T123456 + 7 * 3600 + 25 * 60 + 4) * kSec);
  const ParsedMessage early = parse_checked("<13>Nov  4 08:07:09 t: m");
  EXPECT_EQ(early.timestamp_ns, (k20261104T123456 - 4 * 3600 - 27 * 60 - 47) * kSec);
}

TEST(SyslogParse, Rfc3164InvalidTimestampIsText) {
  ScopedTz tz("UTC");
  const std::string_view bad[] = {
      "Nov 31 12:00:00 t: m",    "Nov  0 12:00:00 t: m",  "Nov  4 24:00:00 t: m",
      "nov  4 12:00:00 t: m",    "Nov   4 12:00:00 t: m", "Nov  4 12:00 t: m",
      "Nov  4 12:00:00:00 t: m", "Nox  4 12:00:00 t: m",  "Nov  4 12:0x:00 t: m",
      "Nov  4 1x:00:00 t: m",    "Nov  4 12:00:/0 t: m",  "Nov  4 12-00:00 t: m",
      "Nov  4 12:00-00 t: m",    "Nov  4 1:00:00 t: m",   "Nov  4 12:60:00 t: m",
      "Nov  4 12:00:61 t: m",    "Nov  4 12:00:0",
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

}  // namespace
}  // namespace sluice::syslog
