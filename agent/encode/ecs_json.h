// A record as one JSON document with ECS field names (what Kibana expects). One encoder shared
// by every output that writes JSON (console, file, Kafka, Elasticsearch).
#pragma once

#include <string>

#include "agent/record.h"

namespace sluice::encode {

// Appends the document (no trailing newline). Invalid UTF-8 becomes U+FFFD so that the
// document is always valid JSON.
void append_ecs_json(const Record& r, const std::string& agent_hostname, std::string& out);

// Appends an RFC 3339 UTC timestamp with nanoseconds: "2026-11-24T21:00:00.123456789Z".
void append_timestamp_ns(int64_t ns, std::string& out);

}  // namespace sluice::encode
