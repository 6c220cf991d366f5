// patchpartyd's Prometheus metrics: every family of DESIGN.md "Exporters", built once, and the
// gauges recomputed from the store after each job. Served by the HTTP server (exporters/http/).
//
// Threads: update_from_store() and observe_scan() run on the worker thread; scrapes read the
// registry from civetweb's threads. prometheus-cpp locks each family, so a scrape sees every
// value either before or after an update of that family, never a torn one.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/base/result.h"
#include "core/model/restart_report.h"
#include "core/store/store.h"

namespace patchparty::exporters {

// The children of one gauge family that the last update set; an update replaces the whole set,
// so a feed, source or severity that went away stops being exposed instead of going stale.
class GaugeSeries {
 public:
  explicit GaugeSeries(prometheus::Family<prometheus::Gauge>& family) : family_(&family) {}
  void replace(const std::map<prometheus::Labels, double>& values);

 private:
  prometheus::Family<prometheus::Gauge>* family_;
  std::map<prometheus::Labels, prometheus::Gauge*> live_;
};

class Metrics {
 public:
  // Builds every family; a bad metric or label name is internal (a bug), reported here rather
  // than at the first scrape.
  [[nodiscard]] static Result<std::unique_ptr<Metrics>> create();

  // What /metrics serves; the daemon keeps the Metrics (and so the registry) alive for as long
  // as the HTTP server runs.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  // Recomputes feeds, inventory, findings, backlog, oldest-finding ages and the next party from
  // the store as of `now` (unix seconds). Counters only grow: feed failures are counted from the
  // store's consecutive-failure count as it changes between calls.
  [[nodiscard]] Result<> update_from_store(store::Store& store, const config::Config& config,
                                           std::int64_t now);

  // The restart-needed families from the latest check; null (no check yet, or restart disabled)
  // leaves them without series. At most `unit_limit` patchparty_restart_required{unit} series,
  // by unit name; the rest are counted in patchparty_restart_required_units_omitted.
  void set_restart(const RestartReport* report, std::int64_t unit_limit);

  // One correlation run of the scan job, in seconds.
  void observe_scan(double seconds);

  // One POST of alerts to one Alertmanager; `outcome` is "success" or "failure". Thread-safe:
  // the alert sender calls it from its own thread.
  void count_alerts_sent(std::string_view outcome);

  // One patch event recorded; `kind` is its kind ("upgrade", "deploy", ...). Worker thread.
  void count_patch_event(std::string_view kind);
  // A rollback's outcome (docs/patch-watch-and-rollback.md "Patch watch"), from the watch engine's
  // thread.
  void count_rollback(std::string_view target, std::string_view outcome);
  // The series at 0 before the first rollback, so increase() sees the first one.
  void declare_rollback(std::string_view target, std::string_view outcome);

 private:
  Metrics();

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>* build_info_ = nullptr;
  prometheus::Family<prometheus::Gauge>* feed_last_success_ = nullptr;
  prometheus::Family<prometheus::Counter>* feed_failures_ = nullptr;
  prometheus::Family<prometheus::Gauge>* feed_advisories_ = nullptr;
  prometheus::Family<prometheus::Gauge>* inventory_packages_ = nullptr;
  prometheus::Family<prometheus::Gauge>* findings_ = nullptr;
  prometheus::Family<prometheus::Gauge>* backlog_tasks_ = nullptr;
  prometheus::Family<prometheus::Gauge>* oldest_open_age_ = nullptr;
  prometheus::Family<prometheus::Gauge>* next_party_ = nullptr;
  prometheus::Family<prometheus::Gauge>* sla_seconds_ = nullptr;
  prometheus::Family<prometheus::Gauge>* finding_info_ = nullptr;
  prometheus::Family<prometheus::Counter>* finding_info_dropped_ = nullptr;
  prometheus::Family<prometheus::Histogram>* scan_duration_ = nullptr;
  // Declared for the subsystems that will set them (patch events, rollback, alerting), so the
  // names are fixed and documented now; they have no series until then.
  prometheus::Family<prometheus::Counter>* patch_events_ = nullptr;
  prometheus::Family<prometheus::Counter>* rollbacks_ = nullptr;
  prometheus::Family<prometheus::Counter>* alerts_sent_ = nullptr;
  prometheus::Family<prometheus::Gauge>* reboot_required_ = nullptr;
  prometheus::Family<prometheus::Gauge>* restart_units_ = nullptr;
  prometheus::Family<prometheus::Gauge>* restart_unit_ = nullptr;
  prometheus::Family<prometheus::Gauge>* restart_units_omitted_ = nullptr;
  prometheus::Family<prometheus::Gauge>* restart_processes_ = nullptr;

  std::unique_ptr<GaugeSeries> last_success_series_, advisories_series_, inventory_series_,
      findings_series_, backlog_series_, oldest_series_, next_party_series_, finding_info_series_,
      reboot_series_, restart_units_series_, restart_unit_series_, restart_omitted_series_,
      restart_processes_series_;
  prometheus::Histogram* scan_histogram_ = nullptr;
  prometheus::Counter* dropped_ = nullptr;
  std::map<std::string, std::int64_t> failures_seen_;  // feed -> consecutive failures last seen
};

// The text exposition format of everything in `registry`, as a scrape returns it.
std::string serialize_metrics(const prometheus::Registry& registry);

}  // namespace patchparty::exporters
