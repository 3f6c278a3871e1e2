#include "tests/support/port_holder.h"

#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace sluice::test {
namespace {

constexpr const char* kTcpListen = "0A";  // TCP_LISTEN in /proc/net/tcp's "st" column

// The inodes of the sockets bound to `port` in /proc/net/<table> (and its IPv6 twin).
std::set<std::string> socket_inodes(const std::string& table, bool listening_only, uint16_t port) {
  std::set<std::string> inodes;
  for (const std::string& name : {table, table + "6"}) {
    std::ifstream in("/proc/net/" + name);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const size_t colon = local.rfind(':');
      if (colon == std::string::npos) continue;
      if (std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
      if (listening_only && state != kTcpListen) continue;
      inodes.insert(inode);
    }
  }
  return inodes;
}

}  // namespace

PortHolder port_holder(pid_t pid, int type, uint16_t port) {
  const std::set<std::string> inodes =
      socket_inodes(type == SOCK_STREAM ? "tcp" : "udp", type == SOCK_STREAM, port);
  if (inodes.empty()) return PortHolder::none;
  std::error_code ec;
  for (const auto& fd :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    // "socket:[12345]"
    if (target.rfind("socket:[", 0) == 0 && inodes.count(target.substr(8, target.size() - 9)) > 0)
      return PortHolder::self;
  }
  return PortHolder::other;
}

}  // namespace sluice::test
