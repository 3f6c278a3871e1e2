// The ECS documents the agent writes, walked against the mappings of the Elasticsearch templates
// under packaging/elasticsearch/ (the Kibana objects are checked against the same fields).
#pragma once

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

namespace sluice::test::packaging {

inline constexpr const char* kTemplateFiles[] = {
    "packaging/elasticsearch/sluice-index-template.json",
    "packaging/elasticsearch/sluice-data-stream-template.json"};

// The encoder's output for records with every field it writes: one from /dev/log, one from a
// container of a Marathon app, one from a Kubernetes pod.
std::vector<std::string> encoded_documents();

// Walks a document against a template's properties: each field goes into `mapped` (a flattened
// or object mapping covers what is under it); a field that is not mapped, or mapped with a type
// that does not fit its value, adds a "path: problem" line.
void check_mapped(const rapidjson::Value& doc, const rapidjson::Value& props,
                  const std::string& prefix, std::set<std::string>& mapped,
                  std::vector<std::string>& problems);

}  // namespace sluice::test::packaging
