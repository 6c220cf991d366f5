#include "core/versions/pep440_version.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/versions/differential.h"
#include "tests/unit/versions/oracle_process.h"
#include "tests/unit/versions/scheme_checks.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::versions {
namespace {

int cmp(std::string_view a, std::string_view b) {
  return testing::checked_sign(pep440_scheme(), a, b);
}

TEST(Pep440Version, NormalisesSpellings) {
  EXPECT_EQ(cmp("1.0-1", "1.0.post1"), 0);
  EXPECT_EQ(cmp("1.0.post", "1.0.post0"), 0);
  EXPECT_EQ(cmp("1.0c1", "1.0rc1"), 0);
  EXPECT_EQ(cmp("1.0-preview.2", "1.0rc2"), 0);
  EXPECT_EQ(cmp("1.0ALPHA", "1.0a0"), 0);
  EXPECT_EQ(cmp("1.0-r3", "1.0.post3"), 0);
  EXPECT_EQ(cmp("1.0rev", "1.0.post0"), 0);
  EXPECT_EQ(cmp("V1.0", "1.0"), 0);
  EXPECT_EQ(cmp(" 1.0\n", "1.0"), 0);
  // Python's str.strip() whitespace, beyond ASCII.
  EXPECT_EQ(cmp("1.0\u00a0", "1.0"), 0);
  EXPECT_EQ(cmp("\u20281.0\x1c", "1.0"), 0);
  EXPECT_EQ(cmp("1.0", "1.0.0.0"), 0);
  EXPECT_EQ(cmp("01.002", "1.2"), 0);
  EXPECT_EQ(cmp("1.0+Ubuntu-1", "1.0+ubuntu.1"), 0);
}

TEST(Pep440Version, OrdersPhases) {
  EXPECT_EQ(cmp("1.0.dev0", "1.0a0"), -1);
  EXPECT_EQ(cmp("1.0a1", "1.0a2.dev1"), -1);
  EXPECT_EQ(cmp("1.0a2.dev1", "1.0a2"), -1);
  EXPECT_EQ(cmp("1.0rc1", "1.0"), -1);
  EXPECT_EQ(cmp("1.0", "1.0.post1.dev1"), -1);
  EXPECT_EQ(cmp("1.0.post1.dev1", "1.0.post1"), -1);
  EXPECT_EQ(cmp("1.0", "1.0+local"), -1);
  EXPECT_EQ(cmp("1.0+abc", "1.0+1"), -1);  // numbers above words
  EXPECT_EQ(cmp("1.0+1.2", "1.0+1.2.a"), -1);
  EXPECT_EQ(cmp("1!0.1", "2.0"), 1);
  EXPECT_EQ(cmp("1.0.99999999999999999999999", "1.0.99999999999999999999998"), 1);
}

TEST(Pep440Version, RefusesLettersThatOnlyMatchThroughUnicodeCaseFolding) {
  // packaging reads "1.0.po\u017ft1" (long s) as 1.0.post1; we refuse rather than fold.
  EXPECT_ERRC(pep440_scheme().validate("1.0.po\u017ft1"), Errc::invalid_argument);
}

TEST(Pep440Version, RejectsLegacyVersions) {
  for (const char* v : {"2013-01-21T20:33:09+0100", "0.1-bulbasaur", "1.0beta6.1", "a3", "trunk",
                        "1.0+", "1.0+a..b", "", "1.0 1", "1.0.", "1.0-final"})
    EXPECT_FALSE(pep440_scheme().validate(v).has_value()) << v;
}

// Lines with versions that packaging 22+ no longer accepts (LegacyVersion is gone) are counted
// apart as rejected; the differential test shows packaging rejects the same strings.
TEST(Pep440Version, PassesPypiVectors) {
  auto hand = testing::run_loose_vectors(pep440_scheme(),
                                         testing::test_data("version-vectors/pypi-versions.txt"));
  auto gen = testing::run_loose_vectors(
      pep440_scheme(), testing::test_data("version-vectors/pypi-versions-generated.txt"));
  std::printf("pypi-versions.txt: %d passed, %d with legacy versions\n", hand.passed,
              hand.rejected);
  std::printf("pypi-versions-generated.txt: %d passed, %d with legacy versions\n", gen.passed,
              gen.rejected);
  EXPECT_EQ(hand.failed + gen.failed, 0);
  EXPECT_EQ(hand.rejected, 11);
  EXPECT_EQ(gen.rejected, 69);
  EXPECT_EQ(hand.passed, 37 - 11);
  EXPECT_EQ(gen.passed, 12375 - 69);
}

// ---- differential test against packaging.version ----

class Pep440Generator {
 public:
  explicit Pep440Generator(std::uint64_t seed) : rng_(seed) {}
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::string number() {
    static const char* const kOdd[] = {
        "00", "01", "007", "18446744073709551616", "99999999999999999999999", "", "0x1"};
    if (pick(10) == 0) return kOdd[pick(std::size(kOdd))];
    return std::to_string(pick(5));
  }

