// Metrics computed from a real SQLite store filled the way the jobs fill it: feed refreshes and
// failures, inventory snapshots, and findings recorded by a scan.
#include "exporters/prometheus/store_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "core/store/advisory_tables.h"
#include "core/store/finding_tables.h"
#include "exporters/prometheus/exposition.h"
#include "tests/support/metric_value.h"
#include "tests/support/test_data.h"
#include "tests/unit/prometheus/store_metrics_fixture.h"

namespace patchparty::exporters {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t kDay = 86400;

Finding finding(std::string package, std::string vulnerability, SeverityLevel severity,
                std::string fixed, bool kev = false) {
  Finding f;
  f.package.ecosystem = "Debian:12";
  f.package.name = std::move(package);
  f.package.version = "1.0-1";
  f.package.source_name = f.package.name;
  f.package.origin = "dpkg";
  f.vulnerability = std::move(vulnerability);
  f.fixed_version = std::move(fixed);
  f.severity = severity;
  f.kev = kev;
  return f;
}

Package package(std::string name) {
  Package p;
  p.ecosystem = "Debian:12";
  p.name = p.source_name = std::move(name);
  p.version = p.source_version = "1.0-1";
  p.origin = "dpkg";
  return p;
}

using testing::metric_value;
using testing::series_count;

class MetricsTest : public StoreMetricsFixture {
 protected:
  void SetUp() override {
    StoreMetricsFixture::SetUp();
    config_.host_name = "web-1";
    config_.party.schedule = "0 9 * * 2#1";
  }
  store::Database& db() { return store_->database(); }
  void refresh_feed(std::string name, int advisories, std::int64_t at, std::int64_t bytes = 0) {
    auto r = store::FeedRefresh::begin(db(), name, "osv");
    ASSERT_OK(r);
    for (int i = 0; i < advisories; ++i) {
      Advisory a;
      a.id = name + "-" + std::to_string(i);
      a.feed = name;
      ASSERT_OK(r->add_advisory(a, "{}"));
    }
    store::RefreshOutcome o;
    o.finished_at = at;
    o.bytes = bytes;
    ASSERT_OK(r->commit(o));
  }
  void scan(std::vector<Finding> findings, std::int64_t now) {
    ASSERT_OK(store::record_scan(db(), "web-1", findings, now, 10, 0.1));
  }
};

TEST_F(MetricsTest, FixedFamiliesAreThereBeforeTheFirstUpdate) {
  EXPECT_EQ(metric_value(reg(), "patchparty_finding_info_dropped_total"), 0);
  const std::string text = serialize_metrics(reg());
  EXPECT_THAT(text, HasSubstr("# TYPE patchparty_finding_info_dropped_total counter"));
}

TEST_F(MetricsTest, FeedsReportLastSuccessRecordsAndFailures) {
  refresh_feed("osv-debian", 3, kNow - 600);
  refresh_feed("kev", 2, kNow - 60);
  ASSERT_OK(store::record_feed_failure(db(), "epss", "epss", "HTTP 503", kNow - 30, 1.0));
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_last_success_timestamp_seconds",
                         {{"feed", "osv-debian"}}),
            kNow - 600);
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_advisories", {{"feed", "osv-debian"}}), 3);
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_advisories", {{"feed", "kev"}}), 2);
  // A feed that never succeeded has no success time, rather than 1970.
  EXPECT_EQ(
      metric_value(reg(), "patchparty_feed_last_success_timestamp_seconds", {{"feed", "epss"}}),
      std::nullopt);
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_fetch_failures_total", {{"feed", "epss"}}), 1);
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_fetch_failures_total", {{"feed", "kev"}}), 0);
}

TEST_F(MetricsTest, FeedFailuresCountOnlyWhatIsNewSinceTheLastUpdate) {
  ASSERT_OK(store::record_feed_failure(db(), "epss", "epss", "HTTP 503", kNow, 1.0));
  ASSERT_OK(store::record_feed_failure(db(), "epss", "epss", "HTTP 503", kNow + 1, 1.0));
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_fetch_failures_total", {{"feed", "epss"}}), 2);
  update();  // another job ran; the feed did not
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_fetch_failures_total", {{"feed", "epss"}}), 2);
  refresh_feed("epss", 1, kNow + 2);  // a success resets the store's consecutive count...
  ASSERT_OK(store::record_feed_failure(db(), "epss", "epss", "HTTP 503", kNow + 3, 1.0));
  update();  // ...and the counter still only grows
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_fetch_failures_total", {{"feed", "epss"}}), 3);
}

TEST_F(MetricsTest, DownloadBytesAddUpEveryRefreshAndNotModifiedAnswer) {
  refresh_feed("osv-npm", 1, kNow, 3'000'000);
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_download_bytes_total", {{"feed", "osv-npm"}}),
            3'000'000);
  update();  // nothing new
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_download_bytes_total", {{"feed", "osv-npm"}}),
            3'000'000);
  refresh_feed("osv-npm", 1, kNow + 60, 4096);
  ASSERT_OK(store::record_feed_not_modified(db(), "osv-npm", "osv", kNow + 120, 0.1, 512));
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_feed_download_bytes_total", {{"feed", "osv-npm"}}),
            3'000'000 + 4096 + 512);
}

