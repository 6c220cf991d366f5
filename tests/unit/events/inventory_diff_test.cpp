#include "core/events/inventory_diff.h"

#include <gtest/gtest.h>

namespace patchparty::events {
namespace {

Package deb(std::string name, std::string version, std::string arch = "amd64") {
  Package p;
  p.ecosystem = "Debian:12";
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  p.origin = "dpkg";
  p.location = "/var/lib/dpkg/status";
  return p;
}

Package npm(std::string name, std::string version, std::string location) {
  Package p;
  p.ecosystem = "npm";
  p.name = std::move(name);
  p.version = std::move(version);
  p.origin = "npm";
  p.project = "shop";
  p.location = std::move(location);
  return p;
}

TEST(InventoryDiff, UpgradeDowngradeInstallRemoveByDpkgOrder) {
  std::vector<Package> before = {deb("libssl3", "3.0.11-1~deb12u2"), deb("libfoo", "1:2.0"),
                                 deb("curl", "7.88.1-10"), deb("jq", "1.6-2.1"),
                                 deb("bash", "5.2.15-2+b2")};
  std::vector<Package> after = {deb("libssl3", "3.0.13-1~deb12u1"), deb("libfoo", "2.0~rc1"),
                                deb("curl", "7.88.1-10"), deb("bash", "5.2.15-2+b2"),
                                deb("nginx", "1.22.1-9")};
  auto events = diff_inventory(before, after, 1700000000);
  ASSERT_EQ(events.size(), 4u);
  // Sorted by target: jq, libfoo, libssl3, nginx.
  EXPECT_EQ(events[0].target, "jq");
  EXPECT_EQ(events[0].kind, Kind::remove);
  EXPECT_EQ(events[0].from_version, "1.6-2.1");
  EXPECT_EQ(events[0].to_version, "");
  EXPECT_EQ(events[1].target, "libfoo");
  EXPECT_EQ(events[1].kind, Kind::downgrade) << "1:2.0 has an epoch: 2.0~rc1 is older";
  EXPECT_EQ(events[2].target, "libssl3");
  EXPECT_EQ(events[2].kind, Kind::upgrade);
  EXPECT_EQ(events[2].from_version, "3.0.11-1~deb12u2");
  EXPECT_EQ(events[2].to_version, "3.0.13-1~deb12u1");
  EXPECT_EQ(events[3].target, "nginx");
  EXPECT_EQ(events[3].kind, Kind::install);
  for (const auto& e : events) {
    EXPECT_EQ(e.origin, Origin::inventory);
    EXPECT_EQ(e.at, 1700000000);
    EXPECT_EQ(e.arch, "amd64");
    EXPECT_EQ(e.ecosystem, "Debian:12");
    EXPECT_TRUE(validate_event(e).has_value()) << e.target;
  }
}

TEST(InventoryDiff, TildeSortsBeforeRelease) {
  auto events = diff_inventory({deb("libfoo", "2.0")}, {deb("libfoo", "2.0~rc1")}, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::downgrade);
  events = diff_inventory({deb("libfoo", "2.0~rc1")}, {deb("libfoo", "1:1.0")}, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::upgrade) << "an epoch wins over any upstream version";
}

TEST(InventoryDiff, NothingChangedNothingReported) {
  std::vector<Package> same = {deb("a", "1"), deb("b", "2")};
  EXPECT_TRUE(diff_inventory(same, same, 1).empty());
}

TEST(InventoryDiff, ArchitecturesAndLocationsStayApart) {
  auto events =
      diff_inventory({deb("libc6", "2.36-9", "amd64"), deb("libc6", "2.36-9", "i386")},
                     {deb("libc6", "2.36-9+deb12u4", "amd64"), deb("libc6", "2.36-9", "i386")}, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].arch, "amd64");
  events = diff_inventory({npm("lodash", "4.17.20", "node_modules/lodash"),
                           npm("lodash", "3.10.1", "node_modules/a/node_modules/lodash")},
                          {npm("lodash", "4.17.21", "node_modules/lodash"),
                           npm("lodash", "3.10.1", "node_modules/a/node_modules/lodash")},
                          1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].from_version, "4.17.20");
  EXPECT_EQ(events[0].project, "shop");
  EXPECT_EQ(events[0].kind, Kind::upgrade);
}

TEST(InventoryDiff, ReleaseUpgradeIsUpgradesNotRemoveAndInstall) {
  auto before = deb("bash", "5.2.15-2+b2");
  auto after = deb("bash", "5.2.37-1");
  after.ecosystem = "Debian:13";
  auto events = diff_inventory({before}, {after}, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::upgrade);
  EXPECT_EQ(events[0].ecosystem, "Debian:13");
}

TEST(InventoryDiff, UnorderableVersionsAreUpgradesWithANote) {
  Package a = npm("left-pad", "not a version", "node_modules/left-pad");
  Package b = npm("left-pad", "1.3.0", "node_modules/left-pad");
  auto events = diff_inventory({a}, {b}, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::upgrade);
  EXPECT_NE(events[0].note.find("version order unknown"), std::string::npos);
}

}  // namespace
}  // namespace patchparty::events
