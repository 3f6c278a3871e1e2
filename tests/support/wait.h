// Waiting on conditions in tests: poll a condition until it holds or a deadline passes.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace sluice::test {

inline bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds every = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(every);
  }
  return true;
}

}  // namespace sluice::test
