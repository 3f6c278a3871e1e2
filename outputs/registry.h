// Every output kind the agent knows: adding one is a new folder and one line in registry.cpp
// (and, for a kind in a module of its own, one line in CMakeLists.txt).
#pragma once

#include "agent/component.h"
#include "agent/modules/kind_registry.h"

namespace sluice {

const modules::KindRegistry<OutputKind>& output_kinds();

}  // namespace sluice
