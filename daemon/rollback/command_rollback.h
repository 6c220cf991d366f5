// A rollback command: the expanded argv, run without a shell in its own process group, killed
// with its group when the timeout passes or the daemon stops. Exit 0 is a successful rollback.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "daemon/rollback/rollback_runner.h"

namespace patchparty::rollback {

class CommandRollback final : public RollbackRunner {
 public:
  CommandRollback(std::vector<std::string> argv, std::chrono::milliseconds timeout);
  RollbackResult run(std::stop_token stop) override;
  std::string describe() const override;

 private:
  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
};

}  // namespace patchparty::rollback
