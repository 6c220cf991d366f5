#include "core/versions/dpkg_version.h"

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
  return testing::checked_compare(dpkg_scheme(), a, b);
}

TEST(DpkgVersion, TildeSortsBeforeEverythingIncludingTheEnd) {
  EXPECT_LT(cmp("1.0~rc1", "1.0"), 0);
  EXPECT_LT(cmp("1.0~~", "1.0~"), 0);
  EXPECT_LT(cmp("1.0~", "1.0"), 0);
  EXPECT_LT(cmp("1.0~rc1", "1.0~rc1+b1"), 0);
  EXPECT_LT(cmp("1.2.3-1~deb12u1", "1.2.3-1"), 0);
}

TEST(DpkgVersion, LettersSortBeforeOtherCharacters) {
  EXPECT_LT(cmp("1.0a", "1.0+"), 0);
  EXPECT_LT(cmp("1.0a", "1.0."), 0);
  EXPECT_LT(cmp("1.0", "1.0a"), 0);  // the end sorts before a letter
  EXPECT_LT(cmp("1.0Z", "1.0a"), 0);
}

TEST(DpkgVersion, EpochDecidesFirst) {
  EXPECT_GT(cmp("1:0.1", "9.9"), 0);
  EXPECT_EQ(cmp("0:1.0", "1.0"), 0);
  EXPECT_EQ(cmp("00001:1.0", "1:1.0"), 0);
  EXPECT_LT(cmp("2147483646:1", "2147483647:0"), 0);
}

TEST(DpkgVersion, ComparesNumbersOfAnyLength) {
  EXPECT_LT(cmp("1.18446744073709551615", "1.18446744073709551616"), 0);
  EXPECT_GT(cmp("1.100000000000000000000000000000", "1.99999999999999999999999999999"), 0);
  EXPECT_EQ(cmp("1.000000000000000000000000000007", "1.7"), 0);
}

TEST(DpkgVersion, MissingRevisionEqualsZero) {
  EXPECT_EQ(cmp("1.0", "1.0-0"), 0);
  EXPECT_EQ(cmp("1.0", "1.0-00"), 0);
  EXPECT_LT(cmp("1.0", "1.0-0.1"), 0);
  EXPECT_LT(cmp("1.0-1", "1.0-1.1"), 0);
}

TEST(DpkgVersion, SplitsAtTheLastHyphenAndFirstColon) {
  EXPECT_LT(cmp("1.0-1-1", "1.0-2-1"), 0);  // upstream "1.0-1" vs "1.0-2"
  EXPECT_GT(cmp("1:2:3", "1:2"), 0);        // upstream "2:3"
}

TEST(DpkgVersion, RejectsWhatDpkgRefuses) {
  const auto& s = dpkg_scheme();
  for (const char* bad : {"", "   ", "1:", ":1", "a:1", "1a:1", "-1:1", "2147483648:1",
                          "99999999999999999999:1", "1.0-", "-1", "1:-1", "1 2", "1.0 -1"}) {
    ASSERT_NO_FATAL_FAILURE(testing::expect_refused(s, bad, "1.0", true));
  }
  EXPECT_ERRC(s.validate(std::string_view("1.0\0", 4)), Errc::invalid_argument);
}

TEST(DpkgVersion, AcceptsWhatDpkgOnlyWarnsAbout) {
  const auto& s = dpkg_scheme();
  for (const char* warned :
       {"a1", "1.0_1", "1.0/2", "1,0", " 1.0 ", "\t1.0", "+1:2", "-0:1", "1:2:3", "1.0-a_b"})
    EXPECT_OK(s.validate(warned)) << warned;
  EXPECT_EQ(cmp(" 1.0\t", "1.0"), 0);
  EXPECT_EQ(cmp("+1:2", "1:2"), 0);
}

