#include "inputs/registry.h"

#include "inputs/devlog/devlog_input.h"

namespace sluice {

const modules::KindRegistry<InputKind>& input_kinds() {
  // The Docker input's HTTP client (libcurl) and patterns (RE2) load only where it runs.
  static const modules::KindRegistry<InputKind> kinds{"input", {&devlog::kind}, {"docker"}};
  return kinds;
}

}  // namespace sluice
