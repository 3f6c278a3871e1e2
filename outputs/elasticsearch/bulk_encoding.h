// One record as a bulk item: its action line and its ECS document.
#pragma once

#include <cstdint>
#include <string>

#include "agent/record.h"

namespace sluice::elasticsearch {

// The same record always gets the same id within a run, so a retried bulk request cannot
// duplicate it (create of an existing id answers 409, which counts as delivered).
std::string document_id(const Record& r, uint64_t seq);

// "sluice-%Y.%m.%d" on the event time, UTC.
std::string index_name(const std::string& pattern, int64_t event_ns);

// Appends "{"create":{"_index":…,"_id":…}}\n{document}\n".
void append_item(const Record& r, uint64_t seq, const std::string& target,
                 const std::string& hostname, std::string& out);

}  // namespace sluice::elasticsearch
