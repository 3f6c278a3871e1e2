// Sends syslog datagrams to a unix datagram socket the way local programs do: blocking sends,
// so the kernel applies backpressure instead of dropping.
#pragma once

#include <cstddef>
#include <string>

namespace sluice::test {

// A sender connected to path; waits up to 5 s for the socket to appear.
class DevlogSender {
 public:
  explicit DevlogSender(const std::string& path);
  ~DevlogSender();
  DevlogSender(const DevlogSender&) = delete;
  DevlogSender& operator=(const DevlogSender&) = delete;

  bool send(const std::string& datagram);
  // Sends n RFC 3164 messages "<14>Nov 24 21:00:00 app[1]: <tag> <i> <padding>" of about
  // `bytes` each, numbered from `first`; returns how many the kernel accepted.
  size_t send_numbered(const std::string& tag, size_t first, size_t n, size_t bytes = 200);

 private:
  int fd_ = -1;
};

}  // namespace sluice::test
