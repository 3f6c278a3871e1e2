#include "agent/encode/ecs_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>

namespace sluice::encode {
namespace {

// Length of the valid UTF-8 sequence at p, or 0.
size_t utf8_sequence(const unsigned char* p, size_t left) {
  const unsigned char c = p[0];
  size_t n;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0)
    n = 2, min = 0x80;
  else if ((c & 0xF0) == 0xE0)
    n = 3, min = 0x800;
  else if ((c & 0xF8) == 0xF0)
    n = 4, min = 0x10000;
  else
    return 0;
  if (left < n) return 0;
  uint32_t cp = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// The text itself when valid, else a copy in scratch with U+FFFD for each invalid byte.
std::string_view valid_utf8(std::string_view s, std::string& scratch) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    if (p[i] < 0x80) {  // ASCII, most of any log
      ++i;
      continue;
    }
    const size_t n = utf8_sequence(p + i, s.size() - i);
    if (n == 0) break;
    i += n;
  }
  if (i == s.size()) return s;
  scratch.assign(s.substr(0, i));
  while (i < s.size()) {
    size_t n = utf8_sequence(p + i, s.size() - i);
    if (n) {
      scratch.append(s.substr(i, n));
      i += n;
    } else {
      scratch += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return scratch;
}

// One document: written into a buffer and writer kept per thread (RapidJSON's own buffer takes
// each character without a capacity check, and nothing is allocated per document), then
// appended to the output once.
class Doc {
 public:
  explicit Doc(std::string& out) : out_(out) {
    buffer_.Clear();
    w_.Reset(buffer_);
  }
  ~Doc() { out_.append(buffer_.GetString(), buffer_.GetSize()); }
  void key(const char* k) { w_.Key(k); }
  void str(std::string_view v) {
    std::string_view ok = valid_utf8(v, scratch_);
    w_.String(ok.data(), static_cast<rapidjson::SizeType>(ok.size()));
  }
  void field(const char* k, std::string_view v) {
    if (v.empty()) return;
    key(k);
    str(v);
  }
  void num(const char* k, int64_t v) {
    key(k);
    w_.Int64(v);
  }
  void time(const char* k, int64_t ns) {
    key(k);
    scratch_.clear();
    append_timestamp_ns(ns, scratch_);
    w_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()));
  }
  void open(const char* k) {
    key(k);
    w_.StartObject();
  }
  void open() { w_.StartObject(); }
  void close() { w_.EndObject(); }

 private:
  std::string& out_;
  static thread_local rapidjson::StringBuffer buffer_;
  static thread_local rapidjson::Writer<rapidjson::StringBuffer> w_;
  static thread_local std::string scratch_;
};

thread_local rapidjson::StringBuffer Doc::buffer_;
thread_local rapidjson::Writer<rapidjson::StringBuffer> Doc::w_;
thread_local std::string Doc::scratch_;

constexpr const char* kSeverities[] = {"emergency", "alert",  "critical",      "error",
                                       "warning",   "notice", "informational", "debug"};
constexpr const char* kFacilities[] = {
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
    "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
    "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7"};

std::string_view label(const SourceMeta& m, std::string_view key) {
  for (const auto& [k, v] : m.labels) {
    if (k == key) return v;
  }
  return {};
}

}  // namespace

void append_timestamp_ns(int64_t ns, std::string& out) {
  int64_t sec = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
  time_t t = static_cast<time_t>(sec);
  tm tm;
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof buf - n, ".%09lldZ", static_cast<long long>(ns - sec * 1000000000));
  out += buf;
}

void append_ecs_json(const Record& r, const std::string& agent_hostname, std::string& out) {
  Doc d(out);
  d.open();
  d.time("@timestamp", r.event_ns);
  d.field("message", r.message);
  d.open("event");
  d.time("created", r.receive_ns);
  d.close();
  d.open("host");
  d.field("name", agent_hostname);
  d.close();
  d.open("log");
  d.open("syslog");
  d.open("facility");
  d.num("code", r.facility);
  d.field("name", r.facility < 24 ? kFacilities[r.facility] : "");
  d.close();
  d.open("severity");
  d.num("code", r.severity);
  d.field("name", kSeverities[r.severity & 7]);
  d.close();
  d.field("hostname", r.hostname);
  d.field("appname", r.app_name);
  d.field("procid", r.procid);
  d.field("msgid", r.msgid);
  d.field("structured_data", r.structured_data);
  d.close();
  d.close();
  if (r.pid) {
    d.open("process");
    d.num("pid", r.pid);
    d.close();
  }
  if (r.stream != Stream::none)
    d.field("stream", r.stream == Stream::stdout_stream ? "stdout" : "stderr");
  if (const SourceMeta* m = r.meta) {
    if (!m->container_id.empty()) {
      d.open("container");
      d.field("id", m->container_id);
      d.field("name", m->container_name);
      if (!m->image.empty()) {
        d.open("image");
        d.field("name", m->image);
        d.close();
      }
      if (!m->labels.empty()) {
        d.open("labels");
        for (const auto& [k, v] : m->labels) d.field(k.c_str(), v);
        d.close();
      }
      d.close();
    }
    if (!m->marathon_app_id.empty()) {
      d.open("marathon");
      d.field("app_id", m->marathon_app_id);
      d.close();
    }
    if (!m->mesos_task_id.empty()) {
      d.open("mesos");
      d.field("task_id", m->mesos_task_id);
      d.close();
    }
    if (auto pod = label(*m, "io.kubernetes.pod.name"); !pod.empty()) {
      d.open("kubernetes");
      d.open("pod");
      d.field("name", pod);
      d.close();
      d.field("namespace", label(*m, "io.kubernetes.pod.namespace"));
      d.open("container");
      d.field("name", label(*m, "io.kubernetes.container.name"));
      d.close();
      d.close();
    }
    d.open("sluice");
    d.field("input", m->input);
    d.close();
  }
  d.close();
}

}  // namespace sluice::encode
