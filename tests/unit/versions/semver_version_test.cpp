#include "core/versions/semver_version.h"

#include <gtest/gtest.h>

#include <cstdio>
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

int cmp(const VersionScheme& s, std::string_view a, std::string_view b) {
  return testing::checked_sign(s, a, b);
}

TEST(SemverVersion, OrdersPrereleaseIdentifiers) {
  const auto& s = semver_scheme();
  EXPECT_EQ(cmp(s, "1.0.0-alpha", "1.0.0-alpha.1"), -1);
  EXPECT_EQ(cmp(s, "1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);  // numeric < alphanumeric
  EXPECT_EQ(cmp(s, "1.0.0-beta.2", "1.0.0-beta.11"), -1);      // numerically, not by text
  EXPECT_EQ(cmp(s, "1.0.0-rc.1", "1.0.0"), -1);
  EXPECT_EQ(cmp(s, "1.2.3-R2", "1.2.3-r100"), -1);  // ASCII: upper case sorts first
  EXPECT_EQ(cmp(s, "1.2.3-a-b", "1.2.3-a"), 1);
}

TEST(SemverVersion, IgnoresBuildMetadataAndPrefix) {
  const auto& s = semver_scheme();
  EXPECT_EQ(cmp(s, "1.2.3+build", "1.2.3+other"), 0);
  EXPECT_EQ(cmp(s, "v1.2.3", "1.2.3"), 0);
  EXPECT_EQ(cmp(s, "  1.2.3\t", "1.2.3"), 0);
  // String.prototype.trim() also removes U+00A0 and U+FEFF.
  EXPECT_EQ(cmp(s, "\u00a01.2.3\ufeff", "1.2.3"), 0);
}

TEST(SemverVersion, RejectsWhatNodeRejects) {
  const auto& s = semver_scheme();
  EXPECT_OK(s.validate("9007199254740991.0.0"));
  EXPECT_ERRC(s.validate("9007199254740992.0.0"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("1.2"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("01.2.3"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("1.2.3-01"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("1.2.3-"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("1.2.3+"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("=1.2.3"), Errc::invalid_argument);
  EXPECT_ERRC(s.validate("1.2.3." + std::string(300, '1')), Errc::invalid_argument);
  EXPECT_ERRC(s.compare("1.2.3", "nope"), Errc::invalid_argument);
  EXPECT_OK(s.validate("1.2.3-0.a-b.--+exp.sha.5114f85"));
}

TEST(SemverVersion, KeepsNodeDoubleRoundingForHugePrereleaseNumbers) {
  // Both identifiers round to the same double (2^53), and node then answers "equal".
  EXPECT_EQ(cmp(semver_scheme(), "1.0.0-9007199254740993", "1.0.0-9007199254740992"), 0);
  // Go compares them exactly.
  EXPECT_EQ(cmp(go_scheme(), "1.0.0-9007199254740993", "1.0.0-9007199254740992"), 1);
}

TEST(GoVersion, AcceptsModuleVersions) {
  const auto& g = go_scheme();
  EXPECT_EQ(cmp(g, "v2.0.0+incompatible", "2.0.0"), 0);
  EXPECT_EQ(cmp(g, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa"), -1);
  EXPECT_EQ(cmp(g, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
  EXPECT_EQ(cmp(g, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), -1);
  EXPECT_EQ(cmp(g, "v1", "v1.0.0"), 0);
  EXPECT_EQ(cmp(g, "1.2", "1.2.0"), 0);
  EXPECT_EQ(cmp(g, "99999999999999999999.0.0", "99999999999999999998.0.0"), 1);
  EXPECT_ERRC(g.validate("v1.2-pre"), Errc::invalid_argument);
  EXPECT_ERRC(g.validate("v1.2.3.4"), Errc::invalid_argument);
  EXPECT_ERRC(g.validate(" v1.2.3"), Errc::invalid_argument);
}

TEST(SemverVersion, PassesSemverVectors) {
  auto c = testing::run_loose_vectors(semver_scheme(),
                                      testing::test_data("version-vectors/semver-versions.txt"));
  std::printf("semver-versions.txt (semver): %d passed, %d with versions node rejects\n", c.passed,
              c.rejected);
  EXPECT_EQ(c.failed, 0);
  // "1.1.3.4.5" (four dots) and two lines of 30-digit numbers, which node refuses.
  EXPECT_EQ(c.rejected, 3);
  EXPECT_EQ(c.passed, 83);
}

TEST(GoVersion, PassesSemverVectors) {
  auto c = testing::run_loose_vectors(go_scheme(),
                                      testing::test_data("version-vectors/semver-versions.txt"));
  std::printf("semver-versions.txt (go): %d passed, %d with versions Go rejects\n", c.passed,
              c.rejected);
  EXPECT_EQ(c.failed, 0);
  EXPECT_EQ(c.rejected, 1);  // "1.1.3.4.5": Go has exactly three numbers too
  EXPECT_EQ(c.passed, 85);
}

// ---- differential test against node's semver package ----

class VersionGenerator {
 public:
  explicit VersionGenerator(std::uint64_t seed) : rng_(seed) {}

  std::string number() {
    static const char* const kNumbers[] = {"0",
                                           "1",
                                           "2",
                                           "3",
                                           "9",
                                           "10",
                                           "11",
                                           "01",
                                           "00",
                                           "007",
                                           "9007199254740990",
                                           "9007199254740991",
                                           "9007199254740992",
                                           "18446744073709551615",
                                           "18446744073709551616",
                                           "999999999999999999999999999991",
                                           ""};
    if (pick(5) != 0) return std::to_string(pick(12));
    return kNumbers[pick(std::size(kNumbers))];
  }

  std::string identifier() {
    static const char* const kIds[] = {"alpha",
                                       "beta",
                                       "rc",
                                       "0",
                                       "1",
                                       "2",
                                       "10",
                                       "11",
                                       "01",
                                       "a1",
                                       "1a",
                                       "-",
                                       "--",
                                       "x-y",
                                       "A",
                                       "Z",
                                       "a",
                                       "B",
                                       "pre",
                                       "9007199254740990",
                                       "9007199254740991",
                                       "9007199254740992",
                                       "9007199254740993",
                                       "99999999999999999999",
                                       "",
                                       "a_b",
                                       "é"};
    if (pick(3) == 0) return std::to_string(pick(20));
    if (pick(2) == 0) return kIds[pick(5)];
    return kIds[pick(std::size(kIds))];
  }

  std::string dotted(int max) {
    std::string s;
    int n = 1 + static_cast<int>(pick(static_cast<std::size_t>(max)));
    for (int i = 0; i < n; ++i) s += (i ? "." : "") + identifier();
    return s;
  }

  std::string version() {
    static const char* const kPrefix[] = {"", "", "", "", "v", "V", "=", " ", "v ", "\t", "vv"};
    std::string s = pick(4) == 0 ? kPrefix[pick(std::size(kPrefix))] : "";
    int parts = pick(15) == 0 ? 2 + static_cast<int>(pick(3)) : 3;
    for (int i = 0; i < parts; ++i) s += (i ? "." : "") + number();
    if (pick(2) == 0) s += (pick(12) == 0 ? "" : "-") + dotted(4);
    if (pick(4) == 0) s += "+" + dotted(3);
    if (pick(20) == 0) s += " ";
    // Around node's 256-character limit, before and after trimming.
    if (pick(200) == 0) s += "-" + std::string(240 + pick(20), 'a');
    if (pick(200) == 0) s = std::string(pick(8), ' ') + "1.2.3-" + std::string(244 + pick(8), 'b');
    return s;
  }

  // Often a neighbour of `a`, so prereleases of one release meet each other.
  std::string variant(const std::string& a) {
    switch (pick(6)) {
      case 0:
        return version();
      case 1:
        return a + "." + identifier();
      case 2: {
        auto dash = a.find('-');
        return (dash == std::string::npos ? a : a.substr(0, dash)) + "-" + dotted(4);
      }
      case 3:
        return a + "+" + dotted(2);
      case 4: {
        auto plus = a.find('+');
        return plus == std::string::npos ? "v" + a : a.substr(0, plus);
      }
      default: {
        auto dash = a.find('-');
        return dash == std::string::npos ? a + "-" + identifier() : a.substr(0, dash);
      }
    }
  }

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

TEST(SemverVersion, AgreesWithNodeSemverOnGeneratedPairs) {
  if (!testing::node_oracle_ready()) return;
  VersionGenerator gen(20261126);
  const auto pairs =
      testing::vector_then_generated_pairs({"version-vectors/semver-versions.txt"}, gen, 120000);
  std::vector<std::string> requests;
  for (const auto& [a, b] : pairs) requests.push_back("cmp\x1f" + a + "\x1f" + b);
  auto oracle = testing::run_oracle_command(
      "node '" + (testing::oracle_dir() / "semver_oracle.js").string() + "'", requests);
  ASSERT_EQ(oracle.size(), pairs.size());
  int valid = 0;
  const int disagreements =
      testing::count_disagreements(pairs, oracle, " vs ", "node", [&](std::size_t i) {
        std::string ours =
            testing::answer(semver_scheme().compare(pairs[i].first, pairs[i].second));
        if (ours != "invalid") ++valid;
        return ours;
      });
  std::printf("semver differential: %zu pairs (%d valid), %d disagreements\n", pairs.size(), valid,
              disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(valid, 30000);  // the generator must not drift into producing only garbage
}

}  // namespace
}  // namespace patchparty::versions
