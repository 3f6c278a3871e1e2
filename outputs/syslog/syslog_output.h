// The syslog output: RFC 5424 (or RFC 3164) over UDP, TCP or TLS.
#pragma once

#include "agent/component.h"

namespace sluice::syslog {

extern const OutputKind kind;

}  // namespace sluice::syslog
