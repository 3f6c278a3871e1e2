#include "agent/modules/module_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace sluice::modules {
namespace {

std::string executable_dir() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  const std::string exe(path, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

bool is_dir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

using Entry = const void* (*)();

}  // namespace

std::string module_dir() {
  if (const char* dir = std::getenv("SLUICE_MODULE_DIR"); dir && *dir) return dir;
  const std::string exe = executable_dir();
  if (is_dir(exe + "/modules")) return exe + "/modules";
  return exe + "/../lib/sluice";
}

const void* find_entry(std::string_view category, std::string_view name, std::string& error) {
  const std::string symbol = "sluice_" + std::string(category) + "_" + std::string(name);
  if (auto linked = reinterpret_cast<Entry>(dlsym(RTLD_DEFAULT, symbol.c_str()))) return linked();
  // Loading again returns the same handle (dlopen counts references); modules are never
  // unloaded, since kinds and their objects live until the agent exits.
  const std::string file = module_dir() + "/sluice-" + std::string(name) + ".so";
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    error = "cannot load module: " + (why ? std::string(why) : file);  // dlerror names the file
    return nullptr;
  }
  if (auto entry = reinterpret_cast<Entry>(dlsym(handle, symbol.c_str()))) return entry();
  error = "module " + file + " has no " + symbol;
  return nullptr;
}

}  // namespace sluice::modules
