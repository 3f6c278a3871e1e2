// The Elasticsearch bulk-response parser on arbitrary bodies. Input: [items][body], the first
// byte being how many items the request had.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outputs/elasticsearch/bulk_response.h"
#include "tests/fuzz/fuzz_check.h"

using namespace sluice::elasticsearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t items = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<ItemResult> out{{Outcome::retry, "stale"}};  // a reused vector, as the output does
  if (!parse_bulk_response(body, items, out)) return 0;
  // One result per item; a rejection always says why, a delivery never has a reason.
  FUZZ_CHECK(out.size() == items);
  for (const auto& r : out) {
    if (r.outcome == Outcome::rejected) FUZZ_CHECK(!r.reason.empty());
    if (r.outcome == Outcome::delivered) FUZZ_CHECK(r.reason.empty());
  }
  return 0;
}
