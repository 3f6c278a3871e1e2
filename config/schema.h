// What the config loader knows of a component kind: its type name and option table.
#pragma once

#include <functional>
#include <span>
#include <string_view>

#include "config/options.h"

namespace sluice::config {

struct ComponentSchema {
  std::string_view type;
  std::string_view summary;
  std::span<const Option> options;
  // Checks beyond types (addresses, combinations of keys); no I/O.
  void (*validate)(const Options&, Diagnostics&) = nullptr;
};

}  // namespace sluice::config
