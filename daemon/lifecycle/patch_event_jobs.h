// Where patch events come from on the worker thread: dpkg.log lines, and the difference between
// an inventory snapshot and the previous good one. Each function records what it found in the
// store and returns the stored events, for the worker to count and announce.
//
// One upgrade, one event: dpkg.log is read before each inventory, and the inventory diff of the
// dpkg source skips a change that dpkg.log already gave (same package, arch and new version,
// since the previous snapshot less an hour of clock slack). dpkg writes its log line before it
// updates the status file, so the log is never behind the inventory. Other sources (rpm, apk,
// lockfiles) have no log and are reported by the diff alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/base/result.h"
#include "core/events/patch_event.h"
#include "core/model/model.h"
#include "core/store/store.h"

namespace patchparty::lifecycle {

// The OSV ecosystem of the host's packages ("Debian:12", collectors/inventory/host_ecosystem.h),
// for dpkg.log's events; "Debian" when it cannot be told (the inventory reports that).
std::string host_ecosystem(const config::Config& config);

// The dpkg.log to follow (inventory.dpkg_log under inventory.root); empty when it is off, or
// auto on a host without dpkg.
std::filesystem::path dpkg_log_file(const config::Config& config);

struct DpkgLogPoll {
  std::vector<events::PatchEvent> events;  // stored, with ids
  std::size_t lines = 0;                   // read this time
  std::vector<std::string> problems;       // malformed lines, rotation notices
};

// Reads the lines appended since the cursor and stores their events and the new cursor in one
// transaction. `ecosystem` labels the events ("Debian:12").
[[nodiscard]] Result<DpkgLogPoll> poll_dpkg_log(const std::filesystem::path& file,
                                                std::string_view ecosystem, store::Store& store,
                                                std::int64_t now);

// The events between two snapshots of `source`, dpkg changes already in dpkg.log left out.
[[nodiscard]] Result<std::vector<events::PatchEvent>> record_inventory_events(
    store::Store& store, std::string_view source, const std::vector<Package>& before,
    std::int64_t before_taken_at, const std::vector<Package>& after, std::int64_t now);

}  // namespace patchparty::lifecycle
