// SystemdUnitCheck against a real systemd user manager on a private bus
// (tests/support/systemd_user_manager.h). Runs as root, as CI does.
#include "collectors/health/systemd_unit_check.h"

#include <gtest/gtest.h>

#include "tests/support/systemd_user_manager.h"
#include "tests/support/test_data.h"

namespace patchparty::health {
namespace {

using namespace std::chrono_literals;

class SystemdUnitCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("systemd");
    std::string why;
    manager_ = testing::SystemdUserManager::start(dir_, why);
    ASSERT_NE(manager_, nullptr) << why;
  }
  void TearDown() override {
    manager_.reset();
    std::filesystem::remove_all(dir_);
  }

  static config::HealthCheckConfig unit_config(std::string unit) {
    config::HealthCheckConfig c;
    c.name = "svc";
    c.kind = "systemd_unit";
    c.unit = std::move(unit);
    c.bus = "user";
    c.timeout = 5s;
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::SystemdUserManager> manager_;
};

TEST_F(SystemdUnitCheckTest, RunningUnitIsHealthyAndStoppedIsNot) {
  auto r = manager_->run({"systemd-run", "--user", "--unit=pp-sleep.service", "/bin/sleep", "300"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(manager_->wait_property("pp-sleep.service", "SubState", "running"));
  SystemdUnitCheck check(unit_config("pp-sleep.service"));
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.value, 0);
  EXPECT_NE(p.detail.find("ActiveState=active SubState=running"), std::string::npos) << p.detail;

  r = manager_->run({"systemctl", "--user", "kill", "--signal=SIGKILL", "pp-sleep.service"});
  ASSERT_EQ(r.code, 0) << r.err;
  // A transient unit that failed stays loaded (failed) until reset.
  ASSERT_TRUE(manager_->wait_property("pp-sleep.service", "ActiveState", "failed"));
  p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("ActiveState=failed"), std::string::npos) << p.detail;
}

TEST_F(SystemdUnitCheckTest, UnitFileServiceStoppedIsUnhealthy) {
  std::ofstream(manager_->unit_dir() / "pp-web.service") << "[Service]\nExecStart=/bin/sleep 300\n";
  ASSERT_EQ(manager_->run({"systemctl", "--user", "daemon-reload"}).code, 0);
  ASSERT_EQ(manager_->run({"systemctl", "--user", "start", "pp-web.service"}).code, 0);
  SystemdUnitCheck check(unit_config("pp-web.service"));
  EXPECT_TRUE(check.probe({}).healthy);
  ASSERT_EQ(manager_->run({"systemctl", "--user", "stop", "pp-web.service"}).code, 0);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  // Stopped and unreferenced, the manager may unload it: either way it is not running.
  EXPECT_TRUE(p.detail.find("inactive") != std::string::npos ||
              p.detail.find("not loaded") != std::string::npos)
      << p.detail;
}

TEST_F(SystemdUnitCheckTest, RestartingUnitIsUnhealthyBecauseNRestartsGrows) {
  auto r =
      manager_->run({"systemd-run", "--user", "--unit=pp-flap.service", "-p", "Restart=always",
                     "-p", "RestartSec=100ms", "-p", "StartLimitIntervalSec=0", "/bin/sleep", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(manager_->wait_property("pp-flap.service", "SubState", "running"));
  SystemdUnitCheck check(unit_config("pp-flap.service"));
  // A probe between restarts is active/running, yet must say unhealthy because it restarted
  // since the previous probe.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool seen = false;
  Probe p;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    p = check.probe({});
    seen = !p.healthy && p.detail.find("SubState=running") != std::string::npos &&
           p.detail.find("restarted") != std::string::npos;
    if (!seen) std::this_thread::sleep_for(300ms);
  }
  EXPECT_TRUE(seen) << p.detail;
  ASSERT_TRUE(p.value.has_value());
  EXPECT_GE(*p.value, 1);
}

TEST_F(SystemdUnitCheckTest, UnknownUnitIsUnhealthy) {
  SystemdUnitCheck check(unit_config("pp-does-not-exist.service"));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("unknown unit"), std::string::npos) << p.detail;
}

TEST(SystemdUnitCheck, NoBusIsUnhealthyNotAnError) {
  ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
  ::setenv("XDG_RUNTIME_DIR", "/nonexistent", 1);
  config::HealthCheckConfig c;
  c.name = "svc";
  c.kind = "systemd_unit";
  c.unit = "x.service";
  c.bus = "user";
  SystemdUnitCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("cannot connect to the user bus"), std::string::npos) << p.detail;
}

}  // namespace
}  // namespace patchparty::health
