#include "daemon/rollback/rollback_runner.h"

#include "core/base/error_context.h"
#include "daemon/rollback/command_rollback.h"
#include "daemon/rollback/unit_rollback.h"

namespace patchparty::rollback {

Result<std::unique_ptr<RollbackRunner>> make_rollback(const config::RollbackConfig& config,
                                                      const watch::RollbackValues& values) {
  if (!config.command.empty() && !config.systemd_unit.empty())
    return fail(Errc::invalid_argument, "rollback: both command and systemd_unit are set");
  if (!config.command.empty()) {
    PP_TRY(argv, with_context(watch::expand_argv(config.command, values), "rollback command"));
    return std::make_unique<CommandRollback>(std::move(argv), config.timeout);
  }
  if (!config.systemd_unit.empty()) {
    if (config.bus != "system" && config.bus != "user")
      return fail(Errc::invalid_argument,
                  "rollback: bus must be system or user, not '" + config.bus + "'");
    PP_TRY(unit,
           with_context(watch::expand_unit_name(config.systemd_unit, values), "rollback unit"));
    return std::make_unique<UnitRollback>(
        std::move(unit), config.bus == "user" ? BusKind::user : BusKind::system, config.timeout);
  }
  return fail(Errc::invalid_argument, "rollback: neither command nor systemd_unit is set");
}

}  // namespace patchparty::rollback
