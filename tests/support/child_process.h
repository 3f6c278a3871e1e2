// Peers and the agent run as child processes that die with the test process.
#pragma once

#include <netinet/in.h>
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::test {

// Starts argv[0] with stdout and stderr appended to log_path; returns the pid. With
// `stdin_never_ends`, its stdin is a pipe that never has data nor EOF (openssl s_server ends a
// connection when its stdin ends).
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::map<std::string, std::string>& env = {}, bool stdin_never_ends = false);
// SIGTERM and wait for it to exit.
void terminate(pid_t pid);

// 127.0.0.1:port, for bind and connect.
sockaddr_in loopback_address(uint16_t port);
// Binds `fd` to 127.0.0.1:port (0: any free one); the port it got, or 0 if bind failed.
uint16_t bind_loopback(int fd, uint16_t port = 0);
// A port on 127.0.0.1 nothing listens on right now (type: SOCK_STREAM or SOCK_DGRAM).
uint16_t free_port(int type);
// Something on 127.0.0.1 accepts TCP connections on `port`.
bool port_accepts(uint16_t port);

}  // namespace sluice::test
