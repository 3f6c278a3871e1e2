#include "inputs/docker/checkpoints.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluice::docker {
namespace {

Position read_position(const rapidjson::Value& v) {
  Position p;
  if (v.IsArray() && v.Size() == 2 && v[0].IsInt64() && v[1].IsUint()) {
    p.ts_ns = v[0].GetInt64();
    p.lines_at_ts = v[1].GetUint();
  }
  return p;
}

}  // namespace

void Checkpoints::load(std::string& error) {
  std::ifstream in(path_);
  if (!in) return;
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document d;
  d.Parse(ss.str().c_str());
  if (d.HasParseError() || !d.IsObject()) {
    error = path_ + ": not a checkpoint file; starting without checkpoints";
    return;
  }
  for (auto& m : d.GetObject()) {
    if (!m.value.IsObject() || !m.value.HasMember("out") || !m.value.HasMember("err")) continue;
    positions_[m.name.GetString()] = {read_position(m.value["out"]), read_position(m.value["err"])};
  }
}

bool Checkpoints::save(std::string& error) {
  if (!dirty_) return true;
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  for (const auto& [id, p] : positions_) {
    w.Key(id.c_str());
    w.StartObject();
    for (auto [key, pos] : {std::pair{"out", p.out}, {"err", p.err}}) {
      w.Key(key);
      w.StartArray();
      w.Int64(pos.ts_ns);
      w.Uint(pos.lines_at_ts);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
  const std::string tmp = path_ + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) {
    error = tmp + ": " + std::strerror(errno);
    return false;
  }
  const bool written = std::fwrite(sb.GetString(), 1, sb.GetSize(), f) == sb.GetSize();
  const bool synced = std::fflush(f) == 0 && fsync(fileno(f)) == 0;
  std::fclose(f);
  if (!written || !synced || std::rename(tmp.c_str(), path_.c_str()) != 0) {
    error = path_ + ": " + std::strerror(errno);
    return false;
  }
  dirty_ = false;
  return true;
}

const ContainerPosition* Checkpoints::find(const std::string& id) const {
  auto it = positions_.find(id);
  return it == positions_.end() ? nullptr : &it->second;
}

void Checkpoints::set(const std::string& id, const ContainerPosition& p) {
  auto& slot = positions_[id];
  if (slot == p) return;
  slot = p;
  dirty_ = true;
}

void Checkpoints::erase(const std::string& id) { dirty_ |= positions_.erase(id) > 0; }

}  // namespace sluice::docker
