// Correlation semantics against a real SQLite store: each case states why a package is or is not
// affected.
#include "core/correlate/correlator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/record/osv_writer.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "tests/support/test_data.h"

namespace patchparty::correlate {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

Range fixed_range(std::string introduced, std::string fixed) {
  return Range{Range::Type::ecosystem,
               {{RangeEvent::Kind::introduced, std::move(introduced)},
                {RangeEvent::Kind::fixed, std::move(fixed)}}};
}

Advisory advisory(std::string id, std::string ecosystem, std::string name,
                  std::vector<Range> ranges, std::vector<std::string> aliases = {}) {
  Advisory a;
  a.id = std::move(id);
  a.feed = "test";
  a.aliases = std::move(aliases);
  a.summary = "summary of " + a.id;
  Affected af;
  af.ecosystem = std::move(ecosystem);
  af.name = std::move(name);
  af.ranges = std::move(ranges);
  bool fixed = false;
  for (const auto& r : af.ranges)
    for (const auto& e : r.events) fixed = fixed || e.kind == RangeEvent::Kind::fixed;
  af.fix_status = fixed ? FixStatus::fixed : FixStatus::unfixed;
  a.affected.push_back(std::move(af));
  return a;
}

Package deb(std::string name, std::string version, std::string source = {},
            std::string source_version = {}, std::string ecosystem = "Debian:12") {
  Package p;
  p.ecosystem = std::move(ecosystem);
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = source.empty() ? p.name : std::move(source);
  p.source_version = source_version.empty() ? p.version : std::move(source_version);
  p.origin = "dpkg";
  p.location = "/var/lib/dpkg/status";
  return p;
}

Package app(std::string ecosystem, std::string name, std::string version, std::string project) {
  Package p;
  p.ecosystem = std::move(ecosystem);
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = p.name;
  p.source_version = p.version;
  p.project = std::move(project);
  p.origin = p.ecosystem == "npm" ? "npm" : "composer";
  p.location = "/srv/" + p.project + "/lock";
  return p;
}

class CorrelatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Store::open(testing::temp_dir("state"));
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
  }

  void feed(const std::string& name, const std::vector<Advisory>& advisories,
            const std::vector<KevEntry>& kev = {}, const std::vector<EpssScore>& epss = {}) {
    auto r = store::FeedRefresh::begin(db(), name, "osv");
    ASSERT_OK(r);
    for (const auto& a : advisories) ASSERT_OK(r->add_advisory(a, feeds::to_osv_json(a)));
    for (const auto& k : kev) ASSERT_OK(r->add_kev(k));
    for (const auto& e : epss) ASSERT_OK(r->add_epss(e));
    ASSERT_OK(r->commit({}));
  }

  Correlation run(const std::vector<Package>& packages) {
    auto c = correlate(db(), packages, "web-1");
    EXPECT_OK(c);
    return c ? std::move(*c) : Correlation{};
  }

  static std::vector<std::string> ids(const Correlation& c) {
    std::vector<std::string> out;
    for (const auto& f : c.findings) out.push_back(f.package.name + " " + f.vulnerability);
    return out;
  }

  store::Database& db() { return store_->database(); }
  std::optional<store::Store> store_;
};

TEST_F(CorrelatorTest, DebianMatchesBySourcePackageAndSourceVersion) {
  // libssl3 is built from openssl; the tracker publishes fixes for the source package.
  feed("tracker",
       {advisory("CVE-2024-0001", "Debian:12", "openssl", {fixed_range("0", "3.0.13-1~deb12u1")})});
  auto c = run({deb("libssl3", "3.0.11-1~deb12u2", "openssl"), deb("openssl", "3.0.11-1~deb12u2")});
  ASSERT_THAT(ids(c), ElementsAre("libssl3 CVE-2024-0001", "openssl CVE-2024-0001"));
  EXPECT_EQ(c.findings[0].fixed_version, "3.0.13-1~deb12u1");
  EXPECT_EQ(c.findings[0].fix_status, FixStatus::fixed);
  EXPECT_EQ(c.findings[0].host, "web-1");
}

