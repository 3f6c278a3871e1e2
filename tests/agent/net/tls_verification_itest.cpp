// TLS verification is on unless a config turns it off, in every output that speaks TLS: each
// refuses a server whose certificate it cannot verify, says why, and sends it nothing. The
// server is a real `openssl s_server` with a certificate from a CA the system does not trust.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <fstream>
#include <sstream>

#include "tests/support/agent_process.h"
#include "tests/support/certificates.h"
#include "tests/support/child_process.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;

class TlsVerification : public ::testing::Test {
 protected:
  void SetUp() override { certs_ = make_test_certificates(agent_.dir()); }
  void TearDown() override {
    for (const auto& s : servers_) terminate(s.pid);
  }

  // Starts an s_server of its own (it serves one client at a time); its "127.0.0.1:PORT".
  std::string server() {
    Server s{free_port(SOCK_STREAM),
             agent_.dir() + "/s_server-" + std::to_string(servers_.size()) + ".log"};
    // -quiet: what a client sends after a completed handshake is written to the log.
    s.pid = spawn({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(s.port), "-cert",
                   certs_.server, "-key", certs_.server_key, "-quiet"},
                  s.log, {}, true);
    servers_.push_back(s);
    EXPECT_TRUE(wait_until([&] { return port_accepts(s.port); }, 10s));
    return "127.0.0.1:" + std::to_string(s.port);
  }

  void start_agent(const std::string& outputs) {
    agent_.write_config(
        "[agent]\nhostname = \"node-7\"\nshutdown_timeout = \"1s\"\n"
        "[api]\nlisten = \"127.0.0.1:0\"\n"
        "[inputs.local]\ntype = \"devlog\"\npath = \"" +
        agent_.dir() + "/dev-log\"\n" + outputs);
    ASSERT_TRUE(agent_.start()) << agent_.log();
  }

  // What the servers received after completed handshakes, all together.
  std::string servers_saw() const {
    std::stringstream all;
    for (const auto& s : servers_) all << std::ifstream(s.log).rdbuf();
    return all.str();
  }

  struct Server {
    uint16_t port;
    std::string log;
    pid_t pid = -1;
  };
  AgentProcess agent_;
  TestCertificates certs_;
  std::vector<Server> servers_;
};

TEST_F(TlsVerification, EveryOutputRefusesACertificateItCannotVerifyByDefault) {
  const std::string syslog = server(), es = server(), kafka = server();
  start_agent("[outputs.syslog]\ntype = \"syslog\"\nreconnect_max = \"200ms\"\naddress = \"tls://" +
              syslog +
              "\"\n"
              "[outputs.es]\ntype = \"elasticsearch\"\nretry_max = \"200ms\"\nurls = [\"https://" +
              es +
              "\"]\n"
              "[outputs.kafka]\ntype = \"kafka\"\ntopic = \"logs\"\nbrokers = [\"" +
              kafka +
              "\"]\n"
              "[outputs.kafka.librdkafka]\n\"security.protocol\" = \"ssl\"\n"
              "\"reconnect.backoff.max.ms\" = 200\n");
  DevlogSender sender(agent_.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("secret-payload", 0, 5), 5u);
  for (const char* why : {"syslog: TLS handshake with tls://127.0.0.1",
                          "certificate verification failed (unable to get local issuer",
                          "es: bulk request will be retried: SSL certificate problem",
                          "kafka: ssl://127.0.0.1", "certificate verify failed"}) {
    EXPECT_TRUE(agent_.wait_for_log(why, 20s)) << why << "\n" << agent_.log();
  }
  ASSERT_EQ(agent_.stop(5s), 0);
  for (const char* output : {"syslog", "es", "kafka"}) {
    auto r = agent_.report(output);
    ASSERT_TRUE(r) << output << "\n" << agent_.log();
    EXPECT_EQ(r->delivered, 0u) << output;
    EXPECT_EQ(r->dropped, 5u) << output;  // held to the end, then counted
  }
  EXPECT_EQ(servers_saw().find("secret-payload"), std::string::npos) << servers_saw();
}

// The refusal is the verification's: with the CA the same server is accepted...
TEST_F(TlsVerification, WithItsCaTheSameServerIsAccepted) {
  start_agent("[outputs.right]\ntype = \"syslog\"\nframing = \"lf\"\naddress = \"tls://" +
              server() + "\"\ntls = { ca_file = \"" + certs_.ca + "\" }\n");
  DevlogSender sender(agent_.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("verified", 0, 3), 3u);
  EXPECT_TRUE(
      wait_until([&] { return servers_saw().find("verified 2") != std::string::npos; }, 20s))
      << servers_saw() << agent_.log();
  ASSERT_EQ(agent_.stop(5s), 0);
  EXPECT_EQ(agent_.report("right")->delivered, 3u);
}

// ...and a name its certificate does not carry is refused again (s_server serves one client at
// a time, hence a test of its own).
TEST_F(TlsVerification, WithItsCaButAnotherNameTheServerIsRefused) {
  start_agent(
      "[outputs.renamed]\ntype = \"syslog\"\nreconnect_max = \"200ms\"\naddress = "
      "\"tls://" +
      server() + "\"\ntls = { ca_file = \"" + certs_.ca +
      "\", server_name = \"elsewhere.example\" }\n");
  DevlogSender sender(agent_.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("misnamed", 0, 3), 3u);
  EXPECT_TRUE(agent_.wait_for_log("certificate verification failed (hostname mismatch)", 20s))
      << agent_.log();
  ASSERT_EQ(agent_.stop(5s), 0);
  EXPECT_EQ(agent_.report("renamed")->delivered, 0u);
  EXPECT_EQ(servers_saw().find("misnamed"), std::string::npos) << servers_saw();
}

}  // namespace
}  // namespace sluice::test
