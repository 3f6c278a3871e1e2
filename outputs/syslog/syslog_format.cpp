#include "outputs/syslog/syslog_format.h"

#include <cstring>
#include <ctime>
#include <iterator>
#include <string>

namespace sluice::syslog {
namespace {

// Exactly `width` digits at p.
void put_digits(char* p, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

// Two decimal digits at p, v < 100: a table lookup instead of two divisions.
void put_pair(char* p, uint64_t v) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  std::memcpy(p, kPairs + 2 * v, 2);
}

// Writes into room sized beforehand (message_bound): no capacity check or call per piece,
// which is most of what formatting costs when every record is a few dozen pieces.
struct Writer {
  char* p;
  bool escape_lf;  // LF framing: an LF inside would end the frame early

  void put(char c) { *p++ = c; }
  void put(std::string_view s) {
    if (s.empty()) return;
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
  // Text that may hold an LF: escaped the way rsyslog does when LF ends the frame.
  void put_text(std::string_view s) {
    while (escape_lf && !s.empty()) {
      const void* lf = std::memchr(s.data(), '\n', s.size());
      if (!lf) break;
      const size_t n = static_cast<size_t>(static_cast<const char*>(lf) - s.data());
      put(s.substr(0, n));
      put("#012");
      s.remove_prefix(n + 1);
    }
    put(s);
  }
  // Its width by comparisons, then two digits per division, from the end.
  void put_uint(uint64_t v) {
    int width = 1;
    for (uint64_t bound = 10; width < 20 && v >= bound; bound *= 10) ++width;
    char* end = p + width;
    p = end;
    for (; v >= 100; v /= 100) put_pair(end -= 2, v % 100);
    if (v >= 10) {
      put_pair(end - 2, v);
    } else {
      end[-1] = static_cast<char>('0' + v);
    }
  }
  void put_digits(uint64_t v, int width) {
    ::sluice::syslog::put_digits(p, v, width);
    p += width;
  }
};

constexpr size_t kRfc3339Size = 27;  // "2026-11-24T21:00:00.123456Z"

// The text of ns, in the second sec whose calendar part ("2026-11-24T21:00:00") is given.
void put_rfc3339_in(char* p, int64_t ns, int64_t sec, const char (&calendar)[19]) {
  std::memcpy(p, calendar, sizeof calendar);
  const uint64_t us = static_cast<uint64_t>(ns - sec * 1000000000) / 1000;
  p[19] = '.';
  put_pair(p + 20, us / 10000);
  put_pair(p + 22, us / 100 % 100);
  put_pair(p + 24, us % 100);
  p[26] = 'Z';
}

// Each record formats two times (the event's and the receive time) that differ in a run, so
// the caches have two slots each. Whole texts: the records of one read share their receive
// time, an RFC 3164 sender's records of one second their event time. Else the calendar part,
// per second.
void put_rfc3339(Writer& w, int64_t ns) {
  struct Text {
    int64_t ns = INT64_MIN;
    char text[kRfc3339Size];
  };
  struct Calendar {
    int64_t second = INT64_MIN;
    char text[19];
  };
  thread_local Text texts[2];
  thread_local Calendar calendars[2];
  thread_local unsigned next_text = 0, next_calendar = 0;
  Text* t = texts[0].ns == ns ? &texts[0] : texts[1].ns == ns ? &texts[1] : nullptr;
  if (!t) {
    const int64_t sec = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
    Calendar* c = calendars[0].second == sec   ? &calendars[0]
                  : calendars[1].second == sec ? &calendars[1]
                                               : nullptr;
    if (!c) {
      c = &calendars[next_calendar++ % 2];
      time_t tt = static_cast<time_t>(sec);
      tm tm;
      gmtime_r(&tt, &tm);
      char* p = c->text;
      put_digits(p, static_cast<uint64_t>(tm.tm_year + 1900) % 10000, 4);
      p[4] = '-';
      put_digits(p + 5, tm.tm_mon + 1, 2);
      p[7] = '-';
      put_digits(p + 8, tm.tm_mday, 2);
      p[10] = 'T';
      put_digits(p + 11, tm.tm_hour, 2);
      p[13] = ':';
      put_digits(p + 14, tm.tm_min, 2);
      p[16] = ':';
      put_digits(p + 17, tm.tm_sec, 2);
      c->second = sec;
    }
    t = &texts[next_text++ % 2];
    put_rfc3339_in(t->text, ns, sec, c->text);
    t->ns = ns;
  }
  std::memcpy(w.p, t->text, kRfc3339Size);
  w.p += kRfc3339Size;
}

// RFC 5424 header fields: printable US-ASCII without space, bounded, "-" when empty. Short:
// copied byte by byte, what is not printable mended on the way.
void put_field(Writer& w, std::string_view v, size_t max) {
  if (v.empty()) return w.put('-');
  if (v.size() > max) v = v.substr(0, max);
  for (const char c : v) w.put(c <= 32 || c >= 127 ? '_' : c);
}

// SD-NAME characters: printable ASCII except '=', ']', '"' and space.
bool valid_sd_name_char(char c) { return c > 32 && c < 127 && c != '=' && c != ']' && c != '"'; }

// The sender's structured data is forwarded only when it is well formed, so that the whole
// message stays valid RFC 5424; otherwise it is dropped from the header and kept in MSG.
bool valid_sd(std::string_view sd) {
  size_t i = 0;
  auto name = [&] {
    size_t start = i;
    while (i < sd.size() && valid_sd_name_char(sd[i])) ++i;
    return i > start && i - start <= 32;
  };
  if (sd.empty()) return false;
  while (i < sd.size()) {
    if (sd[i++] != '[' || !name()) return false;
    while (i < sd.size() && sd[i] == ' ') {
      ++i;
      if (!name() || i + 1 >= sd.size() || sd[i] != '=' || sd[i + 1] != '"') return false;
      i += 2;
      while (i < sd.size() && sd[i] != '"') i += (sd[i] == '\\') ? 2 : 1;
      if (i >= sd.size()) return false;
      ++i;
    }
    if (i >= sd.size() || sd[i++] != ']') return false;
  }
  return true;
}

// An SD-PARAM: '"', '\' and ']' are escaped in its value. Values are short (names, ids):
// one pass that copies and escapes costs less than finding the runs and copying them.
void put_param(Writer& w, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  w.put(' ');
  w.put(name);
  w.put("=\"");
  for (const char c : value) {
    if (c == '"' || c == '\\' || c == ']') {
      w.put('\\');
    } else if (c == '\n' && w.escape_lf) {
      w.put("#012");
      continue;
    }
    w.put(c);
  }
  w.put('"');
}

void put_source_params(Writer& w, const SourceMeta& m) {
  put_param(w, "input", m.input);
  put_param(w, "container_id", m.container_id);
  put_param(w, "container_name", m.container_name);
  put_param(w, "image", m.image);
  put_param(w, "marathon_app_id", m.marathon_app_id);
  put_param(w, "mesos_task_id", m.mesos_task_id);
}

// The source's parameters are the same for all its records: formatted once per source (and
// framing), found again by the metadata's id. Escaping them took more than the rest of the SD.
void put_source_params_cached(Writer& w, const SourceMeta& m) {
  if (m.id == 0) return put_source_params(w, m);
  struct Formatted {
    uint64_t id = 0;
    bool escape_lf = false;
    std::string text;
  };
  thread_local Formatted cache[8];  // by id: containers' records interleave
  Formatted& f = cache[m.id % std::size(cache)];
  if (f.id == m.id && f.escape_lf == w.escape_lf) return w.put(f.text);
  char* const start = w.p;
  put_source_params(w, m);
  f.text.assign(start, static_cast<size_t>(w.p - start));
  f.id = m.id;
  f.escape_lf = w.escape_lf;
}

// The agent's metadata, under the documentation enterprise number (RFC 5612), up to the
// receive time's value.
void put_meta_head(Writer& w, const Record& r) {
  w.put("[sluice@32473");
  if (r.meta) put_source_params_cached(w, *r.meta);
  if (r.stream != Stream::none) {
    put_param(w, "stream", r.stream == Stream::stdout_stream ? "stdout" : "stderr");
  }
  // Digits and a timestamp need no escaping: written in place.
  if (r.pid) {
    w.put(" pid=\"");
    w.put_uint(r.pid);
    w.put('"');
  }
  w.put(" received=\"");
}

void put_pri(Writer& w, const Record& r) {
  w.put('<');
  w.put_uint(r.facility * 8u + r.severity);
  w.put('>');
}

// An RFC 5424 header from PRI to the receive time: "<14>1 TIME HOST APP PROCID MSGID SD
// [sluice@32473 ... received=\"". SD the sender got wrong is left out, for MSG to keep.
void put_5424_head(Writer& w, const Record& r, std::string_view host, bool sd_valid) {
  put_pri(w, r);
  w.put("1 ");
  put_rfc3339(w, r.event_ns);
  w.put(' ');
  put_field(w, host, 255);
  w.put(' ');
  put_field(w, r.app_name, 48);
  w.put(' ');
  put_field(w, r.procid, 128);
  w.put(' ');
  put_field(w, r.msgid, 32);
  w.put(' ');
  if (sd_valid) w.put_text(r.structured_data);
  put_meta_head(w, r);
}

// Consecutive records of one sender mostly share all that comes before their receive time: an
// RFC 3164 sender stamps whole seconds. The last such head is kept with what it was made of,
// once a sender's event time repeats: records that each have their own time (a container's),
// or senders taking turns, would only pay for keeping it.
class Heads {
 public:
  void put(Writer& w, const Record& r, std::string_view host, bool& sd_valid) {
    const uint64_t source = r.meta ? r.meta->id : 0;
    if (!text_.empty() && matches(r, source, host, w.escape_lf)) {
      sd_valid = sd_valid_;
      return w.put(text_);
    }
    sd_valid = valid_sd(r.structured_data);
    char* const start = w.p;
    put_5424_head(w, r, host, sd_valid);
    const bool repeats = r.event_ns == last_.event_ns && source == last_.source &&
                         r.pid == last_.pid && (source != 0 || r.meta == nullptr);
    last_ = {r.event_ns, source, r.pid};
    if (!repeats) {
      text_.clear();
      return;
    }
    text_.assign(start, static_cast<size_t>(w.p - start));
    event_ns_ = r.event_ns;
    source_ = source;
    pid_ = r.pid;
    facility_ = r.facility;
    severity_ = r.severity;
    stream_ = r.stream;
    escape_lf_ = w.escape_lf;
    sd_valid_ = sd_valid;
    host_ = host;
    app_name_ = r.app_name;
    procid_ = r.procid;
    msgid_ = r.msgid;
    structured_data_ = r.structured_data;
  }

