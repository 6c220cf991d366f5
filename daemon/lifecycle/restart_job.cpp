#include "daemon/lifecycle/restart_job.h"

#include "collectors/restart/kernel_check.h"
#include "collectors/restart/restart_check.h"
#include "core/store/restart_store.h"

namespace patchparty::lifecycle {

Result<RestartReport> run_restart_check(const config::Config& config, store::Store& store,
                                        std::int64_t now) {
  RestartReport report = restart::check_restart_needed(restart::check_options(config.restart), now);
  PP_CHECK(restart::save_restart_report(store.database(), report));
  return report;
}

}  // namespace patchparty::lifecycle