TEST_F(CorrelatorTest, BinNmuIsComparedByItsSourceVersion) {
  // A binNMU "+b1" of the source version 1.2-3 is still 1.2-3 from the tracker's point of view:
  // fixed in 1.2-3 means this build has the fix.
  feed("tracker", {advisory("CVE-2024-0002", "Debian:12", "zlib", {fixed_range("0", "1.2-3")})});
  auto c = run({deb("zlib1g", "1:1.2-3+b1", "zlib", "1.2-3")});
  EXPECT_THAT(ids(c), IsEmpty());
}

TEST_F(CorrelatorTest, SecurityUploadsAndBackportsPastTheFixAreNotFindings) {
  feed("tracker",
       {advisory("CVE-2024-0003", "Debian:12", "curl", {fixed_range("0", "7.88.1-10+deb12u5")})});
  // +deb12u10 sorts after +deb12u5 (dpkg compares the digit runs as numbers), and the backport
  // 8.5.0-2~bpo12+1 is a later upstream version, so both are past the fix; +deb12u4 is not.
  auto c = run({deb("curl", "7.88.1-10+deb12u10"), deb("libcurl4", "8.5.0-2~bpo12+1", "curl"),
                deb("libcurl3-gnutls", "7.88.1-10+deb12u4", "curl")});
  EXPECT_THAT(ids(c), ElementsAre("libcurl3-gnutls CVE-2024-0003"));
}

TEST_F(CorrelatorTest, ReleaseOfTheAdvisoryMustBeTheHosts) {
  // A bullseye fix says nothing about bookworm; an advisory without a release applies to all.
  feed("tracker", {advisory("CVE-2024-0004", "Debian:11", "bash", {fixed_range("0", "9.9-1")}),
                   advisory("CVE-2024-0005", "Debian", "bash", {fixed_range("0", "5.2.15-2+b3")})});
  auto c = run({deb("bash", "5.2.15-2+b2", "bash", "5.2.15-2+b2")});
  EXPECT_THAT(ids(c), ElementsAre("bash CVE-2024-0005"));
}

TEST_F(CorrelatorTest, UnfixedStatusesAreKept) {
  Advisory a = advisory("CVE-2016-1585", "Debian:12", "apparmor",
                        {Range{Range::Type::ecosystem, {{RangeEvent::Kind::introduced, "0"}}}});
  a.affected[0].fix_status = FixStatus::no_dsa;
  a.severity.push_back(Severity{"urgency", "low", std::nullopt});
  feed("tracker", {a});
  auto c = run({deb("libapparmor1", "3.0.8-3", "apparmor")});
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].fix_status, FixStatus::no_dsa);
  EXPECT_FALSE(c.findings[0].fix_available());
  EXPECT_EQ(c.findings[0].severity, SeverityLevel::low);
}

TEST_F(CorrelatorTest, WithdrawnAdvisoriesAreIgnored) {
  Advisory a = advisory("GHSA-wwww-wwww-wwww", "npm", "lodash", {fixed_range("0", "4.17.21")});
  a.withdrawn = "2024-01-01T00:00:00Z";
  feed("osv", {a});
  EXPECT_THAT(ids(run({app("npm", "lodash", "4.17.20", "shop")})), IsEmpty());
}

TEST_F(CorrelatorTest, LastAffectedAndLimitBoundaries) {
  Advisory last = advisory("GHSA-llll-llll-llll", "npm", "left-pad",
                           {Range{Range::Type::semver,
                                  {{RangeEvent::Kind::introduced, "1.0.0"},
                                   {RangeEvent::Kind::last_affected, "1.3.0"}}}});
  Advisory limit = advisory("GHSA-mmmm-mmmm-mmmm", "npm", "right-pad",
                            {Range{Range::Type::semver,
                                   {{RangeEvent::Kind::introduced, "0"},
                                    {RangeEvent::Kind::fixed, "2.0.1"},
                                    {RangeEvent::Kind::limit, "2.0.0"}}}});
  feed("osv", {last, limit});
  auto c = run({app("npm", "left-pad", "1.3.0", "a"), app("npm", "left-pad", "1.3.1", "b"),
                app("npm", "right-pad", "1.9.9", "c"), app("npm", "right-pad", "2.0.0", "d")});
  // 1.3.0 is the last affected version; 1.3.1 is past it. The limit 2.0.0 ends the range before
  // the fix, so 2.0.0 itself is outside.
  EXPECT_THAT(ids(c), ElementsAre("left-pad GHSA-llll-llll-llll", "right-pad GHSA-mmmm-mmmm-mmmm"));
  EXPECT_EQ(c.findings[0].project, "a");
  EXPECT_EQ(c.findings[0].fix_status, FixStatus::unfixed);
  EXPECT_EQ(c.findings[1].project, "c");
}

