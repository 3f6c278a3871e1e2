#include "config/env_expand.h"

#include <gtest/gtest.h>

#include <map>

namespace sluice::config {
namespace {

EnvLookup fake(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(EnvExpand, ExpandsSetVariables) {
  auto e = expand_env("tcp://${HOST}:${PORT}", fake({{"HOST", "logs"}, {"PORT", "514"}}));
  EXPECT_EQ(e.error, "");
  EXPECT_EQ(e.value, "tcp://logs:514");
}

TEST(EnvExpand, DefaultsApplyWhenUnsetOrEmpty) {
  EXPECT_EQ(expand_env("${A:-x}", fake({})).value, "x");
  EXPECT_EQ(expand_env("${A:-x}", fake({{"A", ""}})).value, "x");
  EXPECT_EQ(expand_env("${A:-x}", fake({{"A", "y"}})).value, "y");
  EXPECT_EQ(expand_env("${A:-}", fake({})).value, "");
}

TEST(EnvExpand, UnsetWithoutDefaultIsAnError) {
  auto e = expand_env("key=${API_KEY}", fake({}));
  EXPECT_EQ(e.error, "environment variable API_KEY is not set");
}

TEST(EnvExpand, MalformedReferencesAreErrors) {
  EXPECT_NE(expand_env("${A", fake({})).error, "");
  EXPECT_NE(expand_env("${}", fake({})).error, "");
  EXPECT_NE(expand_env("${1A}", fake({})).error, "");
  EXPECT_NE(expand_env("${A-B}", fake({})).error, "");
}

TEST(EnvExpand, LiteralsPassThrough) {
  EXPECT_EQ(expand_env("a $b $ {c} $${D}", fake({})).value, "a $b $ {c} ${D}");
  EXPECT_EQ(expand_env("", fake({})).value, "");
}

}  // namespace
}  // namespace sluice::config
