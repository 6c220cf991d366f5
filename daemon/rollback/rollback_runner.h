// placeholder: replaced by the rollback executors' branch
#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "config/config.h"
#include "daemon/result.h"
#include "daemon/watch/rollback_argv.h"

namespace patchparty::rollback {
struct RollbackResult {
  bool ok = false;
  std::string detail;
};
class RollbackRunner {
 public:
  virtual ~RollbackRunner() = default;
  virtual RollbackResult run(std::stop_token stop) = 0;
  virtual std::string describe() const = 0;
};
[[nodiscard]] Result<std::unique_ptr<RollbackRunner>> make_rollback(
    const config::RollbackConfig& config, const watch::RollbackValues& values);
}  // namespace patchparty::rollback
