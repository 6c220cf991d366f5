#include "daemon/patch_watch/watch_engine.h"

#include <algorithm>

#include "core/base/log.h"
#include "core/base/unix_time.h"

namespace patchparty::patch_watch {

namespace {

std::int64_t unix_seconds(health::WallClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

watch::WatchPolicy policy_of(const config::WatchConfig& c) {
  watch::WatchPolicy p;
  p.window = std::chrono::duration_cast<std::chrono::seconds>(c.window);
  p.baseline = std::chrono::duration_cast<std::chrono::seconds>(c.baseline);
  p.failure_threshold = static_cast<int>(c.failure_threshold);
  p.consecutive_failures = static_cast<int>(c.consecutive_failures);
  p.recovery_successes = static_cast<int>(c.recovery_successes);
  return p;
}

bool is_package_event(events::Kind k) {
  return k != events::Kind::deploy;
}

std::string event_label(const events::PatchEvent& e) {
  std::string s = "event " + std::to_string(e.id) + " (" + std::string(events::kind_name(e.kind)) +
                  " " + e.target;
  if (!e.from_version.empty() || !e.to_version.empty())
    s += " " + (e.from_version.empty() ? "-" : e.from_version) + " -> " +
         (e.to_version.empty() ? "-" : e.to_version);
  return s + ")";
}

}  // namespace

bool touches(const config::TargetConfig& target, const events::PatchEvent& event) {
  if (!is_package_event(event.kind)) return event.target == target.name;
  return std::find(target.packages.begin(), target.packages.end(), event.target) !=
         target.packages.end();
}

WatchEngine::WatchEngine(std::vector<config::TargetConfig> targets, MonitorSource monitor,
                         RunnerFactory runners, RollbackMetrics* metrics, EngineOptions options,
                         std::function<void()> on_change)
    : monitor_(std::move(monitor)),
      runners_(std::move(runners)),
      metrics_(metrics),
      options_(std::move(options)),
      on_change_(std::move(on_change)),
      targets_(std::move(targets)) {
  declare_series();
}

void WatchEngine::declare_series() {
  if (!metrics_) return;
  for (const auto& t : targets_) {
    if (!t.rollback.enabled) continue;
    for (const char* outcome : {"succeeded", "failed", "not_recovered", "refused"})
      metrics_->declare(t.name, outcome);
    if (t.rollback.dry_run) metrics_->declare(t.name, "dry_run");
  }
}

WatchEngine::~WatchEngine() {
  stop();
}

void WatchEngine::start() {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
}

void WatchEngine::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    wake_.notify_all();
    thread_.join();
  }
  std::vector<std::jthread> running;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, w] : watches_)
      if (w->thread.joinable()) running.push_back(std::move(w->thread));
  }
  // jthread's destructor requests the stop and joins: a rollback in flight is interrupted.
  running.clear();
}

void WatchEngine::set_targets(std::vector<config::TargetConfig> targets) {
  std::lock_guard lock(mu_);
  targets_ = std::move(targets);
  declare_series();
  for (auto it = watches_.begin(); it != watches_.end();) {
    Watch& w = *it->second;
    const bool kept = std::any_of(targets_.begin(), targets_.end(),
                                  [&](const auto& t) { return t.name == w.target.name; });
    // A rollback already running finishes and is verified: stopping it half-way is worse.
    if (kept || w.state == State::rolling_back) {
      ++it;
      continue;
    }
    log::notice("watch of " + event_label(w.event) + " on " + w.target.name +
                ": closed, the target is no longer configured");
    record(w, "not_watched: target removed from the configuration", w.rollback);
    it = watches_.erase(it);
  }
  dirty_ = true;
}

void WatchEngine::on_event(const events::PatchEvent& event) {
  {
    std::lock_guard lock(mu_);
    const std::int64_t now = unix_now();
    for (const auto& target : targets_) {
      if (!touches(target, event)) continue;
      auto w = std::make_unique<Watch>();
      w->event = event;
      w->target = target;
      w->policy = policy_of(target.watch);
      const std::string on = event_label(event) + " on " + target.name;

      // The rollback of this target changes its packages or deploys it again: those events are
      // its own doing, not a new patch to watch (and to roll back in turn).
      const auto busy = std::find_if(watches_.begin(), watches_.end(), [&](const auto& kv) {
        return kv.second->target.name == target.name &&
               (kv.second->state == State::rolling_back || kv.second->state == State::verifying);
      });
      if (busy != watches_.end()) {
        log::info("watch: " + on + " comes during the rollback of event " +
                  std::to_string(busy->second->event.id) + ": not watched");
        record(
            *w,
            "not_watched: during the rollback of event " + std::to_string(busy->second->event.id),
            "");
        continue;
      }
      if (event.at + w->policy.window.count() < now) {
        record(*w, "not_watched: older than the watch window", "");
        continue;
      }
      // A newer patch of the same target restarts the analysis against a fresh baseline.
      for (auto it = watches_.begin(); it != watches_.end();) {
        Watch& old = *it->second;
        if (old.target.name == target.name && old.state == State::watching) {
          log::info("watch of " + event_label(old.event) + " on " + target.name +
                    ": superseded by event " + std::to_string(event.id));
          record(old, "superseded by event " + std::to_string(event.id), old.rollback);
          it = watches_.erase(it);
        } else {
          ++it;
        }
      }
      log::notice("watch: " + on + " opened for " + std::to_string(w->policy.window.count()) +
                  " s over " + std::to_string(target.checks.size()) + " check(s)");
      record(*w, "watching", target.rollback.enabled ? "" : "disabled");
      watches_[{event.id, target.name}] = std::move(w);
    }
  }
  wake_.notify_all();
}

