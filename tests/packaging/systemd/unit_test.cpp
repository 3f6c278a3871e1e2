// packaging/systemd/sluice.service: a hardened notify service that reloads on SIGHUP, and a unit
// file that systemd itself accepts.
#include <gtest/gtest.h>

#include "tests/packaging/packaging_support.h"
#include "tests/packaging/systemd/unit_file.h"
#include "tests/support/paths.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingSystemd, UnitIsAHardenedNotifyServiceThatReloadsOnHup) {
  const UnitSection service = packaged_service_section();
  auto one = [&](const std::string& key) {
    return service.count(key) ? service.at(key).back() : std::string();
  };
  EXPECT_EQ(one("Type"), "notify");
  EXPECT_EQ(one("ExecStart"), "/usr/bin/sluice --config /etc/sluice/sluice.toml");
  // `systemctl reload` fails with the errors of an invalid config before any SIGHUP.
  ASSERT_TRUE(service.count("ExecReload"));
  EXPECT_EQ(service.at("ExecReload").front(),
            "/usr/bin/sluice --check --config /etc/sluice/sluice.toml");
  EXPECT_EQ(service.at("ExecReload").back(), "/bin/kill -HUP $MAINPID");
  EXPECT_EQ(one("Restart"), "on-failure");
  EXPECT_EQ(one("User"), "sluice");
  for (const char* key : {"NoNewPrivileges", "ProtectHome", "PrivateTmp"})
    EXPECT_EQ(one(key), "yes") << key;
  EXPECT_EQ(one("ProtectSystem"), "strict");
  EXPECT_EQ(one("CapabilityBoundingSet"), "");
  // A /dev/log sender's pid leads to its container through /proc/PID/cgroup: the agent must
  // see other users' processes, which any ProtectProc= but "default" hides.
  EXPECT_TRUE(one("ProtectProc").empty() || one("ProtectProc") == "default") << one("ProtectProc");
  // A group that may not exist on the host would stop the unit from starting (216/GROUP): the
  // docker group comes from the user's membership, granted by postinst.
  EXPECT_FALSE(service.count("SupplementaryGroups"));
  EXPECT_NE(source_file("packaging/debian/postinst").find("adduser --quiet sluice docker"),
            std::string::npos);
  // SIGTERM drains for up to agent.shutdown_timeout; systemd must wait longer than that.
  EXPECT_EQ(one("TimeoutStopSec"), "30s");
}

TEST(PackagingSystemd, SystemdAnalyzeVerifiesTheUnit) {
  if (!have_command("systemd-analyze")) GTEST_SKIP() << "systemd-analyze is not installed";
  // The unit as installed, with its binary where this build has it (verify checks that
  // ExecStart= is executable).
  TempDir dir;
  std::string unit = source_file("packaging/systemd/sluice.service");
  const std::string installed = "/usr/bin/sluice";
  for (size_t at; (at = unit.find(installed)) != std::string::npos;)
    unit.replace(at, installed.size(), sluice_binary());
  const std::string path = dir.path() + "/sluice.service";
  write_text(path, unit);
  auto verify = run_shell("systemd-analyze verify " + shell_quote(path));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  // It exits 0 on unknown keys and bad values too, so any word from it is a failure.
  EXPECT_EQ(verify.output, "");

  auto security =
      run_shell("systemd-analyze security --offline=yes --threshold=25 " + shell_quote(path));
  if (security.output.find("--offline") != std::string::npos) return;  // older systemd
  EXPECT_EQ(security.exit_code, 0) << security.output;
}

}  // namespace
}  // namespace sluice::test::packaging
