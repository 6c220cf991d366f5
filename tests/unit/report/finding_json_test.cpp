#include "core/report/finding_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace patchparty::exporters {
namespace {

constexpr std::int64_t kFirstSeen = 1764000000;  // 2025-11-24T16:00:00Z

// Every field set, with values whose rounding shows.
Finding full_finding() {
  Finding f;
  f.host = "web-1";
  f.project = "shop";
  f.package = Package{.ecosystem = "Packagist",
                      .name = "twig/twig",
                      .version = "3.5.0",
                      .source_name = "twig-src",
                      .source_version = "3.5.0-src",
                      .arch = "noarch",
                      .origin = "composer",
                      .project = "shop",
                      .location = "/srv/shop/composer.lock",
                      .dev = true,
                      .optional = true};
  f.vulnerability = "CVE-2024-45411";
  f.aliases = {"GHSA-6j75-5wfj-gh66"};
  f.advisories = {"GHSA-6j75-5wfj-gh66", "PKSA-1"};
  f.feeds = {"osv", "friendsofphp"};
  f.fixed_version = "3.14.0";
  f.fix_status = FixStatus::fixed;
  f.severity = SeverityLevel::high;
  f.cvss = 7.456;
  f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
  f.epss = 0.0123456;
  f.epss_percentile = 0.8765432;
  f.kev = true;
  f.kev_ransomware = true;
  f.kev_due_date = "2026-12-01";
  f.risk = 81.23456;
  f.summary = "Twig sandbox bypass";
  f.references = {"https://github.com/advisories/GHSA-6j75-5wfj-gh66"};
  f.first_seen = kFirstSeen;
  f.last_seen = kFirstSeen + 3600;
  f.resolved_at = kFirstSeen + 7200;
  f.suppression = SuppressionMatch{"suppressions.yml:4", "not reachable",
                                   "not_affected",       "vulnerable_code_not_in_execute_path",
                                   kFirstSeen + 86400,   true};
  return f;
}

// Every optional field empty or absent.
Finding bare_finding() {
  Finding f;
  f.host = "web-1";
  f.package.ecosystem = "Debian:12";
  f.package.name = "libwebp7";
  f.package.version = "1.2.4-0.2";
  f.vulnerability = "CVE-2023-4863";
  f.fix_status = FixStatus::no_dsa;
  f.first_seen = kFirstSeen;
  f.last_seen = kFirstSeen;
  return f;
}

rapidjson::Document written(const Finding& f, FindingJsonForm form) {
  JsonOut j;
  write_finding(j, f, form);
  const std::string text = j.finish();
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  EXPECT_TRUE(d.IsObject()) << text;
  return d;
}

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

std::vector<std::string> strs(const rapidjson::Value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.GetArray()) out.push_back(str(s));
  return out;
}

