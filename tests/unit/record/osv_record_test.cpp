#include "core/record/osv_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using ::testing::HasSubstr;

std::string slurp(std::string_view rel) {
  return patchparty::testing::Subprocess::slurp(patchparty::testing::test_data(rel));
}

TEST(OsvRecord, ReadsEveryFieldOfAGithubAdvisory) {
  auto a = parse_osv_record(slurp("osv/npm/GHSA-whgm-jr23-g3j9.json"));
  ASSERT_OK(a);
  EXPECT_EQ(a->id, "GHSA-whgm-jr23-g3j9");
  EXPECT_FALSE(a->modified.empty());
  EXPECT_FALSE(a->published.empty());
  EXPECT_FALSE(a->summary.empty());
  ASSERT_FALSE(a->affected.empty());
  EXPECT_EQ(a->affected[0].ecosystem, "npm");
  EXPECT_FALSE(a->affected[0].name.empty());
  ASSERT_FALSE(a->affected[0].ranges.empty());
  EXPECT_EQ(a->affected[0].ranges[0].type, Range::Type::semver);
  EXPECT_EQ(a->affected[0].ranges[0].events[0].kind, RangeEvent::Kind::introduced);
  EXPECT_FALSE(a->references.empty());
}

TEST(OsvRecord, ScoresSeverityVectors) {
  auto a = parse_osv_record(slurp("osv/other/GHSA-269g-pwp5-87pp.json"));
  ASSERT_OK(a);
  bool scored = false;
  for (const auto& s : a->severity) {
    if (s.type == "CVSS_V3") {
      ASSERT_TRUE(s.base_score.has_value()) << s.score;
      scored = true;
    }
  }
  EXPECT_TRUE(scored);
}

TEST(OsvRecord, DebianRecordKeepsReleaseEcosystemAndAliases) {
  auto a = parse_osv_record(slurp("debian/osv/DSA-3029-1.json"));
  ASSERT_OK(a);
  EXPECT_EQ(a->id, "DSA-3029-1");
  ASSERT_FALSE(a->affected.empty());
  EXPECT_THAT(a->affected[0].ecosystem, HasSubstr("Debian:"));
  EXPECT_EQ(a->affected[0].fix_status, FixStatus::fixed);
}

TEST(OsvRecord, WithdrawnIsKept) {
  auto a = parse_osv_record(slurp("osv-schema/examples/ghsa-converter/withdrawn.osv.json"));
  ASSERT_OK(a);
  ASSERT_TRUE(a->withdrawn.has_value());
}

TEST(OsvRecord, GitRangesAreParsedButMarked) {
  auto a = parse_osv_record(slurp("osv-schema/examples/osv-linter/CVE-2018-5407.json"));
  ASSERT_OK(a);
  bool git = false;
  for (const auto& af : a->affected) {
    for (const auto& r : af.ranges) git = git || r.type == Range::Type::git;
  }
  EXPECT_TRUE(git);
}

// The one example that breaks the schema: a range without "introduced".
TEST(OsvRecord, RangeWithoutIntroducedIsRejected) {
  auto a =
      parse_osv_record(slurp("osv-schema/examples/osv-linter/nointroduced-CVE-2023-41045.json"));
  EXPECT_ERRC(a, Errc::invalid_argument);
  EXPECT_THAT(a.error().message, HasSubstr("no 'introduced' event"));
}

TEST(OsvRecord, EveryRealRecordInTheSharedDataParses) {
  int parsed = 0;
  for (const char* dir :
       {"osv/Packagist", "osv/npm", "osv/npm-malicious", "osv/other", "debian/osv", "alpine/osv",
        "osv-schema/examples/osv-linter", "osv-schema/examples/redhat-converter"}) {
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(patchparty::testing::test_data(dir))) {
      if (e.path().extension() != ".json") continue;
      if (e.path().filename().string().starts_with("nointroduced-")) continue;  // tested above
      auto a = parse_osv_record(patchparty::testing::Subprocess::slurp(e.path()));
      EXPECT_TRUE(a.has_value()) << e.path() << ": " << a.error().message;
      ++parsed;
    }
  }
  for (const auto& e : std::filesystem::directory_iterator(
           patchparty::testing::test_data("osv-schema/examples/ghsa-converter"))) {
    if (!e.path().string().ends_with(".osv.json")) continue;
    auto a = parse_osv_record(patchparty::testing::Subprocess::slurp(e.path()));
    EXPECT_TRUE(a.has_value()) << e.path() << ": " << a.error().message;
    ++parsed;
  }
  EXPECT_GT(parsed, 3400);
}

TEST(OsvRecord, BrokenInputIsAClearError) {
  EXPECT_ERRC(parse_osv_record("{\"id\": \"X\", \"modified\": "), Errc::data_loss);
  EXPECT_ERRC(parse_osv_record(""), Errc::data_loss);
  EXPECT_ERRC(parse_osv_record("[]"), Errc::invalid_argument);
  EXPECT_ERRC(parse_osv_record("{\"modified\": \"2024-01-01T00:00:00Z\"}"), Errc::invalid_argument);
  EXPECT_ERRC(parse_osv_record("{\"id\": \"X\"}"), Errc::invalid_argument);
  auto two = parse_osv_record(
      R"({"id":"X","modified":"m","affected":[{"package":{"ecosystem":"npm","name":"a"},
    "ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1.0.0"}]}]}]})");
  EXPECT_ERRC(two, Errc::invalid_argument);
  EXPECT_THAT(two.error().message, HasSubstr("X: affected[0].ranges[0].events[0]"));
  auto type = parse_osv_record(R"({"id":"X","modified":"m","aliases":"CVE-1"})");
  EXPECT_ERRC(type, Errc::invalid_argument);
}

TEST(OsvRecord, UnfixedWhenNoRangeHasAFix) {
  auto a = parse_osv_record(
      R"({"id":"X","modified":"m","affected":[{"package":{"ecosystem":"PyPI","name":"a"},
    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]})");
  ASSERT_OK(a);
  EXPECT_EQ(a->affected[0].fix_status, FixStatus::unfixed);
}

}  // namespace
}  // namespace patchparty::feeds
