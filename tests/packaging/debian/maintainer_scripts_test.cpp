// packaging/debian/: the maintainer scripts dpkg runs, and the conffiles whose edits survive
// upgrades.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/packaging/packaging_support.h"
#include "tests/support/paths.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingDebian, MaintainerScriptsAreValidShellAndConffilesListTheConfig) {
  const bool shellcheck = have_command("shellcheck");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    const std::string path = source_dir() + "/packaging/debian/" + script;
    auto syntax = run_shell("sh -n " + shell_quote(path));
    EXPECT_EQ(syntax.exit_code, 0) << script << ": " << syntax.output;
    EXPECT_EQ(access(path.c_str(), X_OK), 0) << script << " is not executable";
    if (shellcheck) {
      auto lint = run_shell("shellcheck " + shell_quote(path));
      EXPECT_EQ(lint.exit_code, 0) << lint.output;
    }
  }
  const std::string conffiles = source_file("packaging/debian/conffiles");
  for (const char* f : {"/etc/sluice/sluice.toml", "/etc/default/sluice"})
    EXPECT_NE(conffiles.find(std::string(f) + "\n"), std::string::npos) << f;
  const std::string postinst = source_file("packaging/debian/postinst");
  EXPECT_NE(postinst.find("adduser --quiet --system --group"), std::string::npos);
  EXPECT_NE(postinst.find(default_data_dir()), std::string::npos);
}

}  // namespace
}  // namespace sluice::test::packaging
