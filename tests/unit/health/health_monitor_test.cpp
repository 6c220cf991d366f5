// HealthMonitor with real checks (programs, files) and real metrics.
#include "collectors/health/health_monitor.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <fstream>

#include "collectors/health/backup_check.h"
#include "collectors/health/builtin_checks.h"
#include "collectors/health/command_check.h"
#include "tests/support/test_data.h"

namespace patchparty::health {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// from_config builds checks through the kinds both executables register at start-up.
[[maybe_unused]] const bool kKindsRegistered = [] {
  register_builtin_checks();
  return true;
}();

config::HealthCheckConfig command_config(std::string name, std::vector<std::string> argv) {
  config::HealthCheckConfig c;
  c.name = std::move(name);
  c.kind = "command";
  c.command = std::move(argv);
  c.timeout = 60s;
  return c;
}

template <class F>
bool eventually(F f, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (f()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return f();
}

TEST(HealthMonitor, ProbesAtTheIntervalAndKeepsBoundedHistory) {
  std::vector<MonitoredCheck> checks;
  checks.push_back({std::make_unique<CommandCheck>(command_config("ok", {"/bin/true"})), 100ms});
  HealthMonitor monitor(std::move(checks), 5, nullptr);
  const auto started = WallClock::now();
  monitor.start();
  ASSERT_TRUE(eventually([&] { return monitor.probe_count("ok") >= 8; }));
  const auto elapsed = WallClock::now() - started;
  monitor.stop();
  const auto n = monitor.probe_count("ok");
  // 8 probes, the first at once, then every 100 ms: at least 700 ms, and not a busy loop.
  EXPECT_GE(elapsed, 690ms);
  EXPECT_LE(n, 8 + static_cast<std::uint64_t>(elapsed / 100ms) + 1);
  auto h = monitor.history("ok");
  EXPECT_EQ(h.size(), 5u);
  for (std::size_t i = 1; i < h.size(); ++i) {
    const auto gap = h[i].at - h[i - 1].at;
    EXPECT_GE(gap, 80ms);
    EXPECT_LE(gap, 1s);
  }
  ASSERT_TRUE(monitor.last("ok").has_value());
  EXPECT_TRUE(monitor.last("ok")->healthy);
  EXPECT_EQ(monitor.history("ok", h.back().at).size(), 1u);
  EXPECT_FALSE(monitor.last("absent").has_value());
}

TEST(HealthMonitor, SetsAndRemovesMetrics) {
  prometheus::Registry registry;
  auto metrics = HealthMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  auto dir = testing::temp_dir("monitor");
  std::ofstream(dir / "backup.tar") << "x";
  config::HealthConfig cfg;
  cfg.checks.push_back(command_config("good", {"/bin/true"}));
  cfg.checks.push_back(command_config("bad", {"/bin/false"}));
  config::HealthCheckConfig backup;
  backup.name = "nightly";
  backup.kind = "backup";
  backup.file = dir / "backup.tar";
  backup.max_age = std::chrono::hours(26);
  cfg.checks.push_back(backup);
  auto monitor = HealthMonitor::from_config(cfg, metrics->get());
  ASSERT_TRUE(monitor.has_value()) << monitor.error().message;
  (*monitor)->start();
  ASSERT_TRUE(eventually([&] {
    return (*monitor)->probe_count("good") > 0 && (*monitor)->probe_count("bad") > 0 &&
           (*monitor)->probe_count("nightly") > 0;
  }));
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  EXPECT_NE(text.find("patchparty_health_check_up{check=\"good\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("patchparty_health_check_up{check=\"bad\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("patchparty_health_check_up{check=\"nightly\"} 1"), std::string::npos);
  EXPECT_NE(text.find("patchparty_backup_age_seconds{check=\"nightly\"}"), std::string::npos);
  EXPECT_EQ(text.find("patchparty_backup_age_seconds{check=\"good\"}"), std::string::npos);
  EXPECT_NE(text.find("patchparty_health_check_latency_seconds{check=\"bad\"}"), std::string::npos);
  (*monitor)->stop();
  const std::string after = prometheus::TextSerializer().Serialize(registry.Collect());
  EXPECT_EQ(after.find("check=\"good\""), std::string::npos) << after;
  fs::remove_all(dir);
}

TEST(HealthMonitor, StopIsPromptDuringASlowProbe) {
  std::vector<MonitoredCheck> checks;
  checks.push_back(
      {std::make_unique<CommandCheck>(command_config("slow", {"/bin/sleep", "30"})), 30s});
  checks.push_back({std::make_unique<CommandCheck>(command_config("idle", {"/bin/true"})), 1h});
  HealthMonitor monitor(std::move(checks), 10, nullptr);
  monitor.start();
  ASSERT_TRUE(eventually([&] { return monitor.probe_count("idle") == 1; }));
  std::this_thread::sleep_for(100ms);  // let the slow probe get going
  const auto started = std::chrono::steady_clock::now();
  monitor.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(monitor.probe_count("slow"), 0u);  // cut short: not recorded
}

TEST(HealthMonitor, RatioModeComparesWithItsOwnBaseline) {
  auto dir = testing::temp_dir("ratio");
  // The value is the file's age: a backup check in ratio mode stands in for any valued probe.
  std::ofstream(dir / "f") << "x";
  config::HealthCheckConfig c;
  c.name = "age";
  c.kind = "backup";
  c.file = dir / "f";
  c.max_age = std::chrono::hours(1000);
  std::vector<MonitoredCheck> checks;
  checks.push_back({std::make_unique<BackupCheck>(c), 50ms, 2.0});
  fs::last_write_time(dir / "f", fs::file_time_type::clock::now() - 100s);
  HealthMonitor monitor(std::move(checks), 100, nullptr);
  monitor.start();
  ASSERT_TRUE(eventually([&] { return monitor.probe_count("age") >= 3; }));
  EXPECT_TRUE(monitor.last("age")->healthy);
  // Value jumps from ~100 s to ~1000 s: more than twice the baseline.
  fs::last_write_time(dir / "f", fs::file_time_type::clock::now() - 1000s);
  const auto jumped = WallClock::now();
  ASSERT_TRUE(eventually([&] {
    auto l = monitor.last("age");
    return l && l->at > jumped;
  }));
  auto l = monitor.last("age");
  EXPECT_FALSE(l->healthy);
  EXPECT_NE(l->detail.find("baseline"), std::string::npos) << l->detail;
  auto base = monitor.baseline("age", jumped);
  ASSERT_TRUE(base.has_value());
  EXPECT_NEAR(*base, 100, 5);
  monitor.stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::health
