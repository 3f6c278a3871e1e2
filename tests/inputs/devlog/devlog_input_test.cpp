#include "inputs/devlog/devlog_input.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent.h"
#include "config/read_options.h"

namespace sluice::devlog {
namespace {

class DevlogInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sluice-devlog-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/dev-log";
    uv_loop_init(&loop_);
    consumer_ = buffer_.add_consumer(nullptr);
  }
  void TearDown() override {
    input_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_loop_close(&loop_);
    rmdir(dir_.c_str());
  }

  void build(const std::string& extra = "") {
    std::string toml = "type = \"devlog\"\npath = \"" + path_ + "\"\n" + extra;
    auto table = toml::parse(toml);
    config::Diagnostics diag;
    config::Component c{"local", "devlog",
                        config::read_options(table, kind.schema.options, "inputs.local", "t",
                                             config::getenv_lookup, diag, {{"type"}}),
                        ""};
    ASSERT_TRUE(diag.ok());
    input_ = kind.build(c, ctx_);
  }

  void start(const std::string& extra = "") {
    build(extra);
    std::string error;
    ASSERT_TRUE(input_->start(error)) << error;
  }

  void send(std::string_view datagram) {
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, path_.size());
    ASSERT_EQ(sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&addr),
                     sizeof addr),
              static_cast<ssize_t>(datagram.size()));
    close(fd);
  }

  // Runs the loop until the buffer holds n unread records (or 5 s pass).
  bool await_records(uint64_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (buffer_.stats(consumer_).unread < n) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      uv_run(&loop_, UV_RUN_ONCE);
    }
    return true;
  }

  std::vector<std::string> messages() {
    std::vector<std::string> out;
    buffer_.read(consumer_, 1 << 20, [&](const Record& r) { out.emplace_back(r.message); });
    return out;
  }

  std::string dir_, path_;
  uv_loop_t loop_;
  RingBuffer buffer_{1 << 20, WhenFull::drop_newest};
  AgentContext ctx_{&loop_, &buffer_, "node-7", ""};
  RingBuffer::ConsumerId consumer_;
  std::unique_ptr<Input> input_;
};

TEST_F(DevlogInputTest, ParsesStampsAndTakesSenderCredentials) {
  start();
  send("<13>1 2025-11-24T21:00:00.5Z web app 77 ID1 - hello");
  ASSERT_TRUE(await_records(1));
  int seen = 0;
  buffer_.read(consumer_, 10, [&](const Record& r) {
    ++seen;
    EXPECT_EQ(r.message, "hello");
    EXPECT_EQ(r.app_name, "app");
    EXPECT_EQ(r.hostname, "web");
    EXPECT_EQ(r.event_ns, 1764018000500000000);
    EXPECT_GT(r.receive_ns, r.event_ns);
    EXPECT_EQ(r.pid, static_cast<uint32_t>(getpid()));
    EXPECT_EQ(r.uid, getuid());
    ASSERT_NE(r.meta, nullptr);
    EXPECT_EQ(r.meta->input, "local");
  });
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(input_->counters().at("received"), 1u);
}

TEST_F(DevlogInputTest, WithCredentialsOffRecordsCarryNoSenderIds) {
  start("credentials = false\n");
  send("<13>app: hello");
  ASSERT_TRUE(await_records(1));
  int seen = 0;
  buffer_.read(consumer_, 10, [&](const Record& r) {
    ++seen;
    EXPECT_EQ(r.message, "hello");
    EXPECT_EQ(r.pid, 0u);
  });
  EXPECT_EQ(seen, 1);
}

TEST_F(DevlogInputTest, SocketIsWorldWritableByDefault) {
  start();
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0666u);
}

