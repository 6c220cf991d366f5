// Patch events from two inventory snapshots of one source: what was installed, removed, upgraded
// or downgraded between them.
#pragma once

#include <cstdint>
#include <vector>

#include "core/events/patch_event.h"
#include "core/model/model.h"

namespace patchparty::events {

// Packages are matched by (name, arch, location), so a host moving to a new release (Debian:12 to
// Debian:13) shows as upgrades rather than every package removed and installed again, and two
// copies of one npm package in different node_modules directories stay apart. Upgrade and
// downgrade are told apart by the ecosystem's comparator (core/versions/); when it cannot order
// the two versions, the change is reported as an upgrade with a note saying so. Events carry
// origin inventory and time `at`, sorted by target; unchanged packages give none.
std::vector<PatchEvent> diff_inventory(const std::vector<Package>& before,
                                       const std::vector<Package>& after, std::int64_t at);

}  // namespace patchparty::events
