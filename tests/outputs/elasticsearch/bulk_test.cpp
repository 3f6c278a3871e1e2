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

// What Elasticsearch 8 answers has more than the test server's: everything else is skipped.
TEST(BulkResponse, SkipsWhatItDoesNotNeedAndTakesTheFirstOfDuplicateKeys) {
  const std::string body = R"({"errors":true,"took":30,"ingest_took":[1,{"items":[]}],"items":[
    {"create":{"_index":"i","_id":"a","_version":1,"result":"created","_shards":{"total":2,
      "successful":1,"failed":0,"status":500},"_seq_no":0,"_primary_term":1,"status":201}},
    {"index":{"status":400,"status":201,"error":{"type":"mapper_parsing_exception",
      "reason":"failed","caused_by":{"type":"illegal_argument_exception","error":{"type":"x"}},
      "type":"second"},"error":{"type":"third"}}}],"items":"ignored"})";
  std::vector<ItemResult> r;
  ASSERT_TRUE(parse_bulk_response(body, 2, r));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].outcome, Outcome::delivered);
  EXPECT_EQ(r[1].outcome, Outcome::rejected);
  EXPECT_EQ(r[1].reason, "mapper_parsing_exception");
}

TEST(BulkResponse, RejectsItemsOfTheWrongShape) {
  std::vector<ItemResult> r;
  for (const char* body : {
           R"([{"create":{"status":201}}])",          // not an object
           R"({"items":{"create":{"status":201}}})",  // items not an array
           R"({"items":[["create",201]]})",           // an item not an object
           R"({"items":[{}]})",                       // no action
           R"({"items":[{"create":{"status":201},"index":{"status":201}}]})",  // two actions
           R"({"items":[{"create":201}]})",                      // result not an object
           R"({"items":[{"create":{"status":"201"}}]})",         // status not a number
           R"({"items":[{"create":{"status":201.0}}]})",         // nor a double
           R"({"items":[{"create":{"status":4294967297}}]})",    // nor beyond int
           R"({"items":[{"create":{"status":201}}]} trailing)",  // not JSON
           R"({"took":1})",                                      // no items
       }) {
    EXPECT_FALSE(parse_bulk_response(body, 1, r)) << body;
  }
}

TEST(BulkResponse, ReadsAResponseOfFiveThousandItems) {
  std::string body = R"({"took":1,"items":[)";
  for (int i = 0; i < 5000; ++i) {
    if (i) body += ',';
    body +=
        i % 100 == 7
            ? R"({"create":{"_id":"x","status":429,"error":{"type":"es_rejected_execution_exception"}}})"
            : R"({"create":{"_id":"x","status":201,"result":"created"}})";
  }
  body += R"(],"errors":true})";
  std::vector<ItemResult> r;
  ASSERT_TRUE(parse_bulk_response(body, 5000, r));
  ASSERT_EQ(r.size(), 5000u);
  size_t retry = 0;
  for (const auto& x : r) retry += x.outcome == Outcome::retry;
  EXPECT_EQ(retry, 50u);
  EXPECT_EQ(r[7].reason, "es_rejected_execution_exception");
  EXPECT_FALSE(parse_bulk_response(body, 4999, r));  // a count that is not the request's
  EXPECT_FALSE(parse_bulk_response(body, 5001, r));
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
