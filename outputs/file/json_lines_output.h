// Records as JSON lines (ECS fields) written to a file descriptor: a file, or stdout for the
// console output. A record is delivered once write(2) took it. What one turn of the loop
// encodes is written at the turn's end, in one write (or every kWriteBytes).
#pragma once

#include <string>

#include "agent/backoff.h"
#include "agent/component.h"
#include "agent/turn_end.h"

namespace sluice::file {

class JsonLinesOutput final : public Output {
 public:
  // Takes ownership of fd when owns_fd.
  JsonLinesOutput(std::string name, AgentContext& ctx, int fd, bool owns_fd);
  ~JsonLinesOutput() override;

  void start() override { wake(); }
  void wake() override;
  void close() override;
  uint64_t in_flight() const override { return pending_records_; }

 private:
  bool write_pending();
  bool retrying() const;

  int fd_;
  bool owns_fd_;
  std::string pending_;  // encoded lines not yet written
  size_t written_ = 0;   // bytes of pending_ already written
  uint64_t pending_records_ = 0;
  Backoff backoff_{100, 5000};
  uv_timer_t* retry_timer_;
  TurnEnd write_at_turn_end_;
  bool closing_ = false;
};

}  // namespace sluice::file
