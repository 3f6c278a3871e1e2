#include "agent/reference_config.h"

#include <gtest/gtest.h>

#include "agent/agent.h"
#include "config/core_options.h"
#include "inputs/registry.h"
#include "outputs/registry.h"

namespace sluice {
namespace {

TEST(ReferenceConfig, IsAValidConfig) {
  config::Diagnostics diag;
  auto c =
      config::load_config(reference_config(), "ref.toml", catalog(), config::getenv_lookup, diag);
  ASSERT_TRUE(c) << diag.list().front().str();
}

TEST(ReferenceConfig, DocumentsEveryKeyOfEveryComponent) {
  const std::string text = reference_config();
  auto expect_keys = [&](std::string_view where, std::span<const config::Option> options) {
    for (const auto& o : options) {
      EXPECT_NE(text.find(std::string(o.key) + " = "), std::string::npos) << where << "." << o.key;
      EXPECT_NE(text.find(std::string(o.description)), std::string::npos) << where << "." << o.key;
    }
  };
  expect_keys("agent", config::agent_options());
  expect_keys("buffer", config::buffer_options());
  expect_keys("api", config::api_options());
  std::string error;
  const auto inputs = input_kinds().all(error);
  const auto outputs = output_kinds().all(error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(inputs.size(), input_kinds().types().size());
  ASSERT_EQ(outputs.size(), output_kinds().types().size());
  for (const auto* k : inputs) {
    EXPECT_NE(text.find("type = \"" + std::string(k->schema.type) + "\""), std::string::npos);
    expect_keys(k->schema.type, k->schema.options);
  }
  for (const auto* k : outputs) {
    EXPECT_NE(text.find("type = \"" + std::string(k->schema.type) + "\""), std::string::npos);
    expect_keys(k->schema.type, k->schema.options);
  }
}

}  // namespace
}  // namespace sluice
