// ${VAR} and ${VAR:-default} in string values, expanded from the environment; "$${" is a
// literal "${".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

struct Expansion {
  std::string value;
  std::string error;  // non-empty: why the text could not be expanded
};

Expansion expand_env(std::string_view text, const EnvLookup& lookup);
// The process environment.
std::optional<std::string> getenv_lookup(const std::string& name);

}  // namespace sluice::config
