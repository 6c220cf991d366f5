#include "daemon/lifecycle/party_job.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "collectors/inventory/inventory_plan.h"
#include "core/party/cron_schedule.h"
#include "core/store/advisory_tables.h"
#include "core/store/finding_tables.h"
#include "core/store/restart_store.h"
#include "daemon/lifecycle/feed_job.h"
#include "daemon/scan/scan_run.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/fleet_writers.h"

namespace patchparty::lifecycle {

namespace fs = std::filesystem;

namespace {

Result<> write_atomically(const fs::path& file, std::string_view bytes) {
  const fs::path tmp = file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return fail(Errc::failed_precondition, "cannot write " + tmp.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return fail(Errc::resource_exhausted, "cannot write " + tmp.string() + " (disk full?)");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return fail(Errc::resource_exhausted, "cannot flush " + tmp.string());
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return fail(Errc::failed_precondition, "cannot rename " + tmp.string());
  }
  return {};
}

// The party's date as the team calls it: in the schedule's time zone (a 09:00 party in Auckland
// is on the local date, which UTC would put a day earlier).
Result<std::string> local_date(std::int64_t t, std::string_view time_zone) {
  PP_TRY(zone, party::load_time_zone(time_zone));
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t), zone);
}

constexpr std::int64_t kLastCallSeconds = 3600;

// Whether every enabled feed has been tried at least once (a failure counts: the export then
// goes out with what the store has). At a first start the daemon checks the party before its
// first feed refresh; an export then would hold no findings and, recorded as written, would stand
// for the whole party.
Result<bool> every_feed_tried(store::Store& store, const config::Config& config) {
  const auto feeds = config.feeds_configured
                         ? config.feeds
                         : effective_feeds(config, inventory::plan_inventory(config));
  for (const auto& feed : feeds) {
    if (!feed.enabled) continue;
    PP_TRY(status, store::feed_status(store.database(), feed.name));
    if (!status) return false;
  }
  return true;
}

}  // namespace

fs::path export_directory(const config::Config& config) {
  return config.party.export_dir.empty() ? config.state_dir / "backlog" : config.party.export_dir;
}

Result<PartyTimes> party_times(const config::PartyConfig& party, std::int64_t now) {
  PP_TRY(schedule, party::CronSchedule::parse(party.schedule, party.time_zone));
  return PartyTimes{schedule.last_at_or_before(now), schedule.next_after(now)};
}

Result<exporters::Backlog> current_backlog(store::Store& store, const config::Config& config,
                                           const suppress::Suppressions& suppressions,
                                           std::int64_t now, bool since_last_party) {
  PP_TRY(findings, store::load_findings(store.database()));
  PP_TRY(backlog,
         backlog_from_findings(std::move(findings), config, suppressions, now, since_last_party));
  if (config.restart.enabled) {
    PP_TRY(restart, restart::load_restart_report(store.database()));
    backlog.restart = std::move(restart);
  }
  return backlog;
}

Result<exporters::Backlog> backlog_from_findings(std::vector<Finding> findings,
                                                 const config::Config& config,
                                                 const suppress::Suppressions& suppressions,
                                                 std::int64_t now, bool since_last_party) {
  PP_TRY(times, party_times(config.party, now));
  scan::rank_and_suppress(findings, config, suppressions, now);
  exporters::BacklogOptions o;
  o.host = scan::host_name(config);
  o.now = now;
  o.last_party = times.last;
  o.next_party = times.next;
  o.since_last_party = since_last_party;
  o.wave = config.party.wave;
  for (const auto& project : config.projects) o.project_dirs[project.name] = project.path.string();
  return exporters::build_backlog(findings, config.sla, o);
}

Result<std::vector<fs::path>> write_backlog_files(const exporters::Backlog& backlog,
                                                  const fs::path& dir, std::string_view stem) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return fail(Errc::failed_precondition, "cannot create " + dir.string() + ": " + ec.message());
  std::vector<fs::path> written;
  for (auto [format, ext] : {std::pair{exporters::BacklogFormat::markdown, "md"},
                             std::pair{exporters::BacklogFormat::csv, "csv"},
                             std::pair{exporters::BacklogFormat::json, "json"}}) {
    const std::string bytes = exporters::render_backlog(backlog, format);
    const fs::path dated = dir / ("backlog-" + std::string(stem) + "." + ext);
    PP_CHECK(write_atomically(dated, bytes));
    // The undated name always holds the latest export, for bookmarks and scripts.
    PP_CHECK(write_atomically(dir / (std::string("backlog.") + ext), bytes));
    written.push_back(dated);
  }
  return written;
}

Result<std::optional<PartyExport>> export_if_due(store::Store& store, const config::Config& config,
                                                 const suppress::Suppressions& suppressions,
                                                 std::int64_t now) {
  PP_TRY(times, party_times(config.party, now));
  if (!times.next) return std::optional<PartyExport>{};
  const auto before =
      std::chrono::duration_cast<std::chrono::seconds>(config.party.export_before).count();
  if (now < *times.next - before) return std::optional<PartyExport>{};
  PP_TRY(done, store::party_exported(store.database(), *times.next));
  if (done) return std::optional<PartyExport>{};
  // The wait is bounded: a feed the daemon has no job for yet (an automatic one for a lockfile
  // that appeared after start) must not cost the party its backlog.
  if (now < *times.next - kLastCallSeconds) {
    PP_TRY(tried, every_feed_tried(store, config));
    if (!tried) return std::optional<PartyExport>{};
  }
  PP_TRY(backlog, current_backlog(store, config, suppressions, now, false));
  PartyExport out;
  out.party_at = *times.next;
  out.directory = export_directory(config);
  PP_TRY(date, local_date(*times.next, config.party.time_zone));
  PP_TRY(files, write_backlog_files(backlog, out.directory, date));
  out.files = std::move(files);
  PP_CHECK(store::record_party_export(store.database(), out.party_at, now, out.directory.string()));
  return std::optional<PartyExport>{std::move(out)};
}

Result<std::vector<fs::path>> export_fleet_backlog_if_new(const fleet::FleetBacklog& backlog,
                                                          const config::Config& config,
                                                          std::int64_t party_at) {
  PP_TRY(date, local_date(party_at, config.party.time_zone));
  const fs::path dir = export_directory(config);
  std::vector<fs::path> written;
  if (fs::exists(dir / ("fleet-backlog-" + date + ".json"))) return written;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return fail(Errc::failed_precondition, "cannot create " + dir.string() + ": " + ec.message());
  // JSON last: its dated file is what says this party's plan is written.
  for (auto [format, ext] : {std::pair{exporters::BacklogFormat::markdown, "md"},
                             std::pair{exporters::BacklogFormat::csv, "csv"},
                             std::pair{exporters::BacklogFormat::json, "json"}}) {
    const std::string bytes = exporters::render_fleet_backlog(backlog, format);
    const fs::path dated = dir / ("fleet-backlog-" + date + "." + ext);
    PP_CHECK(write_atomically(dated, bytes));
    PP_CHECK(write_atomically(dir / (std::string("fleet-backlog.") + ext), bytes));
    written.push_back(dated);
  }
  return written;
}

}  // namespace patchparty::lifecycle
