#include "inputs/docker/log_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::docker {
namespace {

struct Got {
  Stream stream;
  bool has_ts;
  int64_t ts;
  std::string text;
  bool truncated;
  bool operator==(const Got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{" << static_cast<int>(g.stream) << "," << g.has_ts << "," << g.ts << ",\""
            << g.text << "\"," << g.truncated << "}";
}

std::string frame(int stream, std::string_view payload) {
  std::string h(8, '\0');
  h[0] = static_cast<char>(stream);
  const uint32_t n = static_cast<uint32_t>(payload.size());
  h[4] = static_cast<char>(n >> 24);
  h[5] = static_cast<char>(n >> 16);
  h[6] = static_cast<char>(n >> 8);
  h[7] = static_cast<char>(n);
  return h + std::string(payload);
}

constexpr int64_t kT = 1795557105000000000;  // 2026-11-24T21:51:45Z
constexpr const char* kTs = "2026-11-24T21:51:45Z ";

std::vector<Got> decode(bool tty, const std::vector<std::string>& chunks, size_t max = 1 << 20,
                        LogStreamDecoder* keep = nullptr) {
  LogStreamDecoder local(tty, max);
  LogStreamDecoder& d = keep ? *keep : local;
  std::vector<Got> out;
  auto sink = [&](const LogLine& l) {
    out.push_back({l.stream, l.has_timestamp, l.timestamp_ns, std::string(l.text), l.truncated});
  };
  for (const auto& c : chunks) d.feed(c, sink);
  d.finish(sink);
  return out;
}

TEST(LogStream, FramesBecomeTimestampedLinesPerStream) {
  const std::string s = frame(1, std::string(kTs) + "out1\n") +
                        frame(2, std::string(kTs) + "err1\n") +
                        frame(1, "2026-11-24T21:51:45.123456789Z out2\n");
  auto got = decode(false, {s});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (Got{Stream::stdout_stream, true, kT, "out1", false}));
  EXPECT_EQ(got[1], (Got{Stream::stderr_stream, true, kT, "err1", false}));
  EXPECT_EQ(got[2], (Got{Stream::stdout_stream, true, kT + 123456789, "out2", false}));
}

TEST(LogStream, SplitAtEveryByteBoundaryGivesTheSameLines) {
  const std::string s = frame(1, std::string(kTs) + "alpha\n") + frame(2, std::string(kTs) + "be") +
                        frame(0, "") + frame(2, std::string(kTs) + "ta\n") +
                        frame(1, std::string(kTs) + "gamma\ndelta\n");
  const auto whole = decode(false, {s});
  ASSERT_EQ(whole.size(), 4u);
  EXPECT_EQ(whole[1].text, "beta");
  EXPECT_EQ(whole[3].text, "delta");
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    EXPECT_EQ(decode(false, {s.substr(0, cut), s.substr(cut)}), whole) << "cut at " << cut;
  }
  std::vector<std::string> bytes;
  for (char c : s) bytes.emplace_back(1, c);
  EXPECT_EQ(decode(false, bytes), whole);
}

TEST(LogStream, PartialFramesOfALongLineAreJoinedWithTheFirstTimestamp) {
  // podman: 8 KiB fragments, each with its own timestamp; the last is just "TS \n".
  const std::string a(8192, 'a'), b(8192, 'b'), c(3616, 'c');
  std::string s = frame(1, std::string("2026-11-24T21:51:45Z ") + a) +
                  frame(2, std::string(kTs) + "interleaved stderr\n") +
                  frame(1, std::string("2026-11-24T21:51:46Z ") + b) +
                  frame(1, std::string("2026-11-24T21:51:46Z ") + c) +
                  frame(1, std::string("2026-11-24T21:51:46Z ") + "\n") +
                  frame(1, std::string(kTs) + "short\n");
  auto got = decode(false, {s});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].text, "interleaved stderr");
  EXPECT_EQ(got[1], (Got{Stream::stdout_stream, true, kT, a + b + c, false}));
  EXPECT_EQ(got[2].text, "short");
}

