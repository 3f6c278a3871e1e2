// The reference config: every section and key with its default and description, generated
// from the option tables so that it cannot drift from the code. It is itself a valid config.
#pragma once

#include <string>

namespace sluice {

std::string reference_config();

}  // namespace sluice
