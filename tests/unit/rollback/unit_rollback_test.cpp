// UnitRollback against a real systemd user manager on a private bus
// (tests/support/systemd_user_manager.h). Runs as root, as CI does; skipped with the reason
// where the manager cannot run.
#include "daemon/rollback/unit_rollback.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/support/systemd_user_manager.h"
#include "tests/support/test_data.h"
#include "tests/unit/rollback/stopped_run.h"

namespace patchparty::rollback {
namespace {

using namespace std::chrono_literals;

class UnitRollbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // temp_dir() holds the test's name, and the manager's sockets under it must fit in
    // sun_path (108 bytes): test names here stay under about 40 characters.
    dir_ = testing::temp_dir("sd");
    std::string why;
    manager_ = testing::SystemdUserManager::start(dir_, why);
    ASSERT_TRUE(manager_) << why;
  }
  void TearDown() override {
    manager_.reset();
    std::filesystem::remove_all(dir_);
  }

  void install(const std::string& unit, const std::string& service_section) {
    std::ofstream(manager_->unit_dir() / unit) << "[Service]\n" << service_section;
    auto r = manager_->run({"systemctl", "--user", "daemon-reload"});
    ASSERT_EQ(r.code, 0) << r.err;
  }

  static std::unique_ptr<RollbackRunner> make(std::string unit_template,
                                              config::Duration timeout = 20s,
                                              std::string target = "web-1") {
    config::RollbackConfig c;
    c.enabled = true;
    c.systemd_unit = std::move(unit_template);
    c.bus = "user";
    c.timeout = timeout;
    watch::RollbackValues v{.target = std::move(target),
                            .package = "nginx",
                            .from_version = "1.1-3",
                            .to_version = "1.2-1"};
    auto r = make_rollback(c, v);
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
    return r ? std::move(*r) : nullptr;
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::SystemdUserManager> manager_;
};

// The instance comes from {target}: the unit's own %i proves what reached systemd.
TEST_F(UnitRollbackTest, OneshotSuccessIsOkWithTargetInstance) {
  const auto out = dir_ / "instance";
  install("pp-rb@.service",
          "Type=oneshot\nExecStart=/bin/sh -c 'echo %i > " + out.string() + "'\n");
  auto runner = make("pp-rb@{target}.service");
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->describe(), "StartUnit pp-rb@web-1.service (user bus)");
  RollbackResult r = runner->run({});
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "job done");
  std::ifstream in(out);
  std::string instance;
  std::getline(in, instance);
  EXPECT_EQ(instance, "web-1");
}

TEST_F(UnitRollbackTest, OneshotUnitThatFailsIsNotOk) {
  install("pp-rb-fail.service", "Type=oneshot\nExecStart=/bin/false\n");
  auto runner = make("pp-rb-fail.service");
  ASSERT_NE(runner, nullptr);
  RollbackResult r = runner->run({});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "job failed");
}

TEST_F(UnitRollbackTest, UnknownUnitIsNotOkWithTheBusError) {
  auto runner = make("pp-rb-missing@{target}.service");
  ASSERT_NE(runner, nullptr);
  const auto started = std::chrono::steady_clock::now();
  RollbackResult r = runner->run({});
  EXPECT_FALSE(r.ok);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_TRUE(r.detail.starts_with("StartUnit: ")) << r.detail;
  EXPECT_NE(r.detail.find("NoSuchUnit"), std::string::npos) << r.detail;
}

TEST_F(UnitRollbackTest, SlowUnitTimesOut) {
  install("pp-rb-slow.service", "Type=oneshot\nExecStart=/bin/sleep 30\n");
  auto runner = make("pp-rb-slow.service", 500ms);
  ASSERT_NE(runner, nullptr);
  const auto started = std::chrono::steady_clock::now();
  RollbackResult r = runner->run({});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.detail.starts_with("timed out after 500ms")) << r.detail;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 5s);
}

TEST_F(UnitRollbackTest, StopEndsTheWaitAtOnce) {
  install("pp-rb-slow.service", "Type=oneshot\nExecStart=/bin/sleep 30\n");
  auto runner = make("pp-rb-slow.service", 60s);
  ASSERT_NE(runner, nullptr);
  expect_stops_at_once(*runner, 300ms);
}

// A unit that is already active gets a job that finishes at once, possibly before the
// StartUnit reply is read; the signal buffered before the job path was known still counts.
TEST_F(UnitRollbackTest, AlreadyActiveUnitIsDoneAtOnce) {
  install("pp-rb-kept.service", "Type=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");
  auto runner = make("pp-rb-kept.service");
  ASSERT_NE(runner, nullptr);
  for (int i = 0; i < 5; ++i) {
    RollbackResult r = runner->run({});
    EXPECT_TRUE(r.ok) << i << ": " << r.detail;
    EXPECT_EQ(r.detail, "job done");
  }
}

// The figure for the README: StartUnit to JobRemoved for a oneshot that does nothing.
TEST_F(UnitRollbackTest, RoundTripTime) {
  install("pp-rb-true.service", "Type=oneshot\nExecStart=/bin/true\n");
  auto runner = make("pp-rb-true.service");
  ASSERT_NE(runner, nullptr);
  std::vector<double> ms;
  for (int i = 0; i < 10; ++i) {
    const auto started = std::chrono::steady_clock::now();
    RollbackResult r = runner->run({});
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    ASSERT_TRUE(r.ok) << r.detail;
  }
  std::sort(ms.begin(), ms.end());
  std::ostringstream line;
  line << "StartUnit -> JobRemoved (oneshot /bin/true, user manager): min " << ms.front()
       << " ms, median " << ms[ms.size() / 2] << " ms, max " << ms.back() << " ms";
  std::cout << line.str() << "\n";
  RecordProperty("round_trip", line.str());
}

}  // namespace
}  // namespace patchparty::rollback
