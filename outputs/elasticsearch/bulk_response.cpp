#include "outputs/elasticsearch/bulk_response.h"

#include <rapidjson/document.h>

namespace sluice::elasticsearch {

bool parse_bulk_response(std::string_view body, size_t items, std::vector<ItemResult>& out) {
  rapidjson::Document d;
  // Iterative: the body comes from the network, and the recursive parser overflows the stack on
  // deep nesting (a 1 MB body of '[' crashes the agent).
  d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("items") || !d["items"].IsArray() ||
      d["items"].Size() != items) {
    return false;
  }
  out.clear();
  for (const auto& item : d["items"].GetArray()) {
    if (!item.IsObject() || item.MemberCount() != 1) return false;
    const auto& result = item.MemberBegin()->value;
    if (!result.IsObject() || !result.HasMember("status") || !result["status"].IsInt())
      return false;
    const int status = result["status"].GetInt();
    std::string type;
    if (result.HasMember("error") && result["error"].IsObject() &&
        result["error"].HasMember("type") && result["error"]["type"].IsString()) {
      type = result["error"]["type"].GetString();
    }
    if ((status >= 200 && status < 300) || status == 409) {
      out.push_back({Outcome::delivered, ""});
    } else if (status == 429 || status >= 500) {
      out.push_back({Outcome::retry, type});
    } else {
      out.push_back({Outcome::rejected, type.empty() ? "http_" + std::to_string(status) : type});
    }
  }
  return true;
}

}  // namespace sluice::elasticsearch
