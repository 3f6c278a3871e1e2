// What a bulk response says of each item: delivered, to retry, or rejected for good.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::elasticsearch {

enum class Outcome { delivered, retry, rejected };

struct ItemResult {
  Outcome outcome;
  std::string reason;  // the error type, for rejected (and retried) items
};

// 2xx and 409 on create (the document exists: an earlier try stored it) are delivered;
// 429 and 5xx are retried; other 4xx (mapping, parsing) are rejected. False when the body is
// not a bulk response for `items` items.
bool parse_bulk_response(std::string_view body, size_t items, std::vector<ItemResult>& out);

}  // namespace sluice::elasticsearch
