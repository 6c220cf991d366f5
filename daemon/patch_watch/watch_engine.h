// The patch watch (docs/patch-watch-and-rollback.md "Patch watch and rollback"): each patch event
// that touches a configured target opens a watch; the target's health checks are judged against the
// baseline before the event (core/watch/verdict.h) until the window ends; a regression pages, and
// when the target opted in, is rolled back once (daemon/rollback/), after which the same checks
// must show the recovery.
//
// The engine has a thread of its own, so a watch is judged every tick whatever the worker is
// doing, and a rollback runs on a thread per rollback so a slow one holds up no other watch. The
// worker only hands it events (on_event, which never blocks) and drains what it decided
// (take_outcomes), because only the worker writes the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "collectors/health/health_monitor.h"
#include "config/config.h"
#include "core/base/result.h"
#include "core/events/patch_event.h"
#include "core/watch/verdict.h"
#include "daemon/patch_watch/rollback_metrics.h"
#include "daemon/rollback/rollback_runner.h"
#include "exporters/alertmanager/alert.h"

namespace patchparty::patch_watch {

// What the watch concluded about one event, for the store's verdict and rollback columns.
struct WatchOutcome {
  std::int64_t event_id = 0;
  std::string verdict;
  std::string rollback;
};

// One open watch, for logs, the API and tests.
struct WatchView {
  std::int64_t event_id = 0;
  std::string target;
  std::string state;  // watching, rolling_back, verifying, awaiting_recovery
  std::string reason;
};

using MonitorSource = std::function<std::shared_ptr<health::HealthMonitor>()>;
using RunnerFactory = std::function<Result<std::unique_ptr<rollback::RollbackRunner>>(
    const config::RollbackConfig&, const watch::RollbackValues&)>;

struct EngineOptions {
  std::string host;  // the alerts' host label
  std::chrono::milliseconds tick{std::chrono::seconds(1)};
};

class WatchEngine {
 public:
  // `metrics` may be null, else it must outlive the engine. `on_change` is called (from the
  // engine's thread, without its lock held) whenever there are new outcomes or the alert set
  // changed; it must not block.
  WatchEngine(std::vector<config::TargetConfig> targets, MonitorSource monitor,
              RunnerFactory runners, RollbackMetrics* metrics, EngineOptions options,
              std::function<void()> on_change);
  WatchEngine(const WatchEngine&) = delete;
  WatchEngine& operator=(const WatchEngine&) = delete;
  ~WatchEngine();

  void start();
  // Stops judging and asks running rollbacks to stop; joins every thread.
  void stop();

  // After a reload: new watches use the new targets; open watches keep the config they opened
  // with, except that a watch whose target is gone is closed.
  void set_targets(std::vector<config::TargetConfig> targets);

  // Called by the worker for each stored event; never blocks.
  void on_event(const events::PatchEvent& event);

  std::vector<WatchOutcome> take_outcomes();
  // The firing set: a regressed patch until its target recovers, a failed rollback likewise.
  std::vector<exporters::Alert> alerts() const;
  std::vector<WatchView> watches() const;

 private:
  enum class State { watching, rolling_back, verifying, awaiting_recovery };
  struct RollbackSlot {
    std::mutex mu;
    std::optional<rollback::RollbackResult> result;
  };
  struct Watch {
    events::PatchEvent event;
    config::TargetConfig target;
    watch::WatchPolicy policy;
    State state = State::watching;
    std::string verdict;   // as last recorded
    std::string rollback;  // as last recorded
    std::vector<std::string> regressed_checks;
    std::int64_t regressed_at = 0;   // unix seconds
    std::int64_t recovery_from = 0;  // probes from here on show the recovery
    std::string rollback_what;       // describe() of the runner
    std::shared_ptr<RollbackSlot> slot;
    std::jthread thread;
    bool rollback_failed = false;  // the rollback alert fires
  };

  void declare_series();
  void loop(std::stop_token stop);
  // Each returns whether the watch is finished (removed after its outcome is queued).
  bool advance(Watch& w, std::int64_t now, health::HealthMonitor* monitor);
  bool on_regressed(Watch& w, std::int64_t now, const watch::WatchJudgement& j);
  void start_rollback(Watch& w, std::int64_t now);
  void finish_rollback(Watch& w, std::int64_t now, const rollback::RollbackResult& r);
  void record(Watch& w, std::string verdict, std::string rollback);
  void count(const Watch& w, std::string_view outcome);
  std::map<std::string, std::vector<watch::Sample>> samples(const Watch& w, std::int64_t since,
                                                            health::HealthMonitor* monitor) const;
  exporters::Alert alert_for(const Watch& w, std::string_view name) const;
  void changed();

  MonitorSource monitor_;
  RunnerFactory runners_;
  RollbackMetrics* metrics_;
  EngineOptions options_;
  std::function<void()> on_change_;

  mutable std::mutex mu_;
  std::condition_variable_any wake_;
  std::vector<config::TargetConfig> targets_;
  // By event id and target name: oldest event first.
  std::map<std::pair<std::int64_t, std::string>, std::unique_ptr<Watch>> watches_;
  std::vector<WatchOutcome> outcomes_;
  bool dirty_ = false;  // outcomes or alerts changed since the last on_change
  std::jthread thread_;
};

// Whether `event` touches `target`: a package event for one of its packages, or a deploy of it.
bool touches(const config::TargetConfig& target, const events::PatchEvent& event);

}  // namespace patchparty::patch_watch
