#include "tests/support/paths.h"

namespace sluice::test {

std::string sluice_binary() { return SLUICE_BINARY; }
std::string source_dir() { return SLUICE_SOURCE_DIR; }

}  // namespace sluice::test