  std::string sep() {
    static const char* const kSep[] = {"", "", ".", "-", "_", "..", " ", "+"};
    return kSep[pick(pick(4) ? 5 : std::size(kSep))];
  }

  std::string version() {
    static const char* const kPrefix[] = {"v", "V", " ", "\t", "vv", "=", "\n"};
    std::string s = pick(6) == 0 ? kPrefix[pick(std::size(kPrefix))] : "";
    if (pick(6) == 0) s += number() + "!";
    std::size_t parts = 1 + pick(4);
    for (std::size_t i = 0; i < parts; ++i) s += (i ? (pick(50) ? "." : "") : "") + number();
    static const char* const kPre[] = {"a",       "b", "c",  "rc",    "alpha", "beta", "pre",
                                       "preview", "A", "RC", "Alpha", "pr",    "d",    "final"};
    static const char* const kPost[] = {"post", "rev", "r", "POST", "Rev", "p"};
    if (pick(3) == 0) s += sep() + kPre[pick(std::size(kPre))] + (pick(3) ? sep() + number() : "");
    if (pick(4) == 0) {
      if (pick(3) == 0)
        s += "-" + number();
      else
        s += sep() + kPost[pick(std::size(kPost))] + (pick(3) ? sep() + number() : "");
    }
    if (pick(4) == 0) s += sep() + (pick(4) ? "dev" : "DEV") + (pick(3) ? sep() + number() : "");
    if (pick(5) == 0) {
      static const char* const kLocal[] = {"ubuntu", "1",       "01", "abc", "ABC", "a1",
                                           "0",      "deb12u1", "",   "x_y", "é"};
      s += "+";
      std::size_t n = 1 + pick(3);
      for (std::size_t i = 0; i < n; ++i) s += (i ? sep() : "") + kLocal[pick(std::size(kLocal))];
    }
    if (pick(20) == 0) s += pick(2) ? " " : "\x0b";
    return s;
  }

  std::string variant(const std::string& a) {
    switch (pick(6)) {
      case 0:
        return version();
      case 1:
        return a + ".0";
      case 2:
        return a + (pick(2) ? ".dev" : ".post") + std::to_string(pick(3));
      case 3:
        return a + "+" + (pick(2) ? "1" : "local");
      case 4: {
        auto plus = a.find('+');
        return plus == std::string::npos ? a + "rc1" : a.substr(0, plus);
      }
      default:
        return "0!" + a;
    }
  }

 private:
  std::mt19937_64 rng_;
};

TEST(Pep440Version, AgreesWithPackagingOnGeneratedPairs) {
  Pep440Generator gen(440440);
  auto pairs = testing::vector_then_generated_pairs(
      {"version-vectors/pypi-versions.txt", "version-vectors/pypi-versions-generated.txt"}, gen,
      120000);
  std::vector<std::string> requests;
  for (const auto& [a, b] : pairs) {
    std::string r = "cmp\x1f" + a + "\x1f" + b;
    for (char& c : r)
      if (c == '\n') c = ' ';  // one request a line; the oracle sees the same string as we do
    requests.push_back(r);
  }
  for (std::size_t i = 0; i < pairs.size(); ++i)
    for (auto* s : {&pairs[i].first, &pairs[i].second})
      for (char& c : *s)
        if (c == '\n') c = ' ';
  auto oracle = testing::run_oracle_command(
      "/usr/bin/python3 '" +
          (std::filesystem::path(PP_SOURCE_DIR) / "tests/oracles/pep440_oracle.py").string() + "'",
      requests);
  ASSERT_EQ(oracle.size(), pairs.size());
  int valid = 0;
  const int disagreements =
      testing::count_disagreements(pairs, oracle, " vs ", "packaging", [&](std::size_t i) {
        auto r = pep440_scheme().compare(pairs[i].first, pairs[i].second);
        if (r) ++valid;
        return testing::answer(r);
      });
  std::printf("pep440 differential: %zu pairs (%d valid), %d disagreements\n", pairs.size(), valid,
              disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(valid, 40000);
}

}  // namespace
}  // namespace patchparty::versions
