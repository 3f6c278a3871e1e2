// In-place parsing of /dev/log datagrams. Runs for every datagram (~400k/s), so it scans by hand,
// never allocates and reads every byte at most a couple of times.
//
// Decisions worth knowing:
// - A datagram without a valid PRI (missing, "<192>", "<01>", ...) is kept whole as the message,
//   user.notice, grammar unparsed, even if a timestamp or tag follows. Every real sender on
//   /dev/log (glibc, logger, Python, systemd, Docker) sends a PRI, so one that does not is not
//   speaking syslog; guessing a header would risk moving words of its text into fields.
// - After a valid PRI, "1 " starts RFC 5424. If that header does not parse, the rest is read as
//   RFC 3164, which always succeeds (at worst everything after the PRI is the message).
// - RFC 5424 with valid header fields but malformed structured data keeps the header, an empty
//   SD, and everything from the SD position on as the message.
// - The message always runs to the end of the datagram (less trailing LF/NUL): no byte is lost,
//   a byte is either in a header field or in the message.
#include "inputs/devlog/syslog_parse.h"

#include <time.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "agent/time/calendar.h"

namespace sluice::syslog {
namespace {

using std::string_view;
using namespace calendar;

// RFC 5424 field limits; 48 is also the usual limit for an RFC 3164 TAG.
constexpr size_t kMaxHostname = 255;
constexpr size_t kMaxAppName = 48;
constexpr size_t kMaxProcId = 128;
constexpr size_t kMaxMsgId = 32;
constexpr size_t kMaxSdName = 32;

constexpr string_view kBom = "\xEF\xBB\xBF";

// s[b, e) without substr's range check: callers keep b <= e <= size.
string_view slice(string_view s, size_t b, size_t e) { return string_view(s.data() + b, e - b); }

// RFC 5424 PRINTUSASCII, what header fields are made of (excludes space).
constexpr bool is_print(int c) { return c >= 33 && c <= 126; }

// Month abbreviation at i, 1..12, or 0: its three bytes as one number, looked up in one
// switch rather than compared with each month's name in turn.
int month_at(string_view s, size_t i) {
  if (i + 3 > s.size()) return 0;
  constexpr auto key = [](const char* m) {
    return uint32_t{uint8_t(m[0])} << 16 | uint32_t{uint8_t(m[1])} << 8 | uint8_t(m[2]);
  };
  // clang-format off
  switch (key(s.data() + i)) {
    case key("Jan"): return 1;  case key("Feb"): return 2;  case key("Mar"): return 3;
    case key("Apr"): return 4;  case key("May"): return 5;  case key("Jun"): return 6;
    case key("Jul"): return 7;  case key("Aug"): return 8;  case key("Sep"): return 9;
    case key("Oct"): return 10; case key("Nov"): return 11; case key("Dec"): return 12;
    default: return 0;
  }
  // clang-format on
}

// Wall-clock seconds since the epoch (as if local time were UTC) for the year that puts
// month/day closest to now. Compared against now in UTC rather than local time: the difference
// (at most 14 h) only matters for timestamps half a year away. False when no nearby year has
// that day (Feb 29 with no leap year within one year).
// Messages in a burst share their second and the reader's clock: the last answer is kept.
bool closest_local_time(int mo, int d, int64_t sec_of_day, int64_t now_ns, int64_t& out) {
  const int64_t now_s = floor_div(now_ns, kNsPerSec);
  struct Last {
    int mo = 0, d = 0;
    int64_t sec_of_day = -1, now_s = 0, out = 0;
    bool found = false;
  };
  thread_local Last last;
  if (last.mo == mo && last.d == d && last.sec_of_day == sec_of_day && last.now_s == now_s) {
    out = last.out;
    return last.found;
  }
  const int64_t year = year_from_days(floor_div(now_s, kSecPerDay));
  bool found = false;
  int64_t best_distance = 0;
  for (int64_t y = year - 1; y <= year + 1; ++y) {
    if (d > days_in_month(y, mo)) continue;
    const int64_t t = days_from_civil(y, mo, d) * kSecPerDay + sec_of_day;
    const int64_t distance = t > now_s ? t - now_s : now_s - t;
    if (!found || distance < best_distance) {
      out = t;
      best_distance = distance;
      found = true;
    }
  }
  last = {mo, d, sec_of_day, now_s, found ? out : 0, found};
  return found;
}

int64_t utc_offset_at(int64_t utc) {
  const time_t t = static_cast<time_t>(utc);
  struct tm tm;
  return localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
}

struct LocalTimeCache {
  bool valid = false;
  int64_t local = 0;
  int64_t utc = 0;
  // The zone in force when computed: tzset() after a TZ change (tests do it) replaces these.
  const char* name_std = nullptr;
  const char* name_dst = nullptr;
  long zone = 0;
};

bool same_zone(const LocalTimeCache& c) {
  return c.name_std == tzname[0] && c.name_dst == tzname[1] && c.zone == ::timezone;
}

// Local wall-clock seconds to UTC seconds, as mktime would, without its struct tm normalising.
// localtime_r locks and searches the zone's transitions, so the last answer is kept: messages
// in a burst share their second.
int64_t local_to_utc(int64_t local) {
  thread_local LocalTimeCache cache;
  if (cache.valid && cache.local == local && same_zone(cache)) return cache.utc;
  // Second pass: the offset at the first guess may differ from the one at the answer (DST).
  int64_t utc = local - utc_offset_at(local);
  utc = local - utc_offset_at(utc);
  cache = {true, local, utc, tzname[0], tzname[1], ::timezone};
  return utc;
}

// "Mmm dd hh:mm:ss" (day as "dd", " d" or "d") in local time.
bool parse_bsd_timestamp(string_view s, size_t& i, int64_t now_ns, int64_t& ns) {
  size_t k = i;
  const int mo = month_at(s, k);
  if (mo == 0) return false;
  k += 3;
  if (!expect(s, k, ' ')) return false;
  expect(s, k, ' ');  // day padded with a space, as glibc does: "Nov  4"
  if (!is_digit(at(s, k))) return false;
  int d = s[k++] - '0';
  if (is_digit(at(s, k))) d = d * 10 + (s[k++] - '0');
  int64_t sec_of_day = 0;
  int64_t local = 0;
  if (d < 1 || !expect(s, k, ' ') || !read_time(s, k, sec_of_day) ||
      !closest_local_time(mo, d, sec_of_day, now_ns, local)) {
    return false;
  }
  const int64_t utc = local_to_utc(local);
  if (utc > kMaxSec || utc < -kMaxSec) return false;
  ns = utc * kNsPerSec;
  i = k;
  return true;
}

// The timestamp of an RFC 3164 header: BSD style, or RFC 3339 (rsyslog's high-precision
// format), followed by a space or the end.
bool read_3164_timestamp(string_view s, size_t& i, int64_t now_ns, int64_t& ns) {
  size_t k = i;
  if (!parse_bsd_timestamp(s, k, now_ns, ns) && !parse_rfc3339(s, k, ns)) return false;
  if (!expect(s, k, ' ') && k != s.size()) return false;
  i = k;
  return true;
}

// Bytes a TAG or a PID may hold: printable, but not ':', '[' or ']'. A table: testing each
// byte's four conditions was most of what parsing a tag cost.
constexpr std::array<bool, 256> kTagChars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<size_t>(c)] = is_print(c) && c != ':' && c != '[' && c != ']';
  }
  return t;
}();

