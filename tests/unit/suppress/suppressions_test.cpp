#include "core/suppress/suppressions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/suppress/timestamp.h"
#include "tests/support/test_data.h"

namespace patchparty::suppress {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1795687200;  // 2026-11-26T10:00:00Z

Finding openssl_finding() {
  Finding f;
  f.host = "web1";
  f.package.ecosystem = "Debian:12";
  f.package.origin = "dpkg";
  f.package.name = "libssl3";
  f.package.source_name = "openssl";
  f.package.version = f.package.source_version = "3.0.11-1~deb12u1";
  f.package.arch = "amd64";
  f.vulnerability = "CVE-2023-1234";
  f.aliases = {"DSA-5532-1", "GHSA-aaaa-bbbb-cccc"};
  return f;
}

Finding kernel_finding(std::string project) {
  Finding f;
  f.project = project;
  f.package.project = project;
  f.package.ecosystem = "Packagist";
  f.package.origin = "composer";
  f.package.name = f.package.source_name = "symfony/http-kernel";
  f.package.version = f.package.source_version = "v4.4.12";
  f.vulnerability = "CVE-2020-15094";
  f.aliases = {"GHSA-754h-5r27-7x3r"};
  return f;
}

Suppressions from_yaml(std::string_view yaml) {
  auto rules = parse_suppressions_yaml(yaml, "s.yml");
  EXPECT_TRUE(rules.has_value()) << rules.error().to_string();
  Suppressions s;
  if (rules) s.add_rules(std::move(*rules));
  return s;
}

std::string vex_doc(std::string_view statements) {
  return R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
             "author": "Ops", "timestamp": "2026-11-01T09:00:00Z", "version": 1,
             "statements": [)" +
         std::string(statements) + "]}";
}

Suppressions from_vex(std::string_view statements) {
  auto parsed = parse_openvex(vex_doc(statements), "v.json");
  EXPECT_TRUE(parsed.has_value()) << parsed.error().to_string();
  Suppressions s;
  if (parsed) s.add_statements(std::move(*parsed));
  return s;
}

// ---- YAML rules ----

TEST(Suppressions, MatchesTheVulnerabilityId) {
  auto s = from_yaml("suppressions:\n  - {id: CVE-2023-1234, reason: accepted}\n");
  auto m = s.match(openssl_finding(), kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rule, "s.yml:2");
  EXPECT_EQ(m->reason, "accepted");
  EXPECT_FALSE(m->expired);
  EXPECT_EQ(m->expires, std::nullopt);
}

TEST(Suppressions, MatchesAnyAliasWithoutRegardToCase) {
  for (const char* id : {"DSA-5532-1", "ghsa-aaaa-bbbb-cccc", "cve-2023-1234"}) {
    auto s = from_yaml(std::string("suppressions:\n  - {id: ") + id + ", reason: r}\n");
    EXPECT_TRUE(s.match(openssl_finding(), kNow)) << id;
  }
  auto other = from_yaml("suppressions:\n  - {id: CVE-2023-12345, reason: r}\n");
  EXPECT_FALSE(other.match(openssl_finding(), kNow));
}

TEST(Suppressions, PackageFilterTakesNameOrSourceName) {
  for (const char* package : {"openssl", "libssl3"}) {
    auto s = from_yaml(std::string("suppressions:\n  - {id: CVE-2023-1234, package: ") + package +
                       ", reason: r}\n");
    EXPECT_TRUE(s.match(openssl_finding(), kNow)) << package;
  }
  auto s = from_yaml("suppressions:\n  - {id: CVE-2023-1234, package: gnutls28, reason: r}\n");
  EXPECT_FALSE(s.match(openssl_finding(), kNow));
}

TEST(Suppressions, ProjectFilter) {
  Finding host = openssl_finding();
  host.vulnerability = "CVE-2020-15094";
  host.aliases.clear();
  const Finding shop = kernel_finding("shop");
  const Finding blog = kernel_finding("blog");

  auto any = from_yaml("suppressions:\n  - {id: CVE-2020-15094, reason: r}\n");
  EXPECT_TRUE(any.match(host, kNow));
  EXPECT_TRUE(any.match(shop, kNow));
  auto empty = from_yaml("suppressions:\n  - {id: CVE-2020-15094, project: '', reason: r}\n");
  EXPECT_TRUE(empty.match(host, kNow));
  EXPECT_TRUE(empty.match(shop, kNow));

  auto only_shop = from_yaml("suppressions:\n  - {id: CVE-2020-15094, project: shop, reason: r}\n");
  EXPECT_FALSE(only_shop.match(host, kNow));
  EXPECT_TRUE(only_shop.match(shop, kNow));
  EXPECT_FALSE(only_shop.match(blog, kNow));

  auto host_only =
      from_yaml("suppressions:\n  - {id: CVE-2020-15094, project: (host), reason: r}\n");
  EXPECT_TRUE(host_only.match(host, kNow));
  EXPECT_FALSE(host_only.match(shop, kNow));
}

TEST(Suppressions, VersionFilterIsTheExactInstalledVersion) {
  auto s =
      from_yaml("suppressions:\n  - {id: CVE-2023-1234, version: 3.0.11-1~deb12u1, reason: r}\n");
  Finding f = openssl_finding();
  EXPECT_TRUE(s.match(f, kNow));
  f.package.version = "3.0.11-1~deb12u2";
  EXPECT_FALSE(s.match(f, kNow));
}

TEST(Suppressions, ExpiresAtTheEndOfTheDayUtc) {
  auto s = from_yaml("suppressions:\n  - {id: CVE-2023-1234, reason: r, expires: 2026-11-26}\n");
  const std::int64_t midnight = *parse_rfc3339("2026-11-27T00:00:00Z");
  auto before = s.match(openssl_finding(), midnight - 1);
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->expired);
  EXPECT_EQ(before->expires, midnight);
  auto at = s.match(openssl_finding(), midnight);
  ASSERT_TRUE(at);
  EXPECT_TRUE(at->expired);
  EXPECT_EQ(at->expires, midnight);
}

