#include "core/report/finding_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace patchparty::exporters {
namespace {

constexpr std::int64_t kFirstSeen = 1764000000;  // 2025-11-24T16:00:00Z

// Every field set, with numbers whose rounding shows.
Finding full_finding() {
  return Finding{
      .host = "web-1",
      .project = "shop",
      .package = {.ecosystem = "Packagist",
                  .name = "twig/twig",
                  .version = "3.5.0",
                  .source_name = "twig-src",
                  .source_version = "3.5.0-src",
                  .arch = "noarch",
                  .origin = "composer",
                  .project = "shop",
                  .location = "/srv/shop/composer.lock",
                  .dev = true,
                  .optional = true},
      .vulnerability = "CVE-2024-45411",
      .aliases = {"GHSA-6j75-5wfj-gh66"},
      .advisories = {"GHSA-6j75-5wfj-gh66", "PKSA-1"},
      .feeds = {"osv", "friendsofphp"},
      .fixed_version = "3.14.0",
      .fix_status = FixStatus::fixed,
      .severity = SeverityLevel::high,
      .cvss = 7.456,
      .cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
      .epss = 0.0123456,
      .epss_percentile = 0.8765432,
      .kev = true,
      .kev_ransomware = true,
      .kev_due_date = "2026-12-01",
      .risk = 81.23456,
      .summary = "Twig sandbox bypass",
      .references = {"https://github.com/advisories/GHSA-6j75-5wfj-gh66"},
      .first_seen = kFirstSeen,
      .last_seen = kFirstSeen + 3600,
      .resolved_at = kFirstSeen + 7200,
      .suppression = SuppressionMatch{.rule = "suppressions.yml:4",
                                      .reason = "not reachable",
                                      .vex_status = "not_affected",
                                      .vex_justification = "vulnerable_code_not_in_execute_path",
                                      .expires = kFirstSeen + 86400,
                                      .expired = true}};
}

// Every optional field empty or absent.
Finding bare_finding() {
  return Finding{.host = "web-1",
                 .package = {.ecosystem = "Debian:12", .name = "libwebp7", .version = "1.2.4-0.2"},
                 .vulnerability = "CVE-2023-4863",
                 .fix_status = FixStatus::no_dsa,
                 .first_seen = kFirstSeen,
                 .last_seen = kFirstSeen};
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

std::vector<std::string> strings(const rapidjson::Value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.GetArray()) out.emplace_back(s.GetString(), s.GetStringLength());
  return out;
}

// The value at a JSON pointer ("/package/name"); a missing one fails by its name.
const rapidjson::Value& at(const rapidjson::Value& d, const char* pointer) {
  static const rapidjson::Value kMissing;
  const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(d);
  EXPECT_NE(v, nullptr) << pointer;
  return v ? *v : kMissing;
}

void expect_strings(const rapidjson::Value& d,
                    std::initializer_list<std::pair<const char*, std::string>> want) {
  for (const auto& [k, v] : want) {
    const auto& got = at(d, k);
    ASSERT_TRUE(got.IsString()) << k;
    EXPECT_EQ(std::string(got.GetString(), got.GetStringLength()), v) << k;
  }
}
void expect_numbers(const rapidjson::Value& d,
                    std::initializer_list<std::pair<const char*, double>> want) {
  for (const auto& [k, v] : want) {
    ASSERT_TRUE(at(d, k).IsNumber()) << k;
    EXPECT_DOUBLE_EQ(at(d, k).GetDouble(), v) << k;
  }
}
void expect_flags(const rapidjson::Value& d,
                  std::initializer_list<std::pair<const char*, bool>> want) {
  for (const auto& [k, v] : want) {
    ASSERT_TRUE(at(d, k).IsBool()) << k;
    EXPECT_EQ(at(d, k).GetBool(), v) << k;
  }
}
void expect_nulls(const rapidjson::Value& d, std::initializer_list<const char*> pointers) {
  for (const char* k : pointers) EXPECT_TRUE(at(d, k).IsNull()) << k;
}

TEST(FindingJson, ReportFormWritesEveryField) {
  const Finding f = full_finding();
  const auto d = written(f, FindingJsonForm::report);
  EXPECT_EQ(d.MemberCount(), 23u);
  EXPECT_EQ(d["package"].MemberCount(), 11u);
  // An application's package has no distribution to come from or not.
  expect_nulls(d, {"/origin", "/origin_note", "/package/supplier", "/package/supplier_newest"});
  expect_strings(d, {{"/host", "web-1"},
                     {"/project", "shop"},
                     {"/package/name", "twig/twig"},
                     {"/package/source", "twig-src"},
                     {"/package/source_version", "3.5.0-src"},
                     {"/package/ecosystem", "Packagist"},
                     {"/package/installed", "3.5.0"},
                     {"/package/arch", "noarch"},
                     {"/package/origin", "composer"},
                     {"/package/location", "/srv/shop/composer.lock"},
                     {"/vulnerability", "CVE-2024-45411"},
                     {"/summary", "Twig sandbox bypass"},
                     {"/fixed_version", "3.14.0"},
                     {"/fix_status", "fixed"},
                     {"/severity", "high"},
                     {"/cvss/vector", f.cvss_vector},
                     {"/cvss/source", "advisory"},
                     {"/kev/due_date", "2026-12-01"},
                     {"/suppression/rule", "suppressions.yml:4"},
                     {"/suppression/reason", "not reachable"},
                     {"/suppression/vex_status", "not_affected"},
                     {"/suppression/vex_justification", "vulnerable_code_not_in_execute_path"},
                     {"/suppression/expires", "2025-11-25T16:00:00Z"},
                     {"/first_seen", "2025-11-24T16:00:00Z"},
                     {"/last_seen", "2025-11-24T17:00:00Z"},
                     {"/resolved_at", "2025-11-24T18:00:00Z"}});
  EXPECT_EQ(strings(d["aliases"]), f.aliases);
  EXPECT_EQ(strings(d["advisories"]), f.advisories);
  EXPECT_EQ(strings(d["feeds"]), f.feeds);
  EXPECT_EQ(strings(d["references"]), f.references);
  expect_numbers(d, {{"/cvss/score", 7.5},
                     {"/epss/probability", 0.01235},
                     {"/epss/percentile", 0.87654},
                     {"/risk", 81.23}});
  // An expired suppression is shown, but the finding counts as active again.
  expect_flags(d, {{"/package/dev", true},
                   {"/kev/listed", true},
                   {"/kev/ransomware", true},
                   {"/suppressed", false},
                   {"/suppression/expired", true}});
}

// A finding whose records carry no score shows NVD's, and says so.
TEST(FindingJson, ReportFormNamesWhereTheScoreComesFrom) {
  Finding f = bare_finding();
  f.cvss = 9.8;
  f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  f.cvss_source = "nvd";
  const auto d = written(f, FindingJsonForm::report);
  EXPECT_EQ(d["cvss"].MemberCount(), 3u);
  expect_strings(d, {{"/cvss/source", "nvd"}, {"/cvss/vector", f.cvss_vector}});
  expect_numbers(d, {{"/cvss/score", 9.8}});
}

TEST(FindingJson, ReportFormWritesEmptyOptionalsAsNull) {
  const auto d = written(bare_finding(), FindingJsonForm::report);
  EXPECT_EQ(d.MemberCount(), 23u);
  expect_nulls(d, {"/project", "/package/source_version", "/package/arch", "/package/origin",
                   "/package/location", "/package/supplier", "/package/supplier_newest",
                   "/origin_note", "/summary", "/fixed_version", "/cvss", "/epss", "/kev/due_date",
                   "/suppression", "/resolved_at"});
  // Without a source package the binary is its own source; a host package whose supplier is
  // unknown is taken as the distribution's.
  expect_strings(d, {{"/package/source", "libwebp7"},
                     {"/fix_status", "no-dsa"},
                     {"/severity", "unknown"},
                     {"/origin", "distribution"}});
  for (const char* k : {"aliases", "advisories", "feeds", "references"})
    EXPECT_TRUE(d[k].IsArray() && d[k].Empty()) << k;
  expect_numbers(d, {{"/risk", 0}});
  expect_flags(d, {{"/package/dev", false},
                   {"/kev/listed", false},
                   {"/kev/ransomware", false},
                   {"/suppressed", false}});
}

TEST(FindingJson, ThirdPartyPackageSaysWhereItComesFromAndWhyTheFixIsNoPromise) {
  Finding f = bare_finding();
  f.package.name = "nginx";
  f.package.version = "1.26.2-1~bookworm";
  f.package.supplier = "nginx";
  f.package.third_party = true;
  f.package.supplier_newest = "1.26.3-1~bookworm";
  f.fixed_version = "1.22.1-9+deb12u1";
  const auto d = written(f, FindingJsonForm::report);
  expect_strings(d, {{"/origin", "third-party"},
                     {"/package/supplier", "nginx"},
                     {"/package/supplier_newest", "1.26.3-1~bookworm"},
                     {"/fixed_version", "1.22.1-9+deb12u1"},
                     {"/origin_note",
                      "nginx 1.26.2-1~bookworm comes from nginx, not from the distribution: the "
                      "distribution's fix 1.22.1-9+deb12u1 is for its own build; check nginx's "
                      "advisories (nginx offers 1.26.3-1~bookworm)"}});
  // The distribution's own build, found in its lists: named, and no note.
  f.package.third_party = false;
  f.package.supplier = "Debian";
  const auto own = written(f, FindingJsonForm::report);
  expect_strings(own, {{"/origin", "distribution"}, {"/package/supplier", "Debian"}});
  expect_nulls(own, {"/origin_note"});
}

TEST(FindingJson, ReportFormKeepsCvssWithoutVectorAndEpssWithoutPercentile) {
  Finding f = bare_finding();
  f.cvss = 9.8;
  f.epss = 0.5;
  const auto d = written(f, FindingJsonForm::report);
  expect_numbers(d, {{"/cvss/score", 9.8}, {"/epss/probability", 0.5}});
  expect_nulls(d, {"/cvss/vector", "/epss/percentile"});
}

TEST(FindingJson, InvalidUtf8BecomesReplacementCharacter) {
  Finding f = bare_finding();
  f.summary = "heap overflow in \xC3 decoder \xFF";
  const auto d = written(f, FindingJsonForm::report);
  expect_strings(d, {{"/summary", "heap overflow in \xEF\xBF\xBD decoder \xEF\xBF\xBD"}});
}

using FieldMap = std::initializer_list<std::pair<const char*, const char*>>;

// Each field of another form says what the report form says at a JSON pointer. Where the report
// has null, a form that leaves empty values out has no such field.
void expect_same_as_report(const Finding& f, FindingJsonForm form, FieldMap fields,
                           bool null_left_out) {
  const auto report = written(f, FindingJsonForm::report);
  const auto d = written(f, form);
  rapidjson::SizeType present = 0;
  for (const auto& [key, pointer] : fields) {
    const rapidjson::Value* want = rapidjson::Pointer(pointer).Get(report);
    ASSERT_NE(want, nullptr) << pointer;
    if (null_left_out && want->IsNull()) {
      EXPECT_FALSE(d.HasMember(key)) << key;
      continue;
    }
    ++present;
    ASSERT_TRUE(d.HasMember(key)) << key;
    EXPECT_TRUE(d[key] == *want) << key;
  }
  EXPECT_EQ(d.MemberCount(), present);
}

constexpr bool kNullWritten = false, kNullLeftOut = true;

TEST(FindingJson, BacklogSuppressedFormIsFlat) {
  const FieldMap fields = {{"host", "/host"},
                           {"project", "/project"},
                           {"ecosystem", "/package/ecosystem"},
                           {"package", "/package/name"},
                           {"installed", "/package/installed"},
                           {"vulnerability", "/vulnerability"},
                           {"severity", "/severity"},
                           {"risk", "/risk"},
                           {"kev", "/kev/listed"},
                           {"rule", "/suppression/rule"},
                           {"reason", "/suppression/reason"},
                           {"vex_status", "/suppression/vex_status"},
                           {"vex_justification", "/suppression/vex_justification"},
                           {"expires", "/suppression/expires"},
                           {"first_seen", "/first_seen"}};
  Finding f = full_finding();
  f.suppression->expired = false;
  expect_same_as_report(f, FindingJsonForm::backlog_suppressed, fields, kNullWritten);
  // Without a suppression (never given to it by the backlog) its fields are null, not missing.
  const auto bare = written(bare_finding(), FindingJsonForm::backlog_suppressed);
  expect_nulls(bare,
               {"/project", "/rule", "/reason", "/vex_status", "/vex_justification", "/expires"});
  EXPECT_EQ(bare.MemberCount(), 15u);
}

TEST(FindingJson, SarifPropertiesLeaveOutWhatIsEmpty) {
  const FieldMap fields = {{"host", "/host"},
                           {"project", "/project"},
                           {"package", "/package/name"},
                           {"installedVersion", "/package/installed"},
                           {"fixedVersion", "/fixed_version"},
                           {"fixStatus", "/fix_status"},
                           {"risk", "/risk"},
                           {"kev", "/kev/listed"}};
  expect_same_as_report(full_finding(), FindingJsonForm::sarif_properties, fields, kNullLeftOut);
  expect_same_as_report(bare_finding(), FindingJsonForm::sarif_properties, fields, kNullLeftOut);
  EXPECT_FALSE(written(bare_finding(), FindingJsonForm::sarif_properties).HasMember("project"));
}

}  // namespace
}  // namespace patchparty::exporters