TEST_F(DevlogInputTest, ASocketLeftAtThePathIsReplaced) {
  const int old = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path_.copy(addr.sun_path, path_.size());
  ASSERT_EQ(bind(old, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  close(old);  // its inode stays, as after a crash
  start();
  send("<14>after the old socket");
  ASSERT_TRUE(await_records(1));
  EXPECT_EQ(messages(), std::vector<std::string>{"after the old socket"});
}

TEST_F(DevlogInputTest, AFileAtThePathIsLeftAloneAndTheInputDoesNotStart) {
  { std::ofstream(path_) << "not a socket\n"; }
  build();
  std::string error;
  EXPECT_FALSE(input_->start(error));
  EXPECT_NE(error.find(path_), std::string::npos) << error;
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "not a socket");
  input_.reset();
  unlink(path_.c_str());
}

TEST_F(DevlogInputTest, UnparsableDatagramsAreKeptWhole) {
  start();
  send("no header at all");
  ASSERT_TRUE(await_records(1));
  EXPECT_EQ(messages(), std::vector<std::string>{"no header at all"});
  EXPECT_EQ(input_->counters().at("unparsed"), 1u);
}

TEST_F(DevlogInputTest, OversizedDatagramsAreCutAndCounted) {
  start("max_message_bytes = \"1KiB\"\n");
  send("<14>" + std::string(5000, 'a'));
  send("<14>short");
  ASSERT_TRUE(await_records(2));
  auto got = messages();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], std::string(1024 - 4, 'a'));
  EXPECT_EQ(got[1], "short");
  EXPECT_EQ(input_->counters().at("truncated"), 1u);
}

// Bytes whose every position differs from its neighbours': a piece out of place shows.
std::string pattern(size_t n) {
  std::string s(n, ' ');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
  return s;
}

// A datagram is received in two pieces when it is longer than the first (2 KiB): around that
// boundary and far beyond it, one after another, each arrives whole and in order.
TEST_F(DevlogInputTest, LongDatagramsArriveWhole) {
  start();
  const std::vector<size_t> sizes = {2047, 2048, 2049, 5000, 60000, 3000, 10};
  std::vector<std::string> sent;
  for (size_t size : sizes) {
    sent.push_back(pattern(size - 4));
    send("<14>" + sent.back());
  }
  ASSERT_TRUE(await_records(sizes.size()));
  EXPECT_EQ(messages(), sent);
  EXPECT_EQ(input_->counters().at("truncated"), 0u);
}

TEST_F(DevlogInputTest, LongDatagramsAreCutAtTheLimitAcrossBothPieces) {
  start("max_message_bytes = \"4KiB\"\n");
  const std::string body = pattern(5000);
  send("<14>" + body);
  ASSERT_TRUE(await_records(1));
  EXPECT_EQ(messages(), std::vector<std::string>{body.substr(0, 4096 - 4)});
  EXPECT_EQ(input_->counters().at("truncated"), 1u);
}

TEST_F(DevlogInputTest, ManyDatagramsArriveInOrder) {
  start();
  // The kernel queues only a few datagrams (net.unix.max_dgram_qlen): send from a thread
  // while the loop reads, as real senders do.
  std::thread sender([this] {
    for (int i = 0; i < 3000; ++i) send("<14>msg " + std::to_string(i));
  });
  const bool arrived = await_records(3000);
  sender.join();
  ASSERT_TRUE(arrived);
  auto got = messages();
  ASSERT_EQ(got.size(), 3000u);
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(got[i], "msg " + std::to_string(i));
}

// A busy socket is read after coalescing waits, a quiet one on readiness: datagrams that come
// after a burst, one at a time, and a second burst, are all read, whichever way it is watched.
TEST_F(DevlogInputTest, BurstsAndSingleDatagramsBetweenThemAllArrive) {
  start();
  uint64_t sent = 0;
  for (int round = 0; round < 2; ++round) {
    std::thread sender([this] {
      for (int i = 0; i < 2000; ++i) send("<14>burst");
    });
    const bool burst_arrived = await_records(sent + 2000);
    sender.join();
    ASSERT_TRUE(burst_arrived);
    sent += 2000;
    for (int i = 0; i < 3; ++i) {
      send("<14>single");
      ASSERT_TRUE(await_records(++sent));
    }
  }
  EXPECT_EQ(messages().size(), sent);
}

TEST_F(DevlogInputTest, StopRemovesTheSocket) {
  start();
  input_->stop();
  struct stat st;
  EXPECT_NE(stat(path_.c_str(), &st), 0);
}

}  // namespace
}  // namespace sluice::devlog
