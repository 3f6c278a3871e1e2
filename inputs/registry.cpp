#include "inputs/registry.h"

#include "inputs/devlog/devlog_input.h"
#include "inputs/docker/docker_input.h"

namespace sluice {

std::span<const InputKind* const> input_kinds() {
  static const InputKind* const kinds[] = {&devlog::kind, &docker::kind};
  return kinds;
}

}  // namespace sluice