TEST(FindingJson, ReportFormWritesEveryField) {
  const Finding f = full_finding();
  const auto d = written(f, FindingJsonForm::report);
  EXPECT_EQ(d.MemberCount(), 21u);
  EXPECT_EQ(str(d["host"]), "web-1");
  EXPECT_EQ(str(d["project"]), "shop");
  const auto& p = d["package"];
  EXPECT_EQ(p.MemberCount(), 9u);
  EXPECT_EQ(str(p["name"]), "twig/twig");
  EXPECT_EQ(str(p["source"]), "twig-src");
  EXPECT_EQ(str(p["source_version"]), "3.5.0-src");
  EXPECT_EQ(str(p["ecosystem"]), "Packagist");
  EXPECT_EQ(str(p["installed"]), "3.5.0");
  EXPECT_EQ(str(p["arch"]), "noarch");
  EXPECT_EQ(str(p["origin"]), "composer");
  EXPECT_EQ(str(p["location"]), "/srv/shop/composer.lock");
  EXPECT_TRUE(p["dev"].GetBool());
  EXPECT_EQ(str(d["vulnerability"]), "CVE-2024-45411");
  EXPECT_EQ(strs(d["aliases"]), f.aliases);
  EXPECT_EQ(strs(d["advisories"]), f.advisories);
  EXPECT_EQ(strs(d["feeds"]), f.feeds);
  EXPECT_EQ(str(d["summary"]), "Twig sandbox bypass");
  EXPECT_EQ(strs(d["references"]), f.references);
  EXPECT_EQ(str(d["fixed_version"]), "3.14.0");
  EXPECT_EQ(str(d["fix_status"]), "fixed");
  EXPECT_EQ(str(d["severity"]), "high");
  EXPECT_DOUBLE_EQ(d["cvss"]["score"].GetDouble(), 7.5);
  EXPECT_EQ(str(d["cvss"]["vector"]), f.cvss_vector);
  EXPECT_DOUBLE_EQ(d["epss"]["probability"].GetDouble(), 0.01235);
  EXPECT_DOUBLE_EQ(d["epss"]["percentile"].GetDouble(), 0.87654);
  EXPECT_TRUE(d["kev"]["listed"].GetBool());
  EXPECT_TRUE(d["kev"]["ransomware"].GetBool());
  EXPECT_EQ(str(d["kev"]["due_date"]), "2026-12-01");
  EXPECT_DOUBLE_EQ(d["risk"].GetDouble(), 81.23);
  // An expired suppression is shown, but the finding counts as active again.
  EXPECT_FALSE(d["suppressed"].GetBool());
  const auto& s = d["suppression"];
  EXPECT_EQ(str(s["rule"]), "suppressions.yml:4");
  EXPECT_EQ(str(s["reason"]), "not reachable");
  EXPECT_EQ(str(s["vex_status"]), "not_affected");
  EXPECT_EQ(str(s["vex_justification"]), "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(str(s["expires"]), "2025-11-25T16:00:00Z");
  EXPECT_TRUE(s["expired"].GetBool());
  EXPECT_EQ(str(d["first_seen"]), "2025-11-24T16:00:00Z");
  EXPECT_EQ(str(d["last_seen"]), "2025-11-24T17:00:00Z");
  EXPECT_EQ(str(d["resolved_at"]), "2025-11-24T18:00:00Z");
}

TEST(FindingJson, ReportFormWritesEmptyOptionalsAsNull) {
  const auto d = written(bare_finding(), FindingJsonForm::report);
  EXPECT_EQ(d.MemberCount(), 21u);
  EXPECT_TRUE(d["project"].IsNull());
  const auto& p = d["package"];
  EXPECT_EQ(str(p["source"]), "libwebp7");  // no source package: the binary is its own
  EXPECT_TRUE(p["source_version"].IsNull());
  EXPECT_TRUE(p["arch"].IsNull());
  EXPECT_TRUE(p["origin"].IsNull());
  EXPECT_TRUE(p["location"].IsNull());
  EXPECT_FALSE(p["dev"].GetBool());
  EXPECT_TRUE(d["aliases"].GetArray().Empty());
  EXPECT_TRUE(d["advisories"].GetArray().Empty());
  EXPECT_TRUE(d["feeds"].GetArray().Empty());
  EXPECT_TRUE(d["summary"].IsNull());
  EXPECT_TRUE(d["references"].GetArray().Empty());
  EXPECT_TRUE(d["fixed_version"].IsNull());
  EXPECT_EQ(str(d["fix_status"]), "no-dsa");
  EXPECT_EQ(str(d["severity"]), "unknown");
  EXPECT_TRUE(d["cvss"].IsNull());
  EXPECT_TRUE(d["epss"].IsNull());
  EXPECT_FALSE(d["kev"]["listed"].GetBool());
  EXPECT_FALSE(d["kev"]["ransomware"].GetBool());
  EXPECT_TRUE(d["kev"]["due_date"].IsNull());
  EXPECT_DOUBLE_EQ(d["risk"].GetDouble(), 0);
  EXPECT_FALSE(d["suppressed"].GetBool());
  EXPECT_TRUE(d["suppression"].IsNull());
  EXPECT_TRUE(d["resolved_at"].IsNull());
}

TEST(FindingJson, ReportFormKeepsCvssWithoutVectorAndEpssWithoutPercentile) {
  Finding f = bare_finding();
  f.cvss = 9.8;
  f.epss = 0.5;
  const auto d = written(f, FindingJsonForm::report);
  EXPECT_DOUBLE_EQ(d["cvss"]["score"].GetDouble(), 9.8);
  EXPECT_TRUE(d["cvss"]["vector"].IsNull());
  EXPECT_DOUBLE_EQ(d["epss"]["probability"].GetDouble(), 0.5);
  EXPECT_TRUE(d["epss"]["percentile"].IsNull());
}

TEST(FindingJson, InvalidUtf8BecomesReplacementCharacter) {
  Finding f = bare_finding();
  f.summary = "heap overflow in \xC3 decoder \xFF";
  const auto d = written(f, FindingJsonForm::report);
  EXPECT_EQ(str(d["summary"]), "heap overflow in \xEF\xBF\xBD decoder \xEF\xBF\xBD");
}

TEST(FindingJson, BacklogSuppressedFormIsFlat) {
  Finding f = full_finding();
  f.suppression->expired = false;
  const auto d = written(f, FindingJsonForm::backlog_suppressed);
  EXPECT_EQ(d.MemberCount(), 15u);
  EXPECT_EQ(str(d["host"]), "web-1");
  EXPECT_EQ(str(d["project"]), "shop");
  EXPECT_EQ(str(d["ecosystem"]), "Packagist");
  EXPECT_EQ(str(d["package"]), "twig/twig");
  EXPECT_EQ(str(d["installed"]), "3.5.0");
  EXPECT_EQ(str(d["vulnerability"]), "CVE-2024-45411");
  EXPECT_EQ(str(d["severity"]), "high");
  EXPECT_DOUBLE_EQ(d["risk"].GetDouble(), 81.23);
  EXPECT_TRUE(d["kev"].GetBool());
  EXPECT_EQ(str(d["rule"]), "suppressions.yml:4");
  EXPECT_EQ(str(d["reason"]), "not reachable");
  EXPECT_EQ(str(d["vex_status"]), "not_affected");
  EXPECT_EQ(str(d["vex_justification"]), "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(str(d["expires"]), "2025-11-25T16:00:00Z");
  EXPECT_EQ(str(d["first_seen"]), "2025-11-24T16:00:00Z");

  const auto bare = written(bare_finding(), FindingJsonForm::backlog_suppressed);
  EXPECT_EQ(bare.MemberCount(), 15u);
  for (const char* k : {"project", "rule", "reason", "vex_status", "vex_justification", "expires"})
    EXPECT_TRUE(bare[k].IsNull()) << k;
}

TEST(FindingJson, SarifPropertiesLeaveOutWhatIsEmpty) {
  const auto d = written(full_finding(), FindingJsonForm::sarif_properties);
  EXPECT_EQ(d.MemberCount(), 8u);
  EXPECT_EQ(str(d["host"]), "web-1");
  EXPECT_EQ(str(d["project"]), "shop");
  EXPECT_EQ(str(d["package"]), "twig/twig");
  EXPECT_EQ(str(d["installedVersion"]), "3.5.0");
  EXPECT_EQ(str(d["fixedVersion"]), "3.14.0");
  EXPECT_EQ(str(d["fixStatus"]), "fixed");
  EXPECT_DOUBLE_EQ(d["risk"].GetDouble(), 81.23);
  EXPECT_TRUE(d["kev"].GetBool());

  const auto bare = written(bare_finding(), FindingJsonForm::sarif_properties);
  EXPECT_EQ(bare.MemberCount(), 6u);
  EXPECT_FALSE(bare.HasMember("project"));
  EXPECT_FALSE(bare.HasMember("fixedVersion"));
}

}  // namespace
}  // namespace patchparty::exporters
