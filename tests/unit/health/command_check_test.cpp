// CommandCheck and BackupCheck run real programs and stat real files.
#include "collectors/health/command_check.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "collectors/health/backup_check.h"
#include "tests/support/test_data.h"

namespace patchparty::health {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

config::HealthCheckConfig command_config(std::vector<std::string> argv) {
  config::HealthCheckConfig c;
  c.name = "cmd";
  c.kind = "command";
  c.command = std::move(argv);
  c.timeout = 5s;
  return c;
}

TEST(CommandCheck, ExitZeroIsHealthy) {
  CommandCheck check(command_config({"/bin/true"}));
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.value, 0);
}

TEST(CommandCheck, ExitOneIsUnhealthyWithOutput) {
  CommandCheck check(command_config({"/bin/sh", "-c", "echo broken >&2; exit 1"}));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_EQ(p.value, 1);
  EXPECT_EQ(p.detail, "exit 1: broken");
}

TEST(CommandCheck, ArgumentsArePassedVerbatimWithoutAShell) {
  auto dir = testing::temp_dir("argv");
  const fs::path out = dir / "args";
  // printf sees each word as given: spaces, quotes and $ stay as they are.
  CommandCheck check(
      command_config({"/usr/bin/env", "printf", "%s|", "two words", "$HOME", "a;b", "'q'"}));
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.detail, "exit 0: two words|$HOME|a;b|'q'|");
  fs::remove_all(dir);
}

TEST(CommandCheck, TimeoutKillsTheProcessGroup) {
  auto dir = testing::temp_dir("timeout");
  const fs::path pid_file = dir / "child.pid";
  auto c = command_config({"/bin/sh", "-c", "sleep 60 & echo $! > \"$0\"; wait", pid_file});
  c.timeout = 300ms;
  CommandCheck check(c);
  const auto started = std::chrono::steady_clock::now();
  Probe p = check.probe({});
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("timed out"), std::string::npos) << p.detail;
  pid_t child = 0;
  std::ifstream(pid_file) >> child;
  ASSERT_GT(child, 0);
  // The background sleep was in the group: gone (or a zombie reaped by init) within a moment.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid, comm, state;
    gone = !(stat >> pid >> comm >> state) || state == "Z";
    if (!gone) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(gone) << "background child " << child << " survived the timeout";
  if (!gone) ::kill(child, SIGKILL);
  fs::remove_all(dir);
}

TEST(CommandCheck, OutputIsBounded) {
  auto c = command_config({"/usr/bin/head", "-c", "100000", "/dev/zero"});
  c.max_output_bytes = 64;
  CommandCheck check(c);
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_LT(p.detail.size(), 100u);
}

TEST(CommandCheck, MissingProgramIsUnhealthy) {
  CommandCheck check(command_config({"/nonexistent/program"}));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("/nonexistent/program"), std::string::npos) << p.detail;
}

TEST(CommandCheck, StopEndsAProbeAtOnce) {
  auto c = command_config({"/bin/sleep", "30"});
  c.timeout = 60s;
  CommandCheck check(c);
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    stop.request_stop();
  });
  const auto started = std::chrono::steady_clock::now();
  Probe p = check.probe(stop.get_token());
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_FALSE(p.healthy);
}

config::HealthCheckConfig backup_config(fs::path file, std::chrono::milliseconds max_age) {
  config::HealthCheckConfig c;
  c.name = "nightly";
  c.kind = "backup";
  c.file = std::move(file);
  c.max_age = max_age;
  return c;
}

TEST(BackupCheck, FreshFileIsHealthy) {
  auto dir = testing::temp_dir("backup");
  std::ofstream(dir / "db.dump") << "data";
  BackupCheck check(backup_config(dir / "db.dump", std::chrono::hours(26)));
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  ASSERT_TRUE(p.value.has_value());
  EXPECT_LT(*p.value, 60);
  fs::remove_all(dir);
}

TEST(BackupCheck, OldMtimeIsStale) {
  auto dir = testing::temp_dir("backup");
  std::ofstream(dir / "db.dump") << "data";
  fs::last_write_time(dir / "db.dump", fs::file_time_type::clock::now() - std::chrono::hours(48));
  BackupCheck check(backup_config(dir / "db.dump", std::chrono::hours(26)));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  ASSERT_TRUE(p.value.has_value());
  EXPECT_NEAR(*p.value, 48 * 3600, 60);
  EXPECT_NE(p.detail.find("stale backup"), std::string::npos) << p.detail;
  fs::remove_all(dir);
}

TEST(BackupCheck, MissingFileIsUnhealthy) {
  auto dir = testing::temp_dir("backup");
  BackupCheck check(backup_config(dir / "absent.dump", std::chrono::hours(26)));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_FALSE(p.value.has_value());
  EXPECT_NE(p.detail.find("No such file"), std::string::npos) << p.detail;
  fs::remove_all(dir);
}

TEST(BackupCheck, CommandDecidesWhenNoFile) {
  config::HealthCheckConfig c;
  c.name = "restic";
  c.kind = "backup";
  c.command = {"/bin/false"};
  c.timeout = 5s;
  BackupCheck check(c);
  EXPECT_FALSE(check.file_based());
  EXPECT_FALSE(check.probe({}).healthy);
}

}  // namespace
}  // namespace patchparty::health
