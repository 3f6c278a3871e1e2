#include "agent/log.h"

#include <chrono>
#include <cstdio>
#include <map>

namespace sluice::log {
namespace {

Level g_level = Level::info;

struct Limit {
  std::chrono::steady_clock::time_point last;
  uint64_t suppressed = 0;
};

std::string_view level_name(Level l) {
  constexpr std::string_view kNames[] = {"error", "warn", "info", "debug"};
  return kNames[static_cast<int>(l)];
}

}  // namespace

void set_level(Level level) { g_level = level; }

Level parse_level(std::string_view name) {
  if (name == "error") return Level::error;
  if (name == "warn") return Level::warn;
  if (name == "debug") return Level::debug;
  return Level::info;
}

void write(Level level, std::string_view component, std::string_view message) {
  if (level > g_level) return;
  std::string line = "sluice " + std::string(level_name(level)) + " " + std::string(component) +
                     ": " + std::string(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void limited(Level level, std::string_view component, std::string_view key,
             std::string_view message) {
  static std::map<std::string, Limit, std::less<>> limits;
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = limits.try_emplace(std::string(component) + "/" + std::string(key));
  Limit& l = it->second;
  if (!fresh && now - l.last < std::chrono::seconds(10)) {
    ++l.suppressed;
    return;
  }
  std::string m(message);
  if (l.suppressed) m += " (" + std::to_string(l.suppressed) + " similar suppressed)";
  l.last = now;
  l.suppressed = 0;
  write(level, component, m);
}

}  // namespace sluice::log
