#include "tests/support/port_holder.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/child_process.h"

namespace sluice::test {
namespace {

// A socket of `type` bound to an ephemeral port on 127.0.0.1 (listening, for a stream).
int bound_socket(int type, uint16_t& port) {
  const int fd = socket(AF_INET, type, 0);
  port = bind_loopback(fd);
  EXPECT_NE(port, 0);
  if (type == SOCK_STREAM) {
    EXPECT_EQ(listen(fd, 1), 0);
  }
  return fd;
}

TEST(PortHolder, TellsTheProcessThatListensFromAnotherAndFromNobody) {
  for (const int type : {SOCK_STREAM, SOCK_DGRAM}) {
    uint16_t port = 0;
    const int fd = bound_socket(type, port);
    EXPECT_EQ(port_holder(getpid(), type, port), PortHolder::self) << type;
    // Our parent (ctest) holds a socket on no port of ours.
    EXPECT_EQ(port_holder(getppid(), type, port), PortHolder::other) << type;
    close(fd);
    EXPECT_EQ(port_holder(getpid(), type, port), PortHolder::none) << type;
  }
}

TEST(PortHolder, AStreamConnectionFromThePortIsNotAListener) {
  uint16_t server_port = 0;
  const int server = bound_socket(SOCK_STREAM, server_port);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback_address(server_port);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  getsockname(client, reinterpret_cast<sockaddr*>(&a), &len);
  EXPECT_EQ(port_holder(getpid(), SOCK_STREAM, ntohs(a.sin_port)), PortHolder::none);
  close(client);
  close(server);
}

}  // namespace
}  // namespace sluice::test
