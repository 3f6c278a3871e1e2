// Option tables of the agent's own sections: [agent] and [buffer].
#pragma once

#include <span>

#include "config/options.h"

namespace sluice::config {

std::span<const Option> agent_options();
std::span<const Option> buffer_options();
std::span<const Option> api_options();

}  // namespace sluice::config