TEST(Suppressions, CarriesTheVexWordsOfARule) {
  auto s = from_yaml(R"(suppressions:
  - id: CVE-2023-1234
    reason: r
    vex_status: not_affected
    vex_justification: vulnerable_code_not_in_execute_path
)");
  auto m = s.match(openssl_finding(), kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->vex_status, "not_affected");
  EXPECT_EQ(m->vex_justification, "vulnerable_code_not_in_execute_path");
}

// ---- precedence ----

TEST(Suppressions, PrefersALiveRuleOverAnExpiredOne) {
  auto s = from_yaml(R"(suppressions:
  - {id: CVE-2023-1234, reason: old, expires: 2026-01-31}
  - {id: CVE-2023-1234, reason: renewed, expires: 2027-01-31}
)");
  auto m = s.match(openssl_finding(), kNow);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->expired);
  EXPECT_EQ(m->reason, "renewed");
  EXPECT_EQ(m->rule, "s.yml:3");
}

TEST(Suppressions, AmongExpiredRulesNamesTheLastToExpire) {
  auto s = from_yaml(R"(suppressions:
  - {id: CVE-2023-1234, reason: first, expires: 2026-03-31}
  - {id: CVE-2023-1234, reason: second, expires: 2026-06-30}
  - {id: CVE-2023-1234, reason: third, expires: 2026-01-31}
)");
  auto m = s.match(openssl_finding(), kNow);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->expired);
  EXPECT_EQ(m->reason, "second");
}

TEST(Suppressions, TheFirstLiveRuleWins) {
  auto s = from_yaml(R"(suppressions:
  - {id: CVE-2023-1234, package: openssl, reason: specific}
  - {id: CVE-2023-1234, reason: general}
)");
  EXPECT_EQ(s.match(openssl_finding(), kNow)->reason, "specific");
}

TEST(Suppressions, ALiveVexStatementBeatsAnExpiredRule) {
  Suppressions s = from_vex(R"({"vulnerability": {"name": "CVE-2023-1234"},
    "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "not_affected",
    "justification": "component_not_present"})");
  auto rules = parse_suppressions_yaml(
      "suppressions:\n  - {id: CVE-2023-1234, reason: old, expires: 2026-01-31}\n", "s.yml");
  ASSERT_OK(rules);
  s.add_rules(std::move(*rules));
  auto m = s.match(openssl_finding(), kNow);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->expired);
  EXPECT_EQ(m->rule, "v.json:statements[0]");
}

TEST(Suppressions, ALiveRuleComesBeforeVex) {
  Suppressions s = from_vex(R"({"vulnerability": {"name": "CVE-2023-1234"},
    "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"})");
  auto rules =
      parse_suppressions_yaml("suppressions:\n  - {id: CVE-2023-1234, reason: ours}\n", "s.yml");
  ASSERT_OK(rules);
  s.add_rules(std::move(*rules));
  EXPECT_EQ(s.match(openssl_finding(), kNow)->reason, "ours");
}

