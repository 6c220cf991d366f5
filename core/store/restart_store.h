// The latest restart-needed report in the store (table restart_report, one row), so that
// `patchparty backlog`, a separate process, shows what the daemon last found.
#pragma once

#include <optional>

#include "core/base/result.h"
#include "core/model/restart_report.h"
#include "core/store/sqlite_db.h"

namespace patchparty::restart {

// Replaces the stored report.
[[nodiscard]] Result<> save_restart_report(store::Database& db, const RestartReport& report);
// nullopt before the first check.
[[nodiscard]] Result<std::optional<RestartReport>> load_restart_report(store::Database& db);

}  // namespace patchparty::restart
