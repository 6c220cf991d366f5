#include "core/base/log.h"

#include <unistd.h>

#include <atomic>
#include <string>

namespace patchparty::log {

namespace {
std::atomic<int> g_min_level{static_cast<int>(Level::info)};
}

void set_min_level(Level level) {
  g_min_level = static_cast<int>(level);
}

void write(Level level, std::string_view message) {
  if (static_cast<int>(level) > g_min_level) return;
  // One write(2) per line so lines from threads do not interleave.
  std::string line = "<" + std::to_string(static_cast<int>(level)) + ">";
  line.append(message);
  line.push_back('\n');
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace patchparty::log
