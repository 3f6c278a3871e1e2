// The agent through an outage of its only output: realistic container lines flow into a buffer
// far smaller than they are; with compression they all wait, and all arrive once the peer is up.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>

#include "tests/support/agent_process.h"
#include "tests/support/child_process.h"
#include "tests/support/container_logs.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/tcp_sink.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;
constexpr size_t kRecords = 100000;  // about 19 MiB in the buffer's encoding

std::string config(AgentProcess& agent, uint16_t port, const std::string& compression) {
  return "[agent]\nhostname = \"node-7\"\n[api]\nlisten = \"127.0.0.1:0\"\n"
         "[buffer]\nmax_bytes = \"4MiB\"\ncompression = \"" +
         compression + "\"\n[inputs.local]\ntype = \"devlog\"\npath = \"" + agent.dir() +
         "/dev-log\"\n[outputs.central]\ntype = \"syslog\"\nframing = \"lf\"\n"
         "reconnect_max = \"200ms\"\naddress = \"tcp://127.0.0.1:" +
         std::to_string(port) + "\"\n";
}

// Sends kRecords lines while the peer is down, then brings it up; what the agent delivered.
OutputReport through_outage(const std::string& compression, double& ratio) {
  AgentProcess agent;
  const uint16_t port = free_port(SOCK_STREAM);
  agent.write_config(config(agent, port, compression));
  EXPECT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  for (size_t i = 0; i < kRecords; ++i) {
    EXPECT_TRUE(sender.send("<14>shop[7]: " + container_log_line(i)));
  }
  const auto metrics = parse_prometheus(http_get(agent.api_port(), "/metrics").second);
  ratio = metrics.get("sluice_buffer_compression_ratio").value_or(0);
  EXPECT_LE(metrics.get("sluice_buffer_bytes").value_or(1e12), 5.0 * (1 << 20));  // and a segment
  TcpLineSink peer(port);
  const auto expected = compression == "zstd" ? kRecords : 0;
  if (expected) {
    EXPECT_TRUE(peer.wait_for_lines(expected, 30s)) << peer.lines();
  }
  EXPECT_EQ(agent.stop(), 0);
  auto r = agent.report("central");
  EXPECT_TRUE(r) << agent.log();
  if (r) {
    EXPECT_TRUE(peer.wait_for_lines(r->delivered, 10s));  // its thread may still be counting
    EXPECT_EQ(peer.lines(), r->delivered);
  }
  return r ? *r : OutputReport{};
}

TEST(BufferOutage, CompressedEveryLineWaitsAndArrivesWhereUncompressedMostAreDropped) {
  double ratio = 0;
  const auto packed = through_outage("zstd", ratio);
  EXPECT_EQ(packed.received, kRecords);
  EXPECT_EQ(packed.delivered, kRecords);
  EXPECT_EQ(packed.dropped, 0u);
  EXPECT_GT(ratio, 4.0);

  double unused = 0;
  const auto plain = through_outage("none", unused);
  EXPECT_EQ(plain.received, kRecords);
  EXPECT_LT(plain.delivered, kRecords / 3);  // 4 MiB hold about a fifth of them
  EXPECT_EQ(plain.delivered + plain.dropped, kRecords);
  std::printf(
      "[ numbers  ] 4 MiB through an outage of %zu lines: zstd delivered %lu (ratio %.1f), "
      "none delivered %lu and dropped %lu\n",
      kRecords, static_cast<unsigned long>(packed.delivered), ratio,
      static_cast<unsigned long>(plain.delivered), static_cast<unsigned long>(plain.dropped));
}

}  // namespace
}  // namespace sluice::test
