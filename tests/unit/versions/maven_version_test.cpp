#include "core/versions/maven_version.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_data.h"
#include "tests/unit/versions/scheme_checks.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::versions {
namespace {

int cmp(std::string_view a, std::string_view b) {
  return testing::checked_compare(maven_scheme(), a, b);
}

TEST(MavenVersion, QualifierOrder) {
  const char* order[] = {"1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot",
                         "1",       "1-sp",   "1-abc",       "1-xyz"};
  for (std::size_t i = 0; i + 1 < std::size(order); ++i)
    EXPECT_LT(cmp(order[i], order[i + 1]), 0) << order[i] << " < " << order[i + 1];
  EXPECT_EQ(cmp("1-cr", "1-rc"), 0);
  EXPECT_EQ(cmp("1-ga", "1"), 0);
  EXPECT_EQ(cmp("1-final", "1"), 0);
  EXPECT_EQ(cmp("1-release", "1"), 0);
}

TEST(MavenVersion, ShortAliasesOnlyBeforeADigit) {
  EXPECT_EQ(cmp("1a1", "1-alpha-1"), 0);
  EXPECT_EQ(cmp("1b2", "1-beta-2"), 0);
  EXPECT_EQ(cmp("1m3", "1-milestone-3"), 0);
  EXPECT_GT(cmp("1-a", "1-alpha"), 0);  // "a" alone is an unknown qualifier
}

TEST(MavenVersion, TrailingZerosAndNullsAreDropped) {
  EXPECT_EQ(cmp("1", "1.0.0"), 0);
  EXPECT_EQ(cmp("1", "1-0"), 0);
  EXPECT_EQ(cmp("1.0-0.0", "1"), 0);
  EXPECT_EQ(cmp("1.ga", "1"), 0);
  EXPECT_EQ(cmp("1-ga-1", "1-1"), 0);
  EXPECT_LT(cmp("1-sp-1", "1-ga-1"), 0);
}

TEST(MavenVersion, ItemKindsOrder) {
  EXPECT_LT(cmp("1-1", "1.1"), 0);   // a sub-list before a number
  EXPECT_GT(cmp("1-1", "1-sp"), 0);  // a sub-list after a qualifier
  EXPECT_LT(cmp("1.0-xyz", "1.0.1"), 0);
  EXPECT_LT(cmp("2.0.1-xyz", "2.0.1-123"), 0);
}

TEST(MavenVersion, CaseInsensitiveAndNumbersOfAnyLength) {
  EXPECT_EQ(cmp("1.0-RC1", "1.0-rc1"), 0);
  EXPECT_LT(cmp("1.99999999999999999999999", "1.100000000000000000000000"), 0);
  EXPECT_EQ(cmp("1.0000000000000000000000001", "1.1"), 0);
}

// ComparableVersion (maven-artifact 3.8) is not transitive, and the scheme keeps its order: a
// sub-list (3.0rc1 reads as 3-rc-1) beats any qualifier, yet sorts below the release.
TEST(MavenVersion, KeepsComparableVersionsIntransitiveCorner) {
  EXPECT_LT(cmp("3.0rc1", "3.0"), 0);
  EXPECT_LT(cmp("3.0", "3.foo"), 0);
  EXPECT_GT(cmp("3.0rc1", "3.foo"), 0);
}

TEST(MavenVersion, RejectsEmptyAndNonPrintable) {
  for (std::string bad : {std::string(), std::string("1.0 "), std::string("1.\n0"),
                          std::string("1.0\xc3\xa9"), std::string(600, '1')}) {
    ASSERT_NO_FATAL_FAILURE(testing::expect_refused(maven_scheme(), bad, "1", false));
  }
}

TEST(MavenVersion, PassesMavenVectors) {
  for (const char* file : {"maven-versions.txt", "maven-versions-generated.txt"}) {
    auto t = testing::run_vectors(
        maven_scheme(),
        testing::read_vectors(testing::test_data(std::string("version-vectors/") + file)));
    testing::expect_no_failures(t, file);
    EXPECT_EQ(t.rejected, 0);
    EXPECT_GT(t.total, 0);
  }
}

}  // namespace
}  // namespace patchparty::versions
