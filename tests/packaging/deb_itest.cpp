// The Debian package: built with CPack, inspected, unpacked into a throwaway root, and its
// installed config checked by its installed binary.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "tests/support/paths.h"

namespace sluice::test {
namespace {

std::pair<int, std::string> run(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  return {WEXITSTATUS(status), out};
}

TEST(DebianPackage, BuildsInstallsAndItsConfigValidates) {
  const std::string build = std::filesystem::path(sluice_binary()).parent_path();
  auto [rc, out] = run("cd " + build + " && cpack -G DEB");
  ASSERT_EQ(rc, 0) << out;
  const std::string deb = build + "/sluice_" SLUICE_VERSION "_amd64.deb";
  auto [irc, info] = run("dpkg-deb -I " + deb);
  ASSERT_EQ(irc, 0) << info;
  for (const char* dep : {"libuv1", "librdkafka1", "libcurl4", "libssl3", "adduser"}) {
    EXPECT_NE(info.find(dep), std::string::npos) << dep << " missing from Depends:\n" << info;
  }
  EXPECT_NE(info.find("postinst"), std::string::npos);
  auto [crc, contents] = run("dpkg-deb -c " + deb);
  for (const char* file :
       {"./usr/bin/sluice", "./etc/sluice/sluice.toml", "./lib/systemd/system/sluice.service",
        "./usr/share/sluice/elasticsearch/sluice-index-template.json",
        "./usr/share/sluice/kibana/sluice-saved-objects.ndjson"}) {
    EXPECT_NE(contents.find(file), std::string::npos) << file;
  }
  char tmpl[] = "/tmp/sluice-deb-XXXXXX";
  const std::string root = mkdtemp(tmpl);
  ASSERT_EQ(run("dpkg -x " + deb + " " + root).first, 0);
  auto [check_rc, check] =
      run(root + "/usr/bin/sluice --check --config " + root + "/etc/sluice/sluice.toml");
  EXPECT_EQ(check_rc, 0) << check;
  EXPECT_NE(check.find(": ok: "), std::string::npos) << check;
  // systemd's own verifier: the only complaint allowed is that the binary is not installed here.
  if (run("command -v systemd-analyze").first == 0) {
    auto [vrc, verify] =
        run("systemd-analyze verify " + root + "/lib/systemd/system/sluice.service");
    std::string other;
    std::istringstream lines(verify);
    for (std::string l; std::getline(lines, l);) {
      if (l.find("Command /usr/bin/sluice is not executable") == std::string::npos)
        other += l + "\n";
    }
    EXPECT_EQ(other, "") << verify;
  }
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace sluice::test