TEST_F(CorrelatorTest, AnotherEcosystemsPackageOfTheSameNameDoesNotMatch) {
  feed("osv", {advisory("GHSA-pppp-pppp-pppp", "PyPI", "requests", {fixed_range("0", "9.0")})});
  EXPECT_THAT(ids(run({app("npm", "requests", "1.0.0", "shop")})), IsEmpty());
}

TEST_F(CorrelatorTest, ComposerNativeRangesAndCaseInsensitiveNames) {
  Advisory a = advisory("CVE-2020-15094", "Packagist", "symfony/http-kernel", {});
  a.affected[0].native_ranges = {">=4.4.0,<4.4.13", ">=5.0.0,<5.1.5"};
  a.affected[0].fix_status = FixStatus::fixed;
  feed("friendsofphp", {a});
  auto c = run({app("Packagist", "Symfony/HTTP-Kernel", "v4.4.12", "shop"),
                app("Packagist", "symfony/http-kernel", "5.1.5", "blog")});
  ASSERT_THAT(ids(c), ElementsAre("Symfony/HTTP-Kernel CVE-2020-15094"));
  // The branch 4.4 is fixed by 4.4.13; the 5.x fix is irrelevant to a 4.4 install.
  EXPECT_EQ(c.findings[0].fixed_version, "4.4.13");
}

TEST_F(CorrelatorTest, PypiNamesCompareAsPep503SaysInTheIndexAndTheRecord) {
  // The record spells the project one way, two lockfiles two other ways: all one project.
  feed("osv-pypi", {advisory("PYSEC-2021-1", "PyPI", "Zope.Interface", {fixed_range("0", "5.0")})});
  auto c = run({app("PyPI", "zope-interface", "4.7.2", "api"),
                app("PyPI", "ZOPE_interface", "4.7.2", "worker"),
                app("PyPI", "zopeinterface", "4.7.2", "other")});
  EXPECT_THAT(ids(c),
              UnorderedElementsAre("zope-interface PYSEC-2021-1", "ZOPE_interface PYSEC-2021-1"));
}

TEST_F(CorrelatorTest, ApplicationEcosystemsCompareByTheirOwnOrdering) {
  // One record per ecosystem, fixed at a version whose ordering is the ecosystem's own: PEP 440
  // (a post release is past the fix's release), Go and crates.io SemVer (a pre-release sorts
  // before its release), RubyGems (".a" is a pre-release), Maven ("-SNAPSHOT" before release).
  feed("osv-apps",
       {advisory("PYSEC-1", "PyPI", "django", {fixed_range("0", "3.2.1")}),
        advisory(
            "GO-1", "Go", "golang.org/x/net",
            {Range{Range::Type::semver,
                   {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, "0.17.0"}}}}),
        advisory(
            "RUSTSEC-1", "crates.io", "hyper",
            {Range{Range::Type::semver,
                   {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, "0.14.10"}}}}),
        advisory("GHSA-gem", "RubyGems", "nokogiri", {fixed_range("0", "1.13.4")}),
        advisory("GHSA-mvn", "Maven", "org.apache.logging.log4j:log4j-core",
                 {fixed_range("0", "2.17.1")})});
  auto c =
      run({app("PyPI", "Django", "3.2.1.post1", "a"), app("PyPI", "Django", "3.2", "b"),
           app("Go", "golang.org/x/net", "0.17.0-rc.1", "c"),
           app("Go", "golang.org/x/net", "0.17.0", "d"), app("crates.io", "hyper", "0.14.9", "e"),
           app("crates.io", "hyper", "0.14.10", "f"), app("RubyGems", "nokogiri", "1.13.4.a", "g"),
           app("RubyGems", "nokogiri", "1.13.4", "h"),
           app("Maven", "org.apache.logging.log4j:log4j-core", "2.17.1-SNAPSHOT", "i"),
           app("Maven", "org.apache.logging.log4j:log4j-core", "2.17.1", "j")});
  std::vector<std::string> hit;
  for (const auto& f : c.findings) hit.push_back(f.package.project + " " + f.vulnerability);
  EXPECT_THAT(
      hit, UnorderedElementsAre("b PYSEC-1", "c GO-1", "e RUSTSEC-1", "g GHSA-gem", "i GHSA-mvn"));
  EXPECT_TRUE(c.problems.empty());
}