TEST_F(MetricsTest, InventoryCountsTheNewestGoodSnapshotOfEachSourceAndProject) {
  ASSERT_OK(store_->save_inventory("dpkg", "", {package("a"), package("b")}, kNow - 100));
  ASSERT_OK(
      store_->save_inventory("dpkg", "", {package("a"), package("b"), package("c")}, kNow - 50));
  ASSERT_OK(store_->record_inventory_failure("dpkg", "", "unreadable", kNow - 10));
  ASSERT_OK(store_->save_inventory("npm", "shop", {package("x")}, kNow - 10));
  ASSERT_OK(store_->save_inventory("npm", "blog", {package("y"), package("z")}, kNow - 10));
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_inventory_packages", {{"source", "dpkg"}}), 3);
  EXPECT_EQ(metric_value(reg(), "patchparty_inventory_packages", {{"source", "npm"}}), 3);
  EXPECT_EQ(series_count(reg(), "patchparty_inventory_packages"), 2u);
  // The newest attempt decides: dpkg's failed after two good snapshots.
  EXPECT_EQ(
      metric_value(reg(), "patchparty_inventory_source_up", {{"source", "dpkg"}, {"project", ""}}),
      0);
  EXPECT_EQ(metric_value(reg(), "patchparty_inventory_source_up",
                         {{"source", "npm"}, {"project", "shop"}}),
            1);
  EXPECT_EQ(series_count(reg(), "patchparty_inventory_source_up"), 3u);
  ASSERT_OK(store_->save_inventory("dpkg", "", {package("a")}, kNow - 5));
  update();
  EXPECT_EQ(
      metric_value(reg(), "patchparty_inventory_source_up", {{"source", "dpkg"}, {"project", ""}}),
      1);
}

TEST_F(MetricsTest, ThirdPartyPackagesAreCountedBySupplier) {
  auto from = [](std::string name, std::string supplier, bool third_party) {
    Package p = package(std::move(name));
    p.supplier = std::move(supplier);
    p.third_party = third_party;
    return p;
  };
  ASSERT_OK(
      store_->save_inventory("dpkg", "",
                             {from("nginx", "nginx", true), from("nginx-module-njs", "nginx", true),
                              from("php8.3", "LP-PPA-ondrej-php", true),
                              from("libssl3", "Debian", false), from("bash", "", false)},
                             kNow - 10));
  update();
  EXPECT_EQ(
      metric_value(reg(), "patchparty_inventory_third_party_packages", {{"supplier", "nginx"}}), 2);
  EXPECT_EQ(metric_value(reg(), "patchparty_inventory_third_party_packages",
                         {{"supplier", "LP-PPA-ondrej-php"}}),
            1);
  EXPECT_EQ(series_count(reg(), "patchparty_inventory_third_party_packages"), 2u);
  // The PPA's PHP replaced by Debian's: its series goes.
  ASSERT_OK(store_->save_inventory("dpkg", "", {from("nginx", "nginx", true)}, kNow - 5));
  update();
  EXPECT_EQ(series_count(reg(), "patchparty_inventory_third_party_packages"), 1u);
}

