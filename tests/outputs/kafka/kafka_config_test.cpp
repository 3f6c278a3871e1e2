#include <gtest/gtest.h>

#include "agent/agent.h"
#include "outputs/kafka/record_key.h"

namespace sluice::kafka {
namespace {

TEST(KafkaKey, AutoPrefersTheAppThenTheContainerThenTheHost) {
  SourceMeta meta;
  Record r;
  r.meta = &meta;
  EXPECT_EQ(record_key(r, KeyField::automatic, "node-7"), "node-7");
  meta.container_name = "web-1";
  EXPECT_EQ(record_key(r, KeyField::automatic, "node-7"), "web-1");
  meta.marathon_app_id = "/shop/web";
  EXPECT_EQ(record_key(r, KeyField::automatic, "node-7"), "/shop/web");
  EXPECT_EQ(record_key(r, KeyField::container_name, "node-7"), "web-1");
  r.hostname = "sender";
  EXPECT_EQ(record_key(r, KeyField::host_name, "node-7"), "sender");
  EXPECT_EQ(record_key(r, KeyField::none, "node-7"), "");
}

std::vector<std::string> errors(const std::string& extra) {
  config::Diagnostics diag;
  config::load_config(
      "[inputs.l]\ntype = \"devlog\"\n[outputs.k]\ntype = \"kafka\"\nbrokers = [\"b:9092\"]\n"
      "topic = \"logs\"\n" +
          extra,
      "k.toml", sluice::catalog(), config::getenv_lookup, diag);
  std::vector<std::string> out;
  for (const auto& d : diag.list()) out.push_back(d.str());
  return out;
}

TEST(KafkaConfig, PassthroughPropertiesAreCheckedByLibrdkafka) {
  EXPECT_TRUE(
      errors("[outputs.k.librdkafka]\n\"linger.ms\" = 20\n\"security.protocol\" = \"plaintext\"\n")
          .empty());
  auto e = errors("[outputs.k.librdkafka]\n\"lingr.ms\" = 20\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("k.toml:7:1: outputs.k.librdkafka: lingr.ms: No such configuration property"),
            std::string::npos)
      << e[0];
}

TEST(KafkaConfig, UnknownKeyFieldIsRejected) {
  auto e = errors("key = \"pod\"\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("outputs.k.key: 'pod' is not one of"), std::string::npos) << e[0];
}

}  // namespace
}  // namespace sluice::kafka
