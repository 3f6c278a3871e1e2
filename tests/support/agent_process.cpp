#include "tests/support/agent_process.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/wait.h"

namespace sluice::test {
AgentProcess::AgentProcess() {
  char tmpl[] = "/tmp/sluice-agent-XXXXXX";
  dir_ = mkdtemp(tmpl);
}

AgentProcess::~AgentProcess() {
  if (pid_ > 0) kill_hard();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void AgentProcess::write_config(const std::string& toml) { std::ofstream(config_path()) << toml; }

bool AgentProcess::start(std::chrono::milliseconds timeout) {
  const std::string log_path = dir_ + "/agent.log";
  ++runs_;
  // stdout (console outputs) and stderr (the agent's log) share the log file.
  pid_ = spawn({sluice_binary(), "--config", config_path()}, log_path, env_);
  // The n-th start waits for the n-th "running with" line of the shared log.
  const int want = runs_;
  return wait_until(
             [&] {
               int status;
               if (waitpid(pid_, &status, WNOHANG) == pid_) {
                 pid_ = -1;
                 return true;
               }
               std::string l = log();
               int n = 0;
               for (size_t at = l.find("running with"); at != std::string::npos;
                    at = l.find("running with", at + 1)) {
                 ++n;
               }
               return n >= want;
             },
             timeout) &&
         pid_ > 0;
}

void AgentProcess::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> AgentProcess::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const bool exited = wait_until([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
  if (!exited) {
    kill_hard();
    return std::nullopt;
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void AgentProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string AgentProcess::log() const {
  std::ifstream in(dir_ + "/agent.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool AgentProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_until([&] { return log().find(text) != std::string::npos; }, timeout);
}

uint16_t AgentProcess::api_port() const {
  const std::string l = log();
  const size_t at = l.rfind("(port ");
  return at == std::string::npos ? 0 : static_cast<uint16_t>(std::stoi(l.substr(at + 6)));
}

std::optional<OutputReport> AgentProcess::report(const std::string& output) const {
  const std::string l = log();
  const std::string key = "output " + output + ": ";
  const size_t at = l.rfind(key);
  if (at == std::string::npos) return std::nullopt;
  std::istringstream line(l.substr(at + key.size(), l.find('\n', at) - at - key.size()));
  OutputReport r;
  std::string field;
  while (line >> field) {
    const size_t eq = field.find('=');
    if (eq == std::string::npos) continue;
    r.fields[field.substr(0, eq)] = std::stoull(field.substr(eq + 1));
  }
  r.received = r.fields["received"];
  r.delivered = r.fields["delivered"];
  r.dropped = r.fields["dropped"];
  r.buffered = r.fields["buffered"];
  return r;
}

std::pair<long, std::string> http_get(uint16_t port, const std::string& path) {
  CURL* c = curl_easy_init();
  std::string body;
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* ud) {
        static_cast<std::string*>(ud)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  long status = 0;
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  return {status, body};
}

}  // namespace sluice::test