// ---- OpenVEX ----

TEST(Suppressions, VexNotAffectedAndFixedSuppress) {
  for (const char* status : {"fixed", "not_affected"}) {
    Suppressions s = from_vex(std::string(R"({"@id": "https://example.com/vex/1#a",
      "vulnerability": {"name": "CVE-2023-1234"},
      "products": [{"@id": "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64"}],
      "status": ")") + status +
                              R"(", "impact_statement": "not reachable"})");
    auto m = s.match(openssl_finding(), kNow);
    ASSERT_TRUE(m) << status;
    EXPECT_EQ(m->rule, "https://example.com/vex/1#a");
    EXPECT_EQ(m->reason, "not reachable");
    EXPECT_EQ(m->vex_status, status);
    EXPECT_FALSE(m->expired);
    EXPECT_FALSE(s.note(openssl_finding()));
  }
}

TEST(Suppressions, VexAffectedAndUnderInvestigationAreNotesOnly) {
  Suppressions s = from_vex(R"(
    {"vulnerability": {"name": "CVE-2023-1234"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
     "status": "affected", "action_statement": "upgrade to 3.0.13"},
    {"vulnerability": {"name": "CVE-2020-15094"},
     "products": [{"@id": "pkg:composer/symfony/http-kernel"}],
     "status": "under_investigation", "status_notes": "checking the fragment renderer"})");
  EXPECT_FALSE(s.match(openssl_finding(), kNow));
  auto n = s.note(openssl_finding());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->status, "affected");
  EXPECT_EQ(n->text, "upgrade to 3.0.13");
  EXPECT_EQ(n->rule, "v.json:statements[0]");
  EXPECT_FALSE(s.match(kernel_finding("shop"), kNow));
  EXPECT_EQ(s.note(kernel_finding("shop"))->text, "checking the fragment renderer");
}

TEST(Suppressions, VexMatchesByAliasOnEitherSide) {
  // The statement names the GHSA; the finding is keyed by the CVE.
  Suppressions by_name = from_vex(R"({"vulnerability": {"name": "GHSA-754h-5r27-7x3r"},
    "products": [{"@id": "pkg:composer/symfony/http-kernel@4.4.12"}], "status": "fixed"})");
  EXPECT_TRUE(by_name.match(kernel_finding("shop"), kNow));
  // The statement lists the finding's id among its aliases.
  Suppressions by_alias = from_vex(R"({"vulnerability": {"name": "SYMFONY-2020-01",
    "aliases": ["CVE-2020-15094"]},
    "products": [{"@id": "pkg:composer/symfony/http-kernel@4.4.12"}], "status": "fixed"})");
  EXPECT_TRUE(by_alias.match(kernel_finding("shop"), kNow));
}

TEST(Suppressions, VexProductMustNameThePackageAndVersion) {
  auto matches = [](std::string_view purl) {
    Suppressions s = from_vex(R"({"vulnerability": {"name": "CVE-2023-1234"},
      "products": [{"@id": ")" +
                              std::string(purl) + R"("}], "status": "fixed"})");
    return s.match(openssl_finding(), kNow).has_value();
  };
  EXPECT_TRUE(matches("pkg:deb/debian/openssl"));
  EXPECT_TRUE(matches("pkg:deb/debian/libssl3@3.0.11-1~deb12u1"));
  EXPECT_FALSE(matches("pkg:deb/debian/openssl@3.0.10-1~deb12u1"));
  EXPECT_FALSE(matches("pkg:deb/debian/openssl?arch=arm64"));
  EXPECT_FALSE(matches("pkg:npm/openssl"));
  EXPECT_FALSE(matches("pkg:deb/debian/gnutls28"));
}

TEST(Suppressions, VexSubcomponentsNamePackagesToo) {
  Suppressions s = from_vex(R"({"vulnerability": {"name": "CVE-2020-15094"},
    "products": [{"@id": "https://example.com/images/shop",
                  "subcomponents": [{"@id": "pkg:composer/symfony/http-kernel@v4.4.12"}]}],
    "status": "not_affected", "justification": "vulnerable_code_not_present"})");
  auto m = s.match(kernel_finding("shop"), kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "VEX not_affected: vulnerable_code_not_present");
  EXPECT_EQ(m->vex_justification, "vulnerable_code_not_present");
}

