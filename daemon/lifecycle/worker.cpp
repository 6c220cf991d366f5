#include "daemon/lifecycle/worker.h"

#include <unistd.h>

#include <map>
#include <utility>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/inventory/inventory_plan.h"
#include "core/base/log.h"
#include "core/base/unix_time.h"
#include "core/store/event_tables.h"
#include "daemon/lifecycle/feed_job.h"
#include "daemon/lifecycle/inventory_job.h"
#include "daemon/lifecycle/party_job.h"
#include "daemon/lifecycle/patch_event_jobs.h"
#include "daemon/lifecycle/restart_job.h"
#include "daemon/scan/scan_run.h"
#include "exporters/alertmanager/alert_rules.h"

namespace patchparty::lifecycle {

namespace {

std::uint64_t seed() {
  return static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()) ^
         static_cast<std::uint64_t>(::getpid());
}

}  // namespace

Worker::Worker(config::Config config, suppress::Suppressions suppressions, store::Store store,
               MetricSet* metrics, ApiState* api)
    : config_(std::move(config)),
      suppressions_(std::move(suppressions)),
      store_(std::move(store)),
      metrics_(metrics),
      api_(api),
      fetcher_(config_.state_dir / "downloads", user_agent()),
      scheduler_(config_.jitter, seed()) {}

void Worker::start() {
  configure_alerting();
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
}

void Worker::reload(config::Config config, suppress::Suppressions suppressions) {
  std::lock_guard lock(mu_);
  pending_ = std::move(config);
  pending_suppressions_ = std::move(suppressions);
  cv_.notify_all();
}

bool Worker::stop(std::chrono::milliseconds timeout) {
  thread_.request_stop();
  cv_.notify_all();
  std::unique_lock lock(mu_);
  bool done = cv_.wait_for(lock, timeout, [this] { return finished_; });
  lock.unlock();
  if (done) thread_.join();
  if (done && alerter_) alerter_->stop();
  return done;
}

bool Worker::alive() const {
  auto since = busy_since_.load();
  if (since == Clock::time_point{}) return Clock::now() - beat_.load() < 3 * kBeat;
  return Clock::now() - since < kStallLimit;
}

void Worker::request_scan() {
  std::lock_guard lock(mu_);
  scan_requested_ = true;
  cv_.notify_all();
}

std::string Worker::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

std::future<Result<events::PatchEvent>> Worker::submit_event(events::PatchEvent event) {
  auto stored = inbox_.push(std::move(event));
  std::lock_guard lock(mu_);  // so the loop cannot miss the wake-up between check and wait
  cv_.notify_all();
  return stored;
}

void Worker::add_event_listener(events::EventListener listener) {
  listeners_.push_back(std::move(listener));
}

void Worker::watch_changed() {
  {
    std::lock_guard lock(mu_);
    watch_changed_ = true;
  }
  cv_.notify_all();
}

std::vector<Job> Worker::jobs_for(const config::Config& c) {
  std::vector<Job> jobs;
  dpkg_log_ = dpkg_log_file(c);
  host_ecosystem_ = host_ecosystem(c);
  jobs.push_back(Job{"inventory", c.inventory.interval,
                     [this](std::stop_token s) { return inventory_job(s); }});
  // Feeds: the configured ones, or those this host's inventory calls for.
  feeds_.clear();
  for (const auto& fc : effective_feeds(c, inventory::plan_inventory(c))) {
    if (!fc.enabled) continue;
    auto feed = feeds::make_feed(fc);
    if (!feed) {
      log::error("feed " + fc.name + ": " + feed.error().message);
      continue;
    }
    feeds::Feed* f = feed->get();
    feeds_.push_back(std::move(*feed));
    jobs.push_back(Job{"feed:" + fc.name, fc.interval,
                       [this, f](std::stop_token s) { return feed_job(*f, s); }});
  }
  if (!dpkg_log_.empty())
    jobs.push_back(Job{"dpkg-log", c.inventory.dpkg_log.interval,
                       [this](std::stop_token) { return poll_dpkg_log(); }});
  // After the feeds, so a daemon started inside the export window has its advisories first.
  // Checked every minute: cheap, and exact enough for an export a day ahead of the party.
  jobs.push_back(
      Job{"party", std::chrono::minutes(1), [this](std::stop_token) { return party_job(); }});
  if (c.restart.enabled)
    jobs.push_back(
        Job{"restart", c.restart.interval, [this](std::stop_token) { return restart_job(); }});
  return jobs;
}

