// What undoes a regressed patch: a command or a systemd unit, expanded from the target's
// rollback template with the patch event's values (docs/patch-watch-and-rollback.md "Rollback").
#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "config/config.h"
#include "core/base/result.h"
#include "core/watch/rollback_argv.h"

namespace patchparty::rollback {

struct RollbackResult {
  bool ok = false;
  // One line: "exit 0", "exit 3: <first output line>", "timed out after 30s", "job done",
  // "job failed", "StartUnit: <bus error>"...
  std::string detail;
};

class RollbackRunner {
 public:
  virtual ~RollbackRunner() = default;
  // Blocks until the rollback finished, its timeout passed, or `stop` was requested. Never throws.
  virtual RollbackResult run(std::stop_token stop) = 0;
  // What would run, for logs and dry runs: "/usr/bin/apt-get install -y nginx=1.2" or
  // "StartUnit patchparty-rollback@web.service (user bus)".
  virtual std::string describe() const = 0;
};

// Expands the config's template with `values` (watch::expand_argv / expand_unit_name) and builds
// the runner. invalid_argument (naming the refused value) when a value is refused: nothing runs.
[[nodiscard]] Result<std::unique_ptr<RollbackRunner>> make_rollback(
    const config::RollbackConfig& config, const watch::RollbackValues& values);

}  // namespace patchparty::rollback