std::vector<WatchOutcome> WatchEngine::take_outcomes() {
  std::lock_guard lock(mu_);
  return std::exchange(outcomes_, {});
}

std::vector<WatchView> WatchEngine::watches() const {
  std::lock_guard lock(mu_);
  std::vector<WatchView> out;
  for (const auto& [key, w] : watches_) {
    static constexpr const char* kStates[] = {"watching", "rolling_back", "verifying",
                                              "awaiting_recovery"};
    out.push_back({w->event.id, w->target.name, kStates[static_cast<int>(w->state)], w->verdict});
  }
  return out;
}

exporters::Alert WatchEngine::alert_for(const Watch& w, std::string_view name) const {
  exporters::Alert a;
  a.labels["alertname"] = std::string(name);
  a.labels["severity"] = "critical";
  a.labels["host"] = options_.host;
  a.labels["target"] = w.target.name;
  a.labels["event"] = std::to_string(w.event.id);
  a.starts_at = w.regressed_at;
  a.annotations["description"] = w.verdict;
  a.annotations["rollback"] = w.rollback.empty() ? "none" : w.rollback;
  a.annotations["patch"] = event_label(w.event);
  if (name == "PatchPartyPatchRegressed")
    a.annotations["summary"] =
        "A patch to " + w.target.name + " on " + options_.host + " broke its health checks";
  else
    a.annotations["summary"] = "Rolling back the patch to " + w.target.name + " on " +
                               options_.host + " did not restore its health";
  return a;
}

std::vector<exporters::Alert> WatchEngine::alerts() const {
  std::lock_guard lock(mu_);
  std::vector<exporters::Alert> out;
  for (const auto& [key, w] : watches_) {
    if (w->regressed_at == 0) continue;
    out.push_back(alert_for(*w, "PatchPartyPatchRegressed"));
    if (w->rollback_failed) out.push_back(alert_for(*w, "PatchPartyRollbackFailed"));
  }
  return out;
}

void WatchEngine::record(Watch& w, std::string verdict, std::string rollback) {
  w.verdict = std::move(verdict);
  w.rollback = std::move(rollback);
  std::string v = w.verdict;
  std::string r = w.rollback;
  // One event can touch several targets: each one's judgement is named in the event's row.
  const bool several = std::count_if(targets_.begin(), targets_.end(),
                                     [&](const auto& t) { return touches(t, w.event); }) > 1;
  if (several) {
    v = w.target.name + ": " + v;
    if (!r.empty()) r = w.target.name + ": " + r;
  }
  outcomes_.push_back({w.event.id, std::move(v), std::move(r)});
  dirty_ = true;
}

void WatchEngine::count(const Watch& w, std::string_view outcome) {
  if (metrics_) metrics_->count(w.target.name, outcome);
}

std::map<std::string, std::vector<watch::Sample>> WatchEngine::samples(
    const Watch& w, std::int64_t since, health::HealthMonitor* monitor) const {
  std::map<std::string, std::vector<watch::Sample>> out;
  for (const auto& check : w.target.checks) {
    auto& list = out[check];
    if (!monitor) continue;
    for (const auto& p :
         monitor->history(check, health::WallClock::time_point(std::chrono::seconds(since))))
      list.push_back({unix_seconds(p.at), p.healthy});
  }
  return out;
}

void WatchEngine::loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    bool notify = false;
    {
      std::unique_lock lock(mu_);
      auto monitor = monitor_ ? monitor_() : nullptr;
      const std::int64_t now = unix_now();
      for (auto it = watches_.begin(); it != watches_.end();) {
        if (advance(*it->second, now, monitor.get()))
          it = watches_.erase(it);
        else
          ++it;
      }
      notify = std::exchange(dirty_, false);
    }
    if (notify && on_change_) on_change_();
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, options_.tick, [&] { return dirty_; });
  }
}