Result<void> Worker::inventory_job(std::stop_token stop) {
  // dpkg.log first, so its events win over the diff's (patch_event_jobs.h).
  if (auto p = poll_dpkg_log(); !p) log::warning("dpkg-log: " + p.error().to_string());
  PP_TRY(r, run_inventory(config_, store_, stop));
  announce(r.events);
  set_status("inventory: " + std::to_string(r.packages) + " packages from " +
             std::to_string(r.sources_ok) + " sources, " + std::to_string(r.sources_failed) +
             " failed");
  restart_after_inventory_ = true;  // packages may have been upgraded
  return rescan();
}

Result<void> Worker::feed_job(feeds::Feed& feed, std::stop_token stop) {
  PP_TRY(r, run_feed(feed, fetcher_, store_, stop));
  if (r.status == feeds::Refresh::not_modified) return {};
  return rescan();
}

Result<void> Worker::party_job() {
  PP_TRY(r, export_if_due(store_, config_, suppressions_, unix_now()));
  if (r)
    log::notice("party backlog for " + std::to_string(r->party_at) + " written to " +
                r->directory.string());
  return {};
}

Result<void> Worker::restart_job() {
  PP_TRY(r, run_restart_check(config_, store_, unix_now()));
  log::info("restart: " + std::to_string(r.units.size()) + " units and " +
            std::to_string(r.stale_processes) + " processes need a restart; reboot " +
            (r.reboot_required ? "required" : "not required"));
  return {};
}

Result<void> Worker::poll_dpkg_log() {
  if (dpkg_log_.empty()) return {};
  PP_TRY(poll, lifecycle::poll_dpkg_log(dpkg_log_, host_ecosystem_, store_, unix_now()));
  for (const auto& p : poll.problems) log::warning("dpkg-log: " + p);
  if (!poll.events.empty())
    log::info("dpkg-log: " + std::to_string(poll.events.size()) + " patch events from " +
              std::to_string(poll.lines) + " lines");
  announce(poll.events);
  return {};
}

void Worker::record_submitted_events() {
  for (auto& pending : inbox_.take()) {
    auto stored = store::record_event(store_.database(), std::move(pending.event), unix_now());
    if (stored) {
      log::notice("patch event " + std::to_string(stored->id) + ": " +
                  std::string(events::kind_name(stored->kind)) + " " + stored->target + " " +
                  stored->to_version + " (" + std::string(events::origin_name(stored->origin)) +
                  ")");
      announce({*stored});
    } else {
      log::warning("patch event: " + stored.error().to_string());
    }
    pending.stored.set_value(std::move(stored));
  }
}

void Worker::announce(const std::vector<events::PatchEvent>& stored) {
  for (const auto& e : stored) {
    if (metrics_ && metrics_->daemon)
      metrics_->daemon->count_patch_event(events::kind_name(e.kind));
    for (const auto& listener : listeners_) listener(e);
  }
}

Result<void> Worker::rescan() {
  const auto started = Clock::now();
  auto r = scan::run_scan(store_, config_, suppressions_, unix_now());
  if (metrics_ && metrics_->daemon)
    metrics_->daemon->observe_scan(std::chrono::duration<double>(Clock::now() - started).count());
  if (api_) api_->scan_finished(r ? Result<void>{} : tl::make_unexpected(r.error()));
  if (!r) return tl::make_unexpected(r.error());
  for (const auto& p : r->problems)
    log::warning("scan: " + p.ecosystem + " " + p.package + " " + p.version + " against " +
                 p.advisory + ": " + p.message);
  log::info("scan: " + std::to_string(r->findings.size()) + " open findings (" +
            std::to_string(r->summary.opened) + " new, " + std::to_string(r->summary.resolved) +
            " resolved) in " + std::to_string(r->packages) + " packages");
  if (alerter_)
    alerter_->publish(exporters::vulnerability_alerts(r->findings, config_.alerting.rules),
                      unix_now());
  return {};
}

