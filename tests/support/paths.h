// Where the tests find the agent binary and the source tree.
#pragma once

#include <string>

namespace sluice::test {

std::string sluice_binary();
std::string source_dir();

}  // namespace sluice::test
