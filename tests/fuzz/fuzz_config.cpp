// The config loader on arbitrary text, with the agent's real catalog of component kinds (so
// every component's option table and validate() run too). Input: the TOML file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/agent.h"
#include "config/loader.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace sluice;

std::optional<std::string> env(const std::string& name) {
  if (name == "SYSLOG_HOST") return "central.example";
  if (name == "SYSLOG_ADDRESS") return "tcp://central.example:514";
  if (name == "EMPTY") return "";
  if (name == "NESTED") return "${SYSLOG_HOST}";  // values are not expanded again
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const config::Catalog catalog = sluice::catalog();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  config::Diagnostics diag;
  const auto c = config::load_config(text, "fuzz.toml", catalog, env, diag);
  // Either a config or at least one error, each naming the file.
  FUZZ_CHECK(c.has_value() == diag.ok());
  for (const auto& d : diag.list()) {
    FUZZ_CHECK(d.at.file == "fuzz.toml" && !d.message.empty());
    FUZZ_CHECK(d.str().starts_with("fuzz.toml:"));
  }
  if (!c) return 0;
  FUZZ_CHECK(!c->inputs.empty() && !c->outputs.empty());
  FUZZ_CHECK(c->buffer.size("max_bytes") >= 64 * 1024);
  for (const auto* list : {&c->inputs, &c->outputs}) {
    for (const auto& comp : *list) {
      FUZZ_CHECK(!comp.type.empty() && !comp.fingerprint.empty());
      FUZZ_CHECK(comp.options.path().ends_with("." + comp.name));
    }
  }
  return 0;
}
