// Runs an argv (never a shell) in its own process group with a deadline; on timeout or stop
// the whole group is killed, so a check's helpers cannot outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <stop_token>
#include <string>

#include "core/base/result.h"

namespace patchparty::health {

struct ChildOutcome {
  std::optional<int> exit_code;  // none when killed by a signal
  int signal = 0;
  bool timed_out = false;
  bool stopped = false;  // the caller asked to stop
  std::string output;    // stdout and stderr interleaved, the first max_output bytes
  bool truncated = false;
};

// Errors only when the program cannot be started at all (not found, not executable).
[[nodiscard]] Result<ChildOutcome> run_child(std::span<const std::string> argv,
                                             std::chrono::milliseconds timeout,
                                             std::size_t max_output, std::stop_token stop);

}  // namespace patchparty::health
