#include "core/fleet/fleet_backlog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace patchparty::fleet {
namespace {

using ::testing::ElementsAre;

HostTask openssl_task(std::string installed, double risk) {
  HostTask t;
  t.priority = "next";
  t.ecosystem = "Debian:12";
  t.package = "openssl";
  t.target_version = "3.0.15-1~deb12u1";
  t.origin = "distribution";
  t.binaries = {"libssl3", "openssl"};
  t.installed = {std::move(installed)};
  t.max_risk = risk;
  t.max_severity = SeverityLevel::high;
  t.first_seen = 1000;
  t.due = 5000;
  t.command = HostCommand{{"apt-get", "install", "--only-upgrade", "libssl3", "openssl"},
                          "",
                          "apt-get install --only-upgrade libssl3 openssl"};
  t.vulnerabilities = {{"CVE-2024-0001", {}, SeverityLevel::high, 7.5, false, false, risk}};
  return t;
}

HostResult host(std::string instance, std::string name, std::string wave,
                std::vector<HostTask> tasks) {
  HostBacklog b;
  b.host = std::move(name);
  b.wave = std::move(wave);
  b.generated_at = 100;
  b.tasks = std::move(tasks);
  return {instance, "http://" + instance, std::move(b), ""};
}

std::vector<std::string> host_names(const FleetTask& t) {
  std::vector<std::string> out;
  for (const auto& h : t.hosts) out.push_back(h.host);
  return out;
}

TEST(WaveOrder, CanaryThenNumbersByValueThenNamesThenNone) {
  std::vector<std::string> waves = {"", "2", "late", "10", "canary", "1", "early"};
  std::sort(waves.begin(), waves.end(),
            [](const auto& a, const auto& b) { return wave_before(a, b); });
  EXPECT_THAT(waves, ElementsAre("canary", "1", "2", "10", "early", "late", ""));
}

TEST(MergeBacklogs, OnePackageOnThreeHostsIsOneTaskListingThemByWave) {
  std::vector<HostResult> in = {
      host("10.0.0.3:9877", "web-3", "2", {openssl_task("3.0.11-1~deb12u2", 40)}),
      host("10.0.0.1:9877", "web-1", "canary", {openssl_task("3.0.11-1~deb12u2", 40)}),
      host("10.0.0.2:9877", "web-2", "1", {openssl_task("3.0.9-1", 55)}),
  };
  FleetBacklog b = merge_backlogs(in, 2000);
  ASSERT_EQ(b.tasks.size(), 1u);
  const FleetTask& t = b.tasks[0];
  EXPECT_EQ(t.package, "openssl");
  EXPECT_EQ(t.target_version, "3.0.15-1~deb12u1");
  EXPECT_THAT(host_names(t), ElementsAre("web-1", "web-2", "web-3"));
  EXPECT_EQ(t.max_risk, 55);
  EXPECT_TRUE(t.versions_differ);
  EXPECT_EQ(t.hosts[1].installed, std::vector<std::string>{"3.0.9-1"});
  ASSERT_TRUE(t.hosts[0].command);
  EXPECT_EQ(t.hosts[0].command->argv.back(), "openssl");
  EXPECT_EQ(b.summary.host_tasks, 3);
  EXPECT_EQ(b.summary.hosts, 3);
  EXPECT_EQ(fleet_task_title(t), "upgrade openssl (Debian:12) to >= 3.0.15-1~deb12u1 on 3 hosts");
  // The CVE is listed once, with the highest risk a host gave it.
  ASSERT_EQ(t.vulnerabilities.size(), 1u);
  EXPECT_EQ(t.vulnerabilities[0].risk, 55);
}

TEST(MergeBacklogs, KeysKeepReleasesTargetsProjectsAndSuppliersApart) {
  HostTask bookworm = openssl_task("3.0.11-1~deb12u2", 40);
  HostTask bullseye = openssl_task("1.1.1n-0+deb11u4", 40);
  bullseye.ecosystem = "Debian:11";
  bullseye.target_version = "1.1.1w-0+deb11u1";
  HostTask other_target = openssl_task("3.0.11-1~deb12u2", 40);
  other_target.target_version = "3.0.16-1~deb12u1";
  HostTask third_party = openssl_task("3.0.11-1~deb12u2", 40);
  third_party.target_version.clear();
  third_party.origin = "third-party";
  third_party.supplier = "sury";
  HostTask shop = {};
  shop.priority = "later";
  shop.project = "shop";
  shop.ecosystem = "Packagist";
  shop.package = "symfony/http-kernel";
  shop.target_version = "6.4.1";
  HostTask blog = shop;
  blog.project = "blog";
  auto b = merge_backlogs(std::vector<HostResult>{host("a:1", "a", "", {bookworm, shop}),
                                                  host("b:1", "b", "", {bullseye, blog}),
                                                  host("c:1", "c", "", {other_target}),
                                                  host("d:1", "d", "", {third_party, shop})},
                          2000);
  EXPECT_EQ(b.tasks.size(), 6u);
  auto shop_task = std::find_if(b.tasks.begin(), b.tasks.end(),
                                [](const FleetTask& t) { return t.project == "shop"; });
  ASSERT_NE(shop_task, b.tasks.end());
  EXPECT_THAT(host_names(*shop_task), ElementsAre("a", "d"));
  auto tp = std::find_if(b.tasks.begin(), b.tasks.end(),
                         [](const FleetTask& t) { return t.supplier == "sury"; });
  ASSERT_NE(tp, b.tasks.end());
  EXPECT_EQ(fleet_task_title(*tp), "update openssl (Debian:12) from sury on 1 host");
}

TEST(MergeBacklogs, RanksUrgentFirstThenRiskThenMoreHosts) {
  HostTask curl = openssl_task("1", 40);
  curl.package = "curl";
  HostTask zlib = openssl_task("1", 40);
  zlib.package = "zlib";
  HostTask exploited = openssl_task("1", 10);
  exploited.package = "sudo";
  exploited.kev = true;
  HostTask risky = openssl_task("1", 90);
  risky.package = "xz-utils";
  // curl on one host, zlib on two: same risk, so zlib (more hosts) first.
  auto b = merge_backlogs(std::vector<HostResult>{host("a:1", "a", "", {curl, zlib, risky}),
                                                  host("b:1", "b", "", {zlib, exploited})},
                          2000);
  std::vector<std::string> order;
  for (const auto& t : b.tasks) order.push_back(t.package);
  EXPECT_THAT(order, ElementsAre("sudo", "xz-utils", "zlib", "curl"));
  EXPECT_EQ(b.summary.kev, 1);
}

TEST(MergeBacklogs, HostsWithoutABacklogAreListedWithTheirReason) {
  std::vector<HostResult> in = {host("a:1", "a", "", {openssl_task("1", 40)}),
                                {"b:1", "http://b:1", std::nullopt, "401: wrong bearer token"}};
  auto b = merge_backlogs(in, 2000);
  ASSERT_EQ(b.not_included.size(), 1u);
  EXPECT_EQ(b.not_included[0].instance, "b:1");
  EXPECT_EQ(b.not_included[0].reason, "401: wrong bearer token");
  EXPECT_EQ(b.summary.hosts_not_included, 1);
  EXPECT_EQ(b.summary.hosts, 1);
}

TEST(MergeBacklogs, TheSameWhateverTheOrderOfHostsAndTasks) {
  std::vector<HostResult> in;
  for (int h = 0; h < 12; ++h) {
    std::vector<HostTask> tasks;
    for (int p = 0; p < 6; ++p) {
      HostTask t = openssl_task(std::to_string(h % 3), 10.0 * ((h + p) % 4));
      t.package = "pkg" + std::to_string(p);
      t.due = 5000 + h * 10 + p;
      tasks.push_back(t);
    }
    in.push_back(host("h" + std::to_string(h) + ":1", "h" + std::to_string(h),
                      std::to_string(h % 3), tasks));
  }
  auto reference = merge_backlogs(in, 2000);
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(in.begin(), in.end(), rng);
    for (auto& r : in) std::shuffle(r.backlog->tasks.begin(), r.backlog->tasks.end(), rng);
    auto again = merge_backlogs(in, 2000);
    ASSERT_EQ(again.tasks.size(), reference.tasks.size());
    for (std::size_t i = 0; i < again.tasks.size(); ++i) {
      EXPECT_EQ(again.tasks[i].package, reference.tasks[i].package);
      EXPECT_EQ(host_names(again.tasks[i]), host_names(reference.tasks[i]));
      EXPECT_EQ(again.tasks[i].due, reference.tasks[i].due);
    }
  }
}

}  // namespace
}  // namespace patchparty::fleet
