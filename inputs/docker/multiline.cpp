#include "inputs/docker/multiline.h"

namespace sluice::docker {

std::optional<MultilineRule> make_multiline_rule(const std::string& pattern, int64_t timeout_ms,
                                                 size_t max_bytes, std::string& error) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) {
    error = "'" + pattern + "' is not a valid pattern: " + re->error();
    return std::nullopt;
  }
  return MultilineRule{std::move(re), timeout_ms, max_bytes};
}

void MultilineJoiner::add(const LogLine& line, const Sink& sink) {
  const bool starts = RE2::PartialMatch(line.text, *rule_.start);
  if (holding() && (starts || text_.size() + 1 + line.text.size() > rule_.max_bytes)) flush(sink);
  if (!holding()) {
    first_ = line;
    text_.assign(line.text);
    truncated_ = line.truncated;
  } else {
    text_ += '\n';
    text_.append(line.text);
    truncated_ = truncated_ || line.truncated;
  }
  timestamps_.push_back(line.has_timestamp ? line.timestamp_ns : 0);
  if (text_.size() >= rule_.max_bytes) flush(sink);
}

void MultilineJoiner::flush(const Sink& sink) {
  if (!holding()) return;
  LogLine joined = first_;
  joined.text = text_;
  joined.truncated = truncated_;
  sink(Joined{joined, timestamps_});
  text_.clear();
  timestamps_.clear();
}

}  // namespace sluice::docker
