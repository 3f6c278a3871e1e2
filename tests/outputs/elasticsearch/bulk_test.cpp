#include <gtest/gtest.h>

#include "outputs/elasticsearch/bulk_encoding.h"
#include "outputs/elasticsearch/bulk_response.h"

namespace sluice::elasticsearch {
namespace {

TEST(BulkResponse, ClassifiesEveryItem) {
  const std::string body = R"({"took":3,"errors":true,"items":[
    {"create":{"_id":"a","status":201}},
    {"create":{"_id":"b","status":409,"error":{"type":"version_conflict_engine_exception"}}},
    {"create":{"_id":"c","status":429,"error":{"type":"es_rejected_execution_exception"}}},
    {"create":{"_id":"d","status":503,"error":{"type":"unavailable_shards_exception"}}},
    {"create":{"_id":"e","status":400,"error":{"type":"document_parsing_exception"}}},
    {"create":{"_id":"f","status":404}}]})";
  std::vector<ItemResult> r;
  ASSERT_TRUE(parse_bulk_response(body, 6, r));
  EXPECT_EQ(r[0].outcome, Outcome::delivered);
  EXPECT_EQ(r[1].outcome, Outcome::delivered);  // stored by an earlier try
  EXPECT_EQ(r[2].outcome, Outcome::retry);
  EXPECT_EQ(r[3].outcome, Outcome::retry);
  EXPECT_EQ(r[4].outcome, Outcome::rejected);
  EXPECT_EQ(r[4].reason, "document_parsing_exception");
  EXPECT_EQ(r[5].reason, "http_404");
}

TEST(BulkResponse, RejectsWhatIsNotABulkResponseForThoseItems) {
  std::vector<ItemResult> r;
  EXPECT_FALSE(parse_bulk_response(R"({"items":[{"create":{"status":201}}]})", 2, r));
  EXPECT_FALSE(parse_bulk_response("<html>proxy error</html>", 1, r));
  EXPECT_FALSE(parse_bulk_response(R"({"items":[{"create":{}}]})", 1, r));
}

TEST(DocumentId, SameRecordSameIdAndNeighboursDiffer) {
  SourceMeta meta;
  meta.input = "local";
  Record r;
  r.receive_ns = 5;
  r.event_ns = 4;
  r.message = "same text";
  r.meta = &meta;
  EXPECT_EQ(document_id(r, 7), document_id(r, 7));
  EXPECT_NE(document_id(r, 7), document_id(r, 8));  // identical lines in one batch stay distinct
  EXPECT_EQ(document_id(r, 7).size(), 16u);
}

TEST(IndexName, StrftimeOnTheEventTimeInUtc) {
  EXPECT_EQ(index_name("sluice-%Y.%m.%d", 1764018000123456789), "sluice-2025.11.24");
  EXPECT_EQ(index_name("fixed", 0), "fixed");
}

}  // namespace
}  // namespace sluice::elasticsearch
