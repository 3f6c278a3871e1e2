// Every output kind the agent knows: adding one is a new folder and one line in registry.cpp.
#pragma once

#include <span>

#include "agent/component.h"

namespace sluice {

std::span<const OutputKind* const> output_kinds();

}  // namespace sluice
