// Peers and the agent run as child processes that die with the test process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::test {

// Starts argv[0] with stdout and stderr appended to log_path; returns the pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::map<std::string, std::string>& env = {});
// SIGTERM and wait for it to exit.
void terminate(pid_t pid);

// A port on 127.0.0.1 nothing listens on right now (type: SOCK_STREAM or SOCK_DGRAM).
uint16_t free_port(int type);

}  // namespace sluice::test
