#include "outputs/elasticsearch/index_template.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "tests/support/paths.h"

namespace sluice::elasticsearch {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(test::source_dir() + "/" + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What packaging/ ships for operators to install by hand is what the agent installs itself.
TEST(IndexTemplate, PackagedFilesAreTheOnesTheAgentInstalls) {
  EXPECT_EQ(read("packaging/elasticsearch/sluice-index-template.json"), kIndexTemplate);
  EXPECT_EQ(read("packaging/elasticsearch/sluice-data-stream-template.json"), kDataStreamTemplate);
}

TEST(IndexTemplate, MapsEveryEcsFieldTheEncoderWrites) {
  rapidjson::Document d;
  d.Parse(kIndexTemplate.data(), kIndexTemplate.size());
  ASSERT_FALSE(d.HasParseError());
  const auto& p = d["template"]["mappings"]["properties"];
  EXPECT_STREQ(p["@timestamp"]["type"].GetString(), "date_nanos");
  EXPECT_STREQ(p["event"]["properties"]["created"]["type"].GetString(), "date_nanos");
  EXPECT_STREQ(p["container"]["properties"]["name"]["type"].GetString(), "keyword");
  EXPECT_STREQ(p["mesos"]["properties"]["task_id"]["type"].GetString(), "keyword");
  EXPECT_STREQ(p["kubernetes"]["properties"]["namespace"]["type"].GetString(), "keyword");
  EXPECT_STREQ(
      p["log"]["properties"]["syslog"]["properties"]["severity"]["properties"]["code"]["type"]
          .GetString(),
      "long");
}

}  // namespace
}  // namespace sluice::elasticsearch
