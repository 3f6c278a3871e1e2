// Elasticsearch's `filter_path` response filtering, as the bulk test server applies it.
#pragma once

#include <string>

namespace sluice::test {

// Keeps only the members on the given comma-separated dotted paths ("*" in a name matches any
// characters, arrays pass through to their elements); objects and arrays left empty go too.
// Elasticsearch filters successful responses only: error responses are never filtered.
std::string filter_path(const std::string& json, const std::string& paths);

}  // namespace sluice::test
