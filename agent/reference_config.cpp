#include "agent/reference_config.h"

#include <stdexcept>

#include "config/core_options.h"
#include "inputs/registry.h"
#include "outputs/registry.h"

namespace sluice {
namespace {

using config::Option;
using config::Type;

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string value_text(const Option& o) {
  switch (o.type) {
    case Type::boolean:
    case Type::integer:
      return o.default_value.empty() ? "0" : std::string(o.default_value);
    case Type::strings: {
      std::string out = "[";
      std::string_view d = o.default_value;
      while (!d.empty()) {
        size_t comma = d.find(',');
        out += (out.size() > 1 ? ", " : "") + quoted(d.substr(0, comma));
        d = comma == std::string_view::npos ? "" : d.substr(comma + 1);
      }
      return out + "]";
    }
    case Type::map:
      return "{}";
    case Type::table: {
      std::string out = "{ ";
      for (const auto& f : o.fields) {
        if (f.default_value.empty() && f.type != Type::boolean) continue;
        out += (out.size() > 2 ? ", " : "") + std::string(f.key) + " = " + value_text(f);
      }
      return out + (out.size() > 2 ? " }" : "}");
    }
    default:
      return quoted(o.default_value);
  }
}

std::string description(const Option& o) {
  std::string out(o.description);
  if (o.required) out = "required. " + out;
  if (!o.choices.empty()) {
    out += " (";
    for (size_t i = 0; i < o.choices.size(); ++i) out += (i ? ", " : "") + quoted(o.choices[i]);
    out += ")";
  }
  for (const auto& f : o.fields)
    out += "; " + std::string(f.key) + ": " + std::string(f.description);
  return out;
}

// One line per key: "key = default  # what it does". In an active section optional keys are
// commented out (the default applies); in an example section the whole section is.
void keys(std::string& out, std::span<const Option> options, bool active_section) {
  for (const auto& o : options) {
    const bool commented = !active_section || !o.required;
    out += std::string(commented ? "# " : "") + std::string(o.key) + " = " + value_text(o) +
           "  # " + description(o) + "\n";
  }
}

template <class Kinds>
void sections(std::string& out, const char* kind, Kinds kinds, std::string_view active_type) {
  for (const auto* k : kinds) {
    const bool active = k->schema.type == active_type;
    const char* c = active ? "" : "# ";
    out += "\n# " + std::string(k->schema.summary) + "\n";
    out += std::string(c) + "[" + kind + "." + std::string(k->schema.type) + "]\n";
    out += std::string(c) + "type = " + quoted(k->schema.type) + "\n";
    keys(out, k->schema.options, active);
  }
}

}  // namespace

std::string reference_config() {
  std::string out =
      "# sluice: every key with its default and what it does. Uncomment to change a value.\n"
      "# ${VAR} and ${VAR:-default} in strings come from the environment.\n\n[agent]\n";
  keys(out, config::agent_options(), true);
  out += "\n[buffer]\n";
  keys(out, config::buffer_options(), true);
  out += "\n[api]\n";
  keys(out, config::api_options(), true);
  out += "\n# Inputs: one [inputs.NAME] section each.";
  std::string error;
  sections(out, "inputs", input_kinds().all(error), "devlog");
  out += "\n# Outputs: one [outputs.NAME] section each; every output receives every record.";
  sections(out, "outputs", output_kinds().all(error), "console");
  if (!error.empty()) throw std::runtime_error(error);
  return out;
}

}  // namespace sluice
