#include "core/suppress/suppressions_yaml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/base/bounded_file.h"
#include "core/suppress/timestamp.h"
#include "tests/support/test_data.h"

namespace patchparty::suppress {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string error_of(std::string_view yaml) {
  auto r = parse_suppressions_yaml(yaml, "s.yml");
  EXPECT_FALSE(r.has_value()) << yaml;
  if (r) return "";
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  return r.error().message;
}

TEST(SuppressionsYaml, ReadsEveryField) {
  auto r = parse_suppressions_yaml(R"(suppressions:
  - id: CVE-2023-1234
    package: openssl
    project: (host)
    version: 3.0.11-1~deb12u1
    reason: "not reachable: we never parse untrusted certificates"
    expires: 2027-01-31
    vex_status: not_affected
    vex_justification: vulnerable_code_not_in_execute_path
  - id: GHSA-aaaa-bbbb-cccc
    reason: accepted
)",
                                   "s.yml");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 2u);
  const Rule& a = (*r)[0];
  EXPECT_EQ(a.id, "CVE-2023-1234");
  EXPECT_EQ(a.package, "openssl");
  EXPECT_EQ(a.project, kHostOnly);
  EXPECT_EQ(a.version, "3.0.11-1~deb12u1");
  EXPECT_EQ(a.reason, "not reachable: we never parse untrusted certificates");
  EXPECT_EQ(a.expires, parse_rfc3339("2027-02-01T00:00:00Z"));
  EXPECT_EQ(a.vex_status, "not_affected");
  EXPECT_EQ(a.vex_justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(a.where, "s.yml:2");
  const Rule& b = (*r)[1];
  EXPECT_EQ(b.package, "");
  EXPECT_EQ(b.project, "");
  EXPECT_EQ(b.expires, std::nullopt);
  EXPECT_EQ(b.where, "s.yml:10");
}

TEST(SuppressionsYaml, AnRfc3339ExpiryIsThatInstant) {
  auto r = parse_suppressions_yaml(
      "suppressions:\n  - {id: CVE-1, reason: r, expires: '2027-03-31T18:00:00+02:00'}\n", "s.yml");
  ASSERT_OK(r);
  EXPECT_EQ((*r)[0].expires, parse_rfc3339("2027-03-31T16:00:00Z"));
}

TEST(SuppressionsYaml, AnEmptyListIsNoRules) {
  for (const char* yaml : {"suppressions: []\n", "suppressions:\n"}) {
    auto r = parse_suppressions_yaml(yaml, "s.yml");
    ASSERT_OK(r);
    EXPECT_TRUE(r->empty());
  }
}

TEST(SuppressionsYaml, ExampleFileIsValid) {
  std::string text;
  {
    auto t =
        read_bounded_file(std::filesystem::path(PP_SOURCE_DIR) / "config/suppressions.example.yml");
    ASSERT_OK(t);
    text = *t;
  }
  auto r = parse_suppressions_yaml(text, "suppressions.example.yml");
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 3u);
}

TEST(SuppressionsYaml, AnEmptyFileIsRefused) {
  EXPECT_THAT(error_of(""), HasSubstr("s.yml:1:1: (top level): empty file"));
  EXPECT_THAT(error_of("# only a comment\n"), HasSubstr("empty file"));
}

TEST(SuppressionsYaml, RefusesUnknownKeysWithTheirPosition) {
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n    packge: openssl\n"),
              HasSubstr("s.yml:4:5: suppressions[0].packge: unknown key"));
  EXPECT_THAT(error_of("suppressions: []\nextra: 1\n"), HasSubstr("s.yml:2:1: extra: unknown key"));
}

TEST(SuppressionsYaml, IdAndReasonAreRequired) {
  EXPECT_THAT(error_of("suppressions:\n  - reason: r\n"),
              HasSubstr("s.yml:2:5: suppressions[0].id: required"));
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n"),
              HasSubstr("suppressions[0].reason: required"));
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: '  '\n"),
              HasSubstr("suppressions[0].reason: required"));
  EXPECT_THAT(error_of("suppressions:\n  - id: ''\n    reason: r\n"),
              HasSubstr("suppressions[0].id: required"));
}

TEST(SuppressionsYaml, RefusesABadExpiry) {
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n    expires: 2027-02-30\n"),
              HasSubstr("s.yml:4:14: suppressions[0].expires: expected a date"));
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n    expires: next week\n"),
              HasSubstr("'next week'"));
}

TEST(SuppressionsYaml, RefusesWordsOutsideTheOpenVexVocabulary) {
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n    vex_status: fine\n"),
              HasSubstr("suppressions[0].vex_status"));
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n    vex_status: "
                       "not_affected\n    vex_justification: trust_me\n"),
              HasSubstr("suppressions[0].vex_justification"));
}

TEST(SuppressionsYaml, AJustificationNeedsNotAffected) {
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n    vex_status: affected\n"
                       "    vex_justification: component_not_present\n"),
              HasSubstr("s.yml:5:24: suppressions[0].vex_justification: only valid with "
                        "vex_status: not_affected"));
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    reason: r\n"
                       "    vex_justification: component_not_present\n"),
              HasSubstr("only valid with vex_status: not_affected"));
}

TEST(SuppressionsYaml, RefusesWrongShapes) {
  EXPECT_THAT(error_of("- id: CVE-1\n"), HasSubstr("(top level): expected a mapping"));
  EXPECT_THAT(error_of("rules: []\n"), HasSubstr("rules: unknown key"));
  EXPECT_THAT(error_of("other: 1\n"), HasSubstr("suppressions: required"));
  EXPECT_THAT(error_of("suppressions: {id: CVE-1}\n"), HasSubstr("suppressions: expected a list"));
  EXPECT_THAT(error_of("suppressions:\n  - CVE-1\n"),
              HasSubstr("suppressions[0]: expected a mapping"));
  EXPECT_THAT(error_of("suppressions:\n  - id: [CVE-1]\n    reason: r\n"),
              HasSubstr("suppressions[0].id: expected a string"));
}

TEST(SuppressionsYaml, ReportsSyntaxErrorsWithTheirPosition) {
  EXPECT_THAT(error_of("suppressions:\n  - id: CVE-1\n    project: -\n"),
              HasSubstr("s.yml:3:14: YAML syntax"));
  EXPECT_THAT(error_of("suppressions: [\n"), HasSubstr("YAML syntax"));
}

TEST(SuppressionsYaml, ReportsEveryErrorAtOnce) {
  const std::string e = error_of(R"(suppressions:
  - id: CVE-1
  - reason: r
    expires: tomorrow
  - id: CVE-3
    reason: r
    colour: red
  - id: CVE-4
    reason: fine
)");
  EXPECT_THAT(e, HasSubstr("suppressions[0].reason: required"));
  EXPECT_THAT(e, HasSubstr("suppressions[1].id: required"));
  EXPECT_THAT(e, HasSubstr("suppressions[1].expires"));
  EXPECT_THAT(e, HasSubstr("suppressions[2].colour: unknown key"));
  EXPECT_THAT(e, Not(HasSubstr("suppressions[3]")));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 3);
}

TEST(SuppressionsYaml, VocabularyHelpers) {
  EXPECT_TRUE(is_vex_status("under_investigation"));
  EXPECT_FALSE(is_vex_status("Not_affected"));
  EXPECT_TRUE(is_vex_justification("inline_mitigations_already_exist"));
  EXPECT_FALSE(is_vex_justification(""));
}

}  // namespace
}  // namespace patchparty::suppress
