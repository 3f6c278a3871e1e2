// The bulk test server's filter_path, against what Elasticsearch answers with the same filter.
#include "tests/support/es_filter_path.h"

#include <gtest/gtest.h>

namespace sluice::test {
namespace {

const std::string kBulk =
    R"({"took":1,"errors":true,"items":[)"
    R"({"create":{"_index":"logs","_id":"a","_version":1,"result":"created","status":201}},)"
    R"({"create":{"_index":"logs","_id":"b","status":409,)"
    R"("error":{"type":"version_conflict_engine_exception","reason":"[b]: exists"}}}]})";

TEST(EsFilterPath, KeepsStatusesAndErrorsOfEachItem) {
  EXPECT_EQ(filter_path(kBulk, "errors,items.*.status,items.*.error"),
            R"({"errors":true,"items":[{"create":{"status":201}},)"
            R"({"create":{"status":409,"error":{"type":"version_conflict_engine_exception",)"
            R"("reason":"[b]: exists"}}}]})");
}

TEST(EsFilterPath, ANameMayEndInAWildcardAndPathsMayGoDeeper) {
  EXPECT_EQ(filter_path(kBulk, "item*.*.error.type"),
            R"({"items":[{"create":{"error":{"type":"version_conflict_engine_exception"}}}]})");
}

TEST(EsFilterPath, NothingMatchedLeavesAnEmptyObject) {
  EXPECT_EQ(filter_path(kBulk, "nothing.here"), "{}");
  EXPECT_EQ(filter_path(kBulk, "took"), R"({"took":1})");
}

}  // namespace
}  // namespace sluice::test
