#include "config/env_expand.h"

#include <cstdlib>

namespace sluice::config {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> getenv_lookup(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

Expansion expand_env(std::string_view text, const EnvLookup& lookup) {
  Expansion out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out.value += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out.value += text[i++];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.error = "unterminated ${ in string";
      return out;
    }
    std::string_view inner = text.substr(i + 2, close - i - 2);
    std::optional<std::string_view> fallback;
    if (size_t dash = inner.find(":-"); dash != std::string_view::npos) {
      fallback = inner.substr(dash + 2);
      inner = inner.substr(0, dash);
    }
    if (!valid_name(inner)) {
      out.error = "invalid environment variable name '" + std::string(inner) + "'";
      return out;
    }
    auto value = lookup(std::string(inner));
    if (value && !(fallback && value->empty())) {
      out.value += *value;
    } else if (fallback) {
      out.value += *fallback;
    } else {
      out.error = "environment variable " + std::string(inner) + " is not set";
      return out;
    }
    i = close + 1;
  }
  return out;
}

}  // namespace sluice::config
