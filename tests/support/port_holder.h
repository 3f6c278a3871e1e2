// Which process holds a local port: a test peer told to listen on a port picked earlier may find
// that another test took it meanwhile, and "something accepts on it" would then be true of a
// stranger. Reads /proc/net (this network namespace) and the process's open descriptors.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace sluice::test {

enum class PortHolder { none, self, other };

// type: SOCK_STREAM (listening sockets only) or SOCK_DGRAM (bound sockets).
// self: `pid` has such a socket on `port`; other: only other processes have one.
PortHolder port_holder(pid_t pid, int type, uint16_t port);

}  // namespace sluice::test
