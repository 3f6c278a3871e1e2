// The Debian package, as an operator gets it: built by CPack from this build tree, its control
// data and contents inspected, unpacked into a throwaway root, its config checked by its own
// binary, and that binary run on that config the way its systemd unit runs it (READY=1 on
// NOTIFY_SOCKET, the manifests' health path answered, SIGHUP reloads, SIGTERM drains and exits 0).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "tests/packaging/docker/dockerfile_stages.h"
#include "tests/packaging/kubernetes/kubernetes_objects.h"
#include "tests/packaging/packaging_support.h"
#include "tests/support/agent_process.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/wait.h"

namespace sluice::test::packaging {
namespace {

using namespace std::chrono_literals;

// Package names of a Depends: field ("a (>= 1), b | c" -> a, b, c).
std::map<std::string, std::string> depends_of(const std::string& field) {
  std::map<std::string, std::string> out;  // name -> version constraint
  std::istringstream in(field);
  for (std::string alt; std::getline(in, alt, ',');) {
    std::istringstream alts(alt);
    for (std::string dep; std::getline(alts, dep, '|');) {
      dep = trim(dep);
      const size_t paren = dep.find('(');
      const std::string name = trim(dep.substr(0, paren));
      out[name] = paren == std::string::npos ? "" : dep.substr(paren);
    }
  }
  return out;
}

// The Debian package that ships a library the binary names in NEEDED, as dpkg knows it (the
// copy in this architecture's multiarch directory).
std::string package_of_library(const std::string& soname) {
  static const std::string multiarch =
      trim(run_shell("dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null").output);
  auto r = run_shell("dpkg -S " + shell_quote("*/" + multiarch + "/" + soname));
  if (r.exit_code != 0) return "";
  return r.output.substr(0, r.output.find_first_of(":,"));
}

// The health paths the Marathon app and the DaemonSet check.
std::set<std::string> manifest_health_paths() {
  std::set<std::string> out;
  const auto marathon = parse_json(source_file("packaging/marathon/sluice.json"));
  if (marathon.IsObject()) out.insert(marathon["healthChecks"][0]["path"].GetString());
  const YAML::Node ds = kubernetes_object("DaemonSet");
  const YAML::Node container = ds["spec"]["template"]["spec"]["containers"][0];
  out.insert(scalar(container, {"livenessProbe", "httpGet", "path"}));
  return out;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The socket systemd gives a Type=notify service as NOTIFY_SOCKET; receives wait up to 20 s.
int notify_socket(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof addr.sun_path - 1);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// A spawned process, killed when the test ends before it has waited for it.
struct Child {
  pid_t pid = -1;
  ~Child() {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

TEST(DebianPackage, BuildsWithItsDependenciesUnpacksAndItsAgentRunsOnItsConfig) {
  const auto started = std::chrono::steady_clock::now();
  // The top of the build tree, where the sluice binary is built and CPack's config is.
  const std::string build = dirname_of(sluice_binary());
  ASSERT_TRUE(std::filesystem::exists(build + "/CPackConfig.cmake"))
      << "no CPack config in " << build << ": is packaging/cpack.cmake included?";

  // Build it into a directory of this test's own (CPack's staging tree goes there too).
  TempDir out;
  auto cpack =
      run_shell("cd " + shell_quote(build) + " && cpack -G DEB --config CPackConfig.cmake -B " +
                shell_quote(out.path()));
  ASSERT_EQ(cpack.exit_code, 0) << cpack.output;
  std::string deb;
  for (const auto& e : std::filesystem::directory_iterator(out.path())) {
    if (e.path().extension() == ".deb") deb = e.path().string();
  }
  ASSERT_FALSE(deb.empty()) << cpack.output;
  const std::string arch = trim(run_shell("dpkg --print-architecture").output);
  EXPECT_EQ(std::filesystem::path(deb).filename().string(),
            "sluice_" SLUICE_VERSION "_" + arch + ".deb");

  // Control: Depends from dpkg-shlibdeps (versioned), one package for every library the binary
  // links, plus adduser for postinst.
  auto field = run_shell("dpkg-deb -f " + shell_quote(deb) + " Depends");
  ASSERT_EQ(field.exit_code, 0) << field.output;
  const auto depends = depends_of(field.output);
  EXPECT_TRUE(depends.count("adduser")) << field.output;
  ASSERT_TRUE(depends.count("libuv1")) << field.output;
  EXPECT_NE(depends.at("libuv1").find(">="), std::string::npos)
      << "unversioned: were the dependencies found by dpkg-shlibdeps?\n"
      << field.output;
  TempDir root;
  ASSERT_EQ(run_shell("dpkg-deb -x " + shell_quote(deb) + " " + shell_quote(root.path())).exit_code,
            0);
  const std::string binary = root.path() + "/usr/bin/sluice";
  // The binary and the modules it loads (their libraries, too, must be in Depends).
  std::vector<std::string> elf_files{binary};
  for (const char* m : {"docker", "elasticsearch", "kafka", "tls"})
    elf_files.push_back(root.path() + "/usr/lib/sluice/sluice-" + m + ".so");
  const std::regex needed_line(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  int libraries = 0;
  for (const auto& elf : elf_files) {
    auto needed = run_shell("readelf -d " + shell_quote(elf));
    ASSERT_EQ(needed.exit_code, 0) << needed.output;
    for (auto it = std::sregex_iterator(needed.output.begin(), needed.output.end(), needed_line);
         it != std::sregex_iterator(); ++it) {
      const std::string soname = (*it)[1];
      const std::string package = package_of_library(soname);
      ++libraries;
      EXPECT_TRUE(depends.count(package))
          << elf << ": " << soname << " (" << package << ") not in Depends: " << field.output;
    }
  }
  // Loaded with dlopen when systemd asks for notifications, so no NEEDED entry names it.
  EXPECT_TRUE(depends.count("libsystemd0")) << field.output;
  EXPECT_GE(libraries, 8);

  // The container image installs the same runtime libraries (less the ones every Debian image
  // has, and the sanitizer runtimes of a sanitized build), and besides them only what its
  // HEALTHCHECK uses.
  const auto stages = image_stages();
  ASSERT_FALSE(stages.empty());
  const auto runtime_packages = apt_installs(stages.back());
  const std::set<std::string> in_image(runtime_packages.begin(), runtime_packages.end());
  for (const auto& [name, version] : depends) {
    if (name == "adduser" || name == "libc6" || name == "libgcc-s1" || name == "libstdc++6" ||
        name.rfind("libasan", 0) == 0 || name.rfind("libubsan", 0) == 0 ||
        name.rfind("libtsan", 0) == 0)
      continue;
    EXPECT_TRUE(in_image.count(name)) << name << " is missing from the Dockerfile's runtime stage";
  }
  for (const auto& name : in_image) {
    EXPECT_TRUE(depends.count(name) || name == "curl" || name == "ca-certificates")
        << name << " in the Dockerfile's runtime stage is not a dependency of the binary";
  }

  // Contents.
  auto contents = run_shell("dpkg-deb -c " + shell_quote(deb));
  ASSERT_EQ(contents.exit_code, 0);
  for (const char* f :
       {"./usr/bin/sluice", "./usr/lib/sluice/sluice-kafka.so",
        "./usr/lib/sluice/sluice-elasticsearch.so", "./usr/lib/sluice/sluice-docker.so",
        "./usr/lib/sluice/sluice-tls.so", "./etc/sluice/sluice.toml", "./etc/default/sluice",
        "./lib/systemd/system/sluice.service",
        "./usr/share/sluice/elasticsearch/sluice-index-template.json",
        "./usr/share/sluice/elasticsearch/sluice-data-stream-template.json",
        "./usr/share/sluice/kibana/sluice-saved-objects.ndjson",
        "./usr/share/doc/sluice/packaging.md"}) {
    EXPECT_NE(contents.output.find(std::string(f) + "\n"), std::string::npos) << f;
  }
  EXPECT_EQ(access(binary.c_str(), X_OK), 0);
  EXPECT_EQ(read_text(root.path() + "/lib/systemd/system/sluice.service"),
            source_file("packaging/systemd/sluice.service"));

  // Control files: conffiles (edits survive upgrades) and the maintainer scripts.
  const std::string control = root.path() + "/DEBIAN";
  ASSERT_EQ(run_shell("dpkg-deb -e " + shell_quote(deb) + " " + shell_quote(control)).exit_code, 0);
  const std::string conffiles = read_text(control + "/conffiles");
  EXPECT_NE(conffiles.find("/etc/sluice/sluice.toml\n"), std::string::npos) << conffiles;
  EXPECT_NE(conffiles.find("/etc/default/sluice\n"), std::string::npos) << conffiles;
  for (const char* script : {"postinst", "prerm", "postrm"})
    EXPECT_EQ(access((control + "/" + script).c_str(), X_OK), 0) << script;

  // The packaged config passes the packaged binary's --check.
  const std::string config = root.path() + "/etc/sluice/sluice.toml";
  auto check = check_config(binary, config, {});
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find(": ok: "), std::string::npos) << check.output;

  // The packaged binary runs on the packaged config as the unit runs it: only the paths and
  // port a test may use are changed.
  TempDir run;
  const uint16_t port = free_port(SOCK_STREAM);
  std::string toml = read_text(config);
  toml =
      replace_once(toml, "path = \"/run/sluice/dev-log\"", "path = \"" + run.path() + "/dev-log\"");
  toml = replace_once(toml, "# listen = \"" + default_api_listen() + "\"",
                      "listen = \"127.0.0.1:" + std::to_string(port) + "\"");
  toml = replace_once(toml, "# data_dir = \"" + default_data_dir() + "\"",
                      "data_dir = \"" + run.path() + "/state\"");
  write_text(run.path() + "/sluice.toml", toml);

  const std::string notify_path = run.path() + "/notify.sock";
  const int notify = notify_socket(notify_path);
  ASSERT_GE(notify, 0) << notify_path;

  const std::string log = run.path() + "/agent.log";
  Child agent{spawn({binary, "--config", run.path() + "/sluice.toml"}, log,
                    {{"NOTIFY_SOCKET", notify_path}})};
  const pid_t pid = agent.pid;
  char buf[256] = {};
  const ssize_t n = recv(notify, buf, sizeof buf - 1, 0);
  close(notify);
  ASSERT_GT(n, 0) << "no READY=1 from the agent:\n" << read_text(log);
  EXPECT_STREQ(buf, "READY=1");
  EXPECT_TRUE(std::filesystem::exists(run.path() + "/dev-log")) << "ready before bound";

  for (const auto& path : manifest_health_paths()) {
    auto [status, body] = http_get(port, path);
    EXPECT_EQ(status, 200) << path << ": " << body;
    EXPECT_NE(body.find("\"status\":\"ok\""), std::string::npos) << path << ": " << body;
  }
  EXPECT_EQ(manifest_health_paths(), std::set<std::string>{std::string(kHealthPath)});

  // systemctl reload: SIGHUP.
  kill(pid, SIGHUP);
  EXPECT_TRUE(
      wait_until([&] { return read_text(log).find("config reloaded") != std::string::npos; }, 10s))
      << read_text(log);

  // systemctl stop: SIGTERM, drained, exit 0.
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  agent.pid = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << read_text(log);

  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
  EXPECT_LT(seconds.count(), 60) << "the package test should stay under a minute";
}

}  // namespace
}  // namespace sluice::test::packaging
