// The kinds of one category (inputs or outputs): those linked into the agent, and those whose
// modules load on first use. Looking a kind up by name loads no other module.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "agent/modules/module_loader.h"

namespace sluice::modules {

template <class Kind>
class KindRegistry {
 public:
  KindRegistry(const char* category, std::initializer_list<const Kind*> linked,
               std::initializer_list<std::string_view> in_modules)
      : category_(category), linked_(linked), in_modules_(in_modules) {}

  // Null, with `error`, for a name no kind has or a module that does not load.
  const Kind* find(std::string_view type, std::string& error) const {
    for (const Kind* k : linked_) {
      if (k->schema.type == type) return k;
    }
    for (std::string_view m : in_modules_) {
      if (m == type) return static_cast<const Kind*>(find_entry(category_, m, error));
    }
    error = "no " + std::string(category_) + " type '" + std::string(type) + "'";
    return nullptr;
  }

  std::vector<std::string_view> types() const {
    std::vector<std::string_view> out;
    for (const Kind* k : linked_) out.push_back(k->schema.type);
    out.insert(out.end(), in_modules_.begin(), in_modules_.end());
    return out;
  }

  // Every kind, loading every module; the ones that fail to load are named in `error`.
  std::vector<const Kind*> all(std::string& error) const {
    std::vector<const Kind*> out(linked_.begin(), linked_.end());
    for (std::string_view m : in_modules_) {
      std::string why;
      if (const Kind* k = static_cast<const Kind*>(find_entry(category_, m, why))) {
        out.push_back(k);
      } else {
        error += (error.empty() ? "" : "; ") + why;
      }
    }
    return out;
  }

 private:
  const char* category_;
  std::vector<const Kind*> linked_;
  std::vector<std::string_view> in_modules_;
};

}  // namespace sluice::modules
