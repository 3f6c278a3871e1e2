// packaging/kibana/sluice-saved-objects.ndjson: a data view over both templates' indices and a
// saved search whose columns show where each line comes from.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "tests/packaging/elasticsearch/encoded_fields.h"
#include "tests/packaging/packaging_support.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingKibana, DataViewCoversBothTemplatesAndTheSearchShowsContainerColumns) {
  std::istringstream in(source_file("packaging/kibana/sluice-saved-objects.ndjson"));
  std::map<std::string, rapidjson::Document> by_type;
  for (std::string line; std::getline(in, line);) {
    if (trim(line).empty()) continue;
    rapidjson::Document d = parse_json(line);
    ASSERT_TRUE(d.IsObject());
    by_type[d["type"].GetString()] = std::move(d);
  }
  ASSERT_TRUE(by_type.count("index-pattern"));
  ASSERT_TRUE(by_type.count("search"));
  const auto& view = by_type["index-pattern"];
  const auto& search = by_type["search"];

  // The data view's patterns are exactly the templates' patterns.
  std::set<std::string> title, templates;
  std::istringstream parts(view["attributes"]["title"].GetString());
  for (std::string p; std::getline(parts, p, ',');) title.insert(p);
  for (const char* file : kTemplateFiles) {
    const auto t = parse_json(source_file(file));
    for (const auto& p : t["index_patterns"].GetArray()) templates.insert(p.GetString());
  }
  EXPECT_EQ(title, templates);
  EXPECT_STREQ(view["attributes"]["timeFieldName"].GetString(), "@timestamp");

  // The saved search uses the data view and shows where each line comes from.
  bool references_view = false;
  for (const auto& r : search["references"].GetArray()) {
    references_view |= std::string(r["id"].GetString()) == view["id"].GetString() &&
                       std::string(r["type"].GetString()) == "index-pattern";
  }
  EXPECT_TRUE(references_view);
  const auto source =
      parse_json(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"].GetString());
  EXPECT_STREQ(source["indexRefName"].GetString(), search["references"][0]["name"].GetString());
  std::vector<std::string> columns;
  for (const auto& c : search["attributes"]["columns"].GetArray())
    columns.emplace_back(c.GetString());
  for (const char* c : {"container.name", "marathon.app_id", "mesos.task_id", "message"})
    EXPECT_NE(std::find(columns.begin(), columns.end(), c), columns.end()) << c;

  // Every column is a field the encoder writes and the templates map.
  std::set<std::string> mapped;
  const auto t = parse_json(source_file(kTemplateFiles[0]));
  for (const auto& json : encoded_documents()) {
    std::vector<std::string> problems;  // the templates' own test reports them
    check_mapped(parse_json(json), t["template"]["mappings"]["properties"], "", mapped, problems);
  }
  for (const auto& c : columns) EXPECT_TRUE(mapped.count(c)) << c;
}

}  // namespace
}  // namespace sluice::test::packaging
