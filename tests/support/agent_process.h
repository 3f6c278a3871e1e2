// The real sluice binary run as a child process with a test's config, as operators run it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace sluice::test {

// The agent under test is built like the tests. A sanitizer's shadow memory makes its RSS say
// nothing about the agent's own memory, so memory bounds are checked only without one.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedAgent = true;
#else
inline constexpr bool kSanitizedAgent = false;
#endif

// One output's accounting line, printed by the agent when it stops.
struct OutputReport {
  uint64_t received = 0, delivered = 0, dropped = 0, buffered = 0;
  std::map<std::string, uint64_t> fields;  // every key=value of the line
};

class AgentProcess {
 public:
  AgentProcess();
  ~AgentProcess();  // kills a still running agent
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  const std::string& dir() const { return dir_; }  // a temp dir owned by this object
  void write_config(const std::string& toml);      // as dir()/sluice.toml
  std::string config_path() const { return dir_ + "/sluice.toml"; }

  // Starts the agent and waits until it says it runs; false (and the log) when it does not.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Environment variables for the next start (e.g. NOTIFY_SOCKET, as systemd sets it).
  void set_env(const std::string& name, const std::string& value) { env_[name] = value; }
  void signal(int sig);
  // SIGTERM, then waits for exit; the exit code, or nothing on timeout (then SIGKILL).
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  void kill_hard();  // SIGKILL, as a crash would
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  std::string log() const;  // its stderr so far
  // Waits until its stderr contains `text`.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout);
  uint16_t api_port() const;  // from its "listening on" line; 0 when none
  std::optional<OutputReport> report(const std::string& output) const;

 private:
  std::string dir_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
  int runs_ = 0;
};

// A GET on the agent's API: status code and body (status 0 when the request failed).
std::pair<long, std::string> http_get(uint16_t port, const std::string& path);

}  // namespace sluice::test
