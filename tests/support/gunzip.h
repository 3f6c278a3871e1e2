// An independent gunzip for tests (and the Elasticsearch test server): zlib's inflate, apart
// from the agent's code, so that what the agent compresses is checked by another reader.
#pragma once

#include <string>
#include <string_view>

namespace sluice::test {

// Appends the uncompressed bytes to `out`; true only when `in` is exactly one whole gzip
// member, nothing after it.
bool gunzip(std::string_view in, std::string& out);

}  // namespace sluice::test
