// devlog → sluice → a real rsyslog over TCP, UDP and TLS: every message accounted for.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/accounting.h"
#include "tests/support/agent_process.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/rsyslog_server.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;
constexpr size_t kMessages = 100000;

std::string agent_config(const AgentProcess& agent, const std::string& output,
                         const std::string& shutdown_timeout = "30s") {
  return "[agent]\nhostname = \"node-7\"\nshutdown_timeout = \"" + shutdown_timeout +
         "\"\n[api]\nlisten = \"127.0.0.1:0\"\n"
         "[inputs.local]\ntype = \"devlog\"\npath = \"" +
         agent.dir() + "/dev-log\"\n" + output;
}

// The numbers of the "<tag> N" messages rsyslog received, and how many lines repeat one.
struct Received {
  std::set<size_t> numbers;
  size_t duplicates = 0;
};

Received received(const RsyslogServer& server, const std::string& tag) {
  Received r;
  const std::string key = "\"msg\":\"" + tag + " ";
  for (const auto& line : server.lines()) {
    const size_t at = line.find(key);
    if (at == std::string::npos) continue;
    const size_t n = std::stoul(line.substr(at + key.size()));
    if (!r.numbers.insert(n).second) ++r.duplicates;
  }
  return r;
}

class SyslogToRsyslog : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.start()) << server_.log(); }

  // Sends kMessages through the agent and checks that rsyslog has each exactly once and that
  // the agent's accounting says the same.
  void send_all_and_verify(const std::string& output_name) {
    ASSERT_TRUE(agent_.start()) << agent_.log();
    DevlogSender sender(agent_.dir() + "/dev-log");
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(sender.send_numbered("seq", 0, kMessages), kMessages);
    ASSERT_TRUE(server_.wait_for_count(kMessages, 60s)) << server_.count() << "\n" << agent_.log();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(agent_.stop(), 0);
    auto r = agent_.report(output_name);
    ASSERT_TRUE(r) << agent_.log();
    EXPECT_EQ(r->received, kMessages);
    EXPECT_EQ(r->delivered, kMessages);
    EXPECT_EQ(r->dropped, 0u);
    EXPECT_EQ(r->buffered, 0u);
    auto got = received(server_, "seq");
    EXPECT_EQ(got.numbers.size(), kMessages);
    EXPECT_EQ(got.duplicates, 0u);
    std::printf(
        "[ numbers  ] %s: sent=%zu received_by_rsyslog=%zu unique=%zu delivered=%lu "
        "dropped=%lu in %.2f s (%.0f msg/s)\n",
        output_name.c_str(), kMessages, server_.count(), got.numbers.size(),
        static_cast<unsigned long>(r->delivered), static_cast<unsigned long>(r->dropped), seconds,
        kMessages / seconds);
  }

  RsyslogServer server_;
  AgentProcess agent_;
};

TEST_F(SyslogToRsyslog, TcpOctetCountingDeliversEveryMessageOnce) {
  agent_.write_config(
      agent_config(agent_, "[outputs.tcp]\ntype = \"syslog\"\naddress = \"tcp://127.0.0.1:" +
                               std::to_string(server_.tcp_port()) + "\"\n"));
  send_all_and_verify("tcp");
}

TEST_F(SyslogToRsyslog, UdpDeliversEveryMessageOnce) {
  agent_.write_config(
      agent_config(agent_, "[outputs.udp]\ntype = \"syslog\"\naddress = \"udp://127.0.0.1:" +
                               std::to_string(server_.udp_port()) + "\"\n"));
  send_all_and_verify("udp");
}

TEST_F(SyslogToRsyslog, TlsWithItsCaDeliversEveryMessageOnce) {
  agent_.write_config(
      agent_config(agent_, "[outputs.tls]\ntype = \"syslog\"\naddress = \"tls://127.0.0.1:" +
                               std::to_string(server_.tls_port()) + "\"\ntls = { ca_file = \"" +
                               server_.ca_file() + "\" }\n"));
  send_all_and_verify("tls");
}

