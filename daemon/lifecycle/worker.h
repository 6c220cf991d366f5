// The worker: the one thread that owns the store and runs every job in turn (inventory, feeds,
// dpkg.log, party, restart check), stores patch events handed over by the API threads and the
// watch engine's verdicts, and refreshes the metrics and the API's snapshot after each job.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "collectors/feeds/feed.h"
#include "collectors/feeds/fetcher.h"
#include "config/config.h"
#include "core/base/result.h"
#include "core/events/event_inbox.h"
#include "core/events/event_listener.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "daemon/lifecycle/api_state.h"
#include "daemon/lifecycle/metric_set.h"
#include "daemon/lifecycle/scheduler.h"
#include "daemon/patch_watch/watch_engine.h"
#include "exporters/alertmanager/alert_sender.h"

namespace patchparty::lifecycle {

class Worker {
 public:
  // `metrics` and `api` outlive the worker; any of the metric sets may be null.
  Worker(config::Config config, suppress::Suppressions suppressions, store::Store store,
         MetricSet* metrics, ApiState* api);

  void start();
  // A new configuration, taken between jobs.
  void reload(config::Config config, suppress::Suppressions suppressions);
  // Asks the running job to stop and waits up to `timeout`; false when it did not stop.
  bool stop(std::chrono::milliseconds timeout);

  // Healthy for the watchdog and /healthz: busy with one job for less than its stall limit, or
  // idle with the loop still beating (it wakes at least every kBeat).
  bool alive() const;
  // POST /api/v1/scan: the inventory job (which rescans) runs next, as soon as the loop is free.
  void request_scan();
  std::string status() const;

  // Any thread: a deploy event for the worker to store between jobs (events/event_inbox.h).
  std::future<Result<events::PatchEvent>> submit_event(events::PatchEvent event);
  // Before start(): called after each patch event is stored (events/event_listener.h).
  void add_event_listener(events::EventListener listener);
  // Before start(): the patch watch whose verdicts this worker stores and whose alerts it sends.
  void set_watch(patch_watch::WatchEngine* engine) { watch_ = engine; }
  // From the watch engine's thread: it has outcomes to store or its alerts changed.
  void watch_changed();

 private:
  static constexpr auto kStallLimit = std::chrono::minutes(30);
  static constexpr auto kBeat = std::chrono::seconds(10);

  // The jobs for a configuration, each a named function below.
  std::vector<Job> jobs_for(const config::Config& c);
  Result<void> inventory_job(std::stop_token stop);
  Result<void> feed_job(feeds::Feed& feed, std::stop_token stop);
  Result<void> party_job();
  Result<void> restart_job();
  Result<void> poll_dpkg_log();

  // Deploys handed over by the API threads, stored in the order they came.
  void record_submitted_events();
  // Stored events: counted, then handed to every listener.
  void announce(const std::vector<events::PatchEvent>& stored);
  // New packages or new advisories: correlate again and record what changed.
  Result<void> rescan();
  // Keeps the sender (and what it has delivered) across reloads that leave its options alone.
  void configure_alerting();
  // The watch's verdicts go to the store (`patchparty events`), its alerts to Alertmanager.
  void apply_watch();
  // The store is the source of truth for every gauge, and only this thread may read it, so the
  // values are refreshed here, after each job, rather than at scrape time.
  void update_metrics();
  // The HTTP API's view of the store, published from here because only this thread reads it.
  void publish_api();
  void set_status(std::string s);
  void apply_pending_config();
  void run_job(Job& job, std::stop_token stop);
  void loop(std::stop_token stop);

  config::Config config_;
  suppress::Suppressions suppressions_;
  store::Store store_;
  MetricSet* metrics_;
  ApiState* api_;
  feeds::Fetcher fetcher_;
  std::vector<std::unique_ptr<feeds::Feed>> feeds_;
  std::unique_ptr<exporters::Alerter> alerter_;  // null when no Alertmanager is configured
  events::EventInbox inbox_;
  std::vector<events::EventListener> listeners_;
  std::filesystem::path dpkg_log_;  // empty: not followed
  std::string host_ecosystem_;
  Scheduler scheduler_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::optional<config::Config> pending_;
  std::optional<suppress::Suppressions> pending_suppressions_;
  std::string status_ = "starting";
  bool finished_ = false;
  bool scan_requested_ = false;
  bool watch_changed_ = false;
  patch_watch::WatchEngine* watch_ = nullptr;
  bool restart_after_inventory_ = false;  // worker thread only
  std::atomic<Clock::time_point> busy_since_{Clock::time_point{}};
  std::atomic<Clock::time_point> beat_{Clock::now()};
  std::jthread thread_;
};

}  // namespace patchparty::lifecycle
