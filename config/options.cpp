#include "config/options.h"

#include <stdexcept>

namespace sluice::config {

std::string_view type_name(Type t) {
  switch (t) {
    case Type::string:
      return "a string";
    case Type::boolean:
      return "a boolean";
    case Type::integer:
      return "an integer";
    case Type::size:
      return "a size (e.g. \"64MiB\")";
    case Type::duration:
      return "a duration (e.g. \"5s\")";
    case Type::strings:
      return "an array of strings";
    case Type::choice:
      return "one of the listed values";
    case Type::table:
      return "a table";
    case Type::map:
      return "a table of strings, numbers or booleans";
  }
  return "?";
}

const Options::Value& Options::get(std::string_view key) const {
  auto it = values_.find(key);
  // Components only ask for keys of their own option table, which always have a value.
  if (it == values_.end()) throw std::logic_error("option not in table: " + std::string(key));
  return it->second;
}

bool Options::has(std::string_view key) const {
  auto it = values_.find(key);
  return it != values_.end() && it->second.set;
}
const std::string& Options::string(std::string_view key) const { return get(key).text; }
bool Options::boolean(std::string_view key) const { return get(key).b; }
int64_t Options::integer(std::string_view key) const { return get(key).i; }
uint64_t Options::size(std::string_view key) const { return get(key).u; }
int64_t Options::duration_ms(std::string_view key) const { return get(key).i; }
const std::vector<std::string>& Options::strings(std::string_view key) const {
  return get(key).list;
}
const Options& Options::table(std::string_view key) const { return *get(key).table; }
const std::vector<std::pair<std::string, std::string>>& Options::map(std::string_view key) const {
  return get(key).entries;
}
const Position& Options::position(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end() || !it->second.set) return at_;
  return it->second.at;
}

}  // namespace sluice::config
