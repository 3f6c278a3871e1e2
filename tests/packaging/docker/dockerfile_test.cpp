// The container image: built in one Debian bookworm stage, run in another that holds only the
// runtime libraries, as a non-root user, on a config that is valid in the image's environment.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/packaging/docker/dockerfile_stages.h"
#include "tests/support/paths.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingDockerfile, BuildsInOneStageAndRunsUnprivilegedWithOnlyRuntimeLibraries) {
  const auto stages = image_stages();
  ASSERT_GE(stages.size(), 2u);
  const Stage& build = stages.front();
  const Stage& runtime = stages.back();
  for (const auto& s : stages) EXPECT_EQ(s.image.rfind("debian:bookworm", 0), 0u) << s.image;
  ASSERT_FALSE(build.name.empty()) << "the build stage needs a name for COPY --from";

  // The build stage installs the developers' list of -dev packages and builds the binary.
  bool install_deps = false;
  for (const auto& c : build.all("COPY")) install_deps |= c.find("install-deps.sh") != c.npos;
  EXPECT_TRUE(install_deps);
  EXPECT_TRUE(std::filesystem::exists(source_dir() + "/packaging/dev/install-deps.sh"));
  bool builds = false;
  for (const auto& r : build.all("RUN")) builds |= r.find("--target sluice") != r.npos;
  EXPECT_TRUE(builds);

  // The runtime stage: the binary from the build stage, shared libraries, no toolchain.
  const auto packages = apt_installs(runtime);
  EXPECT_FALSE(packages.empty());
  for (const auto& p : packages) {
    EXPECT_EQ(p.find("-dev"), std::string::npos) << p << " is a build dependency";
    for (const char* tool : {"build-essential", "cmake", "g++", "gcc", "pkg-config"})
      EXPECT_NE(p, tool);
  }
  // And its modules, where the binary looks for them (../lib/sluice from /usr/bin).
  bool binary_from_build = false, modules_from_build = false;
  for (const auto& c : runtime.all("COPY")) {
    const bool from_build = c.find("--from=" + build.name) != c.npos;
    binary_from_build |= from_build && c.find("/usr/bin/sluice") != c.npos;
    modules_from_build |= from_build && c.find("/build/modules /usr/lib/sluice") != c.npos;
  }
  EXPECT_TRUE(binary_from_build);
  EXPECT_TRUE(modules_from_build);

  const auto users = runtime.all("USER");
  ASSERT_FALSE(users.empty()) << "the image must not run as root";
  for (const char* root : {"root", "0", "0:0"}) EXPECT_NE(users.back(), root);

  // The API: the port the agent listens on by default, exposed and health-checked.
  const int port = default_api_port();
  const auto expose = runtime.all("EXPOSE");
  ASSERT_EQ(expose.size(), 1u);
  EXPECT_EQ(port_of(":" + expose[0].substr(0, expose[0].find('/'))), port);
  const Env image_env = env_of(runtime);
  ASSERT_TRUE(image_env.count("SLUICE_API_LISTEN"));
  EXPECT_EQ(port_of(image_env.at("SLUICE_API_LISTEN")), port);
  const auto health = runtime.all("HEALTHCHECK");
  ASSERT_EQ(health.size(), 1u);
  EXPECT_NE(health[0].find(std::string(kHealthPath)), std::string::npos) << health[0];
  EXPECT_NE(health[0].find("${SLUICE_API_LISTEN}"), std::string::npos) << health[0];
  for (const auto& p : {"curl", "ca-certificates"})
    EXPECT_NE(std::find(packages.begin(), packages.end(), p), packages.end()) << p;

  // It runs the image's config, which is valid in the image's environment plus the one
  // variable it requires, and refuses to start without that variable.
  const auto entry = runtime.all("ENTRYPOINT");
  ASSERT_EQ(entry.size(), 1u);
  EXPECT_NE(entry[0].find("/usr/bin/sluice"), std::string::npos);
  const auto cmd = runtime.all("CMD");
  ASSERT_EQ(cmd.size(), 1u);
  EXPECT_NE(cmd[0].find("\"--config\", \"/etc/sluice/sluice.toml\""), std::string::npos);
  bool config_copied = false;
  for (const auto& c : runtime.all("COPY"))
    config_copied |= c == "packaging/docker/sluice.toml /etc/sluice/sluice.toml";
  EXPECT_TRUE(config_copied);
  const std::string toml = source_file("packaging/docker/sluice.toml");
  Env env = image_env;
  env["SYSLOG_ADDRESS"] = "tcp://logs.example.com:514";
  auto ok = check_config_text(toml, env);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  auto missing = check_config_text(toml, image_env);
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("SYSLOG_ADDRESS"), std::string::npos) << missing.output;

  // Its API address is the one the HEALTHCHECK asks, inside the container.
  std::string error;
  auto c = load_config(toml, "docker/sluice.toml", env, error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->api.string("listen"), image_env.at("SLUICE_API_LISTEN"));
  EXPECT_EQ(c->agent.string("data_dir"), default_data_dir());
}

// The build context leaves build trees and .git out (BuildKit reads <Dockerfile>.dockerignore).
TEST(PackagingDockerfile, BuildContextLeavesBuildTreesAndGitOut) {
  const std::string ignore = source_file("packaging/docker/Dockerfile.dockerignore");
  for (const char* p : {".git", "build", "build-*"})
    EXPECT_NE(ignore.find(std::string("\n") + p + "\n"), std::string::npos) << p;
}

}  // namespace
}  // namespace sluice::test::packaging