TEST(LogStream, TwoMiBLineIsCutAtTheLimitAndCounted) {
  std::vector<std::string> chunks;
  for (int i = 0; i < 128; ++i)
    chunks.push_back(frame(1, std::string(kTs) + std::string(16384, 'x')));
  chunks.push_back(frame(1, std::string(kTs) + "\n"));
  chunks.push_back(frame(1, std::string(kTs) + "next\n"));
  LogStreamDecoder d(false, 1 << 20);
  auto got = decode(false, chunks, 1 << 20, &d);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text.size(), 1u << 20);
  EXPECT_TRUE(got[0].truncated);
  EXPECT_EQ(got[1], (Got{Stream::stdout_stream, true, kT, "next", false}));
  EXPECT_EQ(d.truncated_lines(), 1u);
  EXPECT_EQ(d.discarded_bytes(), 128u * 16384 - (1u << 20));
}

TEST(LogStream, TtyStreamsAreRawWithCrLf) {
  const std::string s = std::string(kTs) + "tty1\r\n" + kTs + "tty2\r\n" + kTs + "no newline yet";
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    auto got = decode(true, {s.substr(0, cut), s.substr(cut)});
    ASSERT_EQ(got.size(), 3u) << cut;
    EXPECT_EQ(got[0], (Got{Stream::stdout_stream, true, kT, "tty1", false}));
    EXPECT_EQ(got[1].text, "tty2");
    EXPECT_EQ(got[2], (Got{Stream::stdout_stream, true, kT, "no newline yet", false}));  // finish()
  }
}

TEST(LogStream, GarbageHeaderTurnsTheRestIntoRawTextWithoutLosingBytes) {
  LogStreamDecoder d(false, 1 << 20);
  const std::string s = frame(1, std::string(kTs) + "good\n") + "HTTP/1.1 oops\nmore\n";
  auto got = decode(false, {s}, 1 << 20, &d);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].text, "good");
  EXPECT_EQ(got[1], (Got{Stream::stdout_stream, false, 0, "HTTP/1.1 oops", false}));
  EXPECT_EQ(got[2].text, "more");
  EXPECT_EQ(d.garbage_headers(), 1u);
}

TEST(LogStream, LinesWithoutTimestampKeepTheirText) {
  auto got =
      decode(false, {frame(1, "plain line\n") + frame(1, "2026-13-01T00:00:00Z bad month\n")});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (Got{Stream::stdout_stream, false, 0, "plain line", false}));
  EXPECT_EQ(got[1].text, "2026-13-01T00:00:00Z bad month");
}

TEST(LogStream, PendingPartialLinesOfBothStreamsFlushAtTheEnd) {
  auto got = decode(
      false, {frame(1, std::string(kTs) + "out tail") + frame(2, std::string(kTs) + "err tail")});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, "out tail");
  EXPECT_EQ(got[1].text, "err tail");
}

TEST(SplitTimestamp, DockerAndPodmanForms) {
  auto ts = [](std::string text, std::string* rest = nullptr) -> std::optional<int64_t> {
    std::string_view v = text;
    int64_t ns = 0;
    if (!split_timestamp(v, ns)) return std::nullopt;
    if (rest) *rest = std::string(v);
    return ns;
  };
  std::string rest;
  EXPECT_EQ(ts("2026-11-24T21:51:45Z x", &rest), kT);
  EXPECT_EQ(rest, "x");
  EXPECT_EQ(ts("2026-11-24T21:51:45.5Z x"), kT + 500000000);
  EXPECT_EQ(ts("2026-11-24T21:51:45.000000001Z x"), kT + 1);
  EXPECT_EQ(ts("2026-11-24T22:51:45+01:00 x"), kT);
  EXPECT_EQ(ts("2026-11-24T21:51:45Z"), kT);
  EXPECT_FALSE(ts("2026-11-24T21:51:45Zx"));
  EXPECT_FALSE(ts("2026-11-24 21:51:45 x"));
  EXPECT_FALSE(ts(""));
}

}  // namespace
}  // namespace sluice::docker
