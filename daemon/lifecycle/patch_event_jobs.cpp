#include "daemon/lifecycle/patch_event_jobs.h"

#include "collectors/dpkglog/dpkg_log_line.h"
#include "collectors/dpkglog/log_follower.h"
#include "collectors/inventory/host_ecosystem.h"
#include "core/base/bounded_file.h"
#include "core/events/inventory_diff.h"
#include "core/store/event_tables.h"

namespace patchparty::lifecycle {

namespace {
constexpr std::int64_t kClockSlackSeconds = 3600;
}

std::string host_ecosystem(const config::Config& config) {
  // Only dpkg's log uses it, so the host is of Debian's family; when its release cannot be told
  // the inventory says so, and the events still name the family.
  auto host = inventory::host_ecosystem(config.inventory);
  return host ? host->ecosystem : std::string("Debian");
}

std::filesystem::path dpkg_log_file(const config::Config& config) {
  const auto& inv = config.inventory;
  if (inv.dpkg_log.enabled == config::Toggle::off) return {};
  if (inv.dpkg_log.enabled == config::Toggle::automatic) {
    std::error_code ec;
    if (!std::filesystem::exists(under_root(inv.root, inv.dpkg.path), ec) &&
        !std::filesystem::exists(under_root(inv.root, inv.dpkg_log.path), ec))
      return {};
  }
  return under_root(inv.root, inv.dpkg_log.path);
}

Result<DpkgLogPoll> poll_dpkg_log(const std::filesystem::path& file, std::string_view ecosystem,
                                  store::Store& store, std::int64_t now) {
  PP_TRY(cursor, store::load_log_cursor(store.database(), file.string()));
  PP_TRY(read, dpkglog::follow_log(file, cursor));
  DpkgLogPoll poll;
  poll.lines = read.lines.size();
  poll.problems = std::move(read.notices);
  std::vector<events::PatchEvent> batch;
  for (const auto& line : read.lines) {
    auto entry = dpkglog::parse_dpkg_log_line(line);
    if (!entry) {
      poll.problems.push_back(file.string() + ": " + entry.error().message);
      continue;
    }
    if (!*entry) continue;
    auto event = dpkglog::to_patch_event(**entry, ecosystem);
    if (!event) continue;
    if (auto ok = events::validate_event(*event); !ok) {
      poll.problems.push_back(file.string() + ": " + ok.error().message);
      continue;
    }
    batch.push_back(std::move(*event));
  }
  if (batch.empty() && cursor && *cursor == read.cursor) return poll;
  PP_TRY(stored, store::record_events(store.database(), std::move(batch), now, read.cursor));
  poll.events = std::move(stored);
  return poll;
}

Result<std::vector<events::PatchEvent>> record_inventory_events(
    store::Store& store, std::string_view source, const std::vector<Package>& before,
    std::int64_t before_taken_at, const std::vector<Package>& after, std::int64_t now) {
  std::vector<events::PatchEvent> batch;
  for (auto& e : events::diff_inventory(before, after, now)) {
    if (source == "dpkg") {
      PP_TRY(seen, store::seen_in_dpkg_log(store.database(), e.target, e.arch, e.to_version,
                                           before_taken_at - kClockSlackSeconds));
      if (seen) continue;
    }
    // A package name no event may carry (a control character from a broken lockfile) is left
    // out rather than costing the others their events.
    if (!events::validate_event(e)) continue;
    batch.push_back(std::move(e));
  }
  if (batch.empty()) return batch;
  return store::record_events(store.database(), std::move(batch), now);
}

}  // namespace patchparty::lifecycle
