// The whole config file: [agent], [buffer], [inputs.NAME] and [outputs.NAME] sections.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/env_expand.h"
#include "config/options.h"
#include "config/schema.h"

namespace sluice::config {

struct Component {
  std::string name;
  std::string type;
  Options options;
  std::string fingerprint;  // the section as written: equal fingerprints, same component
};

struct Config {
  std::string file;
  Options agent;
  Options buffer;
  std::string buffer_fingerprint;
  Options api;
  std::vector<Component> inputs;
  std::vector<Component> outputs;
};

// The component kinds the loader can accept, supplied by the agent's registries.
struct Catalog {
  struct Kinds {
    std::vector<std::string_view> types;  // every type, for messages
    // The schema of one of `types`; null, with the reason, when its module does not load.
    std::function<const ComponentSchema*(std::string_view type, std::string& error)> find;
  };
  Kinds inputs;
  Kinds outputs;
};

// Parses and validates; on any error returns nothing and fills diag.
std::optional<Config> load_config(std::string_view text, const std::string& file,
                                  const Catalog& catalog, const EnvLookup& env, Diagnostics& diag);
std::optional<Config> load_config_file(const std::string& path, const Catalog& catalog,
                                       const EnvLookup& env, Diagnostics& diag);

}  // namespace sluice::config
