#include "exporters/prometheus/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "core/model/finding.h"
#include "core/party/cron_schedule.h"
#include "core/store/advisory_tables.h"
#include "core/store/finding_tables.h"
#include "core/store/restart_store.h"
#include "exporters/backlog/backlog.h"

namespace patchparty::exporters {

namespace {

constexpr std::array kSeverities = {SeverityLevel::unknown, SeverityLevel::low,
                                    SeverityLevel::medium, SeverityLevel::high,
                                    SeverityLevel::critical};
constexpr std::array kPriorities = {Priority::now, Priority::next, Priority::later};

std::string label(std::string_view v) {
  return std::string(v);
}
std::string yes_no(bool b) {
  return b ? "true" : "false";
}

// Open findings the team still has to act on: a suppressed finding is a decision already made
// and would otherwise keep a "findings > 0" alert firing forever.
bool actionable(const Finding& f) {
  return !f.resolved_at && !f.suppressed();
}

}  // namespace

void GaugeSeries::replace(const std::map<prometheus::Labels, double>& values) {
  for (auto it = live_.begin(); it != live_.end();) {
    if (values.count(it->first)) {
      ++it;
      continue;
    }
    family_->Remove(it->second);
    it = live_.erase(it);
  }
  for (const auto& [labels, value] : values) {
    auto [it, added] = live_.try_emplace(labels, nullptr);
    if (added) it->second = &family_->Add(labels);
    it->second->Set(value);
  }
}

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  using prometheus::BuildHistogram;
  auto& r = *registry_;
  build_info_ = &BuildGauge()
                     .Name("patchparty_build_info")
                     .Help("Always 1; the labels name the running patchpartyd build.")
                     .Register(r);
  feed_last_success_ = &BuildGauge()
                            .Name("patchparty_feed_last_success_timestamp_seconds")
                            .Help(
                                "When the feed last refreshed successfully (unix seconds); "
                                "absent until its first success.")
                            .Register(r);
  feed_failures_ = &BuildCounter()
                        .Name("patchparty_feed_fetch_failures_total")
                        .Help(
                            "Failed refreshes of the feed (download or parse); the feed's "
                            "previous data stays in use.")
                        .Register(r);
  feed_advisories_ = &BuildGauge()
                          .Name("patchparty_feed_advisories")
                          .Help(
                              "Records the feed currently holds in the store (advisories, "
                              "KEV entries or EPSS scores).")
                          .Register(r);
  inventory_packages_ = &BuildGauge()
                             .Name("patchparty_inventory_packages")
                             .Help(
                                 "Installed packages in the newest successful snapshot of "
                                 "each inventory source, summed over projects.")
                             .Register(r);
  findings_ = &BuildGauge()
                   .Name("patchparty_findings")
                   .Help("Open, unsuppressed findings (installed package x vulnerability).")
                   .Register(r);
  backlog_tasks_ = &BuildGauge()
                        .Name("patchparty_backlog_tasks")
                        .Help("Upgrade tasks in the party backlog, by priority bucket.")
                        .Register(r);
  oldest_open_age_ = &BuildGauge()
                          .Name("patchparty_oldest_open_finding_age_seconds")
                          .Help(
                              "Age of the oldest open, unsuppressed finding of the severity, "
                              "from when it was first seen; absent when there is none.")
                          .Register(r);
  next_party_ = &BuildGauge()
                     .Name("patchparty_next_party_timestamp_seconds")
                     .Help("When the next patch party starts (unix seconds).")
                     .Register(r);
  sla_seconds_ = &BuildGauge()
                      .Name("patchparty_sla_seconds")
                      .Help(
                          "The remediation deadline (sla.*) for a finding of the severity, "
                          "counted from when it was first seen.")
                      .Register(r);
  finding_info_ = &BuildGauge()
                       .Name("patchparty_finding_info")
                       .Help(
                           "Always 1: one series per open finding, when metrics.per_finding "
                           "is on, highest risk first up to metrics.per_finding_limit.")
                       .Register(r);
  finding_info_dropped_ = &BuildCounter()
                               .Name("patchparty_finding_info_dropped_total")
                               .Help(
                                   "Findings left out of patchparty_finding_info by "
                                   "metrics.per_finding_limit, added at each update.")
                               .Register(r);
  scan_duration_ = &BuildHistogram()
                        .Name("patchparty_scan_duration_seconds")
                        .Help("Duration of a correlation run (inventory x advisories).")
                        .Register(r);
  patch_events_ = &BuildCounter()
                       .Name("patchparty_patch_events_total")
                       .Help("Patch events recorded (package changes and deploys), by kind.")
                       .Register(r);
  rollbacks_ = &BuildCounter()
                    .Name("patchparty_rollbacks_total")
                    .Help("Rollbacks patchparty attempted after a failed health watch.")
                    .Register(r);
  alerts_sent_ = &BuildCounter()
                      .Name("patchparty_alerts_sent_total")
                      .Help("Alert batches posted to Alertmanager, by outcome.")
                      .Register(r);

