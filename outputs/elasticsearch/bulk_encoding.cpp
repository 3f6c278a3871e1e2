#include "outputs/elasticsearch/bulk_encoding.h"

#include <ctime>

#include "agent/encode/ecs_json.h"

namespace sluice::elasticsearch {
namespace {

// FNV-1a, 64 bits: stable across builds and machines, unlike std::hash.
struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  void add(std::string_view s) {
    add(s.data(), s.size());
    add("\0", 1);  // separates fields, so ("ab","c") and ("a","bc") differ
  }
};

}  // namespace

std::string document_id(const Record& r, uint64_t seq) {
  Fnv f;
  f.add(&r.receive_ns, sizeof r.receive_ns);
  f.add(&r.event_ns, sizeof r.event_ns);
  f.add(&seq, sizeof seq);
  if (r.meta) {
    f.add(r.meta->input);
    f.add(r.meta->container_id);
  }
  f.add(r.message);
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(f.h));
  return buf;
}

std::string index_name(const std::string& pattern, int64_t event_ns) {
  if (pattern.find('%') == std::string::npos) return pattern;
  const time_t t = static_cast<time_t>(event_ns / 1000000000);
  tm tm;
  gmtime_r(&t, &tm);
  char buf[256];
  const size_t n = strftime(buf, sizeof buf, pattern.c_str(), &tm);
  return std::string(buf, n);
}

void append_item(const Record& r, uint64_t seq, const std::string& target,
                 const std::string& hostname, std::string& out) {
  out += "{\"create\":{\"_index\":\"";
  out += target;  // validated: index names hold no characters that need escaping
  out += "\",\"_id\":\"";
  out += document_id(r, seq);
  out += "\"}}\n";
  encode::append_ecs_json(r, hostname, out);
  out += '\n';
}

}  // namespace sluice::elasticsearch
