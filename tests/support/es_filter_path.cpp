#include "tests/support/es_filter_path.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <vector>

#include "inputs/docker/container_info.h"  // glob_match

namespace sluice::test {
namespace {

using Path = std::vector<std::string>;
struct Position {
  const Path* path;
  size_t next;  // index of the segment to match next
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::vector<Path> parse_paths(const std::string& paths) {
  std::vector<Path> out;
  for (const std::string& one : split(paths, ',')) {
    if (!one.empty()) out.push_back(split(one, '.'));
  }
  return out;
}

// Whether v keeps anything; removes from it what no path reaches.
bool keep(rapidjson::Value& v, const std::vector<Position>& at) {
  for (const auto& p : at) {
    if (p.next == p.path->size()) return true;  // a whole path matched: all of v stays
  }
  if (v.IsArray()) {
    for (auto it = v.Begin(); it != v.End();) {
      it = keep(*it, at) ? it + 1 : v.Erase(it);
    }
    return !v.Empty();
  }
  if (!v.IsObject()) return false;
  for (auto m = v.MemberBegin(); m != v.MemberEnd();) {
    std::vector<Position> deeper;
    for (const auto& p : at) {
      if (docker::glob_match((*p.path)[p.next], m->name.GetString())) {
        deeper.push_back({p.path, p.next + 1});
      }
    }
    m = !deeper.empty() && keep(m->value, deeper) ? m + 1 : v.EraseMember(m);
  }
  return v.MemberCount() > 0;
}

}  // namespace

std::string filter_path(const std::string& json, const std::string& paths) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError()) return json;
  const std::vector<Path> parsed = parse_paths(paths);
  std::vector<Position> at;
  for (const auto& p : parsed) at.push_back({&p, 0});
  if (!keep(d, at)) return "{}";
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return sb.GetString();
}

}  // namespace sluice::test
