#include "outputs/syslog/syslog_format.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace sluice::syslog {
namespace {

constexpr int64_t kT = 1764018000123456789;  // 2025-11-24T21:00:00.123456789Z

Record base() {
  Record r;
  r.event_ns = kT;
  r.receive_ns = kT + 1000000;
  r.facility = 4;
  r.severity = 2;
  r.app_name = "sshd";
  r.procid = "42";
  r.message = "hello";
  return r;
}

std::string format(const Record& r, FormatOptions o) {
  std::string out;
  append_message(r, o, out);
  return out;
}

TEST(SyslogFormat, Rfc5424WithAgentMetadata) {
  SourceMeta meta;
  meta.input = "local";
  meta.marathon_app_id = "/shop/web";
  Record r = base();
  r.meta = &meta;
  r.pid = 99;
  FormatOptions o;
  o.hostname = "node-7";
  o.framing = Framing::none;
  EXPECT_EQ(format(r, o),
            "<34>1 2025-11-24T21:00:00.123456Z node-7 sshd 42 - "
            "[sluice@32473 input=\"local\" marathon_app_id=\"/shop/web\" pid=\"99\" "
            "received=\"2025-11-24T21:00:00.124456Z\"] hello");
}

// PRI, pid and the octet count are written digit by digit, two at a time: every width.
TEST(SyslogFormat, NumbersOfEveryWidthAreWrittenWhole) {
  FormatOptions o;
  o.framing = Framing::none;
  for (const uint32_t pid : {1u, 9u, 10u, 99u, 100u, 101u, 4242u, 65535u, 4194304u, 4294967295u}) {
    Record r = base();
    r.pid = pid;
    const std::string m = format(r, o);
    EXPECT_NE(m.find(" pid=\"" + std::to_string(pid) + "\" "), std::string::npos) << m;
  }
  for (const auto& [facility, severity, pri] : {std::tuple{0, 0, "<0>"},
                                                {1, 1, "<9>"},
                                                {1, 2, "<10>"},
                                                {12, 3, "<99>"},
                                                {23, 7, "<191>"}}) {
    Record r = base();
    r.facility = static_cast<uint8_t>(facility);
    r.severity = static_cast<uint8_t>(severity);
    EXPECT_EQ(format(r, o).substr(0, std::string_view(pri).size() + 2), std::string(pri) + "1 ");
  }
  FormatOptions counted;
  counted.framing = Framing::octet_counting;
  for (const size_t size : {1, 9, 10, 99, 100, 1000, 10000}) {
    Record r = base();
    const std::string text(size, 'x');
    r.message = text;
    const std::string m = format(r, counted);
    const size_t space = m.find(' ');
    EXPECT_EQ(m.substr(0, space), std::to_string(m.size() - space - 1)) << size;
  }
}

// A source's parameters are cached by its metadata's id: named or not, sharing a cache slot
// with another source or not, framed with LF or not, each record reads as its own source's.
TEST(SyslogFormat, EachSourceKeepsItsOwnParameters) {
  auto meta = [](std::string name, uint64_t id) {
    SourceMeta m;
    m.id = id;
    m.input = "docker";
    m.container_name = std::move(name);
    m.image = "img\nwith a newline";
    return m;
  };
  const uint64_t id = SourceMeta::fresh_id() * 64;  // and id + 8: the same slot of eight
  const SourceMeta web = meta("web", id), db = meta("db", id + 8), unnamed = meta("web", 0);
  FormatOptions none, lf;
  none.framing = Framing::none;
  lf.framing = Framing::lf;
  auto sd_of = [](const SourceMeta& m, const FormatOptions& o) {
    Record r = base();
    r.meta = &m;
    const std::string out = format(r, o);
    return out.substr(out.find("[sluice@32473"), out.find(" received=") - out.find("[sluice"));
  };
  const std::string web_plain =
      "[sluice@32473 input=\"docker\" container_name=\"web\" image=\"img\nwith a newline\"";
  const std::string web_lf =
      "[sluice@32473 input=\"docker\" container_name=\"web\" image=\"img#012with a newline\"";
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(sd_of(web, none), web_plain);
    EXPECT_EQ(sd_of(db, none),
              "[sluice@32473 input=\"docker\" container_name=\"db\" image=\"img\nwith a newline\"");
    EXPECT_EQ(sd_of(web, lf), web_lf);
    EXPECT_EQ(sd_of(unnamed, none), web_plain);
    EXPECT_EQ(sd_of(web, none), web_plain);
  }
}

