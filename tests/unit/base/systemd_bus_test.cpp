// The sd-bus helper against a real systemd user manager on a private bus
// (tests/support/systemd_user_manager.h). Runs as root, as CI does.
#include "core/base/systemd_bus.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/support/systemd_user_manager.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;

class SystemdBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // temp_dir() holds the test's name and the manager's sockets must fit in sun_path: test
    // names here stay short.
    dir_ = testing::temp_dir("sd");
    std::string why;
    manager_ = testing::SystemdUserManager::start(dir_, why);
    ASSERT_NE(manager_, nullptr) << why;
  }
  void TearDown() override {
    manager_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A transient service that runs until the manager stops it.
  void start_sleeper(const std::string& unit) {
    auto r = manager_->run({"systemd-run", "--user", "--unit=" + unit, "/bin/sleep", "120"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(manager_->wait_property(unit, "SubState", "running"));
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::SystemdUserManager> manager_;
};

TEST_F(SystemdBusTest, ReadsActiveState) {
  start_sleeper("pp-bus-sleep.service");
  auto bus = open_bus(BusKind::user);  // the fixture points the user bus at its manager
  ASSERT_OK(bus);
  auto path = get_unit(bus->get(), "pp-bus-sleep.service");
  ASSERT_TRUE(path) << path.error().to_string();
  EXPECT_TRUE(path->starts_with(systemd1::kManagerPath)) << *path;
  auto active = unit_string_property(bus->get(), *path, systemd1::kUnitInterface, "ActiveState");
  ASSERT_TRUE(active) << active.error().to_string();
  EXPECT_EQ(*active, "active");
  auto restarts = unit_uint32_property(bus->get(), *path, systemd1::kServiceInterface, "NRestarts");
  ASSERT_TRUE(restarts) << restarts.error().to_string();
  EXPECT_EQ(*restarts, 0u);
}

TEST_F(SystemdBusTest, NoSuchUnit) {
  auto bus = open_bus_at(manager_->bus_address());
  ASSERT_OK(bus);
  auto path = get_unit(bus->get(), "pp-bus-missing.service");
  ASSERT_FALSE(path);
  EXPECT_TRUE(path.error().is(systemd1::kNoSuchUnit)) << path.error().dbus_name;
  EXPECT_EQ(path.error().code, Errc::not_found);
  EXPECT_TRUE(
      path.error().message.starts_with(std::string("GetUnit: ") + systemd1::kNoSuchUnit + ": "))
      << path.error().message;
  // Where the name no longer matters, it is a plain Error with the same code and message.
  const Error plain = path.error();
  EXPECT_EQ(plain.code, Errc::not_found);
  EXPECT_EQ(plain.message, path.error().message);
}

TEST_F(SystemdBusTest, UnitByMainPid) {
  start_sleeper("pp-bus-pid.service");
  auto bus = open_bus(BusKind::user);
  ASSERT_OK(bus);
  auto path = get_unit(bus->get(), "pp-bus-pid.service");
  ASSERT_TRUE(path) << path.error().to_string();
  auto pid = unit_uint32_property(bus->get(), *path, systemd1::kServiceInterface, "MainPID");
  ASSERT_TRUE(pid) << pid.error().to_string();
  ASSERT_GT(*pid, 0u);

  auto by_pid = get_unit_by_pid(bus->get(), *pid);
  ASSERT_TRUE(by_pid) << by_pid.error().to_string();
  EXPECT_EQ(*by_pid, *path);
  auto id = unit_string_property(bus->get(), *by_pid, systemd1::kUnitInterface, "Id");
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_EQ(*id, "pp-bus-pid.service");
}

TEST(SystemdBus, MissingSocketIsUnavailable) {
  const auto dir = testing::temp_dir("nobus");
  auto bus = open_bus_at("unix:path=" + (dir / "no-such-socket").string());
  ASSERT_FALSE(bus);
  EXPECT_EQ(bus.error().code, Errc::unavailable) << bus.error().to_string();
  EXPECT_TRUE(bus.error().message.starts_with("cannot connect to the bus at unix:path="))
      << bus.error().message;
  std::filesystem::remove_all(dir);
}

TEST(SystemdBus, BusKindNames) {
  EXPECT_EQ(bus_kind_name(BusKind::system), "system");
  EXPECT_EQ(bus_kind_name(BusKind::user), "user");
}

}  // namespace
}  // namespace patchparty
