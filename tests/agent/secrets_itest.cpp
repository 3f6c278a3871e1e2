// Credentials in the config — options marked secret, a password inside a URL, librdkafka's SASL
// password — never appear in the agent's log (at debug level, while the outputs fail) nor on
// /config.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "tests/support/agent_process.h"
#include "tests/support/child_process.h"
#include "tests/support/devlog_sender.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;

TEST(Secrets, StayOutOfTheLogAndTheConfigPage) {
  AgentProcess agent;
  const std::string nobody = "127.0.0.1:" + std::to_string(free_port(SOCK_STREAM));
  agent.set_env("SLUICE_TEST_ES_PASSWORD", "env-secret-2");
  agent.write_config(
      "[agent]\nhostname = \"node-7\"\nlog_level = \"debug\"\nshutdown_timeout = \"1s\"\n"
      "[api]\nlisten = \"127.0.0.1:0\"\n"
      "[inputs.local]\ntype = \"devlog\"\npath = \"" +
      agent.dir() +
      "/dev-log\"\n"
      "[outputs.es]\ntype = \"elasticsearch\"\nretry_max = \"200ms\"\n"
      "urls = [\"http://elastic:url-secret-1@" +
      nobody +
      "\"]\n"
      "auth = { user = \"elastic\", password = \"${SLUICE_TEST_ES_PASSWORD}\" }\n"
      "[outputs.kafka]\ntype = \"kafka\"\ntopic = \"logs\"\nbrokers = [\"" +
      nobody +
      "\"]\n"
      "[outputs.kafka.librdkafka]\n\"security.protocol\" = \"sasl_plaintext\"\n"
      "\"sasl.mechanisms\" = \"PLAIN\"\n\"sasl.username\" = \"shipper\"\n"
      "\"sasl.password\" = \"kafka-secret-3\"\n\"reconnect.backoff.max.ms\" = 200\n");
  ASSERT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("payload", 0, 5), 5u);
  EXPECT_TRUE(agent.wait_for_log("es: bulk request will be retried", 10s)) << agent.log();
  EXPECT_TRUE(agent.wait_for_log("kafka: ", 10s)) << agent.log();
  const auto [status, page] = http_get(agent.api_port(), "/config");
  EXPECT_EQ(status, 200);
  EXPECT_NE(page.find("<redacted>"), std::string::npos) << page;
  ASSERT_EQ(agent.stop(5s), 0);
  for (const char* secret : {"url-secret-1", "env-secret-2", "kafka-secret-3"}) {
    EXPECT_EQ(agent.log().find(secret), std::string::npos) << secret << " in the log:\n"
                                                           << agent.log();
    EXPECT_EQ(page.find(secret), std::string::npos) << secret << " on /config:\n" << page;
  }
}

}  // namespace
}  // namespace sluice::test
