#include "daemon/lifecycle/patch_event_jobs.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/store/event_tables.h"
#include "tests/support/test_data.h"

namespace patchparty::lifecycle {
namespace {

namespace fs = std::filesystem;
using events::Kind;
using events::Origin;

void append(const fs::path& p, std::string_view text) {
  std::ofstream(p, std::ios::app | std::ios::binary) << text;
}

Package deb(std::string name, std::string version) {
  Package p;
  p.ecosystem = "Debian:12";
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = "amd64";
  p.origin = "dpkg";
  p.location = "/var/lib/dpkg/status";
  return p;
}

class PatchEventJobs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  fs::path dir_ = testing::temp_dir("jobs");
  fs::path log_ = dir_ / "dpkg.log";
};

TEST_F(PatchEventJobs, DpkgLogLinesBecomeEventsOnceAcrossRestarts) {
  append(log_, "2025-06-24 14:00:00 upgrade old:amd64 1 2\n");  // before the first start
  {
    auto store = store::Store::open(dir_ / "state");
    ASSERT_TRUE(store.has_value());
    auto first = poll_dpkg_log(log_, "Debian:12", *store, 1000);
    ASSERT_TRUE(first.has_value()) << first.error().to_string();
    EXPECT_TRUE(first->events.empty());
    append(log_,
           "2025-06-24 14:36:24 startup archives unpack\n"
           "2025-06-24 14:36:25 upgrade libssl3:amd64 3.0.11-1~deb12u2 3.0.13-1~deb12u1\n"
           "2025-06-24 14:36:25 status half-installed libssl3:amd64 3.0.11-1~deb12u2\n"
           "2025-06-24 14:36:26 install jq:amd64 <none> 1.6-2.1\n"
           "2025-06-24 14:36:27 upgrade broken:amd64 1.0\n"
           "2025-06-24 14:36:28 remove nano:amd64 7.2-1 <none>\n");
    auto second = poll_dpkg_log(log_, "Debian:12", *store, 2000);
    ASSERT_TRUE(second.has_value()) << second.error().to_string();
    ASSERT_EQ(second->events.size(), 3u);
    EXPECT_EQ(second->lines, 6u);
    ASSERT_EQ(second->problems.size(), 1u) << "the malformed line is reported";
    EXPECT_EQ(second->events[0].target, "libssl3");
    EXPECT_EQ(second->events[0].at, 1750775785);
    EXPECT_EQ(second->events[0].origin, Origin::dpkg_log);
    EXPECT_GT(second->events[0].id, 0);
    EXPECT_EQ(second->events[1].kind, Kind::install);
    EXPECT_EQ(second->events[2].kind, Kind::remove);
  }
  // A restart: a new connection, the same cursor.
  auto store = store::Store::open(dir_ / "state");
  ASSERT_TRUE(store.has_value());
  auto again = poll_dpkg_log(log_, "Debian:12", *store, 3000);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(
      store::list_events(store->database()).value_or(std::vector<events::PatchEvent>{}).size(), 3u);
}

TEST_F(PatchEventJobs, InventoryDiffLeavesOutWhatDpkgLogGave) {
  auto store = store::Store::open(dir_ / "state");
  ASSERT_TRUE(store.has_value());
  ASSERT_TRUE(poll_dpkg_log(log_, "Debian:12", *store, 1000).has_value());
  append(log_, "2025-06-24 14:36:25 upgrade libssl3:amd64 3.0.11-1~deb12u2 3.0.13-1~deb12u1\n");
  ASSERT_EQ(poll_dpkg_log(log_, "Debian:12", *store, 1750775800).value().events.size(), 1u);

  const std::vector<Package> before = {deb("libssl3", "3.0.11-1~deb12u2"),
                                       deb("curl", "7.88.1-10")};
  const std::vector<Package> after = {deb("libssl3", "3.0.13-1~deb12u1"),
                                      deb("curl", "7.88.1-10+deb12u5")};
  auto diff = record_inventory_events(*store, "dpkg", before, 1750775000, after, 1750776000);
  ASSERT_TRUE(diff.has_value()) << diff.error().to_string();
  ASSERT_EQ(diff->size(), 1u) << "libssl3 is dpkg.log's already";
  EXPECT_EQ((*diff)[0].target, "curl");
  EXPECT_EQ((*diff)[0].origin, Origin::inventory);
  // A source without a log reports every change.
  auto other = record_inventory_events(*store, "rpm", before, 1750775000, after, 1750776000);
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->size(), 2u);
}

TEST_F(PatchEventJobs, DpkgLogFileFollowsTheToggle) {
  config::Config c = config::default_config();
  c.inventory.root = dir_ / "root";
  c.inventory.dpkg_log.enabled = config::Toggle::automatic;
  EXPECT_TRUE(dpkg_log_file(c).empty()) << "no dpkg on this root";
  fs::create_directories(dir_ / "root/var/lib/dpkg");
  append(dir_ / "root/var/lib/dpkg/status", "");
  EXPECT_EQ(dpkg_log_file(c), dir_ / "root/var/log/dpkg.log");
  c.inventory.dpkg_log.enabled = config::Toggle::off;
  EXPECT_TRUE(dpkg_log_file(c).empty());
}

}  // namespace
}  // namespace patchparty::lifecycle
