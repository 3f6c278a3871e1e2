// Where each container's log was read up to, kept in data_dir so that a restarted agent
// resumes instead of losing or repeating lines. A position is a timestamp plus how many lines
// of that same timestamp were already taken: podman's timestamps are whole seconds.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sluice::docker {

struct Position {
  int64_t ts_ns = 0;
  uint32_t lines_at_ts = 0;
  bool operator==(const Position&) const = default;
};

struct ContainerPosition {
  Position out, err;
  bool operator==(const ContainerPosition&) const = default;
};

class Checkpoints {
 public:
  explicit Checkpoints(std::string path) : path_(std::move(path)) {}
  // Missing or unreadable files start empty; `error` says why when it was unreadable.
  void load(std::string& error);
  // Writes atomically (temp file + rename); false and `error` when it cannot.
  bool save(std::string& error);

  const ContainerPosition* find(const std::string& id) const;
  void set(const std::string& id, const ContainerPosition& p);
  void erase(const std::string& id);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, ContainerPosition> positions_;
  bool dirty_ = false;
};

}  // namespace sluice::docker
