// The Debian package's /etc/sluice/sluice.toml, made by packaging/generate_config.cmake as the
// build makes it: the reference config with the devlog socket in a directory the unit creates.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "tests/packaging/packaging_support.h"
#include "tests/packaging/systemd/unit_file.h"
#include "tests/support/paths.h"

namespace sluice::test::packaging {
namespace {

// Whether `path` is `dir` or lies under it.
bool under(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

std::vector<std::string> words(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::istringstream in(v);
    for (std::string w; in >> w;) out.push_back(w);
  }
  return out;
}

TEST(PackagingDebian, PackagedConfigIsTheReferenceConfigWithTheDevlogSocketUnderRun) {
  TempDir dir;
  const std::string out = dir.path() + "/sluice.toml";
  auto generated =
      run_shell("cmake -DSLUICE=" + shell_quote(sluice_binary()) + " -DOUT=" + shell_quote(out) +
                " -P " + shell_quote(source_dir() + "/packaging/generate_config.cmake"));
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const std::string packaged = read_text(out);
  ASSERT_FALSE(packaged.empty());
  auto checked = check_config(sluice_binary(), out, {});
  EXPECT_EQ(checked.exit_code, 0) << checked.output;

  // Generated, not copied: the reference config with exactly one line changed.
  const auto reference = run_shell(shell_quote(sluice_binary()) + " --print-reference-config");
  ASSERT_EQ(reference.exit_code, 0);
  std::istringstream a(reference.output), b(packaged);
  std::vector<std::pair<std::string, std::string>> changed;
  for (std::string x, y; std::getline(a, x) && std::getline(b, y);) {
    if (x != y) changed.emplace_back(x, y);
  }
  EXPECT_EQ(std::count(packaged.begin(), packaged.end(), '\n'),
            std::count(reference.output.begin(), reference.output.end(), '\n'));
  ASSERT_EQ(changed.size(), 1u) << packaged;
  EXPECT_EQ(changed[0].first.rfind("# path = \"/dev/log\"", 0), 0u) << changed[0].first;

  std::string error;
  auto c = load_config(packaged, "sluice.toml", {}, error);
  ASSERT_TRUE(c) << error;
  const auto* devlog = find_input(*c, "devlog");
  ASSERT_NE(devlog, nullptr);
  const std::string path = devlog->options.string("path");
  EXPECT_NE(path, "/dev/log") << "journald owns /dev/log on systemd hosts";

  // The unit makes that directory and the data dir, and may write to both.
  const UnitSection service = packaged_service_section();
  ASSERT_EQ(service.count("RuntimeDirectory"), 1u);
  EXPECT_EQ("/run/" + service.at("RuntimeDirectory")[0], dirname_of(path));
  ASSERT_EQ(service.count("StateDirectory"), 1u);
  EXPECT_EQ("/var/lib/" + service.at("StateDirectory")[0], c->agent.string("data_dir"));
  EXPECT_EQ(c->agent.string("data_dir"), default_data_dir());
  ASSERT_EQ(service.count("ReadWritePaths"), 1u);
  const auto rw = words(service.at("ReadWritePaths"));
  for (const auto& p : {c->agent.string("data_dir"), dirname_of(path)}) {
    bool writable = false;
    for (const auto& w : rw) writable |= under(p, w);
    EXPECT_TRUE(writable) << p;
  }
}

}  // namespace
}  // namespace sluice::test::packaging
