// The JSON-lines output (file and console) writes what one turn of the loop encoded at the
// turn's end, and loses nothing when the descriptor will not take it.
#include "outputs/file/json_lines_output.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace sluice::file {
namespace {

class JsonLinesOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(pipe2(fds_, O_NONBLOCK | O_CLOEXEC), 0);
    uv_loop_init(&loop_);
    output_ = std::make_unique<JsonLinesOutput>("out", ctx_, fds_[1], true);
    output_->start();
  }
  void TearDown() override {
    output_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);  // the output's handles close
    EXPECT_EQ(uv_loop_close(&loop_), 0);
    ::close(fds_[0]);
  }

  void push(const std::string& message) {
    Record r;
    r.message = message;
    ASSERT_TRUE(buffer_.push(r, nullptr));
  }

  // Lines of 1000 bytes, four times what the pipe holds; returns how many.
  int push_more_than_the_pipe_holds() {
    const int records = 4 * fcntl(fds_[1], F_GETPIPE_SZ) / 1000;
    for (int i = 0; i < records; ++i) push(std::string(1000, 'y'));
    return records;
  }

  // Everything in the pipe now, without blocking.
  std::string drain() {
    std::string out;
    char chunk[65536];
    ssize_t n;
    while ((n = ::read(fds_[0], chunk, sizeof chunk)) > 0)
      out.append(chunk, static_cast<size_t>(n));
    return out;
  }

  static size_t lines(const std::string& s) {
    size_t n = 0;
    for (char c : s) n += c == '\n';
    return n;
  }

  int fds_[2];
  uv_loop_t loop_;
  RingBuffer buffer_{64 << 20, WhenFull::drop_newest};
  AgentContext ctx_{&loop_, &buffer_, "node-7", ""};
  std::unique_ptr<JsonLinesOutput> output_;
};

TEST_F(JsonLinesOutputTest, WritesWhatOneTurnEncodedAtTheTurnsEnd) {
  for (int wake = 0; wake < 3; ++wake) {
    push("line " + std::to_string(wake));
    buffer_.notify();  // as an input does after each batch it read
  }
  EXPECT_EQ(drain(), "") << "written before the turn ended";
  EXPECT_EQ(output_->in_flight(), 3u);

  uv_run(&loop_, UV_RUN_NOWAIT);
  const std::string out = drain();
  EXPECT_EQ(lines(out), 3u);
  EXPECT_NE(out.find("\"message\":\"line 0\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"message\":\"line 2\""), std::string::npos) << out;
  EXPECT_EQ(output_->stats().delivered, 3u);
  EXPECT_EQ(output_->in_flight(), 0u);
}

TEST_F(JsonLinesOutputTest, WritesBeforeTheTurnsEndOnceMuchIsEncoded) {
  ASSERT_GE(fcntl(fds_[1], F_SETPIPE_SZ, 1 << 20), 1 << 20);  // the pipe takes it all
  const std::string line(200, 'x');
  for (int i = 0; i < 2500; ++i) push(line);  // about 900 KB of JSON in three reads
  buffer_.notify();
  const size_t written_early = lines(drain());
  EXPECT_GT(written_early, 0u);
  EXPECT_LT(written_early, 2500u);
  EXPECT_EQ(output_->stats().delivered, written_early);

  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(written_early + lines(drain()), 2500u);
  EXPECT_EQ(output_->stats().delivered, 2500u);
}

TEST_F(JsonLinesOutputTest, AFullPipeHoldsTheLinesUntilItTakesThemAgain) {
  const int records = push_more_than_the_pipe_holds();
  buffer_.notify();
  uv_run(&loop_, UV_RUN_NOWAIT);
  const auto full = output_->stats();
  EXPECT_GT(full.events.at("write_failures"), 0u);
  EXPECT_NE(full.failure.find("write:"), std::string::npos) << full.failure;
  EXPECT_LT(full.delivered, static_cast<uint64_t>(records));

  // The reader catches up; the retry timer writes the rest.
  size_t seen = 0;
  while (output_->stats().delivered < static_cast<uint64_t>(records)) {
    seen += lines(drain());
    uv_run(&loop_, UV_RUN_ONCE);
  }
  seen += lines(drain());
  EXPECT_EQ(seen, static_cast<size_t>(records));
  EXPECT_EQ(output_->stats().dropped_total(), 0u);
  EXPECT_EQ(output_->stats().failure, "");
}

TEST_F(JsonLinesOutputTest, ClosingWritesWhatTheTurnEncoded) {
  push("last words");
  buffer_.notify();
  output_->close();
  EXPECT_EQ(lines(drain()), 1u);
  EXPECT_EQ(output_->stats().delivered, 1u);
  EXPECT_EQ(output_->stats().dropped_total(), 0u);
}

TEST_F(JsonLinesOutputTest, ClosingWhileThePipeIsFullCountsTheRestDropped) {
  const int records = push_more_than_the_pipe_holds();
  buffer_.notify();
  output_->close();
  const auto s = output_->stats();
  EXPECT_GT(s.dropped.at("shutdown"), 0u);
  EXPECT_EQ(s.delivered + s.dropped_total(), static_cast<uint64_t>(records));
  EXPECT_EQ(output_->in_flight(), 0u);
}

}  // namespace
}  // namespace sluice::file
