#include "outputs/kafka/record_key.h"

namespace sluice::kafka {

bool parse_key_field(std::string_view text, KeyField& out) {
  if (text == "auto")
    out = KeyField::automatic;
  else if (text == "marathon.app_id")
    out = KeyField::marathon_app_id;
  else if (text == "container.name")
    out = KeyField::container_name;
  else if (text == "host.name")
    out = KeyField::host_name;
  else if (text == "none")
    out = KeyField::none;
  else
    return false;
  return true;
}

std::string_view record_key(const Record& r, KeyField field, std::string_view agent_host) {
  const std::string_view app = r.meta ? std::string_view(r.meta->marathon_app_id) : "";
  const std::string_view container = r.meta ? std::string_view(r.meta->container_name) : "";
  const std::string_view host = r.hostname.empty() ? agent_host : r.hostname;
  switch (field) {
    case KeyField::automatic:
      return !app.empty() ? app : !container.empty() ? container : host;
    case KeyField::marathon_app_id:
      return app;
    case KeyField::container_name:
      return container;
    case KeyField::host_name:
      return host;
    case KeyField::none:
      return {};
  }
  return {};
}

}  // namespace sluice::kafka