TEST_F(SyslogToRsyslog, EmbeddedNewlineArrivesAsOneMessageWithItsFields) {
  agent_.write_config(
      agent_config(agent_, "[outputs.tcp]\ntype = \"syslog\"\naddress = \"tcp://127.0.0.1:" +
                               std::to_string(server_.tcp_port()) + "\"\n"));
  ASSERT_TRUE(agent_.start()) << agent_.log();
  DevlogSender sender(agent_.dir() + "/dev-log");
  ASSERT_TRUE(sender.send(
      "<11>1 2026-11-24T21:00:00.25Z web-3 shop 42 ORDER [order@32473 id=\"7\"] first\nsecond"));
  ASSERT_TRUE(server_.wait_for_count(1, 10s));
  const std::string line = server_.lines().at(0);
  EXPECT_NE(line.find("\"msg\":\"first#012second\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"host\":\"web-3\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"app\":\"shop\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"procid\":\"42\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"msgid\":\"ORDER\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"pri\":\"11\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"time\":\"2026-11-24T21:00:00.250000Z\""), std::string::npos) << line;
  // The sender's structured data, then the agent's metadata with the receive time.
  EXPECT_NE(line.find("[order@32473 id=\\\"7\\\"][sluice@32473 input=\\\"local\\\""),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("received=\\\""), std::string::npos) << line;
  EXPECT_EQ(agent_.stop(), 0);
}

TEST_F(SyslogToRsyslog, WrongCaIsRefusedAndCounted) {
  agent_.write_config(agent_config(
      agent_,
      "[outputs.tls]\ntype = \"syslog\"\nreconnect_max = \"200ms\"\naddress = \"tls://127.0.0.1:" +
          std::to_string(server_.tls_port()) + "\"\ntls = { ca_file = \"" +
          server_.wrong_ca_file() + "\" }\n",
      "1s"));
  ASSERT_TRUE(agent_.start()) << agent_.log();
  DevlogSender sender(agent_.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("secret", 0, 10), 10u);
  ASSERT_TRUE(agent_.wait_for_log("certificate verification failed", 10s)) << agent_.log();
  ASSERT_EQ(agent_.stop(2s), 0);
  auto r = agent_.report("tls");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->delivered, 0u);
  EXPECT_GE(r->fields["connection_failures"], 1u);
  EXPECT_EQ(r->fields["dropped.shutdown"], 10u);  // held until the end, then counted
  EXPECT_TRUE(received(server_, "secret").numbers.empty());
}

TEST_F(SyslogToRsyslog, PeerStoppedForThreeSecondsLosesNothingThatFits) {
  agent_.write_config(agent_config(agent_,
                                   "[outputs.tcp]\ntype = \"syslog\"\nreconnect_max = \"500ms\"\n"
                                   "address = \"tcp://127.0.0.1:" +
                                       std::to_string(server_.tcp_port()) + "\"\n"));
  ASSERT_TRUE(agent_.start()) << agent_.log();
  DevlogSender sender(agent_.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("restart", 0, 20000), 20000u);
  ASSERT_TRUE(server_.wait_for_count(5000, 30s)) << server_.count() << "\n"
                                                 << agent_.log() << "\n"
                                                 << server_.log();
  server_.stop();
  ASSERT_EQ(sender.send_numbered("restart", 20000, 20000), 20000u);  // while rsyslog is down
  std::this_thread::sleep_for(3s);  // the outage itself, not a synchronisation
  ASSERT_TRUE(server_.start()) << server_.log();
  ASSERT_EQ(sender.send_numbered("restart", 40000, 10000), 10000u);
  const auto connections = [&] {
    size_t n = 0;
    const std::string log = agent_.log();
    for (size_t at = log.find("connected to"); at != std::string::npos;
         at = log.find("connected to", at + 1))
      ++n;
    return n;
  };
  ASSERT_TRUE(wait_until([&] { return connections() >= 2; }, 10s)) << agent_.log();  // again
  Received got;
  wait_until(
      [&] {
        got = received(server_, "restart");
        return got.numbers.size() == 50000;
      },
      60s, 50ms);
  EXPECT_TRUE(all_accounted_for(
      agent_.api_port(), "tcp", "syslog peer (rsyslog) restarted", 50000,
      [&] { return received(server_, "restart").numbers.size(); }, 50000));
  ASSERT_EQ(agent_.stop(), 0);
  auto r = agent_.report("tcp");
  ASSERT_TRUE(r);
  std::printf(
      "[ numbers  ] restart: sent=50000 unique_at_rsyslog=%zu duplicates=%zu delivered=%lu "
      "dropped=%lu connection_failures=%lu resent=%lu\n",
      got.numbers.size(), got.duplicates, static_cast<unsigned long>(r->delivered),
      static_cast<unsigned long>(r->dropped),
      static_cast<unsigned long>(r->fields["connection_failures"]),
      static_cast<unsigned long>(r->fields["resent_records"]));
  EXPECT_EQ(got.numbers.size(), 50000u);
  EXPECT_EQ(r->received, 50000u);
  EXPECT_EQ(r->delivered, 50000u);
  EXPECT_EQ(r->dropped, 0u);
}

}  // namespace
}  // namespace sluice::test
