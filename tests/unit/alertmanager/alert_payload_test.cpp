// The body of POST /api/v2/alerts: what a finding becomes, parsed back with RapidJSON.
#include "exporters/alertmanager/alert_payload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace patchparty::exporters {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kFirstSeen = 1795687200;  // 2026-11-26T10:00:00Z

Finding kev_finding() {
  Finding f;
  f.host = "web-1";
  f.package.ecosystem = "Debian:11";
  f.package.name = "policykit-1";
  f.package.version = "0.105-31";
  f.vulnerability = "CVE-2021-4034";
  f.aliases = {"DSA-5059-1"};
  f.fixed_version = "0.105-31+deb11u1";
  f.severity = SeverityLevel::high;
  f.cvss = 7.8;
  f.kev = true;
  f.kev_due_date = "2022-07-18";
  f.risk = 55.25;
  f.summary = "pkexec local privilege escalation";
  f.first_seen = kFirstSeen;
  f.last_seen = kFirstSeen + 60;
  return f;
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

TEST(AlertPayload, FindingBecomesLabelsAndAnnotations) {
  const Alert a = vulnerability_alert(kev_finding(), "kev");
  const std::vector<Alert> alerts{a};
  auto d = parse(alerts_json(alerts));
  ASSERT_TRUE(d.IsArray());
  ASSERT_EQ(d.Size(), 1u);
  const auto& o = d[0];
  const auto& labels = o["labels"];
  EXPECT_EQ(labels.MemberCount(), 6u) << "no project label for a host package";
  EXPECT_EQ(str(labels["alertname"]), "PatchPartyVulnerability");
  EXPECT_EQ(str(labels["severity"]), "high");
  EXPECT_EQ(str(labels["host"]), "web-1");
  EXPECT_EQ(str(labels["package"]), "policykit-1");
  EXPECT_EQ(str(labels["vulnerability"]), "CVE-2021-4034");
  EXPECT_EQ(str(labels["ecosystem"]), "Debian:11");
  const auto& ann = o["annotations"];
  EXPECT_EQ(str(ann["summary"]), "CVE-2021-4034 in policykit-1 0.105-31 on web-1");
  EXPECT_THAT(str(ann["description"]), HasSubstr("pkexec local privilege escalation"));
  EXPECT_THAT(str(ann["description"]), HasSubstr("Listed in CISA KEV, due 2022-07-18"));
  EXPECT_THAT(str(ann["description"]), HasSubstr("Fix: upgrade to 0.105-31+deb11u1."));
  EXPECT_THAT(str(ann["description"]), HasSubstr("CVSS 7.8, risk 55.2/100"));
  EXPECT_EQ(str(ann["fixed_version"]), "0.105-31+deb11u1");
  EXPECT_EQ(str(ann["installed_version"]), "0.105-31");
  EXPECT_EQ(str(ann["reason"]), "kev");
  EXPECT_EQ(str(ann["links"]), "https://nvd.nist.gov/vuln/detail/CVE-2021-4034");
  EXPECT_EQ(str(o["startsAt"]), "2026-11-26T10:00:00Z");
  EXPECT_FALSE(o.HasMember("endsAt")) << "an open finding is firing";
  EXPECT_FALSE(o.HasMember("generatorURL"));
}

TEST(AlertPayload, ResolvedFindingHasEndsAt) {
  Finding f = kev_finding();
  f.resolved_at = kFirstSeen + 3600;
  const std::vector<Alert> alerts{vulnerability_alert(f, "kev")};
  auto d = parse(alerts_json(alerts));
  EXPECT_EQ(str(d[0]["endsAt"]), "2026-11-26T11:00:00Z");
}

TEST(AlertPayload, ProjectsAreDifferentAlerts) {
  Finding a = kev_finding();
  a.project = "shop";
  a.package.ecosystem = "npm";
  Finding b = a;
  b.project = "blog";
  const Alert x = vulnerability_alert(a, "kev"), y = vulnerability_alert(b, "kev");
  EXPECT_EQ(x.labels.at("project"), "shop");
  EXPECT_NE(x.key(), y.key());
  EXPECT_EQ(x.annotations.at("summary"), "CVE-2021-4034 in policykit-1 0.105-31 on shop on web-1");
  Finding c = kev_finding();  // the host's own package of the same name
  EXPECT_NE(vulnerability_alert(c, "kev").key(), x.key());
}

TEST(AlertPayload, ReferencesBecomeLinks) {
  Finding f = kev_finding();
  for (int i = 0; i < 8; ++i) f.references.push_back("https://example.org/" + std::to_string(i));
  const Alert a = vulnerability_alert(f, "kev");
  EXPECT_EQ(a.annotations.at("links"),
            "https://example.org/0\nhttps://example.org/1\nhttps://example.org/2\n"
            "https://example.org/3\nhttps://example.org/4");
}

TEST(AlertPayload, AdvisoryLinkFromTheId) {
  EXPECT_EQ(advisory_link("GHSA-whgm-jr23-g3j9"),
            "https://github.com/advisories/GHSA-whgm-jr23-g3j9");
  EXPECT_EQ(advisory_link("DSA-5059-1"), "https://security-tracker.debian.org/tracker/DSA-5059-1");
  EXPECT_EQ(advisory_link("MAL-2024-1"), "https://osv.dev/vulnerability/MAL-2024-1");
}

TEST(AlertPayload, LabelValuesAreSanitisedAndBounded) {
  EXPECT_EQ(sanitize_value("a\tb\nc\x01\x7f"
                           "d",
                           100, false),
            "a b cd");
  EXPECT_EQ(sanitize_value("a\nb", 100, true), "a\nb");
  EXPECT_EQ(sanitize_value("caf\xC3\xA9", 100, false), "caf\xC3\xA9");
  EXPECT_EQ(sanitize_value("x\xFFy", 100, false), "x\xEF\xBF\xBDy") << "invalid byte: U+FFFD";
  EXPECT_EQ(sanitize_value("\xC2\x85", 100, false), "") << "C1 control (NEL)";
  // Cut at a character boundary: the two-byte é does not fit in 4 bytes after "caf".
  EXPECT_EQ(sanitize_value("caf\xC3\xA9", 4, false), "caf");

  Alert a;
  a.labels["alertname"] = "Test";
  a.labels["package"] = std::string(1000, 'p') + "\x1b[31m";
  a.labels["bad-name"] = "dropped";
  a.labels["empty"] = "";
  a.annotations["description"] = std::string(10000, 'd');
  const std::vector<Alert> alerts{a};
  auto d = parse(alerts_json(alerts));
  const auto& labels = d[0]["labels"];
  EXPECT_EQ(labels.MemberCount(), 2u);
  EXPECT_EQ(labels["package"].GetStringLength(), kMaxLabelValueBytes);
  EXPECT_EQ(d[0]["annotations"]["description"].GetStringLength(), kMaxAnnotationBytes);
  EXPECT_FALSE(d[0].HasMember("startsAt")) << "0: Alertmanager uses the time it received it";
}

TEST(AlertPayload, LabelNames) {
  EXPECT_TRUE(valid_label_name("alertname"));
  EXPECT_TRUE(valid_label_name("_x9"));
  EXPECT_FALSE(valid_label_name("9x"));
  EXPECT_FALSE(valid_label_name("a-b"));
  EXPECT_FALSE(valid_label_name(""));
}

TEST(AlertPayload, GeneratorUrlOnlyWhenSet) {
  Alert a;
  a.labels["alertname"] = "PatchPartyRollback";
  a.generator_url = "http://web-1:9877/";
  a.ends_at = kFirstSeen;
  const std::vector<Alert> alerts{a};
  auto d = parse(alerts_json(alerts));
  EXPECT_EQ(str(d[0]["generatorURL"]), "http://web-1:9877/");
  EXPECT_EQ(str(d[0]["endsAt"]), "2026-11-26T10:00:00Z");
}

}  // namespace
}  // namespace patchparty::exporters
