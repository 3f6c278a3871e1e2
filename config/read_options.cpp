#include "config/read_options.h"

#include <algorithm>
#include <cstdint>

#include "config/units.h"

namespace sluice::config {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view key, std::span<const Option> spec) {
  std::string_view best;
  size_t best_distance = 3;  // only close misspellings are worth suggesting
  for (const auto& o : spec) {
    size_t d = edit_distance(key, o.key);
    if (d < best_distance) {
      best_distance = d;
      best = o.key;
    }
  }
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

class Reader {
 public:
  Reader(const std::string& file, const EnvLookup& env, Diagnostics& diag)
      : file_(file), env_(env), diag_(diag) {}

  Options read(const toml::table& table, std::span<const Option> spec, const std::string& path,
               const Position& at, std::span<const std::string_view> ignore) {
    Options out;
    out.set_section(path, at);
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      if (std::find(ignore.begin(), ignore.end(), k) != ignore.end()) continue;
      auto known =
          std::find_if(spec.begin(), spec.end(), [&](const Option& o) { return o.key == k; });
      if (known == spec.end()) {
        diag_.error(position_of(key.source(), file_),
                    "unknown key '" + std::string(k) + "' in [" + path + "]" + suggestion(k, spec));
      }
    }
    for (const auto& opt : spec) {
      const std::string full = path + "." + std::string(opt.key);
      const toml::node* node = table.get(opt.key);
      Options::Value v;
      v.type = opt.type;
      v.secret = opt.secret;
      if (node) {
        v.set = true;
        v.at = position_of(node->source(), file_);
        convert_node(*node, opt, full, v);
      } else if (opt.required) {
        diag_.error(at, "missing required key '" + std::string(opt.key) + "' in [" + path + "]");
      } else {
        v.at = at;
        convert_default(opt, full, v);
      }
      out.put(std::string(opt.key), std::move(v));
    }
    return out;
  }

 private:
  std::optional<std::string> expanded(std::string_view text, const Position& at) {
    Expansion e = expand_env(text, env_);
    if (!e.error.empty()) {
      diag_.error(at, e.error);
      return std::nullopt;
    }
    return std::move(e.value);
  }

  void wrong_type(const Option& opt, const std::string& full, const Position& at) {
    diag_.error(at, full + " must be " + std::string(type_name(opt.type)));
  }

  // Strings, sizes, durations and choices share this path, from the file or from a default.
  void convert_text(const std::string& text, const Option& opt, const std::string& full,
                    Options::Value& v) {
    v.text = text;
    switch (opt.type) {
      case Type::string:
        break;
      case Type::size: {
        auto n = parse_size(text);
        if (!n) diag_.error(v.at, full + ": '" + text + "' is not a size (e.g. \"64MiB\")");
        v.u = n.value_or(0);
        break;
      }
      case Type::duration: {
        auto ms = parse_duration_ms(text);
        if (!ms) diag_.error(v.at, full + ": '" + text + "' is not a duration (e.g. \"5s\")");
        v.i = ms.value_or(0);
        break;
      }
      case Type::choice: {
        if (std::find(opt.choices.begin(), opt.choices.end(), text) == opt.choices.end()) {
          std::string allowed;
          for (auto c : opt.choices)
            allowed += (allowed.empty() ? "\"" : ", \"") + std::string(c) + "\"";
          diag_.error(v.at, full + ": '" + text + "' is not one of " + allowed);
        }
        break;
      }
      default:
        wrong_type(opt, full, v.at);
    }
  }

  void convert_node(const toml::node& node, const Option& opt, const std::string& full,
                    Options::Value& v) {
    switch (opt.type) {
      case Type::boolean:
        if (auto b = node.value_exact<bool>())
          v.b = *b;
        else
          wrong_type(opt, full, v.at);
        return;
      case Type::integer:
        if (auto i = node.value_exact<int64_t>())
          v.i = *i;
        else
          wrong_type(opt, full, v.at);
        return;
      case Type::size:
        if (auto i = node.value_exact<int64_t>(); i && *i >= 0) {
          v.u = static_cast<uint64_t>(*i);
          v.text = std::to_string(*i);
          return;
        }
        break;
      case Type::duration:
        // Whole seconds, as many as int64 milliseconds hold (more overflowed: UB).
        if (auto i = node.value_exact<int64_t>(); i && *i >= 0 && *i <= INT64_MAX / 1000) {
          v.i = *i * 1000;
          v.text = std::to_string(*i) + "s";
          return;
        }
        break;
      case Type::strings:
        if (const auto* arr = node.as_array()) {
          for (const auto& item : *arr) {
            auto s = item.value_exact<std::string>();
            if (!s) {
              wrong_type(opt, full, position_of(item.source(), file_));
              return;
            }
            if (auto e = expanded(*s, position_of(item.source(), file_))) v.list.push_back(*e);
          }
        } else {
          wrong_type(opt, full, v.at);
        }
        return;
      case Type::table:
        if (const auto* t = node.as_table()) {
          v.table = std::make_shared<Options>(read(*t, opt.fields, full, v.at, {}));
        } else {
          wrong_type(opt, full, v.at);
        }
        return;
      case Type::map:
        if (const auto* t = node.as_table()) {
          for (auto&& [k, item] : *t) {
            const Position at = position_of(item.source(), file_);
            std::string text;
            if (auto str = item.value_exact<std::string>()) {
              auto e = expanded(*str, at);
              if (!e) continue;
              text = *e;
            } else if (auto i = item.value_exact<int64_t>()) {
              text = std::to_string(*i);
            } else if (auto b = item.value_exact<bool>()) {
              text = *b ? "true" : "false";
            } else {
              wrong_type(opt, full + "." + std::string(k.str()), at);
              continue;
            }
            v.entries.emplace_back(std::string(k.str()), std::move(text));
          }
        } else {
          wrong_type(opt, full, v.at);
        }
        return;
      default:
        break;
    }
    auto s = node.value_exact<std::string>();
    if (!s) return wrong_type(opt, full, v.at);
    if (auto e = expanded(*s, v.at)) convert_text(*e, opt, full, v);
  }

  void convert_default(const Option& opt, const std::string& full, Options::Value& v) {
    const std::string text(opt.default_value);
    switch (opt.type) {
      case Type::boolean:
        v.b = text == "true";
        return;
      case Type::integer:
        v.i = text.empty() ? 0 : std::stoll(text);
        return;
      case Type::strings:
        for (size_t start = 0; start < text.size();) {
          size_t comma = std::min(text.find(',', start), text.size());
          v.list.push_back(text.substr(start, comma - start));
          start = comma + 1;
        }
        return;
      case Type::table:
        v.table = std::make_shared<Options>(read(toml::table{}, opt.fields, full, v.at, {}));
        return;
      default:
        if (text.empty()) {
          v.text.clear();  // an optional key with no default: empty
          return;
        }
        convert_text(text, opt, full, v);
    }
  }

  const std::string& file_;
  const EnvLookup& env_;
  Diagnostics& diag_;
};

}  // namespace

Position position_of(const toml::source_region& src, const std::string& file) {
  return Position{file, src.begin.line, src.begin.column};
}

Options read_options(const toml::table& table, std::span<const Option> spec,
                     const std::string& path, const std::string& file, const EnvLookup& env,
                     Diagnostics& diag, std::span<const std::string_view> ignore) {
  Reader reader(file, env, diag);
  return reader.read(table, spec, path, position_of(table.source(), file), ignore);
}

}  // namespace sluice::config