TEST_F(MetricsTest, FindingsAgesAndBacklogComeFromTheStoredScan) {
  scan({finding("openssl", "CVE-1", SeverityLevel::critical, "3.0.15", true),
        finding("curl", "CVE-2", SeverityLevel::high, "8.0"),
        finding("zlib", "CVE-3", SeverityLevel::high, "")},
       kNow - 10 * kDay);
  auto later = std::vector{finding("openssl", "CVE-1", SeverityLevel::critical, "3.0.15", true),
                           finding("curl", "CVE-2", SeverityLevel::high, "8.0"),
                           finding("zlib", "CVE-3", SeverityLevel::high, ""),
                           finding("bash", "CVE-4", SeverityLevel::low, "5.2")};
  Finding suppressed = finding("vim", "CVE-5", SeverityLevel::critical, "9.1");
  suppressed.suppression = SuppressionMatch{.rule = "s.yml:1", .reason = "not reachable"};
  later.push_back(suppressed);
  scan(later, kNow - kDay);
  update();

  auto findings = [&](std::string sev, std::string fix, std::string kev) {
    return metric_value(reg(), "patchparty_findings",
                        {{"severity", sev}, {"fix_available", fix}, {"kev", kev}});
  };
  EXPECT_EQ(findings("critical", "true", "true"), 1);
  EXPECT_EQ(findings("high", "true", "false"), 1);
  EXPECT_EQ(findings("high", "false", "false"), 1);
  EXPECT_EQ(findings("low", "true", "false"), 1);
  EXPECT_EQ(findings("critical", "true", "false"), 0);         // the suppressed one is not counted
  EXPECT_EQ(series_count(reg(), "patchparty_findings"), 20u);  // every combination, zeros included

  EXPECT_EQ(
      metric_value(reg(), "patchparty_oldest_open_finding_age_seconds", {{"severity", "critical"}}),
      10 * kDay);
  EXPECT_EQ(
      metric_value(reg(), "patchparty_oldest_open_finding_age_seconds", {{"severity", "low"}}),
      kDay);
  EXPECT_EQ(
      metric_value(reg(), "patchparty_oldest_open_finding_age_seconds", {{"severity", "medium"}}),
      std::nullopt);

  // Tasks: openssl (KEV) now, curl (high) next, bash (low) later; zlib has no fix: watch list.
  EXPECT_EQ(metric_value(reg(), "patchparty_backlog_tasks", {{"priority", "now"}}), 1);
  EXPECT_EQ(metric_value(reg(), "patchparty_backlog_tasks", {{"priority", "next"}}), 1);
  EXPECT_EQ(metric_value(reg(), "patchparty_backlog_tasks", {{"priority", "later"}}), 1);
  // One series per package to upgrade, for a fleet's "pending on most hosts"; zlib has no fix.
  EXPECT_EQ(series_count(reg(), "patchparty_upgrade_pending"), 3u);
  EXPECT_EQ(metric_value(reg(), "patchparty_upgrade_pending",
                         {{"ecosystem", "Debian:12"}, {"package", "openssl"}}),
            1);
  EXPECT_EQ(metric_value(reg(), "patchparty_upgrade_pending",
                         {{"ecosystem", "Debian:12"}, {"package", "zlib"}}),
            std::nullopt);
  // Capped riskiest first: the KEV openssl stays, the rest is counted as dropped.
  config_.metrics.upgrade_pending_limit = 1;
  update();
  EXPECT_EQ(series_count(reg(), "patchparty_upgrade_pending"), 1u);
  EXPECT_EQ(metric_value(reg(), "patchparty_upgrade_pending",
                         {{"ecosystem", "Debian:12"}, {"package", "openssl"}}),
            1);
  EXPECT_EQ(metric_value(reg(), "patchparty_upgrade_pending_dropped"), 2);
  config_.metrics.upgrade_pending_limit = 200;
  update();

  // The deadlines beside the ages, so a dashboard or rule can compare them: the defaults.
  EXPECT_EQ(metric_value(reg(), "patchparty_sla_seconds", {{"severity", "critical"}}), 7 * kDay);
  EXPECT_EQ(metric_value(reg(), "patchparty_sla_seconds", {{"severity", "low"}}), 180 * kDay);

  // First Tuesday of February 2027, 09:00 UTC.
  EXPECT_EQ(metric_value(reg(), "patchparty_next_party_timestamp_seconds"), 1'801'558'800);
}

TEST_F(MetricsTest, ResolvedFindingsLeaveNoStaleSeries) {
  scan({finding("openssl", "CVE-1", SeverityLevel::critical, "3.0.15", true)}, kNow - kDay);
  update();
  ASSERT_TRUE(metric_value(reg(), "patchparty_oldest_open_finding_age_seconds",
                           {{"severity", "critical"}}));
  scan({}, kNow);  // upgraded: the next scan no longer sees it
  update();
  EXPECT_EQ(
      metric_value(reg(), "patchparty_oldest_open_finding_age_seconds", {{"severity", "critical"}}),
      std::nullopt);
  EXPECT_EQ(metric_value(reg(), "patchparty_findings",
                         {{"severity", "critical"}, {"fix_available", "true"}, {"kev", "true"}}),
            0);
  EXPECT_EQ(metric_value(reg(), "patchparty_backlog_tasks", {{"priority", "now"}}), 0);
}

TEST_F(MetricsTest, PerFindingSeriesAreOffByDefaultThenCappedRiskiestFirst) {
  std::vector<Finding> fs;
  for (int i = 0; i < 5; ++i) {
    fs.push_back(finding("pkg" + std::to_string(i), "CVE-" + std::to_string(i),
                         SeverityLevel::medium, "2.0"));
    fs.back().risk = 10.0 * i;
  }
  scan(fs, kNow);
  update();
  EXPECT_EQ(series_count(reg(), "patchparty_finding_info"), 0u);

  config_.metrics.per_finding = true;
  config_.metrics.per_finding_limit = 3;
  update();
  EXPECT_EQ(series_count(reg(), "patchparty_finding_info"), 3u);
  EXPECT_EQ(metric_value(reg(), "patchparty_finding_info_dropped_total"), 2);
  const std::string text = serialize_metrics(reg());
  EXPECT_THAT(text, HasSubstr("vulnerability=\"CVE-4\""));
  EXPECT_THAT(text, HasSubstr("vulnerability=\"CVE-2\""));
  EXPECT_THAT(text, Not(HasSubstr("vulnerability=\"CVE-1\"")));

  config_.metrics.per_finding = false;
  update();
  EXPECT_EQ(series_count(reg(), "patchparty_finding_info"), 0u);
}

}  // namespace
}  // namespace patchparty::exporters
