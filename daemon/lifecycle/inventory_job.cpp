#include "daemon/lifecycle/inventory_job.h"

#include <chrono>

#include "collectors/inventory/inventory_plan.h"
#include "daemon/log.h"

namespace patchparty::lifecycle {

namespace {
std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string label(const inventory::PlannedSource& s) {
  return s.project.empty() ? s.kind : s.kind + " (project " + s.project + ")";
}
}  // namespace

Result<InventoryOutcome> run_inventory(const config::Config& config, store::Store& store,
                                       std::stop_token stop) {
  auto plan = inventory::plan_inventory(config);
  for (const auto& w : plan.warnings) log::warning("inventory: " + w);
  InventoryOutcome outcome;
  for (auto& planned : plan.sources) {
    if (stop.stop_requested()) break;
    const std::int64_t now = unix_now();
    Result<std::vector<Package>> packages =
        planned.error ? Result<std::vector<Package>>(tl::make_unexpected(*planned.error))
                      : planned.source->scan();
    if (!packages) {
      // The last good snapshot of this source stays the current one; the failure is recorded.
      log::error("inventory: " + label(planned) + ": " + planned.path + ": " +
                 packages.error().to_string());
      ++outcome.sources_failed;
      PP_CHECK(store.record_inventory_failure(planned.kind, planned.project,
                                              packages.error().message, now));
      continue;
    }
    PP_CHECK(store.save_inventory(planned.kind, planned.project, *packages, now));
    log::info("inventory: " + label(planned) + ": " + std::to_string(packages->size()) +
              " packages from " + planned.path);
    ++outcome.sources_ok;
    outcome.packages += packages->size();
  }
  PP_TRY(pruned, store.prune_snapshots(static_cast<int>(config.inventory.snapshots_kept)));
  if (pruned > 0) log::debug("inventory: pruned " + std::to_string(pruned) + " old snapshots");
  return outcome;
}

}  // namespace patchparty::lifecycle
