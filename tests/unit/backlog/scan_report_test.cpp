#include "exporters/backlog/scan_report.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>

#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::exporters {
namespace {

using testing::kNow;

ScanInfo scan_info() {
  ScanInfo info;
  info.host = "web-1";
  info.scanned_at = kNow;
  info.tool_version = "0.1.0";
  info.project_roots = {{"shop", "/srv/shop/"}};
  return info;
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

bool has_string(const rapidjson::Value& obj, const char* key) {
  return obj.IsObject() && obj.HasMember(key) && obj[key].IsString() &&
         obj[key].GetStringLength() > 0;
}

TEST(FindingsJson, ListsEveryFindingWithEveryField) {
  auto findings = testing::sample_findings();
  findings[0].resolved_at = kNow - 60;
  const auto d = parse(findings_json(findings, scan_info()));
  EXPECT_STREQ(d["schema"].GetString(), "patchparty.findings/v1");
  EXPECT_STREQ(d["scanned_at"].GetString(), "2026-11-26T10:00:00Z");
  ASSERT_EQ(d["findings"].Size(), findings.size());
  EXPECT_EQ(d["count"].GetInt(), static_cast<int>(findings.size()));

  const rapidjson::Value* webp = nullptr;
  const rapidjson::Value* twig = nullptr;
  const rapidjson::Value* zlib = nullptr;
  for (const auto& f : d["findings"].GetArray()) {
    const std::string name = f["package"]["name"].GetString();
    if (name == "libwebp7") webp = &f;
    if (name == "twig/twig") twig = &f;
    if (name == "zlib1g") zlib = &f;
  }
  ASSERT_TRUE(webp && twig && zlib);
  const auto& w = *webp;
  EXPECT_STREQ(w["host"].GetString(), "web-1");
  EXPECT_TRUE(w["project"].IsNull());
  EXPECT_STREQ(w["package"]["source"].GetString(), "libwebp");
  EXPECT_STREQ(w["package"]["ecosystem"].GetString(), "Debian:12");
  EXPECT_STREQ(w["package"]["installed"].GetString(), "1.2.4-0.2");
  EXPECT_STREQ(w["package"]["location"].GetString(), "/var/lib/dpkg/status");
  EXPECT_STREQ(w["vulnerability"].GetString(), "CVE-2023-4863");
  EXPECT_EQ(w["aliases"].Size(), 2u);
  EXPECT_EQ(w["advisories"].Size(), 2u);
  EXPECT_STREQ(w["fixed_version"].GetString(), "1.2.4-0.2+deb12u1");
  EXPECT_STREQ(w["fix_status"].GetString(), "fixed");
  EXPECT_STREQ(w["severity"].GetString(), "high");
  EXPECT_DOUBLE_EQ(w["cvss"]["score"].GetDouble(), 8.8);
  EXPECT_STREQ(w["cvss"]["vector"].GetString(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
  EXPECT_DOUBLE_EQ(w["epss"]["probability"].GetDouble(), 0.93762);
  EXPECT_DOUBLE_EQ(w["epss"]["percentile"].GetDouble(), 0.99853);
  EXPECT_TRUE(w["kev"]["listed"].GetBool());
  EXPECT_FALSE(w["kev"]["ransomware"].GetBool());
  EXPECT_STREQ(w["kev"]["due_date"].GetString(), "2023-10-04");
  EXPECT_DOUBLE_EQ(w["risk"].GetDouble(), 95.2);
  EXPECT_FALSE(w["suppressed"].GetBool());
  EXPECT_TRUE(w["suppression"].IsNull());
  EXPECT_STREQ(w["first_seen"].GetString(), "2026-11-18T06:00:00Z");
  EXPECT_STREQ(w["last_seen"].GetString(), "2026-11-26T09:00:00Z");
  EXPECT_STREQ(w["resolved_at"].GetString(), "2026-11-26T09:59:00Z");

  const auto& t = *twig;
  EXPECT_TRUE(t["suppressed"].GetBool());
  EXPECT_STREQ(t["suppression"]["rule"].GetString(), "suppressions.yml:12");
  EXPECT_STREQ(t["suppression"]["reason"].GetString(), "the shop does not use the sandbox");
  EXPECT_STREQ(t["suppression"]["expires"].GetString(), "2027-01-31T00:00:00Z");
  EXPECT_FALSE(t["suppression"]["expired"].GetBool());
  EXPECT_TRUE(t["epss"].IsNull());

  EXPECT_TRUE((*zlib)["fixed_version"].IsNull());
  EXPECT_STREQ((*zlib)["fix_status"].GetString(), "ignored");
}

// What GitHub's "SARIF support for code scanning" lists as required or used for display:
// $schema, version, runs[].tool.driver.name, rules[] with id, shortDescription.text,
// fullDescription.text, help.text and security-severity; results[] with ruleId, message.text,
// locations[].physicalLocation.artifactLocation.uri and region.startLine, partialFingerprints.
TEST(FindingsSarif, HasEveryPropertyGitHubCodeScanningRequires) {
  auto findings = testing::sample_findings();
  findings[0].resolved_at = kNow - 60;  // resolved: no result
  const auto d = parse(findings_sarif(findings, scan_info()));

  EXPECT_STREQ(d["$schema"].GetString(), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_STREQ(d["version"].GetString(), "2.1.0");
  ASSERT_TRUE(d["runs"].IsArray());
  ASSERT_EQ(d["runs"].Size(), 1u);
  const auto& run = d["runs"][0];
  const auto& driver = run["tool"]["driver"];
  EXPECT_STREQ(driver["name"].GetString(), "patchparty");
  EXPECT_TRUE(has_string(driver, "version"));
  EXPECT_TRUE(has_string(driver, "informationUri"));

  const auto& rules = driver["rules"];
  ASSERT_TRUE(rules.IsArray());
  std::set<std::string> rule_ids;
  for (const auto& r : rules.GetArray()) {
    ASSERT_TRUE(has_string(r, "id"));
    EXPECT_TRUE(rule_ids.insert(r["id"].GetString()).second) << "duplicate rule";
    EXPECT_TRUE(has_string(r["shortDescription"], "text"));
    EXPECT_LE(r["shortDescription"]["text"].GetStringLength(), 1024u);
    EXPECT_TRUE(has_string(r["fullDescription"], "text"));
    EXPECT_TRUE(has_string(r, "helpUri"));
    EXPECT_EQ(std::string(r["helpUri"].GetString()).rfind("https://", 0), 0u);
    EXPECT_TRUE(has_string(r["help"], "text"));
    EXPECT_TRUE(has_string(r["help"], "markdown"));
    const auto& props = r["properties"];
    ASSERT_TRUE(has_string(props, "security-severity")) << r["id"].GetString();
    const double score = std::stod(props["security-severity"].GetString());
    EXPECT_GE(score, 0.0);
    EXPECT_LE(score, 10.0);
    ASSERT_TRUE(props["tags"].IsArray());
    EXPECT_STREQ(props["tags"][0].GetString(), "security");
  }
  // Every vulnerability with an unresolved finding, once.
  EXPECT_EQ(rule_ids, (std::set<std::string>{"CVE-2020-8203", "CVE-2021-23337", "CVE-2022-24894",
                                             "CVE-2023-4863", "CVE-2023-45853", "CVE-2024-2398",
                                             "CVE-2024-45411", "CVE-2024-5535", "CVE-2024-9143",
                                             "CVE-2025-23419"}));

  const auto& results = run["results"];
  ASSERT_TRUE(results.IsArray());
  EXPECT_EQ(results.Size(), findings.size() - 1);
  std::set<std::string> fingerprints;
  for (const auto& res : results.GetArray()) {
    ASSERT_TRUE(has_string(res, "ruleId"));
    const auto index = res["ruleIndex"].GetUint();
    ASSERT_LT(index, rules.Size());
    EXPECT_STREQ(rules[index]["id"].GetString(), res["ruleId"].GetString());
    const std::string level = res["level"].GetString();
    EXPECT_TRUE(level == "error" || level == "warning" || level == "note") << level;
    EXPECT_TRUE(has_string(res["message"], "text"));
    ASSERT_TRUE(res["locations"].IsArray());
    ASSERT_GE(res["locations"].Size(), 1u);
    const auto& phys = res["locations"][0]["physicalLocation"];
    EXPECT_TRUE(has_string(phys["artifactLocation"], "uri"));
    EXPECT_EQ(phys["region"]["startLine"].GetInt(), 1);
    ASSERT_TRUE(res["partialFingerprints"].IsObject());
    ASSERT_EQ(res["partialFingerprints"].MemberCount(), 1u);
    fingerprints.insert(res["partialFingerprints"].MemberBegin()->value.GetString());
  }
  EXPECT_EQ(fingerprints.size(), results.Size()) << "fingerprints must tell results apart";
}

TEST(FindingsSarif, LevelsMessagesAndSuppressions) {
  const auto d = parse(findings_sarif(testing::sample_findings(), scan_info()));
  const auto& results = d["runs"][0]["results"];
  int suppressed = 0;
  for (const auto& res : results.GetArray()) {
    const std::string id = res["ruleId"].GetString();
    const std::string text = res["message"]["text"].GetString();
    if (id == "CVE-2024-5535" && text.starts_with("openssl ")) {
      EXPECT_EQ(text,
                "openssl 3.0.11-1~deb12u2 is affected by CVE-2024-5535; upgrade to >= "
                "3.0.14-1~deb12u1 [host web-1]");
      EXPECT_STREQ(res["level"].GetString(), "error");
    }
    if (id == "CVE-2024-5535" && text.starts_with("libssl3 ")) {
      EXPECT_NE(text.find("(source openssl)"), std::string::npos);
    }
    if (id == "CVE-2024-9143") {
      EXPECT_STREQ(res["level"].GetString(), "warning");
    }
    if (id == "CVE-2023-45853") {
      EXPECT_NE(text.find("no fixed version yet (ignored)"), std::string::npos) << text;
    }
    if (res.HasMember("suppressions")) {
      ++suppressed;
      EXPECT_EQ(id, "CVE-2024-45411");
      EXPECT_STREQ(res["suppressions"][0]["kind"].GetString(), "external");
      EXPECT_STREQ(res["suppressions"][0]["justification"].GetString(),
                   "the shop does not use the sandbox (suppressions.yml:12)");
    }
  }
  EXPECT_EQ(suppressed, 1);  // the expired curl suppression does not count
}

TEST(FindingsSarif, SecuritySeverityFromCvssOrTheSeverityBand) {
  auto f = testing::make_finding(testing::debian_package("foo", "foo", "1"), "CVE-1", "2",
                                 SeverityLevel::critical, 1, kNow);
  auto d = parse(findings_sarif(std::vector<Finding>{f}, scan_info()));
  EXPECT_STREQ(
      d["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"].GetString(),
      "9.0");
  f.cvss = 9.75;
  d = parse(findings_sarif(std::vector<Finding>{f}, scan_info()));
  EXPECT_STREQ(
      d["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"].GetString(),
      "9.8");
  f.cvss.reset();
  f.severity = SeverityLevel::unknown;
  d = parse(findings_sarif(std::vector<Finding>{f}, scan_info()));
  const auto& rule = d["runs"][0]["tool"]["driver"]["rules"][0];
  EXPECT_FALSE(rule["properties"].HasMember("security-severity"));
  EXPECT_STREQ(rule["helpUri"].GetString(), "https://osv.dev/vulnerability/CVE-1");
  EXPECT_STREQ(d["runs"][0]["results"][0]["level"].GetString(), "note");
}

TEST(FindingsSarif, ArtifactUris) {
  const ScanInfo info = scan_info();
  auto host = testing::make_finding(testing::debian_package("foo", "foo", "1"), "CVE-1", "2",
                                    SeverityLevel::low, 1, kNow);
  EXPECT_EQ(sarif_artifact_uri(host, info), "/var/lib/dpkg/status");
  host.package.location.clear();
  EXPECT_EQ(sarif_artifact_uri(host, info), "/var/lib/dpkg/status");
  host.package.origin = "rpm";
  EXPECT_EQ(sarif_artifact_uri(host, info), "/var/lib/rpm/rpmdb.sqlite");

  auto composer = testing::make_finding(testing::app_package("Packagist", "shop", "a/b", "1.0",
                                                             "composer", "/srv/shop/composer.lock"),
                                        "CVE-1", "2", SeverityLevel::low, 1, kNow);
  EXPECT_EQ(sarif_artifact_uri(composer, info), "composer.lock");
  composer.project = "other";  // no root known: the path as recorded
  EXPECT_EQ(sarif_artifact_uri(composer, info), "/srv/shop/composer.lock");
  composer.package.location = "/srv/my shop/composer.lock";
  EXPECT_EQ(sarif_artifact_uri(composer, info), "/srv/my%20shop/composer.lock");

  auto npm =
      testing::make_finding(testing::app_package("npm", "storefront", "lodash", "4.17.15", "npm",
                                                 "node_modules/a/node_modules/lodash"),
                            "CVE-1", "2", SeverityLevel::low, 1, kNow);
  EXPECT_EQ(sarif_artifact_uri(npm, info), "package-lock.json");
}

TEST(FindingsSarif, FingerprintsAreStableAndIgnoreTheInstalledVersion) {
  auto f = testing::make_finding(testing::debian_package("foo", "foo", "1"), "CVE-1", "2",
                                 SeverityLevel::low, 1, kNow);
  const std::string fp = finding_fingerprint(f);
  EXPECT_EQ(fp.size(), 16u);
  f.package.version = "1.1";  // a partial upgrade is still the same alert
  f.risk = 80;
  EXPECT_EQ(finding_fingerprint(f), fp);
  auto g = f;
  g.vulnerability = "CVE-2";
  EXPECT_NE(finding_fingerprint(g), fp);
  g = f;
  g.host = "web-2";
  EXPECT_NE(finding_fingerprint(g), fp);
  g = f;
  g.project = "x";
  EXPECT_NE(finding_fingerprint(g), fp);
}

}  // namespace
}  // namespace patchparty::exporters
