// The inventory job: read every configured package database and lockfile, and store one
// snapshot per source. A source that fails is recorded as failed; the others still land.
#pragma once

#include <stop_token>
#include <string>

#include "config/config.h"
#include "core/base/result.h"
#include "core/events/patch_event.h"
#include "core/store/store.h"

namespace patchparty::lifecycle {

struct InventoryOutcome {
  int sources_ok = 0;
  int sources_failed = 0;
  std::size_t packages = 0;
  // What changed against each source's previous good snapshot, as stored (patch_event_jobs.h);
  // none for a source's first snapshot.
  std::vector<events::PatchEvent> events;
};

[[nodiscard]] Result<InventoryOutcome> run_inventory(const config::Config& config,
                                                     store::Store& store, std::stop_token stop);

}  // namespace patchparty::lifecycle