  // node_exporter's textfile recipe exports /run/reboot-required as node_reboot_required; same
  // file, same meaning, so dashboards and rules written for one read the other.
  reboot_required_ = &BuildGauge()
                          .Name("patchparty_reboot_required")
                          .Help(
                              "1 when /run/reboot-required exists (a package asked for a "
                              "reboot), 0 otherwise.")
                          .Register(r);
  restart_units_ = &BuildGauge()
                        .Name("patchparty_restart_required_units")
                        .Help(
                            "Service units with a process still running a deleted or "
                            "replaced library or executable.")
                        .Register(r);
  restart_unit_ = &BuildGauge()
                       .Name("patchparty_restart_required")
                       .Help(
                           "1 for each service unit that needs a restart (up to "
                           "restart.metrics_unit_limit units, by name).")
                       .Register(r);
  restart_units_omitted_ = &BuildGauge()
                                .Name("patchparty_restart_required_units_omitted")
                                .Help(
                                    "Units needing a restart left out of "
                                    "patchparty_restart_required by restart.metrics_unit_limit.")
                                .Register(r);
  restart_processes_ = &BuildGauge()
                            .Name("patchparty_restart_required_processes")
                            .Help(
                                "Processes still running a deleted or replaced library or "
                                "executable, in service units or not.")
                            .Register(r);

  build_info_->Add({{"version", PP_VERSION}}).Set(1);
  // Scans range from milliseconds (a small host, nothing new) to minutes (a big inventory
  // against every OSV ecosystem); the default buckets stop at 10 s.
  scan_histogram_ =
      &scan_duration_->Add({}, prometheus::Histogram::BucketBoundaries{
                                   0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300});
  dropped_ = &finding_info_dropped_->Add({});
  // Both outcomes from the start, so "failures / all" has a denominator and a rule on failures
  // sees the first one as an increase from zero.
  alerts_sent_->Add({{"outcome", "success"}});
  alerts_sent_->Add({{"outcome", "failure"}});
  // Every kind from the start, for the same reason: the first deploy is an increase from zero.
  for (const char* kind : {"upgrade", "downgrade", "install", "remove", "deploy"})
    patch_events_->Add({{"kind", kind}});
  last_success_series_ = std::make_unique<GaugeSeries>(*feed_last_success_);
  advisories_series_ = std::make_unique<GaugeSeries>(*feed_advisories_);
  inventory_series_ = std::make_unique<GaugeSeries>(*inventory_packages_);
  findings_series_ = std::make_unique<GaugeSeries>(*findings_);
  backlog_series_ = std::make_unique<GaugeSeries>(*backlog_tasks_);
  oldest_series_ = std::make_unique<GaugeSeries>(*oldest_open_age_);
  next_party_series_ = std::make_unique<GaugeSeries>(*next_party_);
  finding_info_series_ = std::make_unique<GaugeSeries>(*finding_info_);
  reboot_series_ = std::make_unique<GaugeSeries>(*reboot_required_);
  restart_units_series_ = std::make_unique<GaugeSeries>(*restart_units_);
  restart_unit_series_ = std::make_unique<GaugeSeries>(*restart_unit_);
  restart_omitted_series_ = std::make_unique<GaugeSeries>(*restart_units_omitted_);
  restart_processes_series_ = std::make_unique<GaugeSeries>(*restart_processes_);
}

