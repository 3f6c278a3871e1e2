#include "buffer/pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <utility>

namespace sluice {
namespace {

size_t whole_pages(size_t bytes) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}

}  // namespace

Pages::Pages(size_t bytes) : size_(whole_pages(bytes)) {
  void* p = size_ ? mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                  : MAP_FAILED;
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<char*>(p);
}

Pages& Pages::operator=(Pages&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void Pages::shrink(size_t bytes) {
  const size_t keep = whole_pages(bytes);
  if (keep == 0) return release();
  if (keep >= size_) return;
  munmap(data_ + keep, size_ - keep);
  size_ = keep;
}

void Pages::release() {
  if (data_) munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace sluice
