// Finding history in a real SQLite store: first_seen survives rescans and upgrades that leave the
// package affected, resolution happens when a scan no longer sees a finding, and a regression
// reopens it without restarting its clock.
#include "core/store/finding_tables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/store/store.h"
#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

Finding finding(std::string package, std::string version, std::string vulnerability) {
  Finding f;
  f.package.ecosystem = "Debian:12";
  f.package.name = std::move(package);
  f.package.version = std::move(version);
  f.package.source_name = f.package.name;
  f.package.location = "/var/lib/dpkg/status";
  f.vulnerability = std::move(vulnerability);
  f.fixed_version = "9.9";
  f.severity = SeverityLevel::high;
  return f;
}

class FindingTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open(testing::temp_dir("state"));
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
  }
  ScanSummary scan(std::vector<Finding> findings, std::int64_t now) {
    auto r = record_scan(store_->database(), "web-1", findings, now, 10, 0.5);
    EXPECT_OK(r);
    return r.value_or(ScanSummary{});
  }
  std::vector<Finding> all() {
    auto r = load_findings(store_->database(), {.include_resolved = true});
    EXPECT_OK(r);
    return r.value_or(std::vector<Finding>{});
  }
  std::optional<Store> store_;
};

TEST_F(FindingTablesTest, FirstSeenIsKeptAcrossScansAndUpgradesThatStayAffected) {
  auto s1 = scan({finding("openssl", "3.0.1", "CVE-1")}, 1000);
  EXPECT_EQ(s1.opened, 1);
  auto s2 = scan({finding("openssl", "3.0.2", "CVE-1")}, 2000);
  EXPECT_EQ(s2.opened, 0);
  EXPECT_EQ(s2.resolved, 0);
  auto f = all();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].first_seen, 1000);
  EXPECT_EQ(f[0].last_seen, 2000);
  EXPECT_EQ(f[0].package.version, "3.0.2");
  EXPECT_EQ(f[0].host, "web-1");
  EXPECT_FALSE(f[0].resolved_at);
}

TEST_F(FindingTablesTest, AFindingNoLongerSeenIsResolvedAndAReturnReopensIt) {
  scan({finding("openssl", "3.0.1", "CVE-1"), finding("curl", "7.0", "CVE-2")}, 1000);
  auto s2 = scan({finding("curl", "7.0", "CVE-2")}, 1000);  // same second: still resolved
  EXPECT_EQ(s2.resolved, 1);
  auto open = load_findings(store_->database());
  ASSERT_OK(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].package.name, "curl");
  auto resolved = all();
  ASSERT_EQ(resolved.size(), 2u);
  EXPECT_EQ(resolved[1].package.name, "openssl");
  EXPECT_EQ(resolved[1].resolved_at.value_or(0), 1000);

  auto s3 = scan({finding("openssl", "3.0.0", "CVE-1"), finding("curl", "7.0", "CVE-2")}, 5000);
  EXPECT_EQ(s3.opened, 1);
  auto again = all();
  EXPECT_EQ(again[1].first_seen, 1000);
  EXPECT_FALSE(again[1].resolved_at);
}

TEST_F(FindingTablesTest, TheDetailRoundTrips) {
  Finding f = finding("libssl3", "3.0.11-1~deb12u2", "CVE-2024-0001");
  f.package.source_name = "openssl";
  f.package.supplier = "Example Vendor";
  f.package.third_party = true;
  f.package.supplier_newest = "3.0.15-1+vendor1";
  f.project = "";
  f.aliases = {"DSA-5000-1", "GHSA-x"};
  f.advisories = {"CVE-2024-0001"};
  f.feeds = {"debian-tracker"};
  f.fix_status = FixStatus::no_dsa;
  f.cvss = 9.8;
  f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  f.epss = 0.5;
  f.epss_percentile = 0.99;
  f.kev = f.kev_ransomware = true;
  f.kev_due_date = "2024-02-01";
  f.risk = 87.5;
  f.summary = "quote \" and \n newline";
  f.references = {"https://example.org/a"};
  f.suppression = SuppressionMatch{"s.yml:3",      "not reachable",
                                   "not_affected", "vulnerable_code_not_in_execute_path",
                                   1700000000,     true};
  auto back = finding_from_json(finding_to_json(f));
  ASSERT_OK(back);
  EXPECT_EQ(finding_to_json(*back), finding_to_json(f));
  EXPECT_EQ(back->cvss_source, "");
  // Only a score from elsewhere than the records is named, and it is read back.
  EXPECT_THAT(finding_to_json(f), ::testing::Not(::testing::HasSubstr("cvss_source")));
  f.cvss_source = "nvd";
  auto nvd = finding_from_json(finding_to_json(f));
  ASSERT_OK(nvd);
  EXPECT_EQ(nvd->cvss_source, "nvd");
  EXPECT_EQ(back->package.source_name, "openssl");
  EXPECT_EQ(back->package.supplier, "Example Vendor");
  EXPECT_TRUE(back->package.third_party);
  EXPECT_EQ(back->package.supplier_newest, "3.0.15-1+vendor1");
  EXPECT_EQ(back->fix_status, FixStatus::no_dsa);
  EXPECT_TRUE(back->suppression && back->suppression->expired);
  EXPECT_FALSE(back->suppressed());
}

TEST_F(FindingTablesTest, AScanListingOneFindingTwiceIsRefusedAndChangesNothing) {
  scan({finding("openssl", "3.0.1", "CVE-1")}, 1000);
  std::vector<Finding> twice{finding("curl", "7.0", "CVE-2"), finding("curl", "7.0", "CVE-2")};
  auto r = record_scan(store_->database(), "web-1", twice, 2000, 1, 0);
  EXPECT_ERRC(r, Errc::invalid_argument);
  auto f = all();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].resolved_at);
}

TEST_F(FindingTablesTest, PartyExportsAreRemembered) {
  auto& db = store_->database();
  EXPECT_FALSE(party_exported(db, 1800000000).value_or(true));
  ASSERT_OK(record_party_export(db, 1800000000, 1799913600, "/srv/party"));
  EXPECT_TRUE(party_exported(db, 1800000000).value_or(false));
  EXPECT_EQ(last_scan_at(db).value_or(std::nullopt), std::nullopt);
  scan({}, 42);
  EXPECT_EQ(last_scan_at(db).value_or(std::nullopt), 42);
}

}  // namespace
}  // namespace patchparty::store
