// The /dev/log input: a unix datagram socket read in batches, each datagram parsed as syslog.
#pragma once

#include <memory>

#include "agent/component.h"

namespace sluice::devlog {

extern const InputKind kind;

}  // namespace sluice::devlog
