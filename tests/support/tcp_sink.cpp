#include "tests/support/tcp_sink.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/wait.h"

namespace sluice::test {

TcpLineSink::TcpLineSink(uint16_t port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  port_ = bind_loopback(listen_fd_, port);
  listen(listen_fd_, 16);
  pipe(wake_);
  thread_ = std::thread([this] { run(); });
}

TcpLineSink::~TcpLineSink() {
  (void)!write(wake_[1], "x", 1);
  thread_.join();
  close(listen_fd_);
  close(wake_[0]);
  close(wake_[1]);
}

bool TcpLineSink::wait_for_lines(uint64_t n, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return lines_.load() >= n; }, timeout);
}

void TcpLineSink::run() {
  std::vector<pollfd> fds = {{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
  char buf[65536];
  for (;;) {
    poll(fds.data(), fds.size(), -1);
    if (fds[0].revents) break;
    if (fds[1].revents & POLLIN) {
      int c = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) fds.push_back({c, POLLIN, 0});
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        continue;
      }
      lines_ += static_cast<uint64_t>(std::count(buf, buf + n, '\n'));
    }
    std::erase_if(fds, [](const pollfd& p) { return p.fd < 0; });
  }
  for (size_t i = 2; i < fds.size(); ++i) close(fds[i].fd);
}

}  // namespace sluice::test
