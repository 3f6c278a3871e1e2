// Capped exponential backoff with jitter, shared by every output that reconnects or retries.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>

namespace sluice {

class Backoff {
 public:
  Backoff(int64_t initial_ms, int64_t max_ms) : initial_(initial_ms), max_(max_ms) {}

  // The wait before the next attempt: random in [initial, cap], where the cap doubles with
  // every failure up to max. The floor keeps a flapping peer from being hammered.
  int64_t next_ms() {
    const int64_t cap = std::min(max_, initial_ << std::min(attempts_, 20));
    ++attempts_;
    std::uniform_int_distribution<int64_t> pick(std::min(initial_, cap), cap);
    return pick(rng_);
  }
  void reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  int64_t initial_;
  int64_t max_;
  int attempts_ = 0;
  std::minstd_rand rng_{std::random_device{}()};
};

}  // namespace sluice