bool WatchEngine::advance(Watch& w, std::int64_t now, health::HealthMonitor* monitor) {
  switch (w.state) {
    case State::watching: {
      const auto j = watch::judge(w.event.at, now, w.policy,
                                  samples(w, w.event.at - w.policy.baseline.count(), monitor));
      if (j.verdict == watch::Verdict::regressed) return on_regressed(w, now, j);
      if (j.verdict == watch::Verdict::passed) {
        log::notice("watch of " + event_label(w.event) + " on " + w.target.name + ": " + j.reason);
        record(w, j.reason, w.rollback);
        return true;
      }
      return false;
    }
    case State::rolling_back: {
      std::optional<rollback::RollbackResult> r;
      {
        std::lock_guard lock(w.slot->mu);
        r = w.slot->result;
      }
      if (r) {
        w.thread.join();
        finish_rollback(w, now, *r);
      }
      return false;
    }
    case State::verifying: {
      const auto r = watch::judge_recovery(w.recovery_from, now, w.policy, w.regressed_checks,
                                           samples(w, w.recovery_from, monitor));
      if (r == watch::Recovery::verifying) return false;
      if (r == watch::Recovery::recovered) {
        const std::string took = std::to_string(now - w.regressed_at);
        log::notice("rollback of " + event_label(w.event) + " on " + w.target.name +
                    ": health recovered " + took + " s after the regression");
        count(w, "succeeded");
        record(w, w.verdict,
               "succeeded: " + w.rollback_what + "; recovered " + took + " s after the regression");
        return true;
      }
      log::error("rollback of " + event_label(w.event) + " on " + w.target.name +
                 ": ran, but the checks did not recover within " +
                 std::to_string(w.policy.window.count()) + " s");
      count(w, "not_recovered");
      w.rollback_failed = true;
      w.state = State::awaiting_recovery;
      record(w, w.verdict, "not_recovered: " + w.rollback_what + "; checks still failing");
      return false;
    }
    case State::awaiting_recovery: {
      // Someone fixes it by hand (or it heals): the alerts resolve then.
      watch::WatchPolicy open_ended = w.policy;
      open_ended.window = std::chrono::hours(24 * 365);
      const auto r = watch::judge_recovery(w.recovery_from, now, open_ended, w.regressed_checks,
                                           samples(w, w.recovery_from, monitor));
      if (r != watch::Recovery::recovered) return false;
      log::notice("watch of " + event_label(w.event) + " on " + w.target.name +
                  ": the checks are healthy again");
      dirty_ = true;  // its alerts resolve
      return true;
    }
  }
  return false;
}

bool WatchEngine::on_regressed(Watch& w, std::int64_t now, const watch::WatchJudgement& j) {
  w.regressed_at = now;
  w.recovery_from = now;
  for (const auto& c : j.checks)
    if (c.regressed) w.regressed_checks.push_back(c.check);
  const std::string on = event_label(w.event) + " on " + w.target.name;
  log::error("watch of " + on + ": " + j.reason);
  const auto& rb = w.target.rollback;
  if (!rb.enabled) {
    w.state = State::awaiting_recovery;
    record(w, j.reason, "disabled");
    return false;
  }
  watch::RollbackValues values{w.target.name, w.event.target, w.event.from_version,
                               w.event.to_version};
  auto runner = runners_(rb, values);
  if (!runner) {
    // A value the template refuses (shell metacharacters, an option) is never run; it pages.
    log::error("rollback of " + on + ": refused: " + runner.error().message);
    count(w, "refused");
    w.rollback_failed = true;
    w.state = State::awaiting_recovery;
    record(w, j.reason, "refused: " + runner.error().message);
    return false;
  }
  w.rollback_what = (*runner)->describe();
  if (rb.dry_run) {
    log::warning("rollback of " + on + ": dry run, would run " + w.rollback_what);
    count(w, "dry_run");
    w.state = State::awaiting_recovery;
    record(w, j.reason, "dry_run: would run " + w.rollback_what);
    return false;
  }
  log::warning("rollback of " + on + ": running " + w.rollback_what);
  w.verdict = j.reason;
  w.slot = std::make_shared<RollbackSlot>();
  w.state = State::rolling_back;
  std::shared_ptr<rollback::RollbackRunner> shared(std::move(*runner));
  w.thread = std::jthread([this, slot = w.slot, shared](std::stop_token stop) {
    auto result = shared->run(stop);
    {
      std::lock_guard lock(slot->mu);
      slot->result = std::move(result);
    }
    wake_.notify_all();
  });
  record(w, j.reason, "running: " + w.rollback_what);
  return false;
}

void WatchEngine::finish_rollback(Watch& w, std::int64_t now, const rollback::RollbackResult& r) {
  const std::string on = event_label(w.event) + " on " + w.target.name;
  if (!r.ok) {
    // Not retried: a rollback that failed once needs a human, and the alert says so.
    log::error("rollback of " + on + ": failed: " + r.detail);
    count(w, "failed");
    w.rollback_failed = true;
    w.state = State::awaiting_recovery;
    w.recovery_from = now;
    record(w, w.verdict, "failed: " + w.rollback_what + ": " + r.detail);
    return;
  }
  log::notice("rollback of " + on + ": " + r.detail + "; verifying the recovery");
  // Probes from the next second on started after the rollback finished.
  w.recovery_from = now + 1;
  w.state = State::verifying;
  record(w, w.verdict, "verifying: " + w.rollback_what + " (" + r.detail + ")");
}

}  // namespace patchparty::patch_watch
