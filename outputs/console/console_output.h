#pragma once

#include "agent/component.h"

namespace sluice::console {

extern const OutputKind kind;  // type = "console"

}  // namespace sluice::console