// What a record formats to with nothing kept from records before it: formatting keeps its
// caches per thread, so a new thread starts without them.
std::string format_alone(const Record& r, const FormatOptions& o) {
  std::string out;
  std::thread([&] { out = format(r, o); }).join();
  return out;
}

TEST(SyslogFormat, AKeptHeadServesOnlyTheRecordsItWasMadeOf) {
  SourceMeta shop, other, unnamed;
  shop.id = SourceMeta::fresh_id();
  shop.input = other.input = unnamed.input = "devlog";
  other.id = SourceMeta::fresh_id();
  other.container_name = "other";
  unnamed.container_name = "unnamed";
  shop.image = "img\nwith a newline";  // escaped with LF framing only
  Record kept = base();
  kept.meta = &shop;
  kept.pid = 42;
  std::vector<std::function<void(Record&)>> changes = {
      [](Record& r) { r.facility = 5; },
      [](Record& r) { r.severity = 3; },
      [](Record& r) { r.event_ns += 1000; },
      [](Record& r) { r.pid = 43; },
      [](Record& r) { r.pid = 0; },
      [](Record& r) { r.stream = Stream::stderr_stream; },
      [&](Record& r) { r.meta = &other; },
      [&](Record& r) { r.meta = &unnamed; },
      [](Record& r) { r.meta = nullptr; },
      [](Record& r) { r.hostname = "elsewhere"; },
      [](Record& r) { r.app_name = "cron"; },
      [](Record& r) { r.procid = "4"; },
      [](Record& r) { r.msgid = "ID7"; },
      [](Record& r) { r.structured_data = "[a b=\"c\"]"; },
      [](Record& r) { r.structured_data = "[not sd"; },
      [](Record& r) { r.receive_ns += 1000; },
      [](Record& r) { r.message = "other text"; },
  };
  for (const Framing framing : {Framing::none, Framing::lf}) {
    FormatOptions o;
    o.framing = framing;
    o.hostname = "agent-host";
    const std::string kept_text = format_alone(kept, o);
    for (const auto& change : changes) {
      for (int i = 0; i < 3; ++i) ASSERT_EQ(format(kept, o), kept_text);  // kept from the 2nd
      Record changed = kept;
      change(changed);
      const std::string want = format_alone(changed, o);
      EXPECT_NE(want, kept_text);
      EXPECT_EQ(format(changed, o), want);
      EXPECT_EQ(format(changed, o), want);  // and kept in its turn
    }
  }
  // The agent's own hostname stands in for a record's empty one.
  Record named = kept;
  named.hostname = "agent-host";
  FormatOptions o;
  o.hostname = "agent-host";
  format(kept, o);
  format(kept, o);
  FormatOptions lf = o;
  lf.framing = Framing::lf;
  EXPECT_EQ(format(kept, lf), format_alone(kept, lf));
  format(kept, o);
  format(kept, o);
  FormatOptions renamed = o;
  renamed.hostname = "renamed-host";
  EXPECT_EQ(format(kept, renamed), format_alone(kept, renamed));
  EXPECT_EQ(format(named, o), format_alone(kept, o));
}

TEST(SyslogFormat, EventAndReceiveTimesOfDifferentSecondsStayApart) {
  FormatOptions o;
  o.framing = Framing::none;
  for (int round = 0; round < 3; ++round) {  // the calendar cache holds both, then a third
    Record r = base();
    r.event_ns = kT - int64_t{86400} * 1000000000 * round;
    r.receive_ns = kT + 5000000000;
    const std::string m = format(r, o);
    const std::string event_day = round == 0 ? "24" : round == 1 ? "23" : "22";
    EXPECT_NE(m.find("<34>1 2025-11-" + event_day + "T21:00:00.123456Z "), std::string::npos) << m;
    EXPECT_NE(m.find("received=\"2025-11-24T21:00:05.123456Z\"]"), std::string::npos) << m;
  }
}

