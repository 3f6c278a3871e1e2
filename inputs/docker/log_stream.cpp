#include "inputs/docker/log_stream.h"

#include <algorithm>

#include "agent/time/calendar.h"

namespace sluice::docker {
namespace {

// A frame header claiming more than this is garbage, not a log frame.
constexpr uint32_t kMaxFrame = 16 << 20;

}  // namespace

bool split_timestamp(std::string_view& text, int64_t& ns) {
  size_t i = 0;
  if (!calendar::parse_rfc3339(text, i, ns)) return false;
  if (i < text.size() && text[i] != ' ') return false;
  text.remove_prefix(std::min(i + 1, text.size()));
  return true;
}

void LogStreamDecoder::feed(std::string_view bytes, const Sink& sink) {
  while (!bytes.empty()) {
    if (raw_) return raw(bytes, sink);
    if (payload_left_ == 0 && header_have_ < 8) {
      const size_t n = std::min(8 - header_have_, bytes.size());
      std::copy_n(bytes.data(), n, header_ + header_have_);
      header_have_ += n;
      bytes.remove_prefix(n);
      if (header_have_ < 8) return;
      const auto* h = reinterpret_cast<const unsigned char*>(header_);
      const uint32_t len =
          (uint32_t{h[4]} << 24) | (uint32_t{h[5]} << 16) | (uint32_t{h[6]} << 8) | h[7];
      if (h[0] > 2 || h[1] || h[2] || h[3] || len > kMaxFrame) {
        // Not the multiplexed format: keep every byte, as a raw stream from here on.
        ++garbage_headers_;
        raw_ = true;
        const std::string head(header_, 8);
        header_have_ = 0;
        raw(head, sink);
        continue;
      }
      header_have_ = 0;
      payload_left_ = len;
      payload_stream_ = h[0] == 2 ? Stream::stderr_stream : Stream::stdout_stream;
      frame_.clear();
      if (len == 0) continue;
    }
    const size_t n = std::min<size_t>(payload_left_, bytes.size());
    if (frame_.empty() && n == payload_left_) {
      payload_left_ = 0;
      frame(payload_stream_, bytes.substr(0, n), sink);  // the whole frame is here: no copy
    } else {
      frame_.append(bytes.data(), n);
      payload_left_ -= static_cast<uint32_t>(n);
      if (payload_left_ == 0) frame(payload_stream_, frame_, sink);
    }
    bytes.remove_prefix(n);
  }
}

// One frame: its timestamp, then its content; several lines may share it.
void LogStreamDecoder::frame(Stream stream, std::string_view payload, const Sink& sink) {
  int64_t ts = 0;
  const bool has_ts = split_timestamp(payload, ts);
  content(stream, has_ts, ts, payload, sink);
}

// Adds a fragment to the line being assembled, up to max_line_bytes; the excess is counted.
void LogStreamDecoder::keep(Pending& p, std::string_view fragment) {
  const size_t room = max_line_ > p.text.size() ? max_line_ - p.text.size() : 0;
  if (fragment.size() > room) {
    p.truncated = true;
    discarded_bytes_ += fragment.size() - room;
  }
  p.text.append(fragment.substr(0, room));
}

// A TTY stream has no frames: every line starts with its timestamp, wherever feeds split it.
void LogStreamDecoder::raw(std::string_view bytes, const Sink& sink) {
  Pending& p = out_;
  while (!bytes.empty()) {
    const size_t nl = bytes.find('\n');
    const std::string_view part = bytes.substr(0, nl);
    if (nl == std::string_view::npos) {
      p.active = true;
      keep(p, part);
      return;
    }
    std::string_view line = part;
    if (p.active) {
      keep(p, part);
      line = p.text;
    } else if (line.size() > max_line_) {
      discarded_bytes_ += line.size() - max_line_;
      line = line.substr(0, max_line_);
      p.truncated = true;
    }
    int64_t ts = 0;
    const bool has_ts = split_timestamp(line, ts);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (p.truncated) ++truncated_lines_;
    sink(LogLine{Stream::stdout_stream, has_ts, ts, line, p.truncated});
    p.reset();
    bytes.remove_prefix(nl + 1);
  }
}

void LogStreamDecoder::content(Stream stream, bool has_ts, int64_t ts, std::string_view text,
                               const Sink& sink) {
  Pending& p = pending(stream);
  while (!text.empty()) {
    if (!p.active) {
      p.active = true;
      p.has_timestamp = has_ts;
      p.timestamp_ns = ts;
      p.truncated = false;
      p.text.clear();
    }
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      keep(p, text);  // part of a longer line: the frames that follow continue it
      return;
    }
    emit(stream, p, text.substr(0, nl), sink);
    text.remove_prefix(nl + 1);
  }
}

void LogStreamDecoder::emit(Stream stream, Pending& p, std::string_view tail, const Sink& sink) {
  std::string_view line = tail;
  if (!p.text.empty() || p.truncated) {
    keep(p, tail);
    line = p.text;
  } else if (line.size() > max_line_) {
    discarded_bytes_ += line.size() - max_line_;
    line = line.substr(0, max_line_);
    p.truncated = true;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (p.truncated) ++truncated_lines_;
  sink(LogLine{stream, p.has_timestamp, p.timestamp_ns, line, p.truncated});
  p.reset();
}

void LogStreamDecoder::finish(const Sink& sink) {
  for (Stream s : {Stream::stdout_stream, Stream::stderr_stream}) {
    Pending& p = pending(s);
    if (!p.active) continue;
    if (raw_ && s == Stream::stdout_stream) {
      raw("\n", sink);  // completes the line, timestamp and all
      continue;
    }
    emit(s, p, {}, sink);
  }
}

}  // namespace sluice::docker
