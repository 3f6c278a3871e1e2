// The Docker input: every container's stdout and stderr through the Engine API, with its
// metadata, followed as containers start and die, resumed from checkpoints after a restart.
#pragma once

#include "agent/component.h"

namespace sluice::docker {

extern const InputKind kind;

}  // namespace sluice::docker
