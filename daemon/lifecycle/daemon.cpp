#include "daemon/lifecycle/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/health/health_json.h"
#include "collectors/health/health_monitor.h"
#include "config/config.h"
#include "core/base/log.h"
#include "core/events/event_inbox.h"
#include "core/events/event_listener.h"
#include "core/store/event_tables.h"
#include "core/store/state_lock.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "daemon/lifecycle/api_state.h"
#include "daemon/lifecycle/feed_job.h"
#include "daemon/lifecycle/inventory_job.h"
#include "daemon/lifecycle/party_job.h"
#include "daemon/lifecycle/patch_event_jobs.h"
#include "daemon/lifecycle/restart_job.h"
#include "daemon/lifecycle/scheduler.h"
#include "daemon/lifecycle/sd_notifier.h"
#include "daemon/lifecycle/signal_fd.h"
#include "daemon/patch_watch/watch_engine.h"
#include "daemon/patch_watch/watches_json.h"
#include "daemon/rollback/rollback_runner.h"
#include "daemon/scan/scan_run.h"
#include "exporters/alertmanager/alert_rules.h"
#include "exporters/alertmanager/alert_sender.h"
#include "exporters/http/api_routes.h"
#include "exporters/http/http_server.h"
#include "exporters/prometheus/metrics.h"

