#include "inputs/registry.h"

#include "inputs/devlog/devlog_input.h"

namespace sluice {

std::span<const InputKind* const> input_kinds() {
  static const InputKind* const kinds[] = {&devlog::kind};
  return kinds;
}

}  // namespace sluice