TEST_F(CorrelatorTest, RecordsOfOneVulnerabilityMergeIntoOneFindingNamedByItsCve) {
  feed("osv", {advisory("GHSA-aaaa-aaaa-aaaa", "npm", "axios", {fixed_range("0", "0.21.2")},
                        {"CVE-2021-3749"})});
  Advisory other = advisory("NSWG-ECO-1", "npm", "axios", {fixed_range("0", "0.21.3")});
  other.aliases = {"CVE-2021-3749"};
  other.severity.push_back(
      Severity{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5});
  feed("nodejs", {other},
       {KevEntry{"CVE-2021-3749", "", "", "", "2024-01-01", "2024-01-22", true, ""}},
       {EpssScore{"CVE-2021-3749", 0.42, 0.97, "2024-01-02"}});
  auto c = run({app("npm", "axios", "0.21.1", "shop")});
  ASSERT_EQ(c.findings.size(), 1u);
  const Finding& f = c.findings[0];
  EXPECT_EQ(f.vulnerability, "CVE-2021-3749");
  EXPECT_THAT(f.aliases, ElementsAre("GHSA-aaaa-aaaa-aaaa", "NSWG-ECO-1"));
  EXPECT_THAT(f.advisories, ElementsAre("GHSA-aaaa-aaaa-aaaa", "NSWG-ECO-1"));
  // The feeds disagree on the fix: only the higher version fixes both.
  EXPECT_EQ(f.fixed_version, "0.21.3");
  EXPECT_EQ(f.cvss.value_or(0), 7.5);
  EXPECT_EQ(f.severity, SeverityLevel::high);
  EXPECT_TRUE(f.kev);
  EXPECT_TRUE(f.kev_ransomware);
  EXPECT_EQ(f.kev_due_date, "2024-01-22");
  EXPECT_EQ(f.epss.value_or(0), 0.42);
}

// NVD's scores, as an nvd feed stores them: the preferred metric first.
void scores(store::Database& db, const std::vector<std::pair<std::string, CvssMetric>>& rows) {
  auto r = store::FeedRefresh::begin(db, "nvd", "nvd");
  ASSERT_OK(r);
  for (const auto& [cve, metric] : rows) {
    CvssMetric cna = metric;
    cna.source = "cna@example.org";
    cna.type = "Secondary";
    cna.base_score = 1.0;  // a later row, never the one a finding takes
    ASSERT_OK(r->add_scores(CveScores{cve, "Analyzed", "2024-02-14T20:15:46.330", {metric, cna}}));
  }
  ASSERT_OK(r->commit({}));
}

CvssMetric nvd_metric(double score, std::string vector) {
  return CvssMetric{"3.1", "nvd@nist.gov", "Primary", score, std::move(vector), ""};
}

