// Tells systemd how the service is doing (Type=notify: READY=1, STOPPING=1).
#pragma once

namespace sluice {

// Does nothing unless systemd asked for notifications (NOTIFY_SOCKET): libsystemd is loaded
// only then, so that an agent started any other way does not map it.
void notify_systemd(const char* state);

}  // namespace sluice
