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

std::vector<Path> parse_paths(const std::string& paths) {
  std::vector<Path> out;
  size_t start = 0;
  while (start <= paths.size()) {
    size_t comma = paths.find(',', start);
    if (comma == std::string::npos) comma = paths.size();
    Path p;
    const std::string one = paths.substr(start, comma - start);
    for (size_t s = 0; s <= one.size();) {
      size_t dot = one.find('.', s);
      if (dot == std::string::npos) dot = one.size();
      p.push_back(one.substr(s, dot - s));
      s = dot + 1;
    }
    if (!one.empty()) out.push_back(std::move(p));
    start = comma + 1;
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
