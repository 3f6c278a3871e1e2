#include "tests/packaging/systemd/unit_file.h"

#include <sstream>

#include "tests/packaging/packaging_support.h"

namespace sluice::test::packaging {

UnitSection unit_section(const std::string& unit, const std::string& section) {
  UnitSection out;
  std::istringstream in(unit);
  std::string current;
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      current = line.substr(1, line.find(']') - 1);
      continue;
    }
    const size_t eq = line.find('=');
    if (current == section && eq != std::string::npos)
      out[trim(line.substr(0, eq))].push_back(trim(line.substr(eq + 1)));
  }
  return out;
}

UnitSection packaged_service_section() {
  return unit_section(source_file("packaging/systemd/sluice.service"), "Service");
}

}  // namespace sluice::test::packaging
