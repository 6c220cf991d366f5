// Logging to stderr with sd-daemon(3) "<N>" priority prefixes, which journald turns into levels.
#pragma once

#include <string_view>

namespace patchparty::log {

enum class Level { err = 3, warning = 4, notice = 5, info = 6, debug = 7 };

void set_min_level(Level level);  // messages above it (less severe) are dropped
void write(Level level, std::string_view message);

inline void error(std::string_view m) {
  write(Level::err, m);
}
inline void warning(std::string_view m) {
  write(Level::warning, m);
}
inline void notice(std::string_view m) {
  write(Level::notice, m);
}
inline void info(std::string_view m) {
  write(Level::info, m);
}
inline void debug(std::string_view m) {
  write(Level::debug, m);
}

}  // namespace patchparty::log
