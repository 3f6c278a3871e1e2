#include "agent/net/address.h"

#include <gtest/gtest.h>

namespace sluice::net {
namespace {

TEST(Address, ParsesSchemesHostsAndPorts) {
  std::string error;
  auto a = parse_address("tcp://logs.example.com:1514", error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->transport, Transport::tcp);
  EXPECT_EQ(a->host, "logs.example.com");
  EXPECT_EQ(a->port, 1514);
  a = parse_address("udp://127.0.0.1", error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 514);
  a = parse_address("tls://[::1]", error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 6514);
  EXPECT_EQ(a->str(), "tls://[::1]:6514");
}

TEST(Address, RejectsWhatIsNotAnAddress) {
  std::string error;
  for (const char* bad :
       {"logs:514", "http://logs:80", "tcp://", "tcp://:514", "tcp://h:0", "tcp://h:65536",
        "tcp://h:5x", "tcp://[::1", "tcp://::1:514", "tcp://a b:1"}) {
    EXPECT_FALSE(parse_address(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace sluice::net
