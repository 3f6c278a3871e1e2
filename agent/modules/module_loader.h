// Component kinds whose libraries are heavy (librdkafka, libcurl, OpenSSL) live in modules:
// shared objects loaded only when a config names them, so that an agent that does not use
// them neither maps nor initialises those libraries. A module exports one C function per kind,
// named by SLUICE_MODULE_ENTRY; an executable that links the kind itself (the tests) is looked
// at first.
#pragma once

#include <string>
#include <string_view>

namespace sluice::modules {

// The entry `sluice_<category>_<name>` of this executable or of module sluice-<name>.so, or
// null with `error` saying which file was tried and why it failed. Modules load once.
const void* find_entry(std::string_view category, std::string_view name, std::string& error);

// Where modules are looked for: $SLUICE_MODULE_DIR, else `modules/` beside the executable (a
// build tree), else ../lib/sluice from the executable (an installed package).
std::string module_dir();

}  // namespace sluice::modules

// Defines the entry point of `object` (a kind) for find_entry(category, name).
#define SLUICE_MODULE_ENTRY(category, name, object)                                            \
  extern "C" __attribute__((visibility("default"))) const void* sluice_##category##_##name() { \
    return &(object);                                                                          \
  }
