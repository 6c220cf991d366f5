// The watch engine over a real HealthMonitor (its threads, history and clock). The checks and
// rollbacks here are scripted stand-ins, named so: they let each test decide exactly when a
// service breaks and heals. tests/integration/patch_watch_test.cpp does the same end to end
// with a real systemd user manager, HTTP service, rollback unit and Alertmanager.
#include "daemon/patch_watch/watch_engine.h"
#include "core/base/unix_time.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace patchparty::patch_watch {
namespace {

using namespace std::chrono_literals;

// Scripted check: healthy while `healthy` is set, or flapping (every other probe fails).
class ScriptedCheck : public health::HealthCheck {
 public:
  ScriptedCheck(std::atomic<bool>& healthy, bool flap) : healthy_(healthy), flap_(flap) {}
  std::string_view name() const override { return "svc"; }
  std::string_view kind() const override { return "scripted"; }
  health::Probe probe(std::stop_token) override {
    health::Probe p;
    p.at = health::WallClock::now();
    p.healthy = flap_ ? (++n_ % 2 == 0) : healthy_.load();
    return p;
  }

 private:
  std::atomic<bool>& healthy_;
  bool flap_;
  int n_ = 0;
};

// Scripted rollback: counts its runs, heals the service when it succeeds, and can be held open.
struct ScriptedRollbacks {
  std::atomic<int> runs{0};
  std::atomic<bool> succeed{true};
  std::atomic<bool> hold{false};
  std::atomic<bool>* heals = nullptr;

  RunnerFactory factory() {
    return [this](const config::RollbackConfig& c, const watch::RollbackValues& v)
               -> Result<std::unique_ptr<rollback::RollbackRunner>> {
      // The real template expansion, so refused values are refused here as in the daemon.
      PP_TRY(argv, watch::expand_argv(c.command, v));
      struct Runner : rollback::RollbackRunner {
        ScriptedRollbacks* owner;
        std::vector<std::string> argv;
        rollback::RollbackResult run(std::stop_token stop) override {
          ++owner->runs;
          while (owner->hold && !stop.stop_requested()) std::this_thread::sleep_for(10ms);
          if (!owner->succeed) return {false, "exit 1: scripted failure"};
          if (owner->heals) *owner->heals = true;
          return {true, "exit 0"};
        }
        std::string describe() const override { return argv.front() + " " + argv.back(); }
      };
      auto r = std::make_unique<Runner>();
      r->owner = this;
      r->argv = std::move(argv);
      return std::unique_ptr<rollback::RollbackRunner>(std::move(r));
    };
  }
};

config::TargetConfig web_target(bool rollback) {
  config::TargetConfig t;
  t.name = "web";
  t.packages = {"nginx"};
  t.checks = {"svc"};
  t.watch.window = 3s;
  t.watch.baseline = 5s;
  t.watch.failure_threshold = 100;
  t.watch.consecutive_failures = 3;
  t.watch.recovery_successes = 2;
  t.rollback.enabled = rollback;
  t.rollback.command = {"/usr/local/sbin/undo", "{package}={from_version}"};
  return t;
}

events::PatchEvent upgrade(std::int64_t id, std::string to = "1.2") {
  events::PatchEvent e;
  e.id = id;
  e.at = unix_now();
  e.kind = events::Kind::upgrade;
  e.target = "nginx";
  e.from_version = "1.1";
  e.to_version = std::move(to);
  return e;
}

class WatchEngineTest : public ::testing::Test {
 protected:
  void start(config::TargetConfig target, bool flap = false) {
    std::vector<health::MonitoredCheck> checks;
    checks.push_back({std::make_unique<ScriptedCheck>(healthy, flap), 100ms});
    monitor = std::make_shared<health::HealthMonitor>(std::move(checks), 1000, nullptr);
    monitor->start();
    rollbacks.heals = &healthy;
    engine = std::make_unique<WatchEngine>(
        std::vector<config::TargetConfig>{std::move(target)}, [this] { return monitor; },
        rollbacks.factory(), nullptr, EngineOptions{"host1", 100ms}, [] {});
    engine->start();
    // A baseline: probes in an earlier second than the event's.
    std::this_thread::sleep_for(1100ms);
  }

  // Polls until an outcome of `event` whose verdict or rollback starts with `prefix` arrives.
  std::optional<WatchOutcome> wait_for(std::int64_t event, std::string_view prefix,
                                       std::chrono::milliseconds limit = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      for (auto& o : engine->take_outcomes()) {
        seen.push_back(o);
        if (o.event_id == event &&
            (o.verdict.starts_with(prefix) || o.rollback.starts_with(prefix)))
          return o;
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  bool alert_firing(std::string_view name) const {
    for (const auto& a : engine->alerts())
      if (a.labels.at("alertname") == name) return true;
    return false;
  }

  std::atomic<bool> healthy{true};
  ScriptedRollbacks rollbacks;
  std::shared_ptr<health::HealthMonitor> monitor;
  std::unique_ptr<WatchEngine> engine;
  std::vector<WatchOutcome> seen;
};

TEST_F(WatchEngineTest, RegressionIsRolledBackOnceAndRecoveryVerified) {
  start(web_target(true));
  engine->on_event(upgrade(7));
  healthy = false;
  auto running = wait_for(7, "running:");
  ASSERT_TRUE(running);
  EXPECT_TRUE(running->verdict.starts_with("regressed:")) << running->verdict;
  EXPECT_NE(running->rollback.find("/usr/local/sbin/undo nginx=1.1"), std::string::npos)
      << running->rollback;
  auto done = wait_for(7, "succeeded:");
  ASSERT_TRUE(done) << "outcomes: " << seen.size();
  EXPECT_EQ(rollbacks.runs.load(), 1);
  EXPECT_TRUE(engine->alerts().empty());
  EXPECT_TRUE(engine->watches().empty());
}

TEST_F(WatchEngineTest, RegressionAlertFiresWhileTheRollbackRuns) {
  start(web_target(true));
  rollbacks.hold = true;
  engine->on_event(upgrade(8));
  healthy = false;
  ASSERT_TRUE(wait_for(8, "running:"));
  EXPECT_TRUE(alert_firing("PatchPartyPatchRegressed"));
  EXPECT_FALSE(alert_firing("PatchPartyRollbackFailed"));
  const auto alerts = engine->alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].labels.at("target"), "web");
  EXPECT_EQ(alerts[0].labels.at("event"), "8");
  EXPECT_EQ(alerts[0].labels.at("host"), "host1");

