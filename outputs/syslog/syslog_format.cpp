#include "outputs/syslog/syslog_format.h"

#include <cstring>
#include <ctime>

namespace sluice::syslog {
namespace {

// Exactly `width` digits at p.
void put_digits(char* p, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

void append_digits(std::string& out, uint64_t v, int width) {
  char buf[20];
  put_digits(buf, v, width);
  out.append(buf, width);
}

void append_uint(std::string& out, uint64_t v) {
  char buf[20];
  int n = 0;
  do {
    buf[19 - n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  out.append(buf + 20 - n, n);
}

// "2026-11-24T21:00:00.123456Z". The calendar part is cached per second, in two slots because
// each record formats two times (the event's and the receive time) that differ in a run.
void append_rfc3339(std::string& out, int64_t ns) {
  struct Slot {
    int64_t second = INT64_MIN;
    char text[19];
  };
  thread_local Slot slots[2];
  thread_local unsigned next_slot = 0;
  const int64_t sec = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
  Slot* slot = slots[0].second == sec ? &slots[0] : slots[1].second == sec ? &slots[1] : nullptr;
  if (!slot) {
    slot = &slots[next_slot++ % 2];
    time_t t = static_cast<time_t>(sec);
    tm tm;
    gmtime_r(&t, &tm);
    char* p = slot->text;
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
    slot->second = sec;
  }
  char text[27];  // one append instead of one per piece
  std::memcpy(text, slot->text, 19);
  text[19] = '.';
  put_digits(text + 20, static_cast<uint64_t>(ns - sec * 1000000000) / 1000, 6);
  text[26] = 'Z';
  out.append(text, sizeof text);
}

// RFC 5424 header fields: printable US-ASCII without space, bounded, "-" when empty.
void append_field(std::string& out, std::string_view v, size_t max) {
  if (v.empty()) {
    out += '-';
    return;
  }
  if (v.size() > max) v = v.substr(0, max);
  const size_t start = out.size();
  out += v;  // then mend what is not printable, which is rare
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] <= 32 || out[i] >= 127) out[i] = '_';
  }
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

void append_param(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out += ' ';
  out += name;
  out += "=\"";
  // Runs without a character to escape go in whole.
  size_t run = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '"' && c != '\\' && c != ']') continue;
    out.append(value.data() + run, i - run).append(1, '\\');
    run = i;
  }
  value.remove_prefix(run);
  out += value;
  out += '"';
}

// The agent's metadata, under the documentation enterprise number (RFC 5612).
void append_meta(std::string& out, const Record& r) {
  out += "[sluice@32473";
  if (r.meta) {
    append_param(out, "input", r.meta->input);
    append_param(out, "container_id", r.meta->container_id);
    append_param(out, "container_name", r.meta->container_name);
    append_param(out, "image", r.meta->image);
    append_param(out, "marathon_app_id", r.meta->marathon_app_id);
    append_param(out, "mesos_task_id", r.meta->mesos_task_id);
  }
  if (r.stream != Stream::none) {
    append_param(out, "stream", r.stream == Stream::stdout_stream ? "stdout" : "stderr");
  }
  // Digits and a timestamp need no escaping: written in place.
  if (r.pid) {
    out += " pid=\"";
    append_uint(out, r.pid);
    out += '"';
  }
  out += " received=\"";
  append_rfc3339(out, r.receive_ns);
  out += "\"]";
}

void append_rfc3164_time(std::string& out, int64_t ns) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(ns / 1000000000);
  tm tm;
  localtime_r(&t, &tm);
  out += kMonths[tm.tm_mon];
  out += ' ';
  if (tm.tm_mday < 10) out += ' ';
  append_uint(out, tm.tm_mday);
  out += ' ';
  append_digits(out, tm.tm_hour, 2);
  out += ':';
  append_digits(out, tm.tm_min, 2);
  out += ':';
  append_digits(out, tm.tm_sec, 2);
}

}  // namespace

bool append_message(const Record& r, const FormatOptions& o, std::string& out) {
  const size_t frame_start = out.size();
  if (o.framing == Framing::octet_counting) out.append(10, ' ');  // room for the length
  const size_t msg_start = out.size();
  out += '<';
  append_uint(out, r.facility * 8u + r.severity);
  out += '>';
  const std::string_view host = r.hostname.empty() ? std::string_view(o.hostname) : r.hostname;
  std::string_view sd_kept_in_msg;
  if (o.format == Format::rfc5424) {
    out += "1 ";
    append_rfc3339(out, r.event_ns);
    out += ' ';
    append_field(out, host, 255);
    out += ' ';
    append_field(out, r.app_name, 48);
    out += ' ';
    append_field(out, r.procid, 128);
    out += ' ';
    append_field(out, r.msgid, 32);
    out += ' ';
    if (valid_sd(r.structured_data)) {
      out += r.structured_data;
    } else {
      sd_kept_in_msg = r.structured_data;
    }
    append_meta(out, r);
  } else {
    append_rfc3164_time(out, r.event_ns);
    out += ' ';
    append_field(out, host, 255);
    out += ' ';
    append_field(out, r.app_name.empty() ? std::string_view("-") : r.app_name, 32);
    if (!r.procid.empty()) {
      out += '[';
      append_field(out, r.procid, 128);
      out += ']';
    }
    out += ':';
  }
  std::string_view msg = r.message;
  bool cut = false;
  if (o.max_message_bytes && msg.size() + sd_kept_in_msg.size() > o.max_message_bytes) {
    cut = true;
    const size_t room = o.max_message_bytes > sd_kept_in_msg.size()
                            ? o.max_message_bytes - sd_kept_in_msg.size()
                            : 0;
    msg = msg.substr(0, room);
  }
  if (!sd_kept_in_msg.empty() || !msg.empty()) out += ' ';
  if (!sd_kept_in_msg.empty()) {
    out += sd_kept_in_msg;
    out += ' ';
  }
  out += msg;
  if (o.framing == Framing::lf) {
    // An LF inside would end the frame early: escape it the way rsyslog does. Not only in MSG:
    // SD-PARAM values (the sender's, or metadata) may hold one too.
    if (out.find('\n', msg_start) != std::string::npos) {
      const std::string frame = out.substr(msg_start);
      out.resize(msg_start);
      for (char c : frame) {
        if (c == '\n') {
          out += "#012";
        } else {
          out += c;
        }
      }
    }
    out += '\n';
  }
  if (o.framing == Framing::octet_counting) {
    std::string len;
    append_uint(len, out.size() - msg_start);
    len += ' ';
    // Close the gap left for the length so that the frame is contiguous.
    out.replace(frame_start, 10, len);
  }
  return cut;
}

}  // namespace sluice::syslog