TEST(DpkgVersion, ErrorNamesTheVersion) {
  auto r = dpkg_scheme().compare("1.0", "1:");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("'1:'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("nothing after colon"), std::string::npos);
}

TEST(DpkgVersion, PassesDebianVectors) {
  for (const char* file : {"debian-versions.txt", "debian-versions-generated.txt"}) {
    auto t = testing::run_vectors(
        dpkg_scheme(),
        testing::read_vectors(testing::test_data(std::string("version-vectors/") + file)));
    testing::expect_no_failures(t, file);
    EXPECT_EQ(t.rejected, 0);
    EXPECT_GT(t.total, 0);
  }
}

constexpr std::uint64_t kSeed = 20261126;
constexpr int kPairs = 100000;

// Every pair must order as libapt-pkg orders it (apt_pkg.version_compare, one process).
TEST(DpkgVersion, AgreesWithLibaptOnGeneratedPairs) {
  testing::DpkgPairGenerator gen(kSeed);
  testing::VersionPairs pairs;
  std::vector<std::string> lines;
  pairs.reserve(kPairs);
  lines.reserve(kPairs);
  while (pairs.size() < static_cast<std::size_t>(kPairs)) {
    auto p = gen.pair();
    // By construction dpkg accepts these; the validity test below checks validate() itself.
    ASSERT_OK(dpkg_scheme().validate(p.first));
    ASSERT_OK(dpkg_scheme().validate(p.second));
    lines.push_back(p.first + " " + p.second);
    pairs.push_back(std::move(p));
  }
  auto oracle = testing::run_oracle("dpkg_oracle.py", "", lines);
  ASSERT_EQ(oracle.size(), pairs.size());
  const auto [disagreements, equal] = testing::agree_on_order(dpkg_scheme(), pairs, oracle, "apt");
  std::printf("[ oracle   ] dpkg: %zu pairs (seed %llu, %d equal), %d disagreements with apt_pkg\n",
              pairs.size(), static_cast<unsigned long long>(kSeed), equal, disagreements);
  RecordProperty("pairs", static_cast<int>(pairs.size()));
  RecordProperty("disagreements", disagreements);
  EXPECT_EQ(disagreements, 0);
}

// Blanks around a version send it down dpkg's full parser instead of the common-shape one; both
// must split every version the same way.
TEST(DpkgVersion, BlankPaddingDoesNotChangeTheOrder) {
  testing::DpkgPairGenerator gen(kSeed + 1);
  int checked = 0;
  for (int n = 0; n < 20000; ++n) {
    auto [a, b] = gen.pair();
    const int plain = cmp(a, b);
    ASSERT_EQ(cmp(" " + a, b + "\t"), plain) << a << " vs " << b;
    ASSERT_EQ(cmp(a + " ", "\t" + b), plain) << a << " vs " << b;
    ASSERT_EQ(cmp(" " + a, a), 0) << a;
    ++checked;
  }
  EXPECT_EQ(checked, 20000);
}

// Accept/refuse as `dpkg --compare-versions` does, on strings from a harsher alphabet.
TEST(DpkgVersion, ValidityAgreesWithDpkg) {
  std::mt19937_64 rng(kSeed);
  const std::string alphabet[] = {"0", "1", "9",  "00",       "a", "Z", "~",
                                  ".", "+", "-",  ":",        ":", " ", "\t",
                                  "_", "/", "\n", "\xc3\xa9", "-", "+", "2147483648"};
  std::vector<std::string> strings = {"1:",    ":1",    "1-",    "-1",           "+1:2",
                                      "-0:1",  "-5:1",  " 1.0 ", "1 .0",         "a:1",
                                      "1:a",   "\n1:2", "0x1:2", "2147483647:1", "2147483648:1",
                                      "1:2:3", "1-2:3", "1:-",   "1::2",         "~"};
  std::uniform_int_distribution<std::size_t> len(1, 10), pick(0, std::size(alphabet) - 1);
  while (strings.size() < 1000) {
    std::string s;
    for (std::size_t n = len(rng); n > 0; --n) s += alphabet[pick(rng)];
    if (s == "<unknown>") continue;  // the dpkg command's "no version" sentinels, with ""
    strings.push_back(s);
  }
  std::vector<std::string> lines;
  for (const auto& s : strings) lines.push_back(testing::hex(s));
  auto oracle = testing::run_oracle("dpkg_oracle.py", "--validity", lines);
  ASSERT_EQ(oracle.size(), strings.size());
  int disagreements = 0, refused = 0;
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const bool dpkg_ok = oracle[i] == "1";
    const bool ours = dpkg_scheme().validate(strings[i]).has_value();
    refused += !dpkg_ok;
    if (dpkg_ok != ours && ++disagreements <= 20)
      ADD_FAILURE() << "'" << strings[i] << "' (hex " << testing::hex(strings[i]) << "): dpkg "
                    << (dpkg_ok ? "accepts" : "refuses") << ", we " << (ours ? "accept" : "refuse");
  }
  std::printf("[ oracle   ] dpkg validity: %zu strings (%d refused by dpkg), %d disagreements\n",
              strings.size(), refused, disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(refused, 100);
  EXPECT_LT(refused, static_cast<int>(strings.size()) - 100);
}

}  // namespace
}  // namespace patchparty::versions
