// The syslog parser on what is not quite syslog: PRI values, missing parts, NULs, truncation,
// garbage.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "tests/inputs/devlog/syslog_parse_checks.h"

namespace sluice::syslog {
namespace {

using namespace std::string_view_literals;

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
