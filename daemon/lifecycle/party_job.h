// The party: the backlog as of now, and its export once before each scheduled party (Markdown,
// CSV and JSON files written `party.export_before` ahead, once per party, even across restarts).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/base/result.h"
#include "core/fleet/fleet_backlog.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "exporters/backlog/backlog.h"

namespace patchparty::lifecycle {

struct PartyTimes {
  std::optional<std::int64_t> last, next;  // unix seconds
};
[[nodiscard]] Result<PartyTimes> party_times(const config::PartyConfig& party, std::int64_t now);

// The stored open findings, ranked and suppressed as of `now` (a suppression that expired since
// the last scan counts as expired), grouped into the backlog.
[[nodiscard]] Result<exporters::Backlog> current_backlog(store::Store& store,
                                                         const config::Config& config,
                                                         const suppress::Suppressions& suppressions,
                                                         std::int64_t now, bool since_last_party);
// The same from findings already loaded (the HTTP API's snapshot), ranked here as of `now`.
[[nodiscard]] Result<exporters::Backlog> backlog_from_findings(
    std::vector<Finding> findings, const config::Config& config,
    const suppress::Suppressions& suppressions, std::int64_t now, bool since_last_party);

// Writes <dir>/backlog-<stem>.{md,csv,json} and points backlog.{md,csv,json} at them; each file
// is written beside its final name and renamed, so a reader never sees half a backlog.
[[nodiscard]] Result<std::vector<std::filesystem::path>> write_backlog_files(
    const exporters::Backlog& backlog, const std::filesystem::path& dir, std::string_view stem);

struct PartyExport {
  std::int64_t party_at = 0;
  std::filesystem::path directory;
  std::vector<std::filesystem::path> files;
};

// Exports when the next party is at most export_before away, its backlog was not written yet and
// every enabled feed has had its first refresh (successful or not; in the party's last hour the
// export goes out regardless); nullopt when nothing was due.
[[nodiscard]] Result<std::optional<PartyExport>> export_if_due(
    store::Store& store, const config::Config& config, const suppress::Suppressions& suppressions,
    std::int64_t now);

std::filesystem::path export_directory(const config::Config& config);

// The fleet's plan for the party at `party_at`: <dir>/fleet-backlog-<date>.{md,csv,json} (the
// party's date in party.time_zone) and fleet-backlog.{md,csv,json} pointed at the latest, each
// written beside its final name and renamed. Empty when that party's files exist already: once
// per party, across restarts.
[[nodiscard]] Result<std::vector<std::filesystem::path>> export_fleet_backlog_if_new(
    const fleet::FleetBacklog& backlog, const config::Config& config, std::int64_t party_at);

}  // namespace patchparty::lifecycle
