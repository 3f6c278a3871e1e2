// The agent's own log lines: stderr, one line each, with a level; repeats rate-limited.
#pragma once

#include <string>
#include <string_view>

namespace sluice::log {

enum class Level { error = 0, warn = 1, info = 2, debug = 3 };

void set_level(Level level);
Level parse_level(std::string_view name);
void write(Level level, std::string_view component, std::string_view message);

inline void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::warn, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
inline void debug(std::string_view c, std::string_view m) { write(Level::debug, c, m); }

// At most one line per key every 10 s; the next line says how many were suppressed.
void limited(Level level, std::string_view component, std::string_view key,
             std::string_view message);

}  // namespace sluice::log
