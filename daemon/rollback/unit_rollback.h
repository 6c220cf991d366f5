// A rollback unit: StartUnit(name, "replace") on the system or user manager, then the wait for
// that job's JobRemoved signal. The job's result "done" is a successful rollback; for a
// Type=oneshot unit that means its ExecStart= exited 0.
#pragma once

#include <chrono>
#include <string>

#include "core/base/systemd_bus.h"
#include "daemon/rollback/rollback_runner.h"

namespace patchparty::rollback {

class UnitRollback final : public RollbackRunner {
 public:
  UnitRollback(std::string unit, BusKind bus, std::chrono::milliseconds timeout);
  RollbackResult run(std::stop_token stop) override;
  std::string describe() const override;

 private:
  RollbackResult start_and_wait(std::stop_token stop);

  std::string unit_;
  BusKind bus_;
  std::chrono::milliseconds timeout_;
};

}  // namespace patchparty::rollback
