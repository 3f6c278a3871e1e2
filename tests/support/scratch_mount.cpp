#include "tests/support/scratch_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::test {

ScratchMount::ScratchMount(std::string path, size_t bytes)
    : path_(std::move(path)), size_option_("size=" + std::to_string(bytes)) {
  if (mkdir(path_.c_str(), 0750) != 0 && errno != EEXIST) {
    error_ = "mkdir " + path_ + ": " + std::strerror(errno);
  } else if (mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, size_option_.c_str()) !=
             0) {
    error_ = "mount tmpfs on " + path_ + ": " + std::strerror(errno);
  } else {
    mounted_ = true;
  }
}

ScratchMount::~ScratchMount() {
  if (mounted_) umount2(path_.c_str(), MNT_DETACH);
}

size_t ScratchMount::fill() {
  const int fd = open((path_ + "/filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 0;
  static const char block[4096] = {};
  size_t total = 0;
  for (ssize_t n; (n = write(fd, block, sizeof block)) > 0;) total += static_cast<size_t>(n);
  close(fd);
  return total;
}

bool ScratchMount::remount_read_only() {
  return mounted_ &&
         mount(nullptr, path_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, size_option_.c_str()) == 0;
}

}  // namespace sluice::test