void Worker::configure_alerting() {
  auto options = exporters::AlerterOptions::from(config_.alerting);
  if (alerter_ && alerter_->options() == options) return;
  // What pages now (vulnerabilities, regressed patches) pages on the new Alertmanagers too.
  std::map<std::string, std::vector<exporters::Alert>> carried;
  if (alerter_) carried = alerter_->sources();
  alerter_.reset();
  if (options.alertmanagers.empty()) return;
  alerter_ =
      exporters::Alerter::start(std::move(options), metrics_ ? metrics_->alerts.get() : nullptr);
  for (auto& [source, alerts] : carried) alerter_->publish(source, std::move(alerts), unix_now());
  log::notice("alerting to " + std::to_string(config_.alerting.alertmanagers.size()) +
              " Alertmanager(s)");
}

void Worker::apply_watch() {
  if (!watch_) return;
  for (const auto& o : watch_->take_outcomes())
    if (auto r = store::set_event_outcome(store_.database(), o.event_id, o.verdict, o.rollback); !r)
      log::error("patch event " + std::to_string(o.event_id) +
                 ": cannot store the watch's verdict: " + r.error().to_string());
  if (alerter_) alerter_->publish("watch", watch_->alerts(), unix_now());
}

void Worker::update_metrics() {
  if (!metrics_ || !metrics_->store) return;
  if (auto r = metrics_->store->update(store_, config_, unix_now()); !r)
    log::warning("metrics: " + r.error().to_string());
}

void Worker::publish_api() {
  if (!api_) return;
  if (auto r = api_->publish(store_, config_, suppressions_); !r)
    log::warning("api: " + r.error().to_string());
}

void Worker::set_status(std::string s) {
  std::lock_guard lock(mu_);
  status_ = std::move(s);
}

// With mu_ held: the reload's configuration replaces the running one between jobs.
void Worker::apply_pending_config() {
  config_ = std::move(*pending_);
  pending_.reset();
  if (pending_suppressions_) suppressions_ = std::move(*pending_suppressions_);
  pending_suppressions_.reset();
  scheduler_ = Scheduler(config_.jitter, seed());
  scheduler_.set_jobs(jobs_for(config_), Clock::now());
  configure_alerting();
}

// Without mu_: the job runs while API threads and reloads go on.
void Worker::run_job(Job& job, std::stop_token stop) {
  const std::string name = job.name;
  auto run = job.run;
  busy_since_ = Clock::now();
  auto started = Clock::now();
  log::debug("job " + name + ": started");
  Result<void> r = run(stop);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  if (!r) {
    log::error("job " + name + ": failed after " + std::to_string(ms.count()) +
               " ms: " + r.error().to_string());
  } else {
    log::info("job " + name + ": done in " + std::to_string(ms.count()) + " ms");
  }
  update_metrics();  // after a failure too: the failure itself is a metric
  publish_api();
  // Beat before going idle, so alive() never judges a long job's end by the beat before it.
  beat_ = Clock::now();
  busy_since_ = Clock::time_point{};
}

void Worker::loop(std::stop_token stop) {
  update_metrics();  // what the store already holds, before the first job has finished
  publish_api();
  scheduler_.set_jobs(jobs_for(config_), Clock::now());
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    beat_ = Clock::now();
    if (pending_) apply_pending_config();
    if (!inbox_.empty()) {
      lock.unlock();
      record_submitted_events();
      lock.lock();
      continue;
    }
    if (std::exchange(watch_changed_, false)) {
      lock.unlock();
      apply_watch();
      lock.lock();
      continue;
    }
    if (std::exchange(scan_requested_, false)) scheduler_.run_next("inventory");
    Job* job = scheduler_.due(Clock::now());
    if (job == nullptr) {
      cv_.wait_until(lock, std::min(scheduler_.next_due(), Clock::now() + kBeat), [&] {
        return stop.stop_requested() || pending_.has_value() || scan_requested_ ||
               !inbox_.empty() || watch_changed_;
      });
      continue;
    }
    const std::string name = job->name;
    Job copy = *job;  // no reference into the scheduler outlives the lock
    lock.unlock();
    run_job(copy, stop);
    lock.lock();
    scheduler_.completed(name, Clock::now());
    if (std::exchange(restart_after_inventory_, false)) scheduler_.run_next("restart");
  }
  finished_ = true;
  cv_.notify_all();
}

}  // namespace patchparty::lifecycle
