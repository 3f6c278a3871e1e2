// Debian's podman serving the Docker Engine API on a test-owned unix socket, with its own
// storage, and a busybox image imported without any registry.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace sluice::test {

class ContainerEngine {
 public:
  ContainerEngine();   // storage and image; the API service is not started
  ~ContainerEngine();  // removes containers, stops the service, deletes storage
  ContainerEngine(const ContainerEngine&) = delete;
  ContainerEngine& operator=(const ContainerEngine&) = delete;

  bool start();  // returns once GET /_ping answers
  void stop();
  const std::string& socket() const { return socket_; }

  struct Run {
    std::string name;
    std::string script;  // sh -c
    std::map<std::string, std::string> env, labels;
    bool tty = false;
  };
  std::string run(const Run& r);  // detached; the container id, empty on failure
  void remove(const std::string& name);
  bool wait_exited(const std::string& name, int timeout_s);

  // podman with the engine's storage flags; the exit status and stdout.
  std::pair<int, std::string> podman(const std::string& args) const;

 private:
  std::string dir_, socket_, flags_;
  pid_t service_ = -1;
};

}  // namespace sluice::test
