// Memory for the buffer's segments straight from the kernel, each block a mapping of its own:
// what the buffer frees goes back at once, so a buffer that drains after a burst gives its
// memory back, and no holes are left in the heap between segments of different sizes (which
// kept the resident size of a full, churning buffer well above what it held). Only the pages
// written become resident.
#pragma once

#include <cstddef>

namespace sluice {

class Pages {
 public:
  Pages() = default;
  explicit Pages(size_t bytes);  // throws std::bad_alloc
  Pages(Pages&& other) noexcept { *this = static_cast<Pages&&>(other); }
  Pages& operator=(Pages&& other) noexcept;
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;
  ~Pages() { release(); }

  char* data() const { return data_; }
  size_t size() const { return size_; }  // whole pages
  explicit operator bool() const { return data_ != nullptr; }
  // Gives back the whole pages past the first `bytes`.
  void shrink(size_t bytes);

 private:
  void release();
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace sluice
