#include "core/versions/rpm_version.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/versions/differential.h"
#include "tests/unit/versions/oracle_process.h"
#include "tests/unit/versions/scheme_checks.h"
#include "tests/unit/versions/version_generators.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::versions {
namespace {

int cmp(std::string_view a, std::string_view b) {
  return testing::checked_compare(rpm_scheme(), a, b);
}

TEST(RpmVersion, TildeSortsBeforeEverything) {
  EXPECT_LT(cmp("1.0~rc1", "1.0"), 0);
  EXPECT_LT(cmp("1.0~~", "1.0~"), 0);
  EXPECT_LT(cmp("1.0~rc1", "1.0^"), 0);
}

TEST(RpmVersion, CaretSortsAfterTheEndButBeforeAnythingElse) {
  EXPECT_GT(cmp("1.0^git1", "1.0"), 0);
  EXPECT_LT(cmp("1.0^git1", "1.0.1"), 0);
  EXPECT_LT(cmp("1.0^git1", "1.0a"), 0);
  EXPECT_LT(cmp("1.0^", "1.0^1"), 0);
}

TEST(RpmVersion, NumbersBeatLettersAndHaveAnyLength) {
  EXPECT_GT(cmp("1.1", "1.a"), 0);
  EXPECT_LT(cmp("1.99999999999999999999", "1.100000000000000000000"), 0);
  EXPECT_EQ(cmp("1.0001", "1.1"), 0);
  EXPECT_EQ(cmp("1_0", "1.0"), 0);  // separators only separate
}

TEST(RpmVersion, EpochThenVersionThenRelease) {
  EXPECT_GT(cmp("1:1.0-1", "2.0-1"), 0);
  EXPECT_EQ(cmp("0:1.0-1", "1.0-1"), 0);
  EXPECT_EQ(cmp(":1.0", "0:1.0"), 0);  // rpm reads an empty epoch as 0
  EXPECT_LT(cmp("1.0-1.el9", "1.0-1.el9_2"), 0);
  EXPECT_GT(cmp("1.0-10", "1.0-9"), 0);
}

TEST(RpmVersion, MissingReleaseSortsBeforeAnyRelease) {
  EXPECT_LT(cmp("1.0", "1.0-"), 0);
  EXPECT_LT(cmp("1.0", "1.0-0"), 0);
  EXPECT_EQ(cmp("1.0-", "1.0-"), 0);
}

TEST(RpmVersion, OnlyAnAllDigitPrefixIsAnEpoch) {
  EXPECT_LT(cmp("a:9", "0:1"), 0);  // version "a:9" against version "1"
  EXPECT_GT(cmp("1:2:3", "1:2"), 0);
}

TEST(RpmVersion, RejectsEmptyVersionPartsAndBlanks) {
  const auto& s = rpm_scheme();
  for (const char* bad : {"", "1:", ":", "-1", "1:-1", "1 .0", "1.0\n", "\t1"}) {
    ASSERT_NO_FATAL_FAILURE(testing::expect_refused(s, bad, "1.0", true));
  }
  auto r = s.compare("1.0", "1:");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("'1:'"), std::string::npos) << r.error().message;
}

TEST(RpmVersion, PassesRedHatVectors) {
  auto t = testing::run_vectors(
      rpm_scheme(),
      testing::read_vectors(testing::test_data("version-vectors/redhat-versions.txt")));
  testing::expect_no_failures(t, "redhat-versions.txt");
  EXPECT_EQ(t.rejected, 0);
  EXPECT_GT(t.total, 0);
}

constexpr std::uint64_t kSeed = 20261126;
constexpr int kPairs = 100000;

// Every pair must order as rpm's own labelCompare orders it, split by rpm's own EVR parser.
TEST(RpmVersion, AgreesWithRpmLabelCompareOnGeneratedPairs) {
  testing::RpmPairGenerator gen(kSeed);
  testing::VersionPairs pairs;
  std::vector<std::string> lines;
  pairs.reserve(kPairs);
  lines.reserve(kPairs);
  int dropped = 0;
  while (pairs.size() < static_cast<std::size_t>(kPairs)) {
    auto p = gen.pair();
    // A '-' or ':' piece can leave the version part empty, which rpmbuild never produces.
    if (!rpm_scheme().validate(p.first) || !rpm_scheme().validate(p.second)) {
      ++dropped;
      continue;
    }
    lines.push_back(p.first + " " + p.second);
    pairs.push_back(std::move(p));
  }
  auto oracle = testing::run_oracle("rpm_oracle.py", "", lines);
  ASSERT_EQ(oracle.size(), pairs.size());
  const auto [disagreements, equal] = testing::agree_on_order(rpm_scheme(), pairs, oracle, "rpm");
  std::printf(
      "[ oracle   ] rpm: %zu pairs (seed %llu, %d equal, %d generated pairs dropped as empty "
      "version), %d disagreements with rpm.labelCompare\n",
      pairs.size(), static_cast<unsigned long long>(kSeed), equal, dropped, disagreements);
  RecordProperty("pairs", static_cast<int>(pairs.size()));
  RecordProperty("disagreements", disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_LT(dropped, kPairs / 10);
}

}  // namespace
}  // namespace patchparty::versions
