#include "agent/systemd_notify.h"

#include <dlfcn.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>

#include "agent/log.h"

namespace sluice {

void notify_systemd(const char* state) {
  if (!std::getenv("NOTIFY_SOCKET")) return;
  static const auto notify = []() -> decltype(&sd_notify) {
    void* lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    void* fn = lib ? dlsym(lib, "sd_notify") : nullptr;
    if (!fn) {
      const char* why = dlerror();
      log::warn("systemd", std::string("NOTIFY_SOCKET is set but libsystemd cannot be loaded: ") +
                               (why ? why : "no sd_notify"));
    }
    return reinterpret_cast<decltype(&sd_notify)>(fn);
  }();
  if (notify) notify(0, state);
}

}  // namespace sluice
