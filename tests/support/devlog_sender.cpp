#include "tests/support/devlog_sender.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/support/wait.h"

namespace sluice::test {

DevlogSender::DevlogSender(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof addr.sun_path - 1);
  wait_until(
      [&] {
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return true;
        ::close(fd_);
        fd_ = -1;
        return false;
      },
      std::chrono::seconds(5));
}

DevlogSender::~DevlogSender() {
  if (fd_ >= 0) ::close(fd_);
}

bool DevlogSender::send(const std::string& datagram) {
  return fd_ >= 0 &&
         ::send(fd_, datagram.data(), datagram.size(), 0) == static_cast<ssize_t>(datagram.size());
}

size_t DevlogSender::send_numbered(const std::string& tag, size_t first, size_t n, size_t bytes) {
  size_t ok = 0;
  std::string msg;
  for (size_t i = first; i < first + n; ++i) {
    msg = "<14>Nov 24 21:00:00 app[1]: " + tag + " " + std::to_string(i) + " ";
    if (msg.size() < bytes) msg.append(bytes - msg.size(), 'x');
    ok += send(msg);
  }
  return ok;
}

}  // namespace sluice::test