Result<std::unique_ptr<Metrics>> Metrics::create() {
  try {
    return std::unique_ptr<Metrics>(new Metrics());
  } catch (const std::invalid_argument& e) {
    return fail(Errc::internal, std::string("metrics: ") + e.what());
  }
}

void Metrics::observe_scan(double seconds) {
  scan_histogram_->Observe(seconds);
}

void Metrics::set_restart(const RestartReport* report, std::int64_t unit_limit) {
  std::map<prometheus::Labels, double> reboot, units, unit, omitted, processes;
  if (report) {
    reboot[{}] = report->reboot_required ? 1 : 0;
    units[{}] = static_cast<double>(report->units.size());
    processes[{}] = static_cast<double>(report->stale_processes);
    // Units come sorted by name, so the cap keeps the same ones from check to check.
    const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(0, unit_limit));
    for (std::size_t i = 0; i < report->units.size() && i < limit; ++i)
      unit[{{"unit", report->units[i].unit}}] = 1;
    omitted[{}] =
        static_cast<double>(report->units.size() > limit ? report->units.size() - limit : 0);
  }
  reboot_series_->replace(reboot);
  restart_units_series_->replace(units);
  restart_unit_series_->replace(unit);
  restart_omitted_series_->replace(omitted);
  restart_processes_series_->replace(processes);
}

void Metrics::count_alerts_sent(std::string_view outcome) {
  alerts_sent_->Add({{"outcome", std::string(outcome)}}).Increment();
}

void Metrics::count_patch_event(std::string_view kind) {
  patch_events_->Add({{"kind", std::string(kind)}}).Increment();
}

void Metrics::count_rollback(std::string_view target, std::string_view outcome) {
  rollbacks_->Add({{"target", std::string(target)}, {"outcome", std::string(outcome)}}).Increment();
}

void Metrics::declare_rollback(std::string_view target, std::string_view outcome) {
  rollbacks_->Add({{"target", std::string(target)}, {"outcome", std::string(outcome)}});
}

