// Joins a stream's lines into one record where a start pattern says a record begins (e.g. a
// line not starting with whitespace), so a Java stack trace is one record, not forty. A
// record is complete when the next one starts, when the stream is quiet for the timeout, or
// when it reaches max_bytes.
#pragma once

#include <re2/re2.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inputs/docker/log_stream.h"

namespace sluice::docker {

struct MultilineRule {
  std::shared_ptr<const RE2> start;  // a line matching it begins a new record
  int64_t timeout_ms = 1000;
  size_t max_bytes = 1 << 20;
};

// Parses a rule; nothing (and `error`) when the pattern is not valid RE2 syntax.
std::optional<MultilineRule> make_multiline_rule(const std::string& pattern, int64_t timeout_ms,
                                                 size_t max_bytes, std::string& error);

class MultilineJoiner {
 public:
  // A joined record: its lines (with the first line's stream and time) and each line's time,
  // so that read positions can advance line by line once it is pushed.
  struct Joined {
    LogLine line;
    const std::vector<int64_t>& line_timestamps;
  };
  using Sink = std::function<void(const Joined&)>;

  explicit MultilineJoiner(MultilineRule rule) : rule_(std::move(rule)) {}
  void add(const LogLine& line, const Sink& sink);
  void flush(const Sink& sink);  // on timeout or at the end of the stream
  bool holding() const { return !timestamps_.empty(); }

 private:
  MultilineRule rule_;
  std::string text_;
  LogLine first_{};
  bool truncated_ = false;
  std::vector<int64_t> timestamps_;  // one per joined line (0: the line had none)
};

}  // namespace sluice::docker
