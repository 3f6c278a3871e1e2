#pragma once

#include "agent/component.h"

namespace sluice::file {

extern const OutputKind kind;  // type = "file"

}  // namespace sluice::file
