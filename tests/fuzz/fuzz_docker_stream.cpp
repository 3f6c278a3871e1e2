// The Docker log stream decoder (multiplexed frames or TTY bytes) and the multiline joiner
// behind it. Input: [flags][n][n chunk lengths][stream bytes]; flags bit 0: TTY, bits 1-3: the
// max_line_bytes choice, bits 4-6: the joiner's max_bytes choice. The stream is decoded once
// whole and once cut into the chunks (the rest is the last chunk): a decoder must not care
// where reads split its input.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "inputs/docker/log_stream.h"
#include "inputs/docker/multiline.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace sluice;
using namespace sluice::docker;
using std::string_view;

constexpr size_t kSizes[] = {0, 1, 5, 16, 40, 100, 1000, 1 << 20};

struct Line {
  Stream stream;
  bool has_timestamp;
  int64_t timestamp_ns;
  std::string text;
  bool truncated;
  bool operator==(const Line&) const = default;
};

struct Decoded {
  std::vector<Line> lines;
  uint64_t garbage_headers, truncated_lines, discarded_bytes;
  bool operator==(const Decoded&) const = default;
};

Decoded decode(bool tty, size_t max_line, const std::vector<string_view>& chunks) {
  LogStreamDecoder d(tty, max_line);
  Decoded out{};
  auto sink = [&](const LogLine& l) {
    out.lines.push_back(
        {l.stream, l.has_timestamp, l.timestamp_ns, std::string(l.text), l.truncated});
  };
  for (string_view c : chunks) d.feed(c, sink);
  d.finish(sink);
  out.garbage_headers = d.garbage_headers();
  out.truncated_lines = d.truncated_lines();
  out.discarded_bytes = d.discarded_bytes();
  return out;
}

void check_lines(const Decoded& d, bool tty, size_t max_line, size_t input_size) {
  size_t total = 0, truncated = 0;
  for (const Line& l : d.lines) {
    FUZZ_CHECK(l.text.size() <= max_line);
    FUZZ_CHECK(l.text.find('\n') == std::string::npos);
    FUZZ_CHECK(l.stream == Stream::stdout_stream || (!tty && l.stream == Stream::stderr_stream));
    total += l.text.size();
    truncated += l.truncated;
  }
  // Each input byte is in a line, discarded, or framing (headers, timestamps, CR/LF).
  FUZZ_CHECK(total + d.discarded_bytes <= input_size);
  FUZZ_CHECK(truncated == d.truncated_lines);
  FUZZ_CHECK((d.discarded_bytes > 0) == (d.truncated_lines > 0));
  FUZZ_CHECK(!tty || d.garbage_headers == 0);
}

// Joins each stream's lines: the records are those lines, in order, regrouped.
void check_multiline(const Decoded& d, size_t max_bytes) {
  // The rule the docs suggest (a record starts with a non-blank); compiled once per size.
  static std::map<size_t, MultilineRule> rules;
  if (!rules.count(max_bytes)) {
    std::string error;
    auto rule = make_multiline_rule("^\\S", 1000, max_bytes, error);
    FUZZ_CHECK(rule);
    rules.emplace(max_bytes, *rule);
  }
  for (Stream s : {Stream::stdout_stream, Stream::stderr_stream}) {
    MultilineJoiner j(rules.at(max_bytes));
    std::string joined, lines;
    bool first_record = true;
    auto sink = [&](const MultilineJoiner::Joined& r) {
      const string_view text = r.line.text;
      size_t newlines = 0;
      for (char c : text) newlines += c == '\n';
      FUZZ_CHECK(r.line_timestamps.size() == newlines + 1);
      FUZZ_CHECK(r.line_timestamps.size() == 1 || text.size() <= max_bytes);
      FUZZ_CHECK(r.line.stream == s);
      joined += first_record ? "" : "\n";
      joined += text;
      first_record = false;
    };
    bool first_line = true;
    for (const Line& l : d.lines) {
      if (l.stream != s) continue;
      j.add(LogLine{l.stream, l.has_timestamp, l.timestamp_ns, l.text, l.truncated}, sink);
      lines += first_line ? "" : "\n";
      lines += l.text;
      first_line = false;
    }
    j.flush(sink);
    FUZZ_CHECK(!j.holding());
    FUZZ_CHECK(joined == lines);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool tty = data[0] & 1;
  const size_t max_line = kSizes[(data[0] >> 1) & 7];
  const size_t max_bytes = kSizes[(data[0] >> 4) & 7] + 1;  // a rule needs at least one byte
  const size_t cuts = data[1] & 7;
  if (size < 2 + cuts) return 0;
  string_view stream(reinterpret_cast<const char*>(data) + 2 + cuts, size - 2 - cuts);

  std::vector<string_view> chunks;
  string_view rest = stream;
  for (size_t i = 0; i < cuts; ++i) {
    const size_t n = std::min<size_t>(data[2 + i], rest.size());
    chunks.push_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  chunks.push_back(rest);

  const Decoded whole = decode(tty, max_line, {stream});
  check_lines(whole, tty, max_line, stream.size());
  FUZZ_CHECK(decode(tty, max_line, chunks) == whole);
  check_multiline(whole, max_bytes);
  return 0;
}
