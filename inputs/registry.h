// Every input kind the agent knows: adding one is a new folder and one line in registry.cpp.
#pragma once

#include <span>

#include "agent/component.h"

namespace sluice {

std::span<const InputKind* const> input_kinds();

}  // namespace sluice
