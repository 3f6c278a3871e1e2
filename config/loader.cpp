#include "config/loader.h"

#include <fstream>
#include <sstream>

#include "agent/net/address.h"
#include "config/core_options.h"
#include "config/read_options.h"

namespace sluice::config {
namespace {

constexpr std::string_view kTopLevel[] = {"agent", "buffer", "api", "inputs", "outputs"};
constexpr std::string_view kTypeKey[] = {"type"};

std::string known_types(const Catalog::Kinds& kinds) {
  std::string out;
  for (std::string_view t : kinds.types) out += (out.empty() ? "" : ", ") + std::string(t);
  return out;
}

const toml::table* table_or_error(const toml::node* node, const std::string& what,
                                  const std::string& file, Diagnostics& diag) {
  if (!node) return nullptr;
  if (const auto* t = node->as_table()) return t;
  diag.error(position_of(node->source(), file), what + " must be a table");
  return nullptr;
}

void read_components(const toml::table* section, std::string_view kind, const Catalog::Kinds& kinds,
                     const std::string& file, const EnvLookup& env, Diagnostics& diag,
                     std::vector<Component>& out) {
  if (!section) return;
  for (auto&& [key, node] : *section) {
    const std::string name(key.str());
    const std::string path = std::string(kind) + "." + name;
    const auto* table = table_or_error(&node, "[" + path + "]", file, diag);
    if (!table) continue;
    const Position at = position_of(node.source(), file);
    auto type = (*table)["type"].value_exact<std::string>();
    if (!type) {
      diag.error(
          at, "missing required key 'type' in [" + path + "] (one of: " + known_types(kinds) + ")");
      continue;
    }
    const Position type_at = position_of((*table)["type"].node()->source(), file);
    if (std::find(kinds.types.begin(), kinds.types.end(), *type) == kinds.types.end()) {
      diag.error(type_at, "unknown " + std::string(kind).substr(0, kind.size() - 1) + " type '" +
                              *type + "' (one of: " + known_types(kinds) + ")");
      continue;
    }
    std::string why;
    const ComponentSchema* schema = kinds.find(*type, why);
    if (!schema) {
      diag.error(type_at, "[" + path + "] type '" + *type + "': " + why);
      continue;
    }
    std::ostringstream fingerprint;
    fingerprint << *table;
    const size_t errors_before = diag.list().size();
    Component c{name, *type, read_options(*table, schema->options, path, file, env, diag, kTypeKey),
                fingerprint.str()};
    // Checks across keys only make sense on values that parsed.
    if (schema->validate && diag.list().size() == errors_before) schema->validate(c.options, diag);
    out.push_back(std::move(c));
  }
}

}  // namespace

std::optional<Config> load_config(std::string_view text, const std::string& file,
                                  const Catalog& catalog, const EnvLookup& env, Diagnostics& diag) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    diag.error(position_of(e.source(), file), std::string(e.description()));
    return std::nullopt;
  }
  for (auto&& [key, node] : root) {
    if (std::find(std::begin(kTopLevel), std::end(kTopLevel), key.str()) == std::end(kTopLevel)) {
      diag.error(position_of(key.source(), file),
                 "unknown section '" + std::string(key.str()) +
                     "' (one of: agent, buffer, api, inputs, outputs)");
    }
  }
  Config config;
  config.file = file;
  auto section = [&](const char* name) {
    static const toml::table empty;
    const auto* t = table_or_error(root.get(name), std::string("[") + name + "]", file, diag);
    return t ? t : &empty;
  };
  config.agent = read_options(*section("agent"), agent_options(), "agent", file, env, diag);
  const size_t errors_before_buffer = diag.list().size();
  config.buffer = read_options(*section("buffer"), buffer_options(), "buffer", file, env, diag);
  const bool buffer_parsed = diag.list().size() == errors_before_buffer;
  std::ostringstream buffer_fingerprint;
  buffer_fingerprint << *section("buffer");
  config.buffer_fingerprint = buffer_fingerprint.str();
  config.api = read_options(*section("api"), api_options(), "api", file, env, diag);
  if (config.api.boolean("enabled") && !config.api.string("listen").empty()) {
    std::string host;
    uint16_t port = 0;
    if (!net::split_host_port(config.api.string("listen"), host, port)) {
      diag.error(config.api.position("listen"),
                 "api.listen must be HOST:PORT, e.g. \"127.0.0.1:8686\"");
    }
  }
  read_components(table_or_error(root.get("inputs"), "[inputs]", file, diag), "inputs",
                  catalog.inputs, file, env, diag, config.inputs);
  read_components(table_or_error(root.get("outputs"), "[outputs]", file, diag), "outputs",
                  catalog.outputs, file, env, diag, config.outputs);
  const Position top{file, 1, 1};
  if (config.inputs.empty() && diag.ok())
    diag.error(top, "no [inputs.NAME] section: nothing to read");
  if (config.outputs.empty() && diag.ok())
    diag.error(top, "no [outputs.NAME] section: records would have nowhere to go");
  if (buffer_parsed && config.buffer.size("max_bytes") < 64 * 1024) {
    diag.error(config.buffer.position("max_bytes"), "buffer.max_bytes must be at least 64KiB");
  }
  if (!diag.ok()) return std::nullopt;
  return config;
}

std::optional<Config> load_config_file(const std::string& path, const Catalog& catalog,
                                       const EnvLookup& env, Diagnostics& diag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diag.error(Position{path, 0, 0}, "cannot read the config file");
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return load_config(ss.str(), path, catalog, env, diag);
}

}  // namespace sluice::config
