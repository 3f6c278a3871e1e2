// A syslog peer that dies with bytes its TCP stack acknowledged but it never read: Linux resets
// the connection and those bytes are gone. The agent must send them again, not count them
// delivered.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <set>
#include <string>

#include "tests/support/agent_process.h"
#include "tests/support/child_process.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;
constexpr size_t kMessages = 2000;

// A listening socket whose connections get a small receive buffer, so that a peer that stops
// reading holds a known, small amount of unread bytes.
class RawPeer {
 public:
  RawPeer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    const int rcvbuf = 16 * 1024;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    port_ = bind_loopback(fd_);
  }
  ~RawPeer() { ::close(fd_); }
  uint16_t port() const { return port_; }
  void listen() { ::listen(fd_, 4); }  // until then, connecting is refused

  int accept_within(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) return -1;
    return ::accept(fd_, nullptr, nullptr);
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

size_t unread_bytes(int fd) {
  int n = 0;
  ioctl(fd, FIONREAD, &n);
  return static_cast<size_t>(n);
}

TEST(SyslogStreamReset, BytesAPeerAcknowledgedButNeverReadAreSentAgain) {
  RawPeer peer;
  AgentProcess agent;
  agent.write_config(
      "[agent]\nhostname = \"node-7\"\n[inputs.local]\ntype = \"devlog\"\npath = \"" + agent.dir() +
      "/dev-log\"\n[outputs.tcp]\ntype = \"syslog\"\nframing = \"lf\"\n"
      "reconnect_max = \"200ms\"\naddress = \"tcp://127.0.0.1:" +
      std::to_string(peer.port()) + "\"\n");
  ASSERT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("reset", 0, kMessages), kMessages);
  // Everything is buffered before the peer listens, so that the burst the agent then sends is
  // acknowledged and reset well within the 2 s an acknowledgement takes to settle.
  peer.listen();

  // The first connection reads nothing: its kernel acknowledges what fits, then the close
  // with unread bytes resets the connection.
  const int first = peer.accept_within(10s);
  ASSERT_GE(first, 0);
  ASSERT_TRUE(wait_until([&] { return unread_bytes(first) >= 8 * 1024; }, 10s));
  const size_t lost_by_peer = unread_bytes(first);
  ::close(first);

  const int second = peer.accept_within(10s);
  ASSERT_GE(second, 0);
  std::set<size_t> numbers;
  std::string pending;
  const std::regex number("reset ([0-9]+) ");
  ASSERT_TRUE(wait_until(
      [&] {
        char buf[65536];
        pollfd p{second, POLLIN, 0};
        while (poll(&p, 1, 0) == 1) {
          const ssize_t n = ::recv(second, buf, sizeof buf, 0);
          if (n <= 0) break;
          pending.append(buf, static_cast<size_t>(n));
        }
        for (size_t eol; (eol = pending.find('\n')) != std::string::npos;) {
          std::smatch m;
          const std::string line = pending.substr(0, eol);
          if (std::regex_search(line, m, number)) numbers.insert(std::stoul(m[1]));
          pending.erase(0, eol + 1);
        }
        return numbers.size() == kMessages;
      },
      20s, 10ms))
      << numbers.size() << " of " << kMessages << " arrived\n"
      << agent.log();
  ASSERT_EQ(agent.stop(), 0);
  ::close(second);

  auto r = agent.report("tcp");
  ASSERT_TRUE(r) << agent.log();
  std::printf("[ numbers  ] unread by the first peer: %zu bytes; resent %lu records\n",
              lost_by_peer, static_cast<unsigned long>(r->fields["resent_records"]));
  EXPECT_EQ(r->delivered, kMessages);
  EXPECT_EQ(r->dropped, 0u);
  EXPECT_GT(r->fields["resent_records"], 0u);
}

}  // namespace
}  // namespace sluice::test
