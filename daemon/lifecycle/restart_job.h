// The restart-needed job: one check (collectors/restart/restart_check.h), stored as the latest
// report for the metrics and the backlog.
#pragma once

#include <cstdint>

#include "config/config.h"
#include "core/base/result.h"
#include "core/model/restart_report.h"
#include "core/store/store.h"

namespace patchparty::lifecycle {

[[nodiscard]] Result<RestartReport> run_restart_check(const config::Config& config,
                                                      store::Store& store, std::int64_t now);

}  // namespace patchparty::lifecycle
