// Which findings page: each default rule on its own, the rules switched off, and the findings
// that never page.
#include "exporters/alertmanager/alert_rules.h"

#include <gtest/gtest.h>

namespace patchparty::exporters {
namespace {

// A finding no default rule pages: medium, no fix, not in KEV, low risk.
Finding quiet() {
  Finding f;
  f.host = "web-1";
  f.package.ecosystem = "Debian:12";
  f.package.name = "openssl";
  f.package.version = "3.0.11-1~deb12u2";
  f.vulnerability = "CVE-2024-0001";
  f.severity = SeverityLevel::medium;
  f.fix_status = FixStatus::unfixed;
  f.risk = 10;
  return f;
}

const config::AlertRulesConfig kDefaults{};

TEST(AlertRules, QuietFindingDoesNotPage) {
  EXPECT_EQ(page_reason(quiet(), kDefaults), std::nullopt);
}

TEST(AlertRules, KevPages) {
  Finding f = quiet();
  f.kev = true;
  EXPECT_EQ(page_reason(f, kDefaults), "kev");
  config::AlertRulesConfig off;
  off.kev = false;
  EXPECT_EQ(page_reason(f, off), std::nullopt);
}

TEST(AlertRules, CriticalPagesOnlyWithAFix) {
  Finding f = quiet();
  f.severity = SeverityLevel::critical;
  EXPECT_EQ(page_reason(f, kDefaults), std::nullopt) << "no fix: nothing to do tonight";
  f.fixed_version = "3.0.13-1~deb12u1";
  f.fix_status = FixStatus::fixed;
  EXPECT_EQ(page_reason(f, kDefaults), "critical-with-fix");
  f.severity = SeverityLevel::high;
  EXPECT_EQ(page_reason(f, kDefaults), std::nullopt);
  f.severity = SeverityLevel::critical;
  config::AlertRulesConfig off;
  off.critical_with_fix = false;
  EXPECT_EQ(page_reason(f, off), std::nullopt);
}

TEST(AlertRules, RiskAtTheThresholdPages) {
  Finding f = quiet();
  f.risk = kDefaults.min_risk - 0.1;
  EXPECT_EQ(page_reason(f, kDefaults), std::nullopt);
  f.risk = kDefaults.min_risk;
  EXPECT_EQ(page_reason(f, kDefaults), "risk");
  config::AlertRulesConfig off;
  off.min_risk = 0;  // 0 turns the rule off rather than paging everything
  f.risk = 99;
  EXPECT_EQ(page_reason(f, off), std::nullopt);
}

TEST(AlertRules, KevIsTheReasonWhenSeveralRulesMatch) {
  Finding f = quiet();
  f.kev = true;
  f.severity = SeverityLevel::critical;
  f.fixed_version = "2";
  f.risk = 90;
  EXPECT_EQ(page_reason(f, kDefaults), "kev");
}

TEST(AlertRules, SuppressedNeverPages) {
  Finding f = quiet();
  f.kev = true;
  f.severity = SeverityLevel::critical;
  f.fixed_version = "2";
  f.risk = 100;
  f.suppression = SuppressionMatch{.rule = "suppressions.yml:3", .reason = "not reachable"};
  EXPECT_EQ(page_reason(f, kDefaults), std::nullopt);
  // An expired suppression no longer covers the finding.
  f.suppression->expired = true;
  EXPECT_EQ(page_reason(f, kDefaults), "kev");
}

TEST(AlertRules, ResolvedNeverPages) {
  Finding f = quiet();
  f.kev = true;
  f.resolved_at = 1795687200;
  EXPECT_EQ(page_reason(f, kDefaults), std::nullopt);
}

TEST(AlertRules, AlertsKeepTheFindingsOrderAndSkipQuietOnes) {
  std::vector<Finding> findings(3, quiet());
  findings[0].vulnerability = "CVE-2024-0003";
  findings[0].kev = true;
  findings[2].vulnerability = "CVE-2024-0002";
  findings[2].risk = 80;
  auto alerts = vulnerability_alerts(findings, kDefaults);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].labels.at("vulnerability"), "CVE-2024-0003");
  EXPECT_EQ(alerts[0].annotations.at("reason"), "kev");
  EXPECT_EQ(alerts[1].labels.at("vulnerability"), "CVE-2024-0002");
  EXPECT_EQ(alerts[1].annotations.at("reason"), "risk");
}

}  // namespace
}  // namespace patchparty::exporters
