// A small tmpfs mounted for one test, to make a directory full or read-only for real (root
// ignores permission bits, so chmod cannot). Unmounted when the object goes.
#pragma once

#include <cstddef>
#include <string>

namespace sluice::test {

class ScratchMount {
 public:
  ScratchMount(std::string path, size_t bytes);  // creates `path` and mounts there
  ~ScratchMount();
  ScratchMount(const ScratchMount&) = delete;
  ScratchMount& operator=(const ScratchMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }  // why it is not mounted
  const std::string& path() const { return path_; }
  // Writes a file until the filesystem has no space left; the bytes written.
  size_t fill();
  bool remount_read_only();

 private:
  std::string path_, size_option_, error_;
  bool mounted_ = false;
};

}  // namespace sluice::test
