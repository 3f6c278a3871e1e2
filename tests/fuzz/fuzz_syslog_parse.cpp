// The /dev/log datagram parser, and what the agent makes of its result: the syslog output's
// RFC 5424 and RFC 3164 messages and the ECS JSON document. Input: one datagram.
#include <rapidjson/document.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "agent/encode/ecs_json.h"
#include "agent/record.h"
#include "agent/time/calendar.h"
#include "inputs/devlog/syslog_parse.h"
#include "outputs/syslog/syslog_format.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace sluice;
using std::string_view;

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1794400496 * kSec;      // 2026-11-11T12:34:56Z
constexpr int64_t kNewYear = 1798761630 * kSec;  // 2027-01-01T00:00:30Z: 3164 year rollover
constexpr int64_t kMaxNs = (calendar::kMaxSec + 1) * kSec;

bool inside(string_view part, string_view whole) {
  const std::less_equal<const char*> le;
  return le(whole.data(), part.data()) &&
         le(part.data() + part.size(), whole.data() + whole.size());
}

bool printable(string_view s) {
  for (unsigned char c : s) {
    if (c < 33 || c > 126) return false;
  }
  return true;
}

// Independent of the encoder's own check: well-formed UTF-8, no overlongs or surrogates.
bool valid_utf8(string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0, n = s.size(); i < n;) {
    const unsigned c = p[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

size_t stripped_size(string_view d) {
  size_t n = d.size();
  while (n > 0 && (d[n - 1] == '\n' || d[n - 1] == '\0')) --n;
  return n;
}

void check_parsed(const syslog::ParsedMessage& m, string_view d) {
  const size_t n = stripped_size(d);
  // Every view lies in the datagram; header fields come in order before the message, and the
  // message runs to the end of the datagram (less its LF/NUL trailer): no byte is lost.
  const char* cursor = d.data();
  for (string_view f : {m.hostname, m.app_name, m.procid, m.msgid, m.structured_data}) {
    FUZZ_CHECK(inside(f, d));
    if (f.empty()) continue;
    FUZZ_CHECK(std::less_equal<const char*>()(cursor, f.data()));
    cursor = f.data() + f.size();
  }
  FUZZ_CHECK(inside(m.message, d));
  FUZZ_CHECK(std::less_equal<const char*>()(cursor, m.message.data()));
  FUZZ_CHECK(m.message.data() + m.message.size() == d.data() + n);
  FUZZ_CHECK(m.facility < 24 && m.severity < 8);
  FUZZ_CHECK(m.hostname.size() <= 255 && m.app_name.size() <= 48);
  FUZZ_CHECK(m.procid.size() <= 128 && m.msgid.size() <= 32);
  for (string_view f : {m.hostname, m.app_name, m.procid, m.msgid}) FUZZ_CHECK(printable(f));
  if (m.grammar == syslog::Grammar::unparsed) {
    FUZZ_CHECK(m.message.size() == n && m.facility == 1 && m.severity == 5 && !m.has_timestamp);
  }
  if (!m.structured_data.empty()) {
    FUZZ_CHECK(m.grammar == syslog::Grammar::rfc5424);
    FUZZ_CHECK(m.structured_data.front() == '[' && m.structured_data.back() == ']');
  }
  if (m.has_timestamp) FUZZ_CHECK(m.timestamp_ns < kMaxNs && m.timestamp_ns > -kMaxNs);
}

// What append_rfc3339 keeps of a timestamp: whole microseconds, rounded down.
int64_t to_micros(int64_t ns) {
  const int64_t sec = calendar::floor_div(ns, kSec);
  return sec * kSec + (ns - sec * kSec) / 1000 * 1000;
}

// The frame as sent; for octet counting, checks "LEN SP" and that LEN is the frame's size.
string_view unframe(string_view out, syslog::Framing framing) {
  if (framing == syslog::Framing::octet_counting) {
    const size_t sp = out.find(' ');
    FUZZ_CHECK(sp != string_view::npos && sp > 0 && out[0] != '0');
    size_t len = 0;
    for (size_t i = 0; i < sp; ++i) {
      FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
      len = len * 10 + (out[i] - '0');
    }
    FUZZ_CHECK(len == out.size() - sp - 1);
    return out.substr(sp + 1);
  }
  if (framing == syslog::Framing::lf) {
    // One frame: the only LF is the one that ends it.
    FUZZ_CHECK(!out.empty() && out.find('\n') == out.size() - 1);
    return out.substr(0, out.size() - 1);
  }
  return out;
}

bool same_view(string_view a, string_view b) {
  return a.data() == b.data() && a.size() == b.size();
}

// The parser that remembers a header gives what parse() gives for any datagram after it: this
// one again, shorter, longer, or changed at its end.
void check_memo(string_view d) {
  std::string variants[] = {std::string(d),
                            std::string(d) + " tail",
                            std::string(d.substr(0, d.size() / 2)),
                            std::string(d.substr(0, d.size() ? d.size() - 1 : 0)),
                            std::string(d) + "\n",
                            std::string(d)};
  if (!d.empty()) variants[5].back() ^= 0x20;
  for (const std::string& e : variants) {
    syslog::Parser parser;
    parser.parse(d, kNow);
    const syslog::ParsedMessage got = parser.parse(e, kNow), want = syslog::parse(e, kNow);
    FUZZ_CHECK(got.grammar == want.grammar && got.facility == want.facility &&
               got.severity == want.severity && got.has_timestamp == want.has_timestamp &&
               got.timestamp_ns == want.timestamp_ns);
    FUZZ_CHECK(same_view(got.hostname, want.hostname) && same_view(got.app_name, want.app_name) &&
               same_view(got.procid, want.procid) && same_view(got.msgid, want.msgid) &&
               same_view(got.structured_data, want.structured_data) &&
               same_view(got.message, want.message));
  }
}

void check_format(const Record& r) {
  for (auto format : {syslog::Format::rfc5424, syslog::Format::rfc3164}) {
    for (auto framing :
         {syslog::Framing::octet_counting, syslog::Framing::lf, syslog::Framing::none}) {
      for (size_t max : {size_t{0}, size_t{7}}) {
        syslog::FormatOptions o{format, framing, "fuzzhost", max};
        std::string out = "prefix";  // appends: what is there stays
        const bool cut = syslog::append_message(r, o, out);
        // Formatted again, the same record's head is kept, then served: the same text.
        for (int again = 0; again < 2; ++again) {
          std::string same = "prefix";
          FUZZ_CHECK(syslog::append_message(r, o, same) == cut && same == out);
        }
        FUZZ_CHECK(string_view(out).starts_with("prefix"));
        FUZZ_CHECK(cut == (max != 0 && r.message.size() > max));
        const string_view frame = unframe(string_view(out).substr(6), framing);
        const std::string pri = "<" + std::to_string(r.facility * 8 + r.severity) + ">";
        FUZZ_CHECK(frame.starts_with(pri));
        if (framing == syslog::Framing::lf) continue;
        FUZZ_CHECK(frame.ends_with(r.message.substr(0, max ? max : string_view::npos)));
        if (format != syslog::Format::rfc5424 || max) continue;
        // RFC 5424 output parses back to the same record (plus the agent's own SD element).
        // A leading BOM is RFC 5424's UTF-8 marker: a receiver drops it, so it cannot survive.
        const auto q = syslog::parse(frame, kNow);
        FUZZ_CHECK(q.grammar == syslog::Grammar::rfc5424);
        FUZZ_CHECK(q.facility == r.facility && q.severity == r.severity);
        FUZZ_CHECK(q.has_timestamp && q.timestamp_ns == to_micros(r.event_ns));
        // A field that is just "-" reads back as nil: RFC 5424 cannot say it otherwise.
        auto nil = [](string_view f) { return f == "-" ? string_view() : f; };
        FUZZ_CHECK(q.hostname == nil(r.hostname.empty() ? string_view("fuzzhost") : r.hostname));
        FUZZ_CHECK(q.app_name == nil(r.app_name) && q.procid == nil(r.procid));
        FUZZ_CHECK(q.msgid == r.msgid);
        FUZZ_CHECK(q.structured_data.starts_with(std::string(r.structured_data) + "[sluice@"));
        if (!r.message.starts_with("\xEF\xBB\xBF")) FUZZ_CHECK(q.message == r.message);
      }
    }
  }
}

void check_ecs_json(const Record& r) {
  std::string out;
  encode::append_ecs_json(r, "agent-host", out);
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(out.data(), out.size());
  FUZZ_CHECK(!d.HasParseError() && d.IsObject());
  auto str = [](const rapidjson::Value& v) {
    return string_view(v.GetString(), v.GetStringLength());
  };
  // @timestamp is RFC 3339 with nanoseconds: it reads back as the event time exactly.
  FUZZ_CHECK(d.HasMember("@timestamp") && d["@timestamp"].IsString());
  size_t i = 0;
  int64_t ts = 0;
  const string_view t = str(d["@timestamp"]);
  FUZZ_CHECK(calendar::parse_rfc3339(t, i, ts) && i == t.size() && ts == r.event_ns);
  FUZZ_CHECK(d.HasMember("message") == !r.message.empty());
  if (!r.message.empty()) {
    FUZZ_CHECK(d["message"].IsString());
    if (valid_utf8(r.message)) FUZZ_CHECK(str(d["message"]) == r.message);
  }
  const auto& syslog = d["log"]["syslog"];
  FUZZ_CHECK(syslog["facility"]["code"].GetInt() == r.facility);
  FUZZ_CHECK(syslog["severity"]["code"].GetInt() == r.severity);
  FUZZ_CHECK(syslog.HasMember("appname") == !r.app_name.empty());
  if (!r.app_name.empty()) FUZZ_CHECK(str(syslog["appname"]) == r.app_name);
  if (!r.structured_data.empty() && valid_utf8(r.structured_data)) {
    FUZZ_CHECK(str(syslog["structured_data"]) == r.structured_data);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // RFC 3164 timestamps are local time: a fixed zone with DST keeps runs reproducible.
  setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  tzset();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const string_view d(reinterpret_cast<const char*>(data), size);
  check_parsed(syslog::parse(d, kNewYear), d);
  const syslog::ParsedMessage p = syslog::parse(d, kNow);
  check_parsed(p, d);
  check_memo(d);

  static const SourceMeta meta{.input = "fuzz"};
  Record r = syslog::to_record(p, kNow);  // as the devlog input makes it
  r.pid = 4242;                           // credentials and metadata are the input's
  r.meta = &meta;
  check_format(r);
  check_ecs_json(r);
  return 0;
}