TEST(Suppressions, ALaterVexStatementOverridesAnEarlierOne) {
  // not_affected in October, affected in November: the finding is back, with a note.
  Suppressions s = from_vex(R"(
    {"vulnerability": {"name": "CVE-2023-1234"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
     "status": "affected", "action_statement": "upgrade", "timestamp": "2026-11-10T00:00:00Z"},
    {"vulnerability": {"name": "CVE-2023-1234"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
     "status": "not_affected", "justification": "component_not_present",
     "timestamp": "2026-10-01T00:00:00Z"})");
  EXPECT_FALSE(s.match(openssl_finding(), kNow));
  EXPECT_EQ(s.note(openssl_finding())->status, "affected");

  // At equal timestamps the later statement is the later word.
  Suppressions same_time = from_vex(R"(
    {"vulnerability": {"name": "CVE-2023-1234"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
     "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-2023-1234"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
     "status": "fixed"})");
  EXPECT_TRUE(same_time.match(openssl_finding(), kNow));
}

TEST(Suppressions, NothingMatchesAnUnrelatedFinding) {
  Suppressions s = from_vex(R"({"vulnerability": {"name": "CVE-2023-1234"},
    "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"})");
  EXPECT_FALSE(s.match(kernel_finding("shop"), kNow));
  EXPECT_FALSE(s.note(kernel_finding("shop")));
  EXPECT_FALSE(Suppressions{}.match(openssl_finding(), kNow));
}

// ---- loading ----

void write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary) << text;
}

TEST(LoadSuppressions, PicksTheFormatByExtensionThenContent) {
  const auto dir = testing::temp_dir("load");
  write(dir / "rules.yml", "suppressions:\n  - {id: CVE-2020-15094, reason: r}\n");
  write(dir / "vendor.json", vex_doc(R"({"vulnerability": {"name": "CVE-2023-1234"},
                    "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"})"));
  write(dir / "vendor.vex", vex_doc(R"({"vulnerability": {"name": "CVE-2023-9999"},
                    "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"})"));
  write(dir / "more-rules", "suppressions: []\n");
  const std::vector<std::filesystem::path> files = {dir / "rules.yml", dir / "vendor.json",
                                                    dir / "vendor.vex", dir / "more-rules"};
  auto s = load_suppressions(files);
  ASSERT_OK(s);
  EXPECT_EQ(s->rule_count(), 1u);
  EXPECT_EQ(s->statement_count(), 2u);
  EXPECT_TRUE(s->match(openssl_finding(), kNow));
  EXPECT_TRUE(s->match(kernel_finding("shop"), kNow));
  std::filesystem::remove_all(dir);
}

TEST(LoadSuppressions, ABadFileIsInvalidArgumentNamingIt) {
  const auto dir = testing::temp_dir("bad");
  write(dir / "bad.yml", "suppressions:\n  - id: CVE-1\n");
  write(dir / "bad.json", "{");
  write(dir / "yaml-as-json.json", "suppressions: []\n");
  for (const char* name : {"bad.yml", "bad.json", "yaml-as-json.json", "missing.yml"}) {
    const std::vector<std::filesystem::path> files = {dir / name};
    auto s = load_suppressions(files);
    EXPECT_ERRC(s, Errc::invalid_argument);
    if (!s) {
      EXPECT_THAT(s.error().message, HasSubstr((dir / name).string())) << name;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(LoadSuppressions, NoFilesIsNoSuppressions) {
  auto s = load_suppressions({});
  ASSERT_OK(s);
  EXPECT_EQ(s->rule_count() + s->statement_count(), 0u);
}

TEST(LoadSuppressions, TheExampleFileLoads) {
  const std::vector<std::filesystem::path> files = {std::filesystem::path(PP_SOURCE_DIR) /
                                                    "config/suppressions.example.yml"};
  auto s = load_suppressions(files);
  ASSERT_OK(s);
  EXPECT_EQ(s->rule_count(), 3u);
  // Its first rule covers openssl on the host until the end of 2027-01-31.
  Finding f = openssl_finding();
  auto m = s->match(f, kNow);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->vex_justification, "vulnerable_code_not_in_execute_path");
  EXPECT_TRUE(s->match(f, *parse_rfc3339("2027-02-01T00:00:00Z"))->expired);
}

}  // namespace
}  // namespace patchparty::suppress
