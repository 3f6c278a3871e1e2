// packaging/elasticsearch/: the index template and the data stream template map every field the
// encoder writes, with a type that fits it.
#include <gtest/gtest.h>

#include "tests/packaging/elasticsearch/encoded_fields.h"
#include "tests/packaging/packaging_support.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingElasticsearch, TemplatesMapEveryFieldTheEncoderWrites) {
  std::set<std::string> patterns;
  std::set<std::string> mapped;
  for (const char* file : kTemplateFiles) {
    SCOPED_TRACE(file);
    const auto t = parse_json(source_file(file));
    for (const auto& p : t["index_patterns"].GetArray()) patterns.insert(p.GetString());
    const bool data_stream = std::string(t["index_patterns"][0].GetString()) == "logs-sluice-*";
    EXPECT_EQ(t.HasMember("data_stream"), data_stream);
    if (data_stream) {
      EXPECT_TRUE(t["data_stream"].IsObject());
    }
    const auto& props = t["template"]["mappings"]["properties"];
    for (const auto& json : encoded_documents()) {
      std::vector<std::string> problems;
      check_mapped(parse_json(json), props, "", mapped, problems);
      EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems) << "\n" << json;
    }
  }
  EXPECT_EQ(patterns, (std::set<std::string>{"sluice-*", "logs-sluice-*"}));
  // The table of the README, as the encoder writes it.
  for (const char* f : {"@timestamp",
                        "event.created",
                        "message",
                        "host.name",
                        "log.syslog.facility.code",
                        "log.syslog.severity.name",
                        "log.syslog.appname",
                        "log.syslog.structured_data",
                        "process.pid",
                        "stream",
                        "container.id",
                        "container.name",
                        "container.image.name",
                        "container.labels",
                        "marathon.app_id",
                        "mesos.task_id",
                        "kubernetes.pod.name",
                        "kubernetes.namespace",
                        "kubernetes.container.name",
                        "sluice.input"})
    EXPECT_TRUE(mapped.count(f)) << f << " is not written by the encoder any more";
}

}  // namespace
}  // namespace sluice::test::packaging