Result<> Metrics::update_from_store(store::Store& store, const config::Config& config,
                                    std::int64_t now) {
  auto& db = store.database();

  // Feeds.
  PP_TRY(feeds, store::feed_statuses(db));
  std::map<prometheus::Labels, double> last_success, advisories;
  for (const auto& f : feeds) {
    prometheus::Labels l{{"feed", f.feed}};
    if (f.last_success_at > 0) last_success[l] = static_cast<double>(f.last_success_at);
    advisories[l] = static_cast<double>(f.record_count);
    // The store keeps consecutive failures, reset by a success. Growth is new failures; a drop
    // means a success came in between, after which the current count is all new. Failures
    // before this process started count once, at first sight, so a feed that has been failing
    // since before a restart does not read as healthy.
    auto& counter = feed_failures_->Add(l);
    std::int64_t& seen = failures_seen_[f.feed];  // 0 at first sight
    const std::int64_t added = f.failures >= seen ? f.failures - seen : f.failures;
    if (added > 0) counter.Increment(static_cast<double>(added));
    seen = f.failures;
  }
  last_success_series_->replace(last_success);
  advisories_series_->replace(advisories);

  // Inventory: snapshots come newest first, so the first successful one of each (source,
  // project) is the current one.
  store::SnapshotFilter all;
  all.limit = 0;
  PP_TRY(snapshots, store.snapshots(all));
  std::set<std::pair<std::string, std::string>> counted;
  std::map<prometheus::Labels, double> packages;
  for (const auto& s : snapshots) {
    if (!s.ok || !counted.emplace(s.source, s.project).second) continue;
    packages[{{"source", s.source}}] += static_cast<double>(s.package_count);
  }
  inventory_series_->replace(packages);

  // Findings: every severity x fix_available x kev combination is exposed, zeros included, so
  // a query over one of them never turns into "no data".
  PP_TRY(findings, store::load_findings(db));
  std::map<prometheus::Labels, double> counts;
  for (auto s : kSeverities)
    for (bool fix : {false, true})
      for (bool kev : {false, true})
        counts[{{"severity", label(severity_name(s))},
                {"fix_available", yes_no(fix)},
                {"kev", yes_no(kev)}}] = 0;
  std::map<SeverityLevel, std::int64_t> oldest;
  std::vector<const Finding*> open;
  for (const auto& f : findings) {
    if (!actionable(f)) continue;
    open.push_back(&f);
    counts[{{"severity", label(severity_name(f.severity))},
            {"fix_available", yes_no(f.fix_available())},
            {"kev", yes_no(f.kev)}}] += 1;
    auto [it, added] = oldest.try_emplace(f.severity, f.first_seen);
    if (!added) it->second = std::min(it->second, f.first_seen);
  }
  findings_series_->replace(counts);
  std::map<prometheus::Labels, double> ages;
  for (auto [severity, first_seen] : oldest)
    ages[{{"severity", label(severity_name(severity))}}] =
        static_cast<double>(std::max<std::int64_t>(0, now - first_seen));
  oldest_series_->replace(ages);

  // The party: next date and the backlog as it would be exported now.
  PP_TRY(schedule, party::CronSchedule::parse(config.party.schedule, config.party.time_zone));
  BacklogOptions options;
  options.host = config.host_name;
  options.now = now;
  options.last_party = schedule.last_at_or_before(now);
  options.next_party = schedule.next_after(now);
  std::map<prometheus::Labels, double> next;
  if (options.next_party) next[{}] = static_cast<double>(*options.next_party);
  next_party_series_->replace(next);
  const Backlog backlog = build_backlog(findings, config.sla, options);
  for (auto s : kSeverities)
    sla_seconds_->Add({{"severity", label(severity_name(s))}})
        .Set(static_cast<double>(sla_seconds(config.sla, s)));
  std::map<prometheus::Labels, double> tasks;
  for (auto p : kPriorities) tasks[{{"priority", label(priority_name(p))}}] = 0;
  for (const auto& t : backlog.tasks) tasks[{{"priority", label(priority_name(t.priority))}}] += 1;
  backlog_series_->replace(tasks);

  // Per-finding series, riskiest first so the cap drops the least urgent.
  std::map<prometheus::Labels, double> info;
  if (config.metrics.per_finding) {
    std::sort(open.begin(), open.end(), [](const Finding* a, const Finding* b) {
      if (a->risk != b->risk) return a->risk > b->risk;
      return std::tie(a->vulnerability, a->package.name, a->project, a->host) <
             std::tie(b->vulnerability, b->package.name, b->project, b->host);
    });
    const auto limit =
        static_cast<std::size_t>(std::max<std::int64_t>(0, config.metrics.per_finding_limit));
    for (std::size_t i = 0; i < open.size() && i < limit; ++i) {
      const Finding& f = *open[i];
      info[{{"host", f.host.empty() ? config.host_name : f.host},
            {"project", f.project},
            {"ecosystem", f.package.ecosystem},
            {"package", f.package.name},
            {"version", f.package.version},
            {"vulnerability", f.vulnerability},
            {"severity", label(severity_name(f.severity))},
            {"fixed_version", f.fixed_version},
            {"kev", yes_no(f.kev)}}] = 1;
    }
    if (open.size() > limit) dropped_->Increment(static_cast<double>(open.size() - limit));
  }
  finding_info_series_->replace(info);

  PP_TRY(restart_report, restart::load_restart_report(db));
  set_restart(config.restart.enabled && restart_report ? &*restart_report : nullptr,
              config.restart.metrics_unit_limit);
  return {};
}

std::string serialize_metrics(const prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

}  // namespace patchparty::exporters