// The calendar part of a time is cached per second: instants a microsecond apart, or
// returning after others, still read as themselves.
TEST(SyslogFormat, TimesOfOneSecondEachKeepTheirFraction) {
  FormatOptions o;
  o.framing = Framing::none;
  const int64_t instants[] = {kT, kT + 1000, kT, kT + 999000, kT + 1000, kT - 1000000000};
  const char* texts[] = {"21:00:00.123456Z", "21:00:00.123457Z", "21:00:00.123456Z",
                         "21:00:00.124455Z", "21:00:00.123457Z", "20:59:59.123456Z"};
  for (size_t i = 0; i < std::size(instants); ++i) {
    Record r = base();
    r.event_ns = instants[i];
    r.receive_ns = instants[(i + 1) % std::size(instants)];
    const std::string m = format(r, o);
    EXPECT_NE(m.find(std::string("T") + texts[i] + " "), std::string::npos) << m;
    EXPECT_NE(m.find(std::string("T") + texts[(i + 1) % std::size(instants)] + "\"]"),
              std::string::npos)
        << m;
  }
}

TEST(SyslogFormat, OctetCountingCountsTheWholeMessage) {
  Record r = base();
  r.message = "two\nlines";
  FormatOptions o;
  o.hostname = "h";
  std::string out = format(r, o);
  const size_t space = out.find(' ');
  const size_t len = std::stoul(out.substr(0, space));
  EXPECT_EQ(len, out.size() - space - 1);
  EXPECT_EQ(out.substr(out.size() - 9), "two\nlines");
}

TEST(SyslogFormat, LfFramingEscapesEmbeddedNewlines) {
  Record r = base();
  r.message = "two\nlines";
  FormatOptions o;
  o.framing = Framing::lf;
  std::string out = format(r, o);
  EXPECT_EQ(out.substr(out.size() - 13), "two#012lines\n");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
}

TEST(SyslogFormat, HeaderFieldsAreMadeValid) {
  Record r = base();
  r.hostname = "bad host";
  r.app_name = std::string_view("a\x01pp");
  r.procid = "";
  const std::string long_msgid(40, 'M');
  r.msgid = long_msgid;
  FormatOptions o;
  o.framing = Framing::none;
  std::string out = format(r, o);
  EXPECT_NE(out.find(" bad_host a_pp - " + std::string(32, 'M') + " [sluice@32473"),
            std::string::npos)
      << out;
}

TEST(SyslogFormat, SenderStructuredDataIsKeptWhenValidAndMovedToMsgWhenNot) {
  Record r = base();
  r.structured_data = "[origin ip=\"10.0.0.1\"][x@1 a=\"b\\]c\"]";
  FormatOptions o;
  o.framing = Framing::none;
  std::string out = format(r, o);
  EXPECT_NE(out.find(" - [origin ip=\"10.0.0.1\"][x@1 a=\"b\\]c\"][sluice@32473"),
            std::string::npos)
      << out;
  r.structured_data = "[broken";
  out = format(r, o);
  EXPECT_NE(out.find("] [broken hello"), std::string::npos) << out;
}

TEST(SyslogFormat, ParamValuesAreEscaped) {
  SourceMeta meta;
  meta.container_name = "we\"ird]na\\me";
  meta.container_id = "abc";
  Record r = base();
  r.meta = &meta;
  FormatOptions o;
  o.framing = Framing::none;
  EXPECT_NE(format(r, o).find("container_name=\"we\\\"ird\\]na\\\\me\""), std::string::npos);
}

TEST(SyslogFormat, LongMessagesAreCutAndReported) {
  Record r = base();
  std::string big(1000, 'b');
  r.message = big;
  FormatOptions o;
  o.framing = Framing::none;
  o.max_message_bytes = 100;
  std::string out;
  EXPECT_TRUE(append_message(r, o, out));
  EXPECT_EQ(out.substr(out.size() - 101), " " + std::string(100, 'b'));
  out.clear();
  r.message = "short";
  EXPECT_FALSE(append_message(r, o, out));
}

TEST(SyslogFormat, Rfc3164) {
  setenv("TZ", "UTC", 1);
  tzset();
  Record r = base();
  FormatOptions o;
  o.format = Format::rfc3164;
  o.framing = Framing::lf;
  o.hostname = "node-7";
  EXPECT_EQ(format(r, o), "<34>Nov 24 21:00:00 node-7 sshd[42]: hello\n");
}

}  // namespace
}  // namespace sluice::syslog
