#include "daemon/lifecycle/inventory_job.h"

#include <chrono>

#include "collectors/inventory/inventory_plan.h"
#include "core/base/log.h"
#include "core/base/unix_time.h"
#include "daemon/lifecycle/patch_event_jobs.h"

namespace patchparty::lifecycle {

namespace {
std::string label(const inventory::PlannedSource& s) {
  return s.project.empty() ? s.kind : s.kind + " (project " + s.project + ")";
}

// The newest successful snapshot of (source, project); nullopt before the first.
Result<std::optional<store::SnapshotInfo>> previous_good(store::Store& store,
                                                         const std::string& source,
                                                         const std::string& project) {
  store::SnapshotFilter filter;
  filter.source = source;
  filter.project = project;
  filter.limit = 0;
  PP_TRY(all, store.snapshots(filter));
  for (auto& s : all)
    if (s.ok) return std::optional<store::SnapshotInfo>(std::move(s));
  return std::optional<store::SnapshotInfo>();
}
constexpr std::size_t kNotesLogged = 20;

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
    PP_TRY(previous, previous_good(store, planned.kind, planned.project));
    PP_CHECK(store.save_inventory(planned.kind, planned.project, *packages, now));
    if (previous) {
      PP_TRY(before, store.inventory(previous->id));
      auto events =
          record_inventory_events(store, planned.kind, before, previous->taken_at, *packages, now);
      // The snapshot is stored either way; the events are lost, not the inventory.
      if (!events)
        log::error("inventory: " + label(planned) +
                   ": patch events: " + events.error().to_string());
      else
        for (auto& e : *events) outcome.events.push_back(std::move(e));
    }
    log::info("inventory: " + label(planned) + ": " + std::to_string(packages->size()) +
              " packages from " + planned.path);
    // What was read but is no package (an unpinned requirement, an SBOM component without a
    // purl): a warning each, the first few, so a large SBOM cannot flood the journal.
    const auto notes = planned.source->notes();
    for (std::size_t i = 0; i < notes.size() && i < kNotesLogged; ++i)
      log::warning("inventory: " + label(planned) + ": " + planned.path + ": " + notes[i]);
    if (notes.size() > kNotesLogged)
      log::warning("inventory: " + label(planned) + ": " + planned.path + ": and " +
                   std::to_string(notes.size() - kNotesLogged) + " more");
    ++outcome.sources_ok;
    outcome.packages += packages->size();
  }
  PP_TRY(pruned, store.prune_snapshots(static_cast<int>(config.inventory.snapshots_kept)));
  if (pruned > 0) log::debug("inventory: pruned " + std::to_string(pruned) + " old snapshots");
  return outcome;
}

}  // namespace patchparty::lifecycle
