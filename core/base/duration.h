// Durations as operators write them: "90s", "10m", "1h30m", "7d", "500ms".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::config {

using Duration = std::chrono::milliseconds;

[[nodiscard]] Result<Duration> parse_duration(std::string_view text);
std::string format_duration(Duration d);  // the shortest form parse_duration reads back

}  // namespace patchparty::config
