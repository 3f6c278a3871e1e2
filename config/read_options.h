// Reading a TOML table against an option table.
#pragma once

#include <toml++/toml.h>

#include "config/options.h"

namespace sluice::config {

Position position_of(const toml::source_region& src, const std::string& file);

// Unknown keys, wrong types, missing required keys and unparsable values are reported with
// their position; ${ENV} is expanded in strings; defaults are filled in. Keys listed in
// `ignore` (such as a component's "type") are left to the caller.
Options read_options(const toml::table& table, std::span<const Option> spec,
                     const std::string& path, const std::string& file, const EnvLookup& env,
                     Diagnostics& diag, std::span<const std::string_view> ignore = {});

}  // namespace sluice::config