  // The rollback's own package change is not a new patch to watch.
  engine->on_event(upgrade(9, "1.1"));
  auto own = wait_for(9, "not_watched: during the rollback of event 8");
  EXPECT_TRUE(own);
  rollbacks.hold = false;
  EXPECT_TRUE(wait_for(8, "succeeded:"));
  EXPECT_EQ(rollbacks.runs.load(), 1);
}

TEST_F(WatchEngineTest, CheckFailingBeforeThePatchIsNotHeldAgainstIt) {
  healthy = false;
  start(web_target(true));
  engine->on_event(upgrade(10));
  auto v = wait_for(10, "passed:");
  ASSERT_TRUE(v);
  EXPECT_EQ(rollbacks.runs.load(), 0);
  EXPECT_TRUE(engine->alerts().empty());
}

TEST_F(WatchEngineTest, FlappingBelowTheThresholdDoesNotRollBack) {
  start(web_target(true), /*flap=*/true);
  engine->on_event(upgrade(11));
  auto v = wait_for(11, "passed:");
  ASSERT_TRUE(v);
  EXPECT_EQ(rollbacks.runs.load(), 0);
}

TEST_F(WatchEngineTest, FailedRollbackPagesAndIsNotRetried) {
  start(web_target(true));
  rollbacks.succeed = false;
  engine->on_event(upgrade(12));
  healthy = false;
  auto failed = wait_for(12, "failed:");
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->rollback.find("scripted failure"), std::string::npos) << failed->rollback;
  EXPECT_TRUE(alert_firing("PatchPartyPatchRegressed"));
  EXPECT_TRUE(alert_firing("PatchPartyRollbackFailed"));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(rollbacks.runs.load(), 1);
  // Fixed by hand: both alerts resolve.
  healthy = true;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!engine->alerts().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(engine->alerts().empty());
}

TEST_F(WatchEngineTest, MetacharactersInValuesAreRefusedAndNothingRuns) {
  start(web_target(true));
  auto e = upgrade(13);
  e.from_version = "1.1;reboot";  // the template passes {from_version} on
  engine->on_event(e);
  healthy = false;
  auto refused = wait_for(13, "refused:");
  ASSERT_TRUE(refused);
  EXPECT_EQ(rollbacks.runs.load(), 0);
  EXPECT_TRUE(alert_firing("PatchPartyRollbackFailed"));
}

TEST_F(WatchEngineTest, DryRunRunsNothing) {
  auto t = web_target(true);
  t.rollback.dry_run = true;
  start(t);
  engine->on_event(upgrade(14));
  healthy = false;
  auto dry = wait_for(14, "dry_run:");
  ASSERT_TRUE(dry);
  EXPECT_NE(dry->rollback.find("would run /usr/local/sbin/undo nginx=1.1"), std::string::npos);
  EXPECT_EQ(rollbacks.runs.load(), 0);
  EXPECT_TRUE(alert_firing("PatchPartyPatchRegressed"));
}

TEST_F(WatchEngineTest, RollbackDisabledStillPagesOnRegression) {
  start(web_target(false));
  engine->on_event(upgrade(15));
  auto opened = wait_for(15, "watching");
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->rollback, "disabled");
  healthy = false;
  ASSERT_TRUE(wait_for(15, "regressed:"));
  EXPECT_TRUE(alert_firing("PatchPartyPatchRegressed"));
  EXPECT_EQ(rollbacks.runs.load(), 0);
}

TEST_F(WatchEngineTest, EventsOlderThanTheWindowAreNotWatched) {
  start(web_target(true));
  auto e = upgrade(16);
  e.at -= 3600;
  engine->on_event(e);
  EXPECT_TRUE(wait_for(16, "not_watched: older than the watch window", 2s));
}

TEST_F(WatchEngineTest, NewerPatchSupersedesAnOpenWatch) {
  start(web_target(true));
  engine->on_event(upgrade(17));
  engine->on_event(upgrade(18, "1.3"));
  EXPECT_TRUE(wait_for(17, "superseded by event 18", 2s));
  ASSERT_EQ(engine->watches().size(), 1u);
  EXPECT_EQ(engine->watches()[0].event_id, 18);
}

TEST(Touches, PackagesAndDeploys) {
  auto t = web_target(false);
  events::PatchEvent e;
  e.kind = events::Kind::upgrade;
  e.target = "nginx";
  EXPECT_TRUE(touches(t, e));
  e.target = "web";
  EXPECT_FALSE(touches(t, e));  // a package called like the target is another thing
  e.kind = events::Kind::deploy;
  EXPECT_TRUE(touches(t, e));
  e.target = "nginx";
  EXPECT_FALSE(touches(t, e));
}

}  // namespace
}  // namespace patchparty::patch_watch