namespace patchparty::lifecycle {

namespace {

using namespace std::chrono_literals;

log::Level level_from(std::string_view name) {
  if (name == "debug") return log::Level::debug;
  if (name == "notice") return log::Level::notice;
  if (name == "warning") return log::Level::warning;
  if (name == "error") return log::Level::err;
  return log::Level::info;
}

Result<config::Config> load(const DaemonOptions& options) {
  if (!options.config_file) return config::default_config();
  return config::load_config_file(*options.config_file);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The bearer token of POST endpoints; nullopt when api.token_file is not set.
Result<std::optional<std::string>> read_api_token(const config::Config& c) {
  if (c.api.token_file.empty()) return std::optional<std::string>();
  PP_TRY(token, http::read_token_file(c.api.token_file));
  return std::optional<std::string>(std::move(token));
}

std::filesystem::path choose_state_dir(const DaemonOptions& options, const config::Config& c) {
  if (options.state_dir) return *options.state_dir;
  // systemd's StateDirectory= passes the directory it made for us.
  if (const char* env = std::getenv("STATE_DIRECTORY"); env && *env) {
    std::string_view first(env);
    return std::filesystem::path(first.substr(0, first.find(':')));
  }
  return c.state_dir;
}

// Null when no checks are configured or they cannot be built (logged).
std::unique_ptr<health::HealthMonitor> start_health(const config::HealthConfig& c,
                                                    health::HealthMetrics* metrics) {
  if (c.checks.empty()) return nullptr;
  auto monitor = health::HealthMonitor::from_config(c, metrics);
  if (!monitor) {
    log::error("health: " + monitor.error().to_string());
    return nullptr;
  }
  (*monitor)->start();
  log::notice("health: " + std::to_string(c.checks.size()) + " check(s) running");
  return std::move(*monitor);
}

// The running monitor: replaced on SIGHUP while API requests may be reading it.
class HealthHolder {
 public:
  std::shared_ptr<health::HealthMonitor> get() const {
    std::lock_guard lock(mu_);
    return monitor_;
  }
  // Stops the old monitor; requests still holding it read its last state.
  void replace(std::unique_ptr<health::HealthMonitor> next) {
    std::shared_ptr<health::HealthMonitor> old;
    {
      std::lock_guard lock(mu_);
      old = std::exchange(monitor_, nullptr);
    }
    if (old) old->stop();
    std::lock_guard lock(mu_);
    monitor_ = std::move(next);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<health::HealthMonitor> monitor_;
};

// Owns the worker thread that runs the jobs, and everything that thread touches.
class Worker {
 public:
  // `metrics` and `api` outlive the worker; metrics is null when it could not be built.
  Worker(config::Config config, suppress::Suppressions suppressions, store::Store store,
         exporters::Metrics* metrics, ApiState* api)
      : config_(std::move(config)),
        suppressions_(std::move(suppressions)),
        store_(std::move(store)),
        metrics_(metrics),
        api_(api),
        fetcher_(config_.state_dir / "downloads", user_agent()),
        scheduler_(config_.jitter, seed()) {}

  void start() {
    configure_alerting();
    thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  }

  void reload(config::Config config, suppress::Suppressions suppressions) {
    std::lock_guard lock(mu_);
    pending_ = std::move(config);
    pending_suppressions_ = std::move(suppressions);
    cv_.notify_all();
  }

  // Asks the running job to stop and waits up to `timeout`; false when it did not stop.
  bool stop(std::chrono::milliseconds timeout) {
    thread_.request_stop();
    cv_.notify_all();
    std::unique_lock lock(mu_);
    bool done = cv_.wait_for(lock, timeout, [this] { return finished_; });
    lock.unlock();
    if (done) thread_.join();
    if (done && alerter_) alerter_->stop();
    return done;
  }

  // Healthy for the watchdog and /healthz: busy with one job for less than its stall limit, or
  // idle with the loop still beating (it wakes at least every kBeat).
  bool alive() const {
    auto since = busy_since_.load();
    if (since == Clock::time_point{}) return Clock::now() - beat_.load() < 3 * kBeat;
    return Clock::now() - since < kStallLimit;
  }

  // POST /api/v1/scan: the inventory job (which rescans) runs next, as soon as the loop is free.
  void request_scan() {
    std::lock_guard lock(mu_);
    scan_requested_ = true;
    cv_.notify_all();
  }

  std::string status() const {
    std::lock_guard lock(mu_);
    return status_;
  }

  // Any thread: a deploy event for the worker to store between jobs (events/event_inbox.h).
  std::future<Result<events::PatchEvent>> submit_event(events::PatchEvent event) {
    auto stored = inbox_.push(std::move(event));
    std::lock_guard lock(mu_);  // so the loop cannot miss the wake-up between check and wait
    cv_.notify_all();
    return stored;
  }

  // Before start(): called after each patch event is stored (events/event_listener.h).
  void add_event_listener(events::EventListener listener) {
    listeners_.push_back(std::move(listener));
  }

  // Before start(): the patch watch whose verdicts this worker stores and whose alerts it sends.
  void set_watch(patch_watch::WatchEngine* engine) { watch_ = engine; }

  // From the watch engine's thread: it has outcomes to store or its alerts changed.
  void watch_changed() {
    {
      std::lock_guard lock(mu_);
      watch_changed_ = true;
    }
    cv_.notify_all();
  }

 private:
  static constexpr auto kStallLimit = 30min;
  static constexpr auto kBeat = 10s;

  static std::uint64_t seed() {
    return static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()) ^
           static_cast<std::uint64_t>(::getpid());
  }

  std::vector<Job> jobs_for(const config::Config& c) {
    std::vector<Job> jobs;
    dpkg_log_ = dpkg_log_file(c);
    host_ecosystem_ = host_ecosystem(c);
    jobs.push_back(Job{"inventory", c.inventory.interval, [this](std::stop_token stop) {
                         // dpkg.log first, so its events win over the diff's (patch_event_jobs.h).
                         if (auto p = poll_dpkg_log(); !p)
                           log::warning("dpkg-log: " + p.error().to_string());
                         auto r = run_inventory(config_, store_, stop);
                         if (!r) return Result<void>(tl::make_unexpected(r.error()));
                         announce(r->events);
                         set_status("inventory: " + std::to_string(r->packages) +
                                    " packages from " + std::to_string(r->sources_ok) +
                                    " sources, " + std::to_string(r->sources_failed) + " failed");
                         restart_after_inventory_ = true;  // packages may have been upgraded
                         return rescan();
                       }});
    // Feeds: the configured ones, or those this host's inventory calls for.
    auto configs = effective_feeds(c, inventory::plan_inventory(c));
    feeds_.clear();
    for (const auto& fc : configs) {
      if (!fc.enabled) continue;
      auto feed = feeds::make_feed(fc);
      if (!feed) {
        log::error("feed " + fc.name + ": " + feed.error().message);
        continue;
      }
      feeds::Feed* f = feed->get();
      feeds_.push_back(std::move(*feed));
      jobs.push_back(Job{"feed:" + fc.name, fc.interval, [this, f](std::stop_token stop) {
                           auto r = run_feed(*f, fetcher_, store_, stop);
                           if (!r) return Result<void>(tl::make_unexpected(r.error()));
                           if (r->status == feeds::Refresh::not_modified) return Result<void>{};
                           return rescan();
                         }});
    }
    if (!dpkg_log_.empty())
      jobs.push_back(Job{"dpkg-log", c.inventory.dpkg_log.interval,
                         [this](std::stop_token) { return poll_dpkg_log(); }});
    // After the feeds, so a daemon started inside the export window has its advisories first.
    // Checked every minute: cheap, and exact enough for an export a day ahead of the party.
    jobs.push_back(Job{"party", std::chrono::minutes(1), [this](std::stop_token) {
                         auto r = export_if_due(store_, config_, suppressions_, unix_now());
                         if (!r) return Result<void>(tl::make_unexpected(r.error()));
                         if (*r)
                           log::notice("party backlog for " + std::to_string((*r)->party_at) +
                                       " written to " + (*r)->directory.string());
                         return Result<void>{};
                       }});
    if (c.restart.enabled)
      jobs.push_back(Job{"restart", c.restart.interval, [this](std::stop_token) {
                           auto r = run_restart_check(config_, store_, unix_now());
                           if (!r) return Result<void>(tl::make_unexpected(r.error()));
                           log::info("restart: " + std::to_string(r->units.size()) + " units and " +
                                     std::to_string(r->stale_processes) +
                                     " processes need a restart; reboot " +
                                     (r->reboot_required ? "required" : "not required"));
                           return Result<void>{};
                         }});
    return jobs;
  }

  Result<void> poll_dpkg_log() {
    if (dpkg_log_.empty()) return {};
    PP_TRY(poll, lifecycle::poll_dpkg_log(dpkg_log_, host_ecosystem_, store_, unix_now()));
    for (const auto& p : poll.problems) log::warning("dpkg-log: " + p);
    if (!poll.events.empty())
      log::info("dpkg-log: " + std::to_string(poll.events.size()) + " patch events from " +
                std::to_string(poll.lines) + " lines");
    announce(poll.events);
    return {};
  }

  // Deploys handed over by the API threads, stored in the order they came.
  void record_submitted_events() {
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

  // Stored events: counted, then handed to every listener.
  void announce(const std::vector<events::PatchEvent>& stored) {
    for (const auto& e : stored) {
      if (metrics_) metrics_->count_patch_event(events::kind_name(e.kind));
      for (const auto& listener : listeners_) listener(e);
    }
  }

  // New packages or new advisories: correlate again and record what changed.
  Result<void> rescan() {
    const auto started = Clock::now();
    auto r = scan::run_scan(store_, config_, suppressions_, unix_now());
    if (metrics_)
      metrics_->observe_scan(std::chrono::duration<double>(Clock::now() - started).count());
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

  // Keeps the sender (and what it has delivered) across reloads that leave its options alone.
  void configure_alerting() {
    auto options = exporters::AlerterOptions::from(config_.alerting);
    if (alerter_ && alerter_->options() == options) return;
    // What pages now (vulnerabilities, regressed patches) pages on the new Alertmanagers too.
    std::map<std::string, std::vector<exporters::Alert>> carried;
    if (alerter_) carried = alerter_->sources();
    alerter_.reset();
    if (options.alertmanagers.empty()) return;
    alerter_ = exporters::Alerter::start(std::move(options), metrics_);
    for (auto& [source, alerts] : carried) alerter_->publish(source, std::move(alerts), unix_now());
    log::notice("alerting to " + std::to_string(config_.alerting.alertmanagers.size()) +
                " Alertmanager(s)");
  }

  // The store is the source of truth for every gauge, and only this thread may read it, so the
  // values are refreshed here, after each job, rather than at scrape time.
  // The watch's verdicts go to the store (`patchparty events`), its alerts to Alertmanager.
  void apply_watch() {
    if (!watch_) return;
    for (const auto& o : watch_->take_outcomes())
      if (auto r = store::set_event_outcome(store_.database(), o.event_id, o.verdict, o.rollback);
          !r)
        log::error("patch event " + std::to_string(o.event_id) +
                   ": cannot store the watch's verdict: " + r.error().to_string());
    if (alerter_) alerter_->publish("watch", watch_->alerts(), unix_now());
  }

  void update_metrics() {
    if (!metrics_) return;
    if (auto r = metrics_->update_from_store(store_, config_, unix_now()); !r)
      log::warning("metrics: " + r.error().to_string());
  }

  // The HTTP API's view of the store, published from here because only this thread reads it.
  void publish_api() {
    if (!api_) return;
    if (auto r = api_->publish(store_, config_, suppressions_); !r)
      log::warning("api: " + r.error().to_string());
  }

  void set_status(std::string s) {
    std::lock_guard lock(mu_);
    status_ = std::move(s);
  }

  void loop(std::stop_token stop) {
    update_metrics();  // what the store already holds, before the first job has finished
    publish_api();
    scheduler_.set_jobs(jobs_for(config_), Clock::now());
    std::unique_lock lock(mu_);
    while (!stop.stop_requested()) {
      beat_ = Clock::now();
      if (pending_) {
        config_ = std::move(*pending_);
        pending_.reset();
        if (pending_suppressions_) suppressions_ = std::move(*pending_suppressions_);
        pending_suppressions_.reset();
        scheduler_ = Scheduler(config_.jitter, seed());
        scheduler_.set_jobs(jobs_for(config_), Clock::now());
        configure_alerting();
      }
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
      std::string name = job->name;
      auto run = job->run;
      lock.unlock();
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
      lock.lock();
      scheduler_.completed(name, Clock::now());
      if (std::exchange(restart_after_inventory_, false)) scheduler_.run_next("restart");
    }
    finished_ = true;
    cv_.notify_all();
  }

  config::Config config_;
  suppress::Suppressions suppressions_;
  store::Store store_;
  exporters::Metrics* metrics_;
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

}  // namespace

int run_daemon(const DaemonOptions& options) {
  // Signals are blocked before any thread exists, so only the signalfd ever sees them.
  auto signals = SignalFd::open();
  if (!signals) {
    log::error("cannot set up signal handling: " + signals.error().to_string());
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  auto config = load(options);
  if (!config) {
    log::error("invalid configuration:\n" + config.error().message);
    return 2;
  }
  log::set_min_level(level_from(config->log_level));
  // A bad suppression file would silently un-suppress findings: refuse it like bad config.
  auto suppressions = suppress::load_suppressions(config->suppressions);
  if (!suppressions) {
    log::error("invalid suppressions:\n" + suppressions.error().message);
    return 2;
  }
  if (auto times = party_times(config->party, unix_now()); !times) {
    log::error("invalid party schedule: " + times.error().message);
    return 2;
  }
  auto state_dir = choose_state_dir(options, *config);
  // What the file said, so a reload warns about a change the file made, not about systemd's
  // $STATE_DIRECTORY differing from it.
  auto configured_state_dir = config->state_dir;
  config->state_dir = state_dir;
  // Before the store: a second daemon on the same database would double every job and race
  // the first one's writes.
  auto state_lock = store::StateLock::acquire(state_dir, "patchpartyd");
  if (!state_lock) {
    log::error("not starting: " + state_lock.error().message +
               (state_lock.error().code == Errc::failed_precondition
                    ? "; only one patchpartyd may run per state directory"
                    : ""));
    return 2;
  }
  auto store = store::Store::open(state_dir);
  if (!store) {
    log::error("cannot open the store in " + state_dir.string() + ": " + store.error().to_string());
    return 2;
  }
  log::notice("patchpartyd " PP_VERSION " starting; state in " + state_dir.string() + "; config " +
              (options.config_file ? options.config_file->string() : std::string("built-in")));

  // A configured token that cannot be read is refused like bad config: POST would be disabled
  // while the operator believes it works.
  auto token = read_api_token(*config);
  if (!token) {
    log::error("invalid configuration: " + token.error().message);
    return 2;
  }

  std::unique_ptr<exporters::Metrics> metrics;
  if (auto m = exporters::Metrics::create(); !m)
    log::error(m.error().to_string());
  else
    metrics = std::move(*m);
  std::unique_ptr<health::HealthMetrics> health_metrics;
  if (metrics) {
    if (auto m = health::HealthMetrics::create(*metrics->registry()); !m)
      log::error(m.error().to_string());
    else
      health_metrics = std::move(*m);
  }

  // Its own threads, so a slow probe never holds up the worker; stopped before metrics go.
  HealthHolder health_checks;
  health_checks.replace(start_health(config->health, health_metrics.get()));
  SdNotifier notifier;
  ApiState api;
  http::Router router;
  http::add_metrics_route(router, metrics ? metrics->registry() : nullptr);
  http::add_api_routes(router, api);
  router.get("/api/v1/health", [&health_checks](const http::Request&) {
    return http::json_response(health::health_json(health_checks.get().get()));
  });
  router.token().set(*token);
  router.set_max_body_bytes(config->api.max_body_bytes);
  Worker worker(*config, std::move(*suppressions), std::move(*store), metrics.get(), &api);
  api.connect_worker([&worker] { return worker.alive(); }, [&worker] { worker.request_scan(); },
                     [&worker](events::PatchEvent e) { return worker.submit_event(std::move(e)); });
  // Declared after the worker that stores its verdicts, so it stops (and interrupts a rollback
  // in flight) first.
  patch_watch::WatchEngine watch_engine(
      config->targets, [&health_checks] { return health_checks.get(); }, rollback::make_rollback,
      metrics.get(), {.host = scan::host_name(*config)}, [&worker] { worker.watch_changed(); });
  worker.set_watch(&watch_engine);
  worker.add_event_listener(
      [&watch_engine](const events::PatchEvent& e) { watch_engine.on_event(e); });
  router.get("/api/v1/watches", [&watch_engine](const http::Request&) {
    return http::json_response(patch_watch::watches_json(watch_engine.watches()));
  });
  // The server is for watching and asking, not the daemon's purpose: a port already taken is
  // logged and the daemon runs on without it rather than leaving the host unwatched. Declared
  // after the worker, so it stops (joining its threads) before the worker it calls goes away.
  std::unique_ptr<http::HttpServer> server;
  if (auto s = http::HttpServer::start({.listen = config->listen}, router); !s)
    log::error("http: " + s.error().to_string() + "; running without /metrics and the API");
  else
    server = std::move(*s);
  if (server) log::notice("serving /metrics and the API on " + config->listen);
  watch_engine.start();
  worker.start();
  notifier.ready("running");

  auto ping_every = notifier.watchdog_ping_interval();
  auto wait_step = ping_every ? std::chrono::duration_cast<std::chrono::milliseconds>(*ping_every)
                              : std::chrono::milliseconds(1000);
  wait_step = std::clamp(wait_step, std::chrono::milliseconds(10), std::chrono::milliseconds(5000));
  std::string last_status;
  for (;;) {
    auto sig = signals->wait(wait_step);
    if (!sig) {
      log::error("signal wait failed: " + sig.error().to_string());
      break;
    }
    if (ping_every && worker.alive()) notifier.watchdog();
    if (auto s = worker.status(); s != last_status) {
      notifier.status(s);
      last_status = s;
    }
    if (!sig->has_value()) continue;
    int signo = **sig;
    if (signo == SIGHUP) {
      notifier.reloading();
      if (!options.config_file) {
        log::notice("SIGHUP: no configuration file, nothing to reload");
      } else if (auto next = config::load_config_file(*options.config_file); !next) {
        log::error("SIGHUP: new configuration is invalid; keeping the previous one:\n" +
                   next.error().message);
      } else if (auto sup = suppress::load_suppressions(next->suppressions); !sup) {
        log::error("SIGHUP: suppressions are invalid; keeping the previous configuration:\n" +
                   sup.error().message);
      } else if (auto next_token = read_api_token(*next); !next_token) {
        log::error("SIGHUP: " + next_token.error().message +
                   "; keeping the previous configuration");
      } else {
        router.token().set(std::move(*next_token));
        router.set_max_body_bytes(next->api.max_body_bytes);
        if (next->state_dir != configured_state_dir && !options.state_dir)
          log::warning("SIGHUP: state_dir changes only take effect after a restart");
        configured_state_dir = next->state_dir;
        if (next->listen != config->listen)
          log::warning("SIGHUP: listen changes only take effect after a restart");
        next->state_dir = state_dir;
        log::set_min_level(level_from(next->log_level));
        if (next->health != config->health) {
          // The old checks stop before the new ones probe: same names, same series.
          health_checks.replace(nullptr);
          health_checks.replace(start_health(next->health, health_metrics.get()));
        }
        watch_engine.set_targets(next->targets);
        *config = *next;
        worker.reload(std::move(*next), std::move(*sup));
        log::notice("SIGHUP: configuration reloaded from " + options.config_file->string());
      }
      notifier.ready("running");
      continue;
    }
    log::notice(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") +
                ", stopping");
    break;
  }
  notifier.stopping();
  watch_engine.stop();
  health_checks.replace(nullptr);
  if (!worker.stop(config->shutdown_timeout)) {
    // The job's open transaction dies with the process and SQLite rolls it back on next open.
    log::warning("the running job did not stop within " +
                 config::format_duration(config->shutdown_timeout) + "; exiting anyway");
    std::_Exit(0);
  }
  log::notice("stopped");
  return 0;
}

}  // namespace patchparty::lifecycle
