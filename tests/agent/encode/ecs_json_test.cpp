#include "agent/encode/ecs_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace sluice::encode {
namespace {

TEST(EcsJson, CarriesTimesHostSyslogAndContainerFields) {
  SourceMeta meta;
  meta.input = "docker";
  meta.container_id = "0123abcd";
  meta.container_name = "web-1";
  meta.image = "local/busybox";
  meta.marathon_app_id = "/shop/web";
  meta.mesos_task_id = "web.123";
  meta.labels = {{"team", "shop"},
                 {"io.kubernetes.pod.name", "web-abc"},
                 {"io.kubernetes.pod.namespace", "prod"}};
  Record r;
  r.event_ns = 1764018000123456789;
  r.receive_ns = 1764018000223456789;
  r.facility = 1;
  r.severity = 3;
  r.app_name = "web";
  r.stream = Stream::stderr_stream;
  r.message = "boom \"quoted\"\n";
  r.meta = &meta;
  std::string out;
  append_ecs_json(r, "node-7", out);
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(out.c_str()).HasParseError()) << out;
  EXPECT_STREQ(d["@timestamp"].GetString(), "2025-11-24T21:00:00.123456789Z");
  EXPECT_STREQ(d["event"]["created"].GetString(), "2025-11-24T21:00:00.223456789Z");
  EXPECT_STREQ(d["message"].GetString(), "boom \"quoted\"\n");
  EXPECT_STREQ(d["host"]["name"].GetString(), "node-7");
  EXPECT_EQ(d["log"]["syslog"]["severity"]["code"].GetInt(), 3);
  EXPECT_STREQ(d["log"]["syslog"]["severity"]["name"].GetString(), "error");
  EXPECT_STREQ(d["log"]["syslog"]["facility"]["name"].GetString(), "user");
  EXPECT_STREQ(d["log"]["syslog"]["appname"].GetString(), "web");
  EXPECT_STREQ(d["stream"].GetString(), "stderr");
  EXPECT_STREQ(d["container"]["id"].GetString(), "0123abcd");
  EXPECT_STREQ(d["container"]["name"].GetString(), "web-1");
  EXPECT_STREQ(d["container"]["image"]["name"].GetString(), "local/busybox");
  EXPECT_STREQ(d["container"]["labels"]["team"].GetString(), "shop");
  EXPECT_STREQ(d["marathon"]["app_id"].GetString(), "/shop/web");
  EXPECT_STREQ(d["mesos"]["task_id"].GetString(), "web.123");
  EXPECT_STREQ(d["kubernetes"]["pod"]["name"].GetString(), "web-abc");
  EXPECT_STREQ(d["kubernetes"]["namespace"].GetString(), "prod");
  EXPECT_STREQ(d["sluice"]["input"].GetString(), "docker");
}

TEST(EcsJson, InvalidUtf8BecomesReplacementCharacters) {
  Record r;
  r.message = std::string_view("ok \xff\xfe end \xe2\x82", 12);
  std::string out;
  append_ecs_json(r, "h", out);
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(out.c_str());
  ASSERT_FALSE(d.HasParseError()) << out;
  EXPECT_STREQ(d["message"].GetString(),
               "ok \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(EcsJson, NulBytesSurvive) {
  Record r;
  r.message = std::string_view("a\0b", 3);
  std::string out;
  append_ecs_json(r, "h", out);
  rapidjson::Document d;
  d.Parse(out.c_str(), out.size());
  ASSERT_FALSE(d.HasParseError()) << out;
  EXPECT_EQ(std::string(d["message"].GetString(), d["message"].GetStringLength()),
            std::string("a\0b", 3));
}

}  // namespace
}  // namespace sluice::encode
