#include "tests/support/container_engine.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

bool ping(const std::string& socket) {
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket.c_str());
  curl_easy_setopt(c, CURLOPT_URL, "http://d/_ping");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1000L);
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void*) { return s * n; });
  long status = 0;
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  return status == 200;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

ContainerEngine::ContainerEngine() {
  char tmpl[] = "/tmp/sluice-podman-XXXXXX";
  dir_ = mkdtemp(tmpl);
  socket_ = dir_ + "/docker.sock";
  flags_ =
      "--runtime runc --cgroup-manager=cgroupfs --storage-driver=vfs --events-backend=file "
      "--root " +
      dir_ + "/root --runroot " + dir_ + "/runroot --tmpdir " + dir_ + "/tmp";
  // busybox-static as the whole image: no registry needed.
  const std::string rootfs = dir_ + "/rootfs";
  std::filesystem::create_directories(rootfs + "/bin");
  std::filesystem::copy_file("/bin/busybox", rootfs + "/bin/busybox");
  for (const char* tool : {"sh", "echo", "sleep", "seq", "cat", "head", "yes", "printf", "tr"}) {
    std::filesystem::create_symlink("busybox", rootfs + "/bin/" + tool);
  }
  podman("");  // creates the storage
  std::system(
      ("tar -C " + rootfs + " -c . | podman " + flags_ + " import - local/busybox >/dev/null 2>&1")
          .c_str());
}

ContainerEngine::~ContainerEngine() {
  podman("rm -af -t 0");
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::pair<int, std::string> ContainerEngine::podman(const std::string& args) const {
  FILE* p = popen(("podman " + flags_ + " " + args + " 2>>" + dir_ + "/podman.log").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

bool ContainerEngine::start() {
  service_ = spawn(
      {"/bin/sh", "-c", "exec podman " + flags_ + " system service --time=0 unix://" + socket_},
      dir_ + "/service.log");
  return wait_until([&] { return ping(socket_); }, std::chrono::seconds(20),
                    std::chrono::milliseconds(20));
}

void ContainerEngine::stop() {
  terminate(service_);
  service_ = -1;
  unlink(socket_.c_str());
}

std::string ContainerEngine::run(const Run& r) {
  std::string args = "run -d --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024";
  if (!r.name.empty()) args += " --name " + quote(r.name);
  if (r.tty) args += " -t";
  for (const auto& [k, v] : r.env) args += " -e " + quote(k + "=" + v);
  for (const auto& [k, v] : r.labels) args += " --label " + quote(k + "=" + v);
  args += " local/busybox sh -c " + quote(r.script);
  auto [status, out] = podman(args);
  return status == 0 ? out : "";
}

void ContainerEngine::remove(const std::string& name) { podman("rm -f -t 0 " + quote(name)); }

bool ContainerEngine::wait_exited(const std::string& name, int timeout_s) {
  return wait_until(
      [&] { return podman("inspect -f '{{.State.Running}}' " + quote(name)).second == "false"; },
      std::chrono::seconds(timeout_s), std::chrono::milliseconds(50));
}

}  // namespace sluice::test
