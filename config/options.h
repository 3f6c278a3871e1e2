// One option table per component: each row is a key with its type, default and description.
// The same table drives TOML parsing, --check errors and the reference documentation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/env_expand.h"

namespace sluice::config {

enum class Type { string, boolean, integer, size, duration, strings, choice, table, map };

struct Option {
  std::string_view key;
  Type type;
  std::string_view default_value;  // as plain text ("64KiB", "true", "/dev/log"); empty: none
  std::string_view description;
  bool required = false;
  std::span<const std::string_view> choices = {};  // the allowed values of a choice
  std::span<const Option> fields = {};             // the keys of a table
  bool secret = false;  // never shown: /config and logs print "<redacted>"
};

// The validated values of one section, defaults filled in.
class Options {
 public:
  bool has(std::string_view key) const;  // set in the file, not defaulted
  const std::string& string(std::string_view key) const;
  bool boolean(std::string_view key) const;
  int64_t integer(std::string_view key) const;
  uint64_t size(std::string_view key) const;
  int64_t duration_ms(std::string_view key) const;
  const std::vector<std::string>& strings(std::string_view key) const;
  const Options& table(std::string_view key) const;
  // A free-form table (Type::map): every key with its value as text.
  const std::vector<std::pair<std::string, std::string>>& map(std::string_view key) const;
  const Position& position(std::string_view key) const;  // the value's place, else the section's
  const Position& section_position() const { return at_; }
  const std::string& path() const { return path_; }  // e.g. "outputs.central"

  // For the reader: store converted values.
  struct Value {
    Type type = Type::string;
    bool set = false;
    std::string text;
    bool b = false;
    int64_t i = 0;
    uint64_t u = 0;
    std::vector<std::string> list;
    std::vector<std::pair<std::string, std::string>> entries;  // Type::map
    std::shared_ptr<Options> table;
    Position at;
    bool secret = false;
  };
  const std::map<std::string, Value, std::less<>>& values() const { return values_; }
  void put(std::string key, Value v) { values_[std::move(key)] = std::move(v); }
  void set_section(std::string path, Position at) {
    path_ = std::move(path);
    at_ = std::move(at);
  }

 private:
  const Value& get(std::string_view key) const;
  std::map<std::string, Value, std::less<>> values_;
  std::string path_;
  Position at_;
};

std::string_view type_name(Type t);

}  // namespace sluice::config
