#include "core/versions/apk_version.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "tests/support/test_data.h"
#include "tests/unit/versions/scheme_checks.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::versions {
namespace {

int cmp(std::string_view a, std::string_view b) {
  return testing::checked_compare(apk_scheme(), a, b);
}

TEST(ApkVersion, PreReleaseSuffixesSortBeforeTheRelease) {
  EXPECT_LT(cmp("1.2_alpha", "1.2_beta"), 0);
  EXPECT_LT(cmp("1.2_beta", "1.2_pre"), 0);
  EXPECT_LT(cmp("1.2_pre", "1.2_rc"), 0);
  EXPECT_LT(cmp("1.2_rc", "1.2"), 0);
  EXPECT_LT(cmp("1.2_rc1", "1.2_rc2"), 0);
}

TEST(ApkVersion, PostReleaseSuffixesSortAfterTheRelease) {
  EXPECT_LT(cmp("1.2", "1.2_cvs"), 0);
  EXPECT_LT(cmp("1.2_cvs", "1.2_svn"), 0);
  EXPECT_LT(cmp("1.2_svn", "1.2_git"), 0);
  EXPECT_LT(cmp("1.2_git", "1.2_hg"), 0);
  EXPECT_LT(cmp("1.2_hg", "1.2_p"), 0);
  EXPECT_LT(cmp("1.2_p1", "1.2_p2"), 0);
  EXPECT_LT(cmp("6.3_p20220416", "6.3_p20220423"), 0);
}

TEST(ApkVersion, RevisionAndLetter) {
  EXPECT_LT(cmp("1.2-r0", "1.2-r1"), 0);
  EXPECT_LT(cmp("1.2-r9", "1.2-r10"), 0);
  EXPECT_LT(cmp("1.2", "1.2-r0"), 0);
  EXPECT_LT(cmp("1.1.1a", "1.1.1b"), 0);
  EXPECT_LT(cmp("1.1.1", "1.1.1a"), 0);
  EXPECT_LT(cmp("1.1.1z", "1.1.2"), 0);
}

TEST(ApkVersion, SeveralSuffixes) {
  EXPECT_LT(cmp("1.0_alpha_pre2", "1.0_alpha"), 0);
  EXPECT_LT(cmp("1.0_alpha1_p1", "1.0_alpha2"), 0);
  EXPECT_GT(cmp("1.0_p1_p2", "1.0_p1"), 0);
}

TEST(ApkVersion, NumbersOfAnyLength) {
  EXPECT_LT(cmp("1.18446744073709551615", "1.18446744073709551616"), 0);
  EXPECT_LT(cmp("99999999999999999999999", "100000000000000000000000"), 0);
  EXPECT_LT(cmp("1.0-r99999999999999999999", "1.0-r100000000000000000000"), 0);
}

TEST(ApkVersion, LeadingZerosAfterADotCount) {
  // apk weighs a run of leading zeros after '.' below any number without them.
  EXPECT_LT(cmp("6.02", "6.1"), 0);
  EXPECT_LT(cmp("4.0.035", "4.1.002"), 0);
  EXPECT_LT(cmp("1.001", "1.01"), 0);
}

TEST(ApkVersion, KeepsApk2QuirkAfterZeroOnlyWithoutRevision) {
  EXPECT_LT(cmp("1.0_rc1-r0", "1.0-r0"), 0);
  EXPECT_LT(cmp("2.0_rc7-r0", "2.0-r0"), 0);
  EXPECT_LT(cmp("1.1_rc1", "1.1"), 0);
  EXPECT_GT(cmp("1.0_rc1", "1.0"), 0);  // as apk 2.x orders it
}

TEST(ApkVersion, AcceptsOsvDevForms) {
  const auto& s = apk_scheme();
  for (const char* ok :
       {"0", "1.2.3-r0", "6.6.2p1-r0", "10.2.22.r0", "2.9.11.6_p1-r0", "0.8_alpha-r1", "1.1.1q-r0"})
    EXPECT_OK(s.validate(ok)) << ok;
  EXPECT_GT(cmp("0.8.21.r2", "0.8.21.r1"), 0);
}

TEST(ApkVersion, RejectsMalformedVersions) {
  const auto& s = apk_scheme();
  for (const char* bad : {"", "a", ".1", "1.", "1..2", "1.2-", "1.2-r", "1.2-x1", "1.2_blah",
                          "1.2A", "1.2rc1", "1.2 ", "1.2~abc", "1.2_p1.r0", "1.2-r1-r2"}) {
    ASSERT_NO_FATAL_FAILURE(testing::expect_refused(s, bad, "1.0", false));
  }
  auto r = s.compare("1.0", "1.2_blah");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("'1.2_blah'"), std::string::npos) << r.error().message;
}

TEST(ApkVersion, AcceptsTheOsvDevValidList) {
  auto versions = testing::read_version_list(
      testing::test_data("version-vectors/alpine-valid-versions.osv-dev.txt"));
  int accepted = 0;
  for (const auto& v : versions) {
    auto r = apk_scheme().validate(v);
    EXPECT_TRUE(r.has_value()) << v << ": " << r.error().to_string();
    accepted += r.has_value();
  }
  std::printf("[ vectors  ] alpine-valid-versions.osv-dev.txt: %d/%zu accepted\n", accepted,
              versions.size());
  EXPECT_GT(versions.size(), 100u);
}

TEST(ApkVersion, RejectsTheOsvDevInvalidList) {
  auto versions = testing::read_version_list(
      testing::test_data("version-vectors/alpine-invalid-versions.osv-dev.txt"));
  int rejected = 0;
  for (const auto& v : versions) {
    auto r = apk_scheme().validate(v);
    EXPECT_FALSE(r.has_value()) << v;
    rejected += !r.has_value();
  }
  std::printf("[ vectors  ] alpine-invalid-versions.osv-dev.txt: %d/%zu rejected\n", rejected,
              versions.size());
  EXPECT_GT(versions.size(), 5u);
}

TEST(ApkVersion, PassesGeneratedAlpineVectors) {
  auto t = testing::run_vectors(
      apk_scheme(),
      testing::read_vectors(testing::test_data("version-vectors/alpine-versions-generated.txt")));
  testing::expect_no_failures(t, "alpine-versions-generated.txt");
  EXPECT_EQ(t.rejected, 0);  // real Alpine versions: all valid
  EXPECT_GT(t.total, 10000);
}

// The hand-written file also orders strings apk and osv.dev call invalid ("a < b", "1-r-1",
// "1.2_blah"); those must be refused, never ordered by a guess.
TEST(ApkVersion, PassesHandWrittenAlpineVectorsAndRefusesTheInvalidOnes) {
  auto t = testing::run_vectors(
      apk_scheme(),
      testing::read_vectors(testing::test_data("version-vectors/alpine-versions.txt")));
  testing::expect_no_failures(t, "alpine-versions.txt");
  std::set<std::string> refused(t.rejected_strings.begin(), t.rejected_strings.end());
  std::string list;
  for (const auto& s : refused) list += s + " ";
  std::printf("[ vectors  ] alpine-versions.txt refused strings: %s\n", list.c_str());
  EXPECT_EQ(t.passed + t.rejected, t.total);
  // A guard against the grammar growing stricter: the file has 33 such strings in 31 vectors.
  EXPECT_LE(t.rejected, 31);
  EXPECT_GT(t.passed, 700);
}

}  // namespace
}  // namespace patchparty::versions