 private:
  // Only a source with an id (or none) is kept: metadata without one may change under it.
  bool matches(const Record& r, uint64_t source, std::string_view host, bool escape_lf) const {
    return r.event_ns == event_ns_ && source == source_ && (source != 0 || r.meta == nullptr) &&
           r.pid == pid_ && r.facility == facility_ && r.severity == severity_ &&
           r.stream == stream_ && escape_lf == escape_lf_ && same(host, host_) &&
           same(r.app_name, app_name_) && same(r.procid, procid_) && same(r.msgid, msgid_) &&
           same(r.structured_data, structured_data_);
  }

  // string_view's == compares by a call that then calls memcmp: twice the cost, here.
  static bool same(std::string_view a, const std::string& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
  }

  struct Sender {
    int64_t event_ns = INT64_MIN;
    uint64_t source = 0;
    uint32_t pid = 0;
  };
  Sender last_;       // the last record's, kept or not
  std::string text_;  // empty: nothing kept
  int64_t event_ns_ = 0;
  uint64_t source_ = 0;
  uint32_t pid_ = 0;
  uint8_t facility_ = 0, severity_ = 0;
  Stream stream_ = Stream::none;
  bool escape_lf_ = false, sd_valid_ = false;
  std::string host_, app_name_, procid_, msgid_, structured_data_;
};

void put_rfc3164_time(Writer& w, int64_t ns) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(ns / 1000000000);
  tm tm;
  localtime_r(&t, &tm);
  w.put(kMonths[tm.tm_mon]);
  w.put(' ');
  if (tm.tm_mday < 10) w.put(' ');
  w.put_uint(static_cast<uint64_t>(tm.tm_mday));
  w.put(' ');
  w.put_digits(static_cast<uint64_t>(tm.tm_hour), 2);
  w.put(':');
  w.put_digits(static_cast<uint64_t>(tm.tm_min), 2);
  w.put(':');
  w.put_digits(static_cast<uint64_t>(tm.tm_sec), 2);
}

constexpr size_t kLengthRoom = 10;  // octet counting's "LEN SP", before the frame

}  // namespace

size_t message_bound(const Record& r, const FormatOptions& o) {
  // The fixed pieces and bounded fields take fewer than 700 bytes; text may grow fourfold
  // (an LF escaped as "#012"), a parameter's value at most that.
  size_t text = r.structured_data.size() + r.message.size();
  if (r.meta) {
    text += r.meta->input.size() + r.meta->container_id.size() + r.meta->container_name.size() +
            r.meta->image.size() + r.meta->marathon_app_id.size() + r.meta->mesos_task_id.size();
  }
  const std::string_view host = r.hostname.empty() ? std::string_view(o.hostname) : r.hostname;
  return 700 + std::min<size_t>(host.size(), 255) + 4 * text;
}

size_t format_message(const Record& r, const FormatOptions& o, char* out, bool& cut) {
  Writer w{out, o.framing == Framing::lf};
  if (o.framing == Framing::octet_counting) w.p += kLengthRoom;
  char* const msg_start = w.p;
  const std::string_view host = r.hostname.empty() ? std::string_view(o.hostname) : r.hostname;
  std::string_view sd_kept_in_msg;
  if (o.format == Format::rfc5424) {
    thread_local Heads heads;
    bool sd_valid;
    heads.put(w, r, host, sd_valid);
    if (!sd_valid) sd_kept_in_msg = r.structured_data;
    put_rfc3339(w, r.receive_ns);
    w.put("\"]");
  } else {
    put_pri(w, r);
    put_rfc3164_time(w, r.event_ns);
    w.put(' ');
    put_field(w, host, 255);
    w.put(' ');
    put_field(w, r.app_name.empty() ? std::string_view("-") : r.app_name, 32);
    if (!r.procid.empty()) {
      w.put('[');
      put_field(w, r.procid, 128);
      w.put(']');
    }
    w.put(':');
  }
  std::string_view msg = r.message;
  cut = false;
  if (o.max_message_bytes && msg.size() + sd_kept_in_msg.size() > o.max_message_bytes) {
    cut = true;
    const size_t room = o.max_message_bytes > sd_kept_in_msg.size()
                            ? o.max_message_bytes - sd_kept_in_msg.size()
                            : 0;
    msg = msg.substr(0, room);
  }
  if (!sd_kept_in_msg.empty() || !msg.empty()) w.put(' ');
  if (!sd_kept_in_msg.empty()) {
    w.put_text(sd_kept_in_msg);
    w.put(' ');
  }
  w.put_text(msg);
  if (o.framing == Framing::lf) w.put('\n');
  if (o.framing != Framing::octet_counting) return static_cast<size_t>(w.p - out);
  // "LEN SP" goes right before the frame; then the whole moves to the front of the room.
  const size_t frame = static_cast<size_t>(w.p - msg_start);
  char len[kLengthRoom];
  Writer lw{len, false};
  lw.put_uint(frame);
  lw.put(' ');
  const size_t prefix = static_cast<size_t>(lw.p - len);
  std::memmove(out + prefix, msg_start, frame);
  std::memcpy(out, len, prefix);
  return prefix + frame;
}

bool append_message(const Record& r, const FormatOptions& o, std::string& out) {
  const size_t start = out.size();
  out.resize(start + message_bound(r, o));
  bool cut;
  out.resize(start + format_message(r, o, out.data() + start, cut));
  return cut;
}

}  // namespace sluice::syslog
