// Follows one container's log stream: decodes it, skips what an earlier run already took, and
// pushes a record per line. It remembers which position each pushed record completes, so the
// checkpoint only ever advances behind what every output has settled.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "agent/component.h"
#include "inputs/docker/checkpoints.h"
#include "inputs/docker/container_info.h"
#include "inputs/docker/engine_client.h"
#include "inputs/docker/log_stream.h"
#include "inputs/docker/multiline.h"

namespace sluice::docker {

struct FollowerCounters {
  uint64_t lines = 0;
  uint64_t truncated = 0;
  uint64_t duplicates_skipped = 0;
  uint64_t garbage_headers = 0;
};

class ContainerFollower {
 public:
  // on_end(still_running_unknown): the log stream ended; the owner decides what follows.
  // multiline: join lines into records by this rule (none: one record per line).
  ContainerFollower(ContainerInfo info, ContainerPosition resume, AgentContext& ctx,
                    EngineClient& engine, size_t max_line_bytes, FollowerCounters& counters,
                    std::optional<MultilineRule> multiline);
  ~ContainerFollower();

  // Reads the log from the resume position; follow: keep the stream open for new lines.
  void attach(bool follow, std::function<void(const std::string& error)> on_end);
  void detach() { stream_.reset(); }
  bool attached() const { return stream_ && !stream_->ended; }

  const ContainerInfo& info() const { return info_; }
  // The position of the last line whose record every output has settled.
  ContainerPosition settled(uint64_t settled_seq);
  ContainerPosition current() const { return current_; }

 private:
  void on_line(const LogLine& line, int64_t now);
  void push(const LogLine& line, int64_t now);
  void flush_joined(int64_t now);
  bool already_taken(Position& resume, uint32_t& skipped, int64_t ts);

  ContainerInfo info_;
  AgentContext& ctx_;
  EngineClient& engine_;
  size_t max_line_;
  FollowerCounters& counters_;
  std::unique_ptr<EngineClient::Stream> stream_;
  std::unique_ptr<LogStreamDecoder> decoder_;
  ContainerPosition resume_;  // lines at or before it were taken by an earlier read
  uint32_t skipped_out_ = 0, skipped_err_ = 0;
  ContainerPosition current_;                                 // after the last pushed line
  std::deque<std::pair<uint64_t, ContainerPosition>> marks_;  // (seq past a chunk, position)
  ContainerPosition settled_;
  std::unique_ptr<MultilineJoiner> join_out_, join_err_;
  uv_timer_t* join_timer_ = nullptr;  // completes held records after a quiet timeout
  int64_t join_timeout_ms_ = 0;
};

}  // namespace sluice::docker
