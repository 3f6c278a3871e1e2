// A TCP server on 127.0.0.1 that counts the LF-terminated lines it receives, on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace sluice::test {

class TcpLineSink {
 public:
  explicit TcpLineSink(uint16_t port = 0);  // 0: any free port
  ~TcpLineSink();
  uint16_t port() const { return port_; }
  uint64_t lines() const { return lines_.load(); }
  bool wait_for_lines(uint64_t n, std::chrono::milliseconds timeout) const;

 private:
  void run();
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::atomic<uint64_t> lines_{0};
  std::thread thread_;
};

}  // namespace sluice::test
