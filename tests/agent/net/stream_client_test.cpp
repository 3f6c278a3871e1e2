#include "agent/net/stream_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/child_process.h"

namespace sluice::net {
namespace {

using test::bind_loopback;
using test::loopback_address;

TEST(ConnectedToItself, ASocketConnectedToItsOwnPortIs) {
  // What the kernel can pick by chance, forced: bind a port, then connect to it (TCP's
  // simultaneous open makes that a connection).
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const uint16_t port = bind_loopback(fd);
  ASSERT_NE(port, 0);
  const sockaddr_in a = loopback_address(port);
  ASSERT_EQ(connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
  EXPECT_TRUE(connected_to_itself(fd));
  close(fd);
}

TEST(ConnectedToItself, AConnectionToAListenerIsNot) {
  const int server = socket(AF_INET, SOCK_STREAM, 0);
  const uint16_t port = bind_loopback(server);
  ASSERT_NE(port, 0);
  ASSERT_EQ(listen(server, 1), 0);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in a = loopback_address(port);
  ASSERT_EQ(connect(client, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
  EXPECT_FALSE(connected_to_itself(client));
  EXPECT_FALSE(connected_to_itself(server));  // not connected at all
  close(client);
  close(server);
}

}  // namespace
}  // namespace sluice::net
