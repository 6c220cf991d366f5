#include "core/versions/rubygems_version.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/support/test_data.h"
#include "tests/unit/versions/scheme_checks.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::versions {
namespace {

int cmp(std::string_view a, std::string_view b) {
  return testing::checked_compare(rubygems_scheme(), a, b);
}

TEST(RubyGemsVersion, LettersMakeAPrerelease) {
  EXPECT_LT(cmp("1.0.a", "1.0"), 0);
  EXPECT_LT(cmp("1.0.a", "1.0.b"), 0);
  EXPECT_LT(cmp("1.0.rc1", "1.0"), 0);
  EXPECT_LT(cmp("1.0.0-rc1", "1.0.0"), 0);  // '-' reads as ".pre."
  EXPECT_EQ(cmp("1.0-rc1", "1.0.pre.rc1"), 0);
  EXPECT_LT(cmp("1.0.a10", "1.0.b1"), 0);
}

TEST(RubyGemsVersion, TrailingZerosAreIgnored) {
  EXPECT_EQ(cmp("1", "1.0.0"), 0);
  EXPECT_EQ(cmp("1.0.a.0", "1.a"), 0);
  EXPECT_EQ(cmp("1.01", "1.1"), 0);
  EXPECT_LT(cmp("1.0", "1.0.1"), 0);
}

TEST(RubyGemsVersion, NumbersOfAnyLength) {
  EXPECT_LT(cmp("1.18446744073709551615", "1.18446744073709551616"), 0);
  EXPECT_GT(cmp("100000000000000000000000", "99999999999999999999999"), 0);
}

TEST(RubyGemsVersion, WhiteSpaceAroundIsIgnored) {
  EXPECT_OK(rubygems_scheme().validate(" 1.0\n"));
  EXPECT_EQ(cmp(" 1.0 ", "1.0"), 0);
}

TEST(RubyGemsVersion, RejectsWhatGemVersionRejects) {
  for (const char* bad :
       {"", "  ", "1beta", "a", "1..0", "1.0.", "1.0-", "1.0 1", "v1.0", "1.0+b", "-1"}) {
    ASSERT_NO_FATAL_FAILURE(testing::expect_refused(rubygems_scheme(), bad, "1", false));
  }
}

TEST(RubyGemsVersion, PassesGeneratedVectors) {
  auto t = testing::run_vectors(
      rubygems_scheme(),
      testing::read_vectors(testing::test_data("version-vectors/rubygems-versions-generated.txt")));
  testing::expect_no_failures(t, "rubygems-versions-generated.txt");
  EXPECT_EQ(t.rejected, 0);
  EXPECT_GT(t.total, 4000);
}

// The hand-written file orders "1beta" and "1gamma", which Gem::Version refuses as malformed
// (no '.' before the letters); those are refused here too.
TEST(RubyGemsVersion, PassesHandWrittenVectorsAndRefusesMalformedOnes) {
  auto t = testing::run_vectors(
      rubygems_scheme(),
      testing::read_vectors(testing::test_data("version-vectors/rubygems-versions.txt")));
  testing::expect_no_failures(t, "rubygems-versions.txt");
  std::set<std::string> refused(t.rejected_strings.begin(), t.rejected_strings.end());
  EXPECT_EQ(refused, (std::set<std::string>{"1beta", "1gamma"}));
}

}  // namespace
}  // namespace patchparty::versions
