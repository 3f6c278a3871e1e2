// packaging/systemd/sluice.service as key/value settings, for the tests of the unit and of the
// package whose paths it creates.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sluice::test::packaging {

// A section of the unit: key -> every value given, in order (ExecReload= and
// SystemCallFilter= may repeat).
using UnitSection = std::map<std::string, std::vector<std::string>>;
UnitSection unit_section(const std::string& unit, const std::string& section);
UnitSection packaged_service_section();  // [Service] of packaging/systemd/sluice.service

}  // namespace sluice::test::packaging
