// Decodes a container's log stream as GET /containers/{id}/logs?timestamps=1 returns it: the
// 8-byte multiplexed frames ([stream, 0, 0, 0, big-endian length] + payload) or, for TTY
// containers, raw bytes. Every frame starts with the engine's timestamp (RFC3339Nano from
// Docker, whole seconds from podman); a frame that does not end in '\n' is part of a longer
// line (Docker splits at 16 KiB, podman at 8 KiB), and the next frame of that stream continues it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "agent/record.h"

namespace sluice::docker {

struct LogLine {
  Stream stream;
  bool has_timestamp;
  int64_t timestamp_ns;   // of the line's first fragment
  std::string_view text;  // without '\n' (and '\r' before it); valid during the callback
  bool truncated;         // cut at max_line_bytes; the rest of the line was discarded
};

class LogStreamDecoder {
 public:
  using Sink = std::function<void(const LogLine&)>;

  LogStreamDecoder(bool tty, size_t max_line_bytes) : raw_(tty), max_line_(max_line_bytes) {}

  void feed(std::string_view bytes, const Sink& sink);
  // The stream ended: a pending partial line is emitted as it is.
  void finish(const Sink& sink);

  uint64_t garbage_headers() const { return garbage_headers_; }
  uint64_t truncated_lines() const { return truncated_lines_; }
  uint64_t discarded_bytes() const { return discarded_bytes_; }

 private:
  struct Pending {
    std::string text;  // the line so far (used only once a line spans frames)
    bool active = false;
    bool has_timestamp = false;
    int64_t timestamp_ns = 0;
    bool truncated = false;
    void reset() {  // keeps the text's capacity for the next long line
      text.clear();
      active = has_timestamp = truncated = false;
      timestamp_ns = 0;
    }
  };

  void frame(Stream stream, std::string_view payload, const Sink& sink);
  void raw(std::string_view bytes, const Sink& sink);
  void keep(Pending& p, std::string_view fragment);
  void content(Stream stream, bool has_ts, int64_t ts, std::string_view text, const Sink& sink);
  void emit(Stream stream, Pending& p, std::string_view tail, const Sink& sink);
  Pending& pending(Stream s) { return s == Stream::stderr_stream ? err_ : out_; }

  bool raw_;
  size_t max_line_;
  char header_[8];
  size_t header_have_ = 0;
  uint32_t payload_left_ = 0;
  Stream payload_stream_ = Stream::stdout_stream;
  std::string frame_;  // a frame's payload split across feeds
  Pending out_, err_;
  uint64_t garbage_headers_ = 0;
  uint64_t truncated_lines_ = 0;
  uint64_t discarded_bytes_ = 0;
};

// Splits a leading "TIMESTAMP " off text; false (text untouched) when it has none.
bool split_timestamp(std::string_view& text, int64_t& ns);

}  // namespace sluice::docker