// Where the run of tag bytes from i ends, looking at no more than max + 1 of them.
size_t tag_run(string_view s, size_t i, size_t max) {
  const size_t end = std::min(s.size(), i + max + 1);
  while (i < end && kTagChars[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

struct Tag {
  string_view app;
  string_view procid;
  size_t message = 0;  // where the message starts
};

// "TAG: ", "TAG[PID]: " or "TAG[PID] " (or the same ending the datagram). The space required
// after ':' keeps "http://x" or "12:30 ..." at the start of a tagless message from passing.
bool parse_tag(string_view s, size_t i, Tag& tag) {
  size_t k = tag_run(s, i, kMaxAppName);
  if (k == i || k - i > kMaxAppName) return false;
  const size_t app_end = k;
  size_t pid_begin = k, pid_end = k;
  if (expect(s, k, '[')) {
    pid_begin = k;
    k = tag_run(s, k, kMaxProcId);
    pid_end = k;
    if (k == pid_begin || k - pid_begin > kMaxProcId || !expect(s, k, ']')) return false;
    if (!expect(s, k, ':') && at(s, k) != ' ') return false;
  } else if (!expect(s, k, ':')) {
    return false;
  }
  if (!expect(s, k, ' ') && k != s.size()) return false;
  tag = {slice(s, i, app_end), slice(s, pid_begin, pid_end), k};
  return true;
}

// A hostname is only recognised by what follows it: a bare word may as well start a tagless
// message, so "host tag: msg" has one and "some words here" has none.
bool parse_host_and_tag(string_view s, size_t i, string_view& host, Tag& tag) {
  size_t k = i;
  while (k - i <= kMaxHostname && is_print(at(s, k)) && at(s, k) != '[') ++k;
  if (k == i || k - i > kMaxHostname || at(s, k) != ' ' || !parse_tag(s, k + 1, tag)) {
    return false;
  }
  host = slice(s, i, k);
  return true;
}

// RFC 3164 and what real senders make of it, after the PRI. Always succeeds.
void parse_3164(string_view s, size_t i, int64_t now_ns, ParsedMessage& m) {
  m.grammar = Grammar::rfc3164;
  int64_t ns = 0;
  if (read_3164_timestamp(s, i, now_ns, ns)) {
    m.has_timestamp = true;
    m.timestamp_ns = ns;
  }
  Tag tag;
  // Without a timestamp there is no hostname either: no sender puts one there.
  if (parse_tag(s, i, tag) || (m.has_timestamp && parse_host_and_tag(s, i, m.hostname, tag))) {
    m.app_name = tag.app;
    m.procid = tag.procid;
    i = tag.message;
  }
  m.message = slice(s, i, s.size());
}

// One RFC 5424 header field of 1..max_len PRINTUSASCII followed by a space; "-" is nil.
bool header_field(string_view s, size_t& i, size_t max_len, string_view& out) {
  const size_t b = i;
  size_t k = i;
  while (k - b <= max_len && is_print(at(s, k))) ++k;
  if (k == b || k - b > max_len || at(s, k) != ' ') return false;
  out = (k - b == 1 && s[b] == '-') ? slice(s, b, b) : slice(s, b, k);
  i = k + 1;
  return true;
}

// SD-NAME: 1..32 PRINTUSASCII except '=', ']', '"'.
bool sd_name(string_view s, size_t& i) {
  const size_t b = i;
  for (int c = at(s, i); is_print(c) && c != '=' && c != ']' && c != '"'; c = at(s, ++i)) {
  }
  return i > b && i - b <= kMaxSdName;
}

// End of the SD-ELEMENTs starting at i, or npos if malformed. A backslash escapes the next byte
// of a value, so \" \\ \] never end it.
size_t sd_end(string_view s, size_t i) {
  if (at(s, i) != '[') return string_view::npos;
  while (expect(s, i, '[')) {
    if (!sd_name(s, i)) return string_view::npos;
    while (expect(s, i, ' ')) {
      if (!sd_name(s, i) || !expect(s, i, '=') || !expect(s, i, '"')) return string_view::npos;
      for (;;) {
        if (i >= s.size()) return string_view::npos;
        const char c = s[i++];
        if (c == '"') break;
        if (c == '\\' && i < s.size()) ++i;
      }
    }
    if (!expect(s, i, ']')) return string_view::npos;
  }
  return i;
}

// STRUCTURED-DATA [SP MSG] at i, into m.
void parse_5424_body(string_view s, size_t i, ParsedMessage& m) {
  const size_t end = at(s, i) == '-' ? i + 1 : sd_end(s, i);
  if (end == string_view::npos || (at(s, end) != ' ' && end != s.size())) {
    // The header was good: keep it, and the rest verbatim as the message.
    m.message = slice(s, i, s.size());
    return;
  }
  if (at(s, i) != '-') m.structured_data = slice(s, i, end);
  string_view msg = slice(s, end == s.size() ? end : end + 1, s.size());
  if (msg.starts_with(kBom)) msg.remove_prefix(kBom.size());
  m.message = msg;
}

// RFC 5424 after the PRI; leaves m untouched unless the header up to the SD parses. The header
// is read into locals, not a copy of m: copying the message just stored stalls on the reads.
bool parse_5424(string_view s, size_t i, ParsedMessage& m) {
  if (!expect(s, i, '1') || !expect(s, i, ' ')) return false;
  int64_t ns = 0;
  const bool has_timestamp = !(at(s, i) == '-' && at(s, i + 1) == ' ');
  if (!has_timestamp) {
    i += 2;
  } else if (!parse_rfc3339(s, i, ns) || !expect(s, i, ' ')) {
    return false;
  }
  string_view host, app, procid, msgid;
  if (!header_field(s, i, kMaxHostname, host) || !header_field(s, i, kMaxAppName, app) ||
      !header_field(s, i, kMaxProcId, procid) || !header_field(s, i, kMaxMsgId, msgid)) {
    return false;
  }
  m.grammar = Grammar::rfc5424;
  m.has_timestamp = has_timestamp;
  m.timestamp_ns = ns;
  m.hostname = host;
  m.app_name = app;
  m.procid = procid;
  m.msgid = msgid;
  parse_5424_body(s, i, m);
  return true;
}

// "<PRI>": 0..191 in 1-3 digits, no leading zero (RFC 5424 6.2.1).
bool parse_pri(string_view s, size_t& i, ParsedMessage& m) {
  if (at(s, 0) != '<') return false;
  size_t k = 1;
  int v = 0;
  for (; k <= 3 && is_digit(at(s, k)); ++k) v = v * 10 + (s[k] - '0');
  if (k == 1 || at(s, k) != '>' || v > 191 || (k > 2 && s[1] == '0')) return false;
  m.facility = static_cast<uint8_t>(v >> 3);
  m.severity = static_cast<uint8_t>(v & 7);
  i = k + 1;
  return true;
}

// Trailing LFs and NULs (syslog(3) callers' "\n", Python's "\0", or both) are framing.
string_view strip_trailer(string_view s) {
  size_t n = s.size();
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\0')) --n;
  return slice(s, 0, n);
}

}  // namespace

ParsedMessage parse(std::string_view datagram, int64_t now_ns) {
  const string_view s = strip_trailer(datagram);
  // Absent fields still point into the datagram, so consumers may hand .data() to memcpy.
  // Every field is given here: zeroing the whole first (a string store) and reading it back
  // before the stores land stalled parsing by about half.
  const string_view none = slice(s, 0, 0);
  ParsedMessage m{.grammar = Grammar::unparsed,
                  .facility = 1,
                  .severity = 5,
                  .has_timestamp = false,
                  .timestamp_ns = 0,
                  .hostname = none,
                  .app_name = none,
                  .procid = none,
                  .msgid = none,
                  .structured_data = none,
                  .message = none};
  size_t i = 0;
  if (!parse_pri(s, i, m)) {
    m.message = s;
    return m;
  }
  if (!parse_5424(s, i, m)) parse_3164(s, i, now_ns, m);
  return m;
}

// Parsing an RFC 3164 header whose tag was found looks at no byte past the space that ends it,
// so a datagram that starts with the same bytes parses the same way, in the same second and
// zone. Other grammars and tagless messages are read in full every time.
bool Parser::remembers(std::string_view s, int64_t now_ns) const {
  return !header_.empty() && floor_div(now_ns, kNsPerSec) == now_s_ && zone_std_ == tzname[0] &&
         zone_dst_ == tzname[1] && zone_ == ::timezone && s.size() >= header_.size() &&
         std::memcmp(s.data(), header_.data(), header_.size()) == 0;
}

ParsedMessage Parser::remembered(std::string_view s) const {
  const string_view none = slice(s, 0, 0);
  return ParsedMessage{
      .grammar = Grammar::rfc3164,
      .facility = parsed_.facility,
      .severity = parsed_.severity,
      .has_timestamp = parsed_.has_timestamp,
      .timestamp_ns = parsed_.timestamp_ns,
      .hostname = slice(s, hostname_.begin, hostname_.begin + hostname_.size),
      .app_name = slice(s, app_name_.begin, app_name_.begin + app_name_.size),
      .procid = slice(s, procid_.begin, procid_.begin + procid_.size),
      .msgid = none,
      .structured_data = none,
      .message = slice(s, header_.size(), s.size()),
  };
}

ParsedMessage Parser::read_and_remember(std::string_view datagram, int64_t now_ns) {
  const ParsedMessage m = syslog::parse(datagram, now_ns);
  const string_view s = strip_trailer(datagram);
  const size_t header = static_cast<size_t>(m.message.data() - s.data());
  header_.clear();
  if (m.grammar != Grammar::rfc3164 || m.app_name.empty() || header == 0 || s[header - 1] != ' ') {
    return m;
  }
  header_.assign(s.data(), header);
  parsed_ = m;
  auto span = [&s](string_view v) {
    return Span{static_cast<size_t>(v.data() - s.data()), v.size()};
  };
  hostname_ = span(m.hostname);
  app_name_ = span(m.app_name);
  procid_ = span(m.procid);
  now_s_ = floor_div(now_ns, kNsPerSec);
  zone_std_ = tzname[0];
  zone_dst_ = tzname[1];
  zone_ = ::timezone;
  return m;
}

Record to_record(const ParsedMessage& p, int64_t receive_ns) {
  // Every field given, as in parse(): no zeroing of the whole to read back.
  return Record{.event_ns = p.has_timestamp ? p.timestamp_ns : receive_ns,
                .receive_ns = receive_ns,
                .facility = p.facility,
                .severity = p.severity,
                .stream = Stream::none,
                .pid = 0,
                .uid = 0,
                .gid = 0,
                .hostname = p.hostname,
                .app_name = p.app_name,
                .procid = p.procid,
                .msgid = p.msgid,
                .structured_data = p.structured_data,
                .message = p.message,
                .meta = nullptr};
}

ParsedMessage Parser::parse(std::string_view datagram, int64_t now_ns) {
  const string_view s = strip_trailer(datagram);
  return remembers(s, now_ns) ? remembered(s) : read_and_remember(datagram, now_ns);
}

// Each way returns on its own: joined, both parses went through memory to the record.
Record Parser::record(std::string_view datagram, int64_t receive_ns, Grammar& grammar) {
  const string_view s = strip_trailer(datagram);
  if (remembers(s, receive_ns)) {
    grammar = Grammar::rfc3164;
    return to_record(remembered(s), receive_ns);
  }
  const ParsedMessage p = read_and_remember(datagram, receive_ns);
  grammar = p.grammar;
  return to_record(p, receive_ns);
}

}  // namespace sluice::syslog
