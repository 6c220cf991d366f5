#include "core/base/pattern.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace patchparty {
namespace {

TEST(Pattern, FullMatchAllowsOneFinalNewlineAsPcreDollarDoes) {
  const Pattern p("^v?(\\d+)(?:\\.(\\d+))?$");
  PatternMatch m;
  ASSERT_TRUE(p.full_match("v12.3", &m));
  EXPECT_EQ(m[1].str(), "12");
  EXPECT_EQ(m[2].str(), "3");
  ASSERT_TRUE(p.full_match("12\n", &m));
  EXPECT_EQ(m[0].str(), "12");
  EXPECT_FALSE(p.full_match("12\n\n"));
  EXPECT_FALSE(p.full_match("x12"));
}

TEST(Pattern, TellsAGroupThatTookNoPartFromAnEmptyOne) {
  const Pattern p("^(a)?(b*)c$");
  PatternMatch m;
  ASSERT_TRUE(p.full_match("c", &m));
  EXPECT_FALSE(m[1].matched);
  EXPECT_TRUE(m[2].matched);
  EXPECT_EQ(m[2].length(), 0u);
  EXPECT_FALSE(m[7].matched);  // past the pattern's groups
}

TEST(Pattern, SearchFindsTheLeftmostMatchAndCaseCanBeIgnored) {
  const Pattern p("@(stable|rc|dev)$", PatternCase::insensitive);
  PatternMatch m;
  ASSERT_TRUE(p.search("1.0@RC", &m));
  EXPECT_EQ(m[0].str(), "@RC");
  EXPECT_EQ(m[1].str(), "RC");
  EXPECT_FALSE(p.search("1.0@rc1"));
}

// Bytes that are not UTF-8 are bytes like any other, as PCRE without /u reads them.
TEST(Pattern, MatchesAnyBytes) {
  const Pattern p("^([^,\\s]+)$");
  PatternMatch m;
  const std::string latin1 = "caf\xe9\xff";
  ASSERT_TRUE(p.full_match(latin1, &m));
  EXPECT_EQ(m[1].str(), latin1);
}

// The shape that made std::regex take minutes: nested repetition that fails at the end.
// RE2 answers at once; the figures of how time grows with length are in the versions benchmark.
TEST(Pattern, NestedRepetitionFailsWithoutBacktracking) {
  const Pattern p("^v?(\\d+)(?:[._-]?(?:pl|p)((?:[.-]?\\d+)*)?)?$");
  const std::string input = "v1pl" + std::string(100000, '9') + "x";
  EXPECT_FALSE(p.full_match(input));
}

}  // namespace
}  // namespace patchparty
