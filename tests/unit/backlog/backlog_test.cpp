#include "exporters/backlog/backlog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/report/report_format.h"
#include "exporters/backlog/backlog_writers.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::exporters {
namespace {

using testing::app_package;
using testing::debian_package;
using testing::kDay;
using testing::kLastParty;
using testing::kNow;
using testing::make_finding;

BacklogOptions options() {
  BacklogOptions o;
  o.host = "web-1";
  o.now = kNow;
  return o;
}

Backlog build(const std::vector<Finding>& findings, BacklogOptions o = options()) {
  return build_backlog(findings, config::SlaConfig{}, o);
}

Finding deb(std::string binary, std::string source, std::string vuln, std::string fixed,
            SeverityLevel s = SeverityLevel::high, double risk = 10, std::int64_t seen = kNow) {
  return make_finding(debian_package(std::move(binary), std::move(source), "1.2-1+deb12u8"),
                      std::move(vuln), std::move(fixed), s, risk, seen);
}

Finding npm(std::string name, std::string vuln, std::string fixed,
            SeverityLevel s = SeverityLevel::high, double risk = 10, std::int64_t seen = kNow) {
  return make_finding(
      app_package("npm", "storefront", std::move(name), "4.17.15", "npm", "node_modules/lodash"),
      std::move(vuln), std::move(fixed), s, risk, seen);
}

TEST(BuildBacklog, TwoCvesFixedByTwoVersionsMakeOneTaskAtTheHigherDpkgVersion) {
  // As text "…u9" sorts after "…u10"; dpkg's order says u10 is newer.
  const Backlog b = build({deb("foo", "foo", "CVE-2026-0001", "1.2-1+deb12u9"),
                           deb("foo", "foo", "CVE-2026-0002", "1.2-1+deb12u10")});
  ASSERT_EQ(b.tasks.size(), 1u);
  EXPECT_EQ(b.tasks[0].target_version, "1.2-1+deb12u10");
  EXPECT_FALSE(b.tasks[0].versions_compared_as_text);
  ASSERT_EQ(b.tasks[0].vulnerabilities.size(), 2u);
  EXPECT_EQ(task_title(b.tasks[0]), "upgrade foo (host web-1) to >= 1.2-1+deb12u10");
}

TEST(BuildBacklog, ComparesFixedVersionsWithTheEcosystemsScheme) {
  const Backlog b =
      build({npm("lodash", "CVE-2020-8203", "4.17.3"), npm("lodash", "CVE-2021-23337", "4.17.21")});
  ASSERT_EQ(b.tasks.size(), 1u);
  EXPECT_EQ(b.tasks[0].target_version, "4.17.21");
  EXPECT_EQ(task_title(b.tasks[0]),
            "upgrade lodash (project storefront / host web-1) to >= 4.17.21");
}

TEST(BuildBacklog, FallsBackToTextOrderOnlyWhenTheSchemeCannotOrder) {
  Finding a = npm("x", "CVE-1", "1.10.0"), b = npm("x", "CVE-2", "1.9.0");
  a.package.ecosystem = b.package.ecosystem = "NoSuchEcosystem";
  const Backlog out = build({a, b});
  ASSERT_EQ(out.tasks.size(), 1u);
  EXPECT_TRUE(out.tasks[0].versions_compared_as_text);
  EXPECT_EQ(out.tasks[0].target_version, "1.9.0");
  EXPECT_NE(backlog_markdown(out).find("chosen by text order"), std::string::npos);
}

TEST(BuildBacklog, GroupsDebianBinariesBySourcePackage) {
  const Backlog b = build({deb("libssl3", "openssl", "CVE-2024-5535", "3.0.14-1~deb12u1"),
                           deb("openssl", "openssl", "CVE-2024-5535", "3.0.14-1~deb12u1"),
                           deb("libssl-dev", "openssl", "CVE-2024-9143", "3.0.15-1~deb12u1")});
  ASSERT_EQ(b.tasks.size(), 1u);
  const BacklogTask& t = b.tasks[0];
  EXPECT_EQ(t.package, "openssl");
  EXPECT_EQ(t.binaries, (std::vector<std::string>{"libssl-dev", "libssl3", "openssl"}));
  EXPECT_EQ(t.installed, (std::vector<std::string>{"1.2-1+deb12u8"}));
  EXPECT_EQ(t.target_version, "3.0.15-1~deb12u1");
  ASSERT_EQ(t.vulnerabilities.size(), 2u);  // CVE-2024-5535 once, though two binaries have it
}

TEST(BuildBacklog, AppPackagesGroupByNameNotSource) {
  Finding a = npm("lodash", "CVE-1", "4.17.21");
  Finding b = npm("lodash.merge", "CVE-2", "4.6.2");
  b.package.source_name = "lodash";  // never consulted outside distributions
  EXPECT_EQ(build({a, b}).tasks.size(), 2u);
}

TEST(BuildBacklog, KeepsHostsProjectsAndEcosystemsApart) {
  Finding a = deb("foo", "foo", "CVE-1", "2");
  Finding b = a;
  b.host = "web-2";
  Finding c = a;
  c.package.ecosystem = "Debian:11";
  const Backlog out = build({a, b, c});
  EXPECT_EQ(out.tasks.size(), 3u);
}

TEST(BuildBacklog, EmptyHostTakesTheBacklogsHost) {
  Finding a = deb("foo", "foo", "CVE-1", "2");
  a.host.clear();
  const Backlog out = build({a});
  ASSERT_EQ(out.tasks.size(), 1u);
  EXPECT_EQ(out.tasks[0].host, "web-1");
}

TEST(BuildBacklog, DueDateFollowsTheSlaOfEachSeverity) {
  const std::int64_t seen = kNow - 400 * kDay;
  const std::pair<SeverityLevel, std::int64_t> cases[] = {{SeverityLevel::critical, 7},
                                                          {SeverityLevel::high, 30},
                                                          {SeverityLevel::medium, 90},
                                                          {SeverityLevel::low, 180},
                                                          {SeverityLevel::unknown, 90}};
  for (const auto& [severity, days] : cases) {
    const Backlog b = build({deb("foo", "foo", "CVE-1", "2", severity, 10, seen)});
    ASSERT_EQ(b.tasks.size(), 1u);
    EXPECT_EQ(b.tasks[0].due, seen + days * kDay) << severity_name(severity);
  }
  config::SlaConfig sla;
  sla.high = std::chrono::hours(24 * 3);
  const Finding f = deb("foo", "foo", "CVE-1", "2", SeverityLevel::high, 10, seen);
  EXPECT_EQ(build_backlog(std::vector<Finding>{f}, sla, options()).tasks[0].due, seen + 3 * kDay);
}

TEST(BuildBacklog, DueIsTheEarliestOverTheGroupedFindings) {
  const std::int64_t seen = kNow - 2 * kDay;
  const Backlog b = build({deb("foo", "foo", "CVE-1", "2", SeverityLevel::low, 10, seen),
                           deb("foo", "foo", "CVE-2", "2", SeverityLevel::critical, 10, kNow)});
  EXPECT_EQ(b.tasks[0].due, kNow + 7 * kDay);
  EXPECT_EQ(b.tasks[0].first_seen, seen);
}

TEST(BuildBacklog, KevDueDateCapsTheSlaWhenEarlier) {
  Finding f = deb("foo", "foo", "CVE-1", "2", SeverityLevel::medium, 10, kNow);
  f.kev = true;
  f.kev_due_date = "2026-11-30";  // SLA alone: 2027-02-24
  Backlog b = build({f});
  EXPECT_EQ(format_date(b.tasks[0].due), "2026-11-30");
  EXPECT_EQ(b.tasks[0].due, *parse_date("2026-11-30") + kDay - 1);  // the whole day counts
  EXPECT_FALSE(b.tasks[0].overdue);

  f.kev_due_date = "2030-01-01";  // later than the SLA: the SLA stands
  b = build({f});
  EXPECT_EQ(b.tasks[0].due, kNow + 90 * kDay);

  f.kev = false;
  f.kev_due_date = "2026-11-27";  // not a KEV finding: the date is not ours to apply
  b = build({f});
  EXPECT_EQ(b.tasks[0].due, kNow + 90 * kDay);
}

TEST(BuildBacklog, OverdueWhenTheDueDateHasPassed) {
  const Backlog b =
      build({deb("foo", "foo", "CVE-1", "2", SeverityLevel::critical, 1, kNow - 8 * kDay),
             deb("bar", "bar", "CVE-2", "2", SeverityLevel::critical, 1, kNow - 6 * kDay)});
  ASSERT_EQ(b.tasks.size(), 2u);
  EXPECT_EQ(b.tasks[0].package, "foo");
  EXPECT_TRUE(b.tasks[0].overdue);
  EXPECT_FALSE(b.tasks[1].overdue);
  EXPECT_EQ(b.summary.overdue, 1u);
}

TEST(BuildBacklog, NewSinceLastPartyAndTheFilter) {
  const std::vector<Finding> findings{
      deb("old", "old", "CVE-1", "2", SeverityLevel::low, 50, kLastParty - kDay),
      deb("mixed", "mixed", "CVE-2", "2", SeverityLevel::low, 40, kLastParty - kDay),
      deb("mixed", "mixed", "CVE-3", "2", SeverityLevel::low, 40, kLastParty + kDay),
      deb("exact", "exact", "CVE-4", "2", SeverityLevel::low, 30, kLastParty)};

  const Backlog never = build(findings);  // no party yet: everything is new
  for (const auto& t : never.tasks) EXPECT_TRUE(t.new_since_last_party) << t.package;

  BacklogOptions o = options();
  o.last_party = kLastParty;
  const Backlog b = build(findings, o);
  ASSERT_EQ(b.tasks.size(), 3u);
  EXPECT_FALSE(b.tasks[0].new_since_last_party);  // old
  EXPECT_TRUE(b.tasks[1].new_since_last_party);   // mixed
  EXPECT_FALSE(b.tasks[2].new_since_last_party);  // seen at the party itself
  EXPECT_EQ(b.summary.new_since_last_party, 1u);

  o.since_last_party = true;
  const Backlog only_new = build(findings, o);
  ASSERT_EQ(only_new.tasks.size(), 1u);
  EXPECT_EQ(only_new.tasks[0].package, "mixed");
  EXPECT_TRUE(only_new.since_last_party);
}

TEST(BuildBacklog, OrdersOverdueAndKevFirstThenRiskThenDueThenName) {
  Finding kev = deb("kev", "kev", "CVE-1", "2", SeverityLevel::low, 5);
  kev.kev = true;
  const Finding overdue =
      deb("overdue", "overdue", "CVE-2", "2", SeverityLevel::low, 6, kNow - 200 * kDay);
  const Finding risky = deb("risky", "risky", "CVE-3", "2", SeverityLevel::low, 90);
  const Finding soon = deb("soon", "soon", "CVE-4", "2", SeverityLevel::critical, 40);
  const Finding late = deb("late", "late", "CVE-5", "2", SeverityLevel::low, 40);
  const Finding b_tie = deb("b-tie", "b-tie", "CVE-6", "2", SeverityLevel::low, 40);
  const Backlog b = build({late, b_tie, soon, risky, overdue, kev});
  std::vector<std::string> order;
  for (const auto& t : b.tasks) order.push_back(t.package);
  EXPECT_EQ(order, (std::vector<std::string>{"overdue", "kev", "risky", "soon", "b-tie", "late"}));
}

TEST(BuildBacklog, PriorityBuckets) {
  Finding kev = deb("kev", "kev", "CVE-1", "2", SeverityLevel::low);
  kev.kev = true;
  const Backlog b = build({kev, deb("crit", "crit", "CVE-2", "2", SeverityLevel::critical),
                           deb("high", "high", "CVE-3", "2", SeverityLevel::high),
                           deb("med", "med", "CVE-4", "2", SeverityLevel::medium),
                           deb("old", "old", "CVE-5", "2", SeverityLevel::low, 1, 0)});
  std::map<std::string, std::string> bucket;
  for (const auto& t : b.tasks) bucket[t.package] = priority_name(t.priority);
  EXPECT_EQ(bucket["kev"], "now");
  EXPECT_EQ(bucket["crit"], "now");
  EXPECT_EQ(bucket["old"], "now");  // overdue
  EXPECT_EQ(bucket["high"], "next");
  EXPECT_EQ(bucket["med"], "later");
  EXPECT_EQ(b.summary.tasks_now, 3u);
  EXPECT_EQ(b.summary.tasks_next, 1u);
  EXPECT_EQ(b.summary.tasks_later, 1u);
}

TEST(BuildBacklog, FindingsWithoutAFixGoToTheWatchListOrderedByRisk) {
  Finding no_dsa = deb("zlib1g", "zlib", "CVE-1", "1.3-1", SeverityLevel::low, 20);
  no_dsa.fix_status = FixStatus::no_dsa;  // a version exists elsewhere, not for this release
  Finding unfixed = deb("zlib1g", "zlib", "CVE-2", "", SeverityLevel::high, 30);
  Finding eol = deb("libfoo", "foo", "CVE-3", "", SeverityLevel::medium, 60);
  eol.fix_status = FixStatus::end_of_life;
  const Backlog b = build({no_dsa, unfixed, eol, deb("bar", "bar", "CVE-4", "2")});
  ASSERT_EQ(b.tasks.size(), 1u);
  ASSERT_EQ(b.watch.size(), 2u);
  EXPECT_EQ(b.watch[0].package, "foo");  // risk 60 first
  EXPECT_EQ(b.watch[1].package, "zlib");
  EXPECT_EQ(b.watch[1].vulnerabilities.size(), 2u);  // one item per package
  EXPECT_EQ(b.watch[1].fix_statuses,
            (std::vector<FixStatus>{FixStatus::unfixed, FixStatus::no_dsa}));
  EXPECT_EQ(b.summary.watch, 2u);
}

TEST(BuildBacklog, SuppressedFindingsAreListedApartWithTheirRule) {
  Finding s = npm("lodash", "CVE-1", "4.17.21");
  s.suppression = SuppressionMatch{"suppressions.yml:7",          "not reachable",  "not_affected",
                                   "vulnerable_code_not_present", kNow + 30 * kDay, false};
  const Backlog b = build({s, npm("lodash", "CVE-2", "4.17.19")});
  ASSERT_EQ(b.tasks.size(), 1u);
  EXPECT_EQ(b.tasks[0].target_version, "4.17.19");  // the suppressed fix does not raise V
  ASSERT_EQ(b.suppressed.size(), 1u);
  EXPECT_EQ(b.suppressed[0].vulnerability, "CVE-1");
  EXPECT_EQ(b.suppressed[0].rule, "suppressions.yml:7");
  EXPECT_EQ(b.suppressed[0].reason, "not reachable");
  EXPECT_EQ(b.suppressed[0].expires, kNow + 30 * kDay);
  EXPECT_EQ(b.summary.suppressed, 1u);
}

TEST(BuildBacklog, AnExpiredSuppressionMakesTheFindingActiveAgainWithANote) {
  Finding s = npm("lodash", "CVE-1", "4.17.21");
  s.suppression = SuppressionMatch{
      "suppressions.yml:7", "not reachable", "", "", *parse_date("2026-11-01"), true};
  const Backlog b = build({s});
  EXPECT_TRUE(b.suppressed.empty());
  ASSERT_EQ(b.tasks.size(), 1u);
  EXPECT_EQ(b.tasks[0].notes,
            (std::vector<std::string>{"suppression expired on 2026-11-01 (suppressions.yml:7)"}));
  EXPECT_NE(backlog_markdown(b).find("suppression expired on 2026-11-01"), std::string::npos);
}

TEST(BuildBacklog, ASuppressionThatLapsedSinceTheLastPartyCountsAsNew) {
  Finding f = npm("lodash", "CVE-1", "4.17.21", SeverityLevel::high, 10, kLastParty - 90 * kDay);
  f.suppression = SuppressionMatch{"s.yml:1", "", "", "", kLastParty + kDay, true};
  BacklogOptions o = options();
  o.last_party = kLastParty;
  EXPECT_TRUE(build({f}, o).tasks[0].new_since_last_party);
  f.suppression->expires = kLastParty - kDay;  // already back in the backlog at the last party
  EXPECT_FALSE(build({f}, o).tasks[0].new_since_last_party);
}

TEST(BuildBacklog, ANonFiniteRiskRanksAsZeroAndKeepsTheJsonValid) {
  Finding bad = deb("bad", "bad", "CVE-1", "2", SeverityLevel::low, std::nan(""));
  Finding ok = deb("ok", "ok", "CVE-2", "2", SeverityLevel::low, 1);
  Finding supp = deb("supp", "supp", "CVE-3", "2", SeverityLevel::low, INFINITY);
  supp.suppression = SuppressionMatch{"s.yml:1", "x", "", "", std::nullopt, false};
  const Backlog b = build({bad, ok, supp});
  ASSERT_EQ(b.tasks.size(), 2u);
  EXPECT_EQ(b.tasks[0].package, "ok");
  EXPECT_EQ(b.tasks[1].max_risk, 0.0);
  const std::string json = backlog_json(b);
  EXPECT_NE(json.find("\"risk\": null"), std::string::npos) << json;
}

TEST(BuildBacklog, ResolvedFindingsAreLeftOut) {
  Finding f = deb("foo", "foo", "CVE-1", "2");
  f.resolved_at = kNow - 60;
  const Backlog b = build({f});
  EXPECT_TRUE(b.tasks.empty());
  EXPECT_EQ(b.summary.findings, 0u);
}

TEST(BuildBacklog, SameOutputWhateverTheInputOrder) {
  std::vector<Finding> findings = testing::sample_findings();
  BacklogOptions o = options();
  o.last_party = kLastParty;
  const std::string expected =
      backlog_json(build(findings, o)) + backlog_markdown(build(findings, o));
  std::mt19937 rng(42);
  for (int i = 0; i < 20; ++i) {
    std::shuffle(findings.begin(), findings.end(), rng);
    EXPECT_EQ(backlog_json(build(findings, o)) + backlog_markdown(build(findings, o)), expected);
  }
}

TEST(BuildBacklog, AThirdPartysBuildIsItsOwnTaskWithNoTargetPromised) {
  Finding own = deb("nginx-common", "nginx", "CVE-2025-23419", "1.22.1-9+deb12u2");
  own.package.version = "1.22.1-9+deb12u1";
  own.package.supplier = "Debian";
  Finding vendor = own;
  vendor.package = debian_package("nginx", "nginx", "1.26.2-1~bookworm");
  vendor.package.supplier = "nginx";
  vendor.package.third_party = true;
  vendor.package.supplier_newest = "1.26.3-1~bookworm";
  const Backlog b = build({own, vendor});
  ASSERT_EQ(b.tasks.size(), 2u);
  const BacklogTask& debian = b.tasks[0].third_party ? b.tasks[1] : b.tasks[0];
  const BacklogTask& nginx = b.tasks[0].third_party ? b.tasks[0] : b.tasks[1];
  EXPECT_EQ(debian.target_version, "1.22.1-9+deb12u2");
  EXPECT_FALSE(debian.third_party);
  EXPECT_EQ(task_title(debian), "upgrade nginx (host web-1) to >= 1.22.1-9+deb12u2");
  EXPECT_EQ(nginx.target_version, "");
  EXPECT_EQ(nginx.distribution_fixed_version, "1.22.1-9+deb12u2");
  EXPECT_EQ(nginx.supplier, "nginx");
  EXPECT_EQ(nginx.supplier_newest, "1.26.3-1~bookworm");
  EXPECT_EQ(task_title(nginx),
            "update nginx (host web-1) from nginx, its supplier (the distribution's fix "
            "1.22.1-9+deb12u2 is for its own build)");
  ASSERT_EQ(nginx.notes.size(), 1u);
  EXPECT_THAT(nginx.notes[0], ::testing::HasSubstr("nginx offers 1.26.3-1~bookworm"));
  EXPECT_EQ(facts_origin(nginx), "third-party");
  EXPECT_EQ(facts_origin(debian), "distribution");
}

TEST(BuildBacklog, SampleHostRanksAsThePartyWouldWorkIt) {
  BacklogOptions o = options();
  o.last_party = kLastParty;
  const Backlog b = build(testing::sample_findings(), o);
  std::vector<std::string> order;
  for (const auto& t : b.tasks) order.push_back(t.package + " " + t.target_version);
  // nginx.org's nginx: a task without a target, since Debian's fix is for Debian's build.
  EXPECT_EQ(order,
            (std::vector<std::string>{"libwebp 1.2.4-0.2+deb12u1", "openssl 3.0.15-1~deb12u1",
                                      "curl 7.88.1-10+deb12u6", "lodash 4.17.21",
                                      "symfony/http-kernel 6.2.6", "nginx "}));
  EXPECT_TRUE(b.tasks.back().third_party);
  EXPECT_EQ(b.tasks.back().distribution_fixed_version, "1.22.1-9+deb12u2");
  EXPECT_TRUE(b.tasks[0].kev);
  EXPECT_EQ(format_date(b.tasks[0].due), "2023-10-04");  // CISA's date, long past
  EXPECT_EQ(b.tasks[0].binaries, (std::vector<std::string>{"libwebp7", "libwebpdemux2"}));
  ASSERT_EQ(b.watch.size(), 1u);
  EXPECT_EQ(b.watch[0].package, "zlib");
  ASSERT_EQ(b.suppressed.size(), 1u);
  EXPECT_EQ(b.suppressed[0].package, "twig/twig");
}

TEST(ReportFormat, DatesAndNumbers) {
  EXPECT_EQ(format_rfc3339(kNow), "2026-11-26T10:00:00Z");
  EXPECT_EQ(format_date(kNow), "2026-11-26");
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(parse_date("2026-11-26"), kNow - 10 * 3600);
  EXPECT_FALSE(parse_date("2026-02-30"));
  EXPECT_FALSE(parse_date("2026-1-01"));
  EXPECT_FALSE(parse_date(""));
  EXPECT_EQ(format_fixed(7.25, 1), "7.3");
  EXPECT_EQ(format_fixed(95.2, 1), "95.2");
  EXPECT_EQ(format_fixed(0, 1), "0.0");
}

TEST(ReportFormat, FixStatusNamesMatchTheOsvWriters) {
  EXPECT_EQ(fix_status_label(FixStatus::fixed), "fixed");
  EXPECT_EQ(fix_status_label(FixStatus::unfixed), "unfixed");
  EXPECT_EQ(fix_status_label(FixStatus::undetermined), "undetermined");
  EXPECT_EQ(fix_status_label(FixStatus::no_dsa), "no-dsa");
  EXPECT_EQ(fix_status_label(FixStatus::postponed), "postponed");
  EXPECT_EQ(fix_status_label(FixStatus::ignored), "ignored");
  EXPECT_EQ(fix_status_label(FixStatus::end_of_life), "end-of-life");
  EXPECT_EQ(fix_status_label(FixStatus::wont_fix), "wont-fix");
}

TEST(ReportFormat, DistroEcosystems) {
  EXPECT_TRUE(is_distro_ecosystem("Debian:12"));
  EXPECT_TRUE(is_distro_ecosystem("Ubuntu:22.04:LTS"));
  EXPECT_TRUE(is_distro_ecosystem("Alpine:v3.19"));
  EXPECT_TRUE(is_distro_ecosystem("Red Hat"));
  EXPECT_FALSE(is_distro_ecosystem("npm"));
  EXPECT_FALSE(is_distro_ecosystem("Packagist"));
  EXPECT_FALSE(is_distro_ecosystem("NoSuchEcosystem"));
}

}  // namespace
}  // namespace patchparty::exporters
