// The rsyslog peer makes sure it is rsyslog that listens on the ports the agent is given.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/child_process.h"
#include "tests/support/rsyslog_server.h"

namespace sluice::test {
namespace {

// Another process's listener on `port`, as a test running alongside could open.
struct Stranger {
  // Close-on-exec: rsyslogd, forked from this process, must not hold it too.
  explicit Stranger(uint16_t port) : fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    listening = bind_loopback(fd, port) == port && listen(fd, 8) == 0;
  }
  ~Stranger() { close(fd); }
  int fd;
  bool listening = false;
};

TEST(RsyslogServer, FirstStartMovesOffAPortAnotherProcessTook) {
  RsyslogServer server;
  const uint16_t taken = server.tcp_port();
  Stranger stranger(taken);
  ASSERT_TRUE(stranger.listening);
  ASSERT_TRUE(server.start()) << server.log();
  EXPECT_NE(server.tcp_port(), taken);
  EXPECT_NE(server.log().find("taken by another process"), std::string::npos) << server.log();
}

TEST(RsyslogServer, RestartFailsClearlyWhenItsPortWasTaken) {
  RsyslogServer server;
  ASSERT_TRUE(server.start()) << server.log();
  server.stop();
  Stranger stranger(server.tls_port());
  ASSERT_TRUE(stranger.listening);
  EXPECT_FALSE(server.start());
  EXPECT_NE(server.log().find("taken by another process"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace sluice::test
