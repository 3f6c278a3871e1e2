// The Kafka message key of a record: it decides the partition, so one app's lines stay in order.
#pragma once

#include <string>
#include <string_view>

#include "agent/record.h"

namespace sluice::kafka {

enum class KeyField { automatic, marathon_app_id, container_name, host_name, none };

// "auto", "marathon.app_id", "container.name", "host.name" or "none".
bool parse_key_field(std::string_view text, KeyField& out);

// automatic: the Marathon app id, else the container name, else the host.
std::string_view record_key(const Record& r, KeyField field, std::string_view agent_host);

}  // namespace sluice::kafka
