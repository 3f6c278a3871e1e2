#include "tests/support/prometheus_text.h"

#include <cstdlib>
#include <sstream>

namespace sluice::test {
namespace {

bool valid_name(const std::string& n) {
  if (n.empty() || (n[0] >= '0' && n[0] <= '9')) return false;
  for (char c : n) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':')) return false;
  }
  return true;
}

}  // namespace

std::optional<double> PrometheusSamples::get(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

PrometheusSamples parse_prometheus(const std::string& text) {
  PrometheusSamples out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      if (!valid_name(name) || (type != "counter" && type != "gauge" && type != "histogram")) {
        out.error = line;
        return out;
      }
      out.types[name] = type;
      continue;
    }
    if (line[0] == '#') continue;
    size_t name_end = line.find_first_of("{ ");
    const std::string name = line.substr(0, name_end);
    size_t value_start = name_end;
    if (name_end != std::string::npos && line[name_end] == '{') {
      // Label values may contain spaces and escaped quotes: scan to the closing brace.
      size_t i = name_end + 1;
      bool in_quotes = false;
      for (; i < line.size(); ++i) {
        if (in_quotes && line[i] == '\\') {
          ++i;
        } else if (line[i] == '"') {
          in_quotes = !in_quotes;
        } else if (!in_quotes && line[i] == '}') {
          break;
        }
      }
      if (i >= line.size()) {
        out.error = line;
        return out;
      }
      value_start = i + 1;
    }
    if (!valid_name(name) || value_start >= line.size() || line[value_start] != ' ') {
      out.error = line;
      return out;
    }
    const std::string value = line.substr(value_start + 1);
    char* end = nullptr;
    double v = value == "+Inf" ? 1e308 : std::strtod(value.c_str(), &end);
    if (value != "+Inf" && (end == value.c_str() || *end != '\0')) {
      out.error = line;
      return out;
    }
    out.values[line.substr(0, value_start)] = v;
  }
  return out;
}

}  // namespace sluice::test
