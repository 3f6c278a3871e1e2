// The README's configuration example must stay a valid config.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agent/agent.h"
#include "tests/support/paths.h"

namespace sluice {
namespace {

TEST(Readme, ConfigExampleIsValid) {
  std::ifstream in(test::source_dir() + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const size_t start = text.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = text.find("```", start + 8);
  const std::string toml = text.substr(start + 8, end - start - 8);
  config::Diagnostics diag;
  auto c = config::load_config(toml, "README.md", catalog(), config::getenv_lookup, diag);
  ASSERT_TRUE(c) << diag.list().front().str();
  EXPECT_GE(c->inputs.size(), 2u);
  EXPECT_GE(c->outputs.size(), 2u);
}

}  // namespace
}  // namespace sluice