TEST_F(CorrelatorTest, AFindingWithoutAScoreOfItsOwnTakesNvdsAndItsSeverity) {
  Advisory unscored =
      advisory("CVE-2024-0001", "Debian:12", "openssl", {fixed_range("0", "3.0.14-1")});
  unscored.severity.push_back(Severity{"urgency", "not yet assigned", std::nullopt});
  Advisory low = advisory("CVE-2024-0002", "Debian:12", "openssl", {fixed_range("0", "3.0.14-1")});
  low.severity.push_back(Severity{"urgency", "low", std::nullopt});
  Advisory scored =
      advisory("CVE-2024-0003", "Debian:12", "openssl", {fixed_range("0", "3.0.14-1")});
  scored.severity.push_back(
      Severity{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3});
  feed("tracker", {unscored, low, scored});
  scores(db(),
         {{"CVE-2024-0001", nvd_metric(9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")},
          {"CVE-2024-0002", nvd_metric(7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")},
          {"CVE-2024-0003", nvd_metric(9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")}});
  auto c = run({deb("openssl", "3.0.11-1~deb12u2")});
  ASSERT_EQ(c.findings.size(), 3u);
  const Finding& a = c.findings[0];
  EXPECT_EQ(a.vulnerability, "CVE-2024-0001");
  EXPECT_EQ(a.cvss.value_or(0), 9.8);
  EXPECT_EQ(a.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_EQ(a.cvss_source, "nvd");
  EXPECT_EQ(a.severity, SeverityLevel::critical);
  // A label below NVD's rating does not lower it: the higher of the two counts, as for a
  // record's own score.
  const Finding& b = c.findings[1];
  EXPECT_EQ(b.cvss.value_or(0), 7.5);
  EXPECT_EQ(b.cvss_source, "nvd");
  EXPECT_EQ(b.severity, SeverityLevel::high);
  // The record's own score wins over NVD's higher one.
  const Finding& s = c.findings[2];
  EXPECT_EQ(s.cvss.value_or(0), 5.3);
  EXPECT_EQ(s.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N");
  EXPECT_EQ(s.cvss_source, "");
  EXPECT_EQ(s.severity, SeverityLevel::medium);
}

TEST_F(CorrelatorTest, AnUnscoredFindingOfSeveralCvesTakesTheHighestNvdScore) {
  feed("osv", {advisory("GHSA-bbbb-bbbb-bbbb", "npm", "left-pad", {fixed_range("0", "1.3.1")},
                        {"CVE-2024-1111", "CVE-2024-2222"})});
  scores(db(),
         {{"CVE-2024-1111", nvd_metric(5.3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")},
          {"CVE-2024-2222", nvd_metric(7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")}});
  auto c = run({app("npm", "left-pad", "1.3.0", "shop"), app("npm", "right-pad", "1.0.0", "shop")});
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].cvss.value_or(0), 7.5);
  EXPECT_EQ(c.findings[0].cvss_source, "nvd");
  EXPECT_EQ(c.findings[0].severity, SeverityLevel::high);
}

TEST_F(CorrelatorTest, WithoutAnNvdScoreAFindingStaysUnscored) {
  feed("osv", {advisory("GHSA-cccc-cccc-cccc", "npm", "left-pad", {fixed_range("0", "1.3.1")},
                        {"CVE-2024-3333"})});
  scores(db(),
         {{"CVE-2024-4444", nvd_metric(9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")}});
  auto c = run({app("npm", "left-pad", "1.3.0", "shop")});
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_FALSE(c.findings[0].cvss.has_value());
  EXPECT_EQ(c.findings[0].cvss_source, "");
  EXPECT_EQ(c.findings[0].severity, SeverityLevel::unknown);
}

TEST_F(CorrelatorTest, AnUnparsableVersionIsAProblemNotASilentMiss) {
  feed("tracker",
       {advisory("CVE-2024-0006", "Debian:12", "tar", {fixed_range("0", "1.34+dfsg-1.2")})});
  auto c = run({deb("tar", "not a version!")});
  EXPECT_THAT(c.findings, IsEmpty());
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].package, "tar");
  EXPECT_EQ(c.problems[0].advisory, "CVE-2024-0006");
  EXPECT_THAT(c.problems[0].message, HasSubstr("not a version!"));
}

TEST_F(CorrelatorTest, EachCopyOfANestedNpmPackageIsItsOwnFinding) {
  feed("osv", {advisory("GHSA-93q8-gq69-wqmw", "npm", "ansi-regex",
                        {fixed_range("4.0.0", "4.1.1"), fixed_range("5.0.0", "5.0.1")})});
  Package a = app("npm", "ansi-regex", "4.1.0", "shop");
  a.location = "node_modules/ansi-regex";
  Package b = app("npm", "ansi-regex", "5.0.0", "shop");
  b.location = "node_modules/strip-ansi/node_modules/ansi-regex";
  auto c = run({a, b});
  ASSERT_EQ(c.findings.size(), 2u);
  EXPECT_EQ(c.findings[0].fixed_version, "4.1.1");
  EXPECT_EQ(c.findings[1].fixed_version, "5.0.1");
}

}  // namespace
}  // namespace patchparty::correlate
