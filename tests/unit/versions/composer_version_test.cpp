#include "core/versions/composer_version.h"

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
  return testing::checked_sign(composer_scheme(), a, b);
}

std::string norm(std::string_view v) {
  auto r = composer_normalize(v);
  return r ? *r : "<" + r.error().message + ">";
}

TEST(ComposerVersion, NormalizesLikeVersionParser) {
  EXPECT_EQ(norm("v1.2"), "1.2.0.0");
  EXPECT_EQ(norm("1.0RC1"), "1.0.0.0-RC1");
  EXPECT_EQ(norm("1.0.0-beta.2"), "1.0.0.0-beta2");
  EXPECT_EQ(norm("1.0-pl3"), "1.0.0.0-patch3");
  EXPECT_EQ(norm("1.0.0-stable"), "1.0.0.0");
  EXPECT_EQ(norm("1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(norm("2.1.x-dev"), "2.1.9999999.9999999-dev");
  EXPECT_EQ(norm("1.0-dev"), "1.0.0.0-dev");
  EXPECT_EQ(norm("master"), "dev-master");
  EXPECT_EQ(norm("dev-Feature/x"), "dev-Feature/x");
  EXPECT_EQ(norm("1.0.0+build.5"), "1.0.0.0");
  EXPECT_EQ(norm("2010-01-02.5"), "2010.01.02.5");
  EXPECT_EQ(norm("1.0@beta"), "1.0.0.0");
  EXPECT_EQ(norm("1.0 as 2.0"), "1.0.0.0");
  EXPECT_ERRC(composer_normalize("1.0.0.0.0"), Errc::invalid_argument);
  EXPECT_ERRC(composer_normalize("foo"), Errc::invalid_argument);
  EXPECT_ERRC(composer_normalize("4.3-2RC1"), Errc::invalid_argument);
}

TEST(ComposerVersion, OrdersStabilities) {
  EXPECT_EQ(cmp("1.0-dev", "1.0-alpha1"), -1);
  EXPECT_EQ(cmp("1.0-alpha2", "1.0-beta1"), -1);
  EXPECT_EQ(cmp("1.0-beta3", "1.0-RC1"), -1);
  EXPECT_EQ(cmp("1.0-RC2", "1.0"), -1);
  EXPECT_EQ(cmp("1.0", "1.0-patch1"), -1);
  EXPECT_EQ(cmp("1.0-p1", "1.0-pl1"), 0);
  EXPECT_EQ(cmp("1.0.0", "1.0"), 0);  // both 1.0.0.0; PHP's version_compare says ">"
  EXPECT_EQ(cmp("v1.0.0", "1.0.0"), 0);
}

TEST(ComposerVersion, KeepsVersionCompareQuirks) {
  // Numbers saturate at 2^63-1 in PHP, so these are equal.
  EXPECT_EQ(cmp("1.99999999999999999999", "1.99999999999999999998"), 0);
  // "STABLE" is not lower-case "stable", so it stays as an unknown word, below "dev".
  EXPECT_EQ(cmp("1.0-STABLE", "1.0-dev"), -1);
  EXPECT_EQ(php_version_compare("1.0.0", "1.0"), 1);
  EXPECT_EQ(php_version_compare("1.0rc1", "1.0RC1"), 0);
}

TEST(ComposerVersion, OrdersBranches) {
  EXPECT_EQ(cmp("dev-master", "9999999-dev"), 0);
  EXPECT_EQ(cmp("dev-master", "99.0"), 1);
  EXPECT_EQ(cmp("dev-feature", "0.0.1"), -1);
  EXPECT_EQ(cmp("dev-feature", "dev-feature"), 0);
  EXPECT_EQ(cmp("dev-feature", "dev-other"), -1);  // Composer: no order; here: by name
  EXPECT_EQ(cmp("dev-other", "dev-feature"), 1);
}

// The vector files were made with PHP's version_compare on the raw strings. Composer first
// normalises, so these lines differ: its answer and why.
struct Divergence {
  const char* a;
  const char* b;
  int composer;
  const char* why;
};
constexpr Divergence kDivergences[] = {
    {"1.0.0", "1.0", 0, "both normalise to 1.0.0.0"},
    {"v3.0", "v3.0.0-beta", 1, "3.0.0.0 against 3.0.0.0-beta"},
    {"v3.4", "v3.4.0-alpha", 1, "3.4.0.0 against 3.4.0.0-alpha"},
    {"v4-beta4", "v4.0-alpha", 1, "4.0.0.0-beta4 against 4.0.0.0-alpha"},
    {"v1.9.0-ALPHA.1", "v1.9.0-BETA.1", -1, "stabilities are lower-cased, alpha < beta"},
    {"v1.9.0-BETA.1", "v1.9.0-ALPHA.2", 1, "beta1 > alpha2"},
    {"v1.9.0-ALPHA.2", "v1.9.0-BETA.2", -1, "alpha2 < beta2"},
    {"5.1.0-stable", "5.1.0-beta2", 1, "-stable is dropped: 5.1.0.0 > 5.1.0.0-beta2"},
};

testing::LooseCounts run_vectors(const std::filesystem::path& file) {
  return testing::run_loose_vectors(composer_scheme(), file,
                                    [](const testing::LooseVector& v) -> std::optional<int> {
                                      for (const auto& d : kDivergences)
                                        if (v.a == d.a && v.b == d.b) return d.composer;
                                      return std::nullopt;
                                    });
}

TEST(ComposerVersion, PassesPackagistVectors) {
  auto hand = run_vectors(testing::test_data("version-vectors/packagist-versions.txt"));
  auto gen = run_vectors(testing::test_data("version-vectors/packagist-versions-generated.txt"));
  std::printf(
      "packagist-versions.txt: %d passed (%d as Composer, not version_compare), %d rejected\n",
      hand.passed, hand.diverged, hand.rejected);
  std::printf("packagist-versions-generated.txt: %d passed (%d as Composer), %d rejected\n",
              gen.passed, gen.diverged, gen.rejected);
  EXPECT_EQ(hand.failed + gen.failed, 0);
  // "4.3-2RC1", "4.3-2RC2", "4.3-2beta5", "4.3-2", "4.3-2beta1": Composer cannot normalise them.
  EXPECT_EQ(hand.rejected, 3);
  EXPECT_EQ(gen.rejected, 0);
  EXPECT_EQ(hand.diverged + gen.diverged, 8);
  EXPECT_EQ(hand.passed + gen.passed, 72 - 3 + 7454);
}

// ---- differential test against composer/semver ----

class ComposerGenerator {
 public:
  explicit ComposerGenerator(std::uint64_t seed) : rng_(seed) {}
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::string number() {
    static const char* const kOdd[] = {"00",
                                       "01",
                                       "007",
                                       "123456",
                                       "99999",
                                       "100000",
                                       "9223372036854775807",
                                       "9223372036854775808",
                                       "99999999999999999999",
                                       "2010",
                                       "20100102",
                                       ""};
    if (pick(8) == 0) return kOdd[pick(std::size(kOdd))];
    return std::to_string(pick(12));
  }

  std::string version() {
    static const char* const kBranches[] = {
        "dev-master", "dev-main",   "dev-feature/x", "master",  "trunk",
        "default",    "DEV-master", "dev-trunk",     "1.x-dev", "1.0.x-dev",
        "2.*-dev",    "v3.X-dev",   "feature-dev",   "dev-"};
    if (pick(15) == 0) return kBranches[pick(std::size(kBranches))];
    static const char* const kPrefix[] = {"v", "V", " ", "=", "vv"};
    std::string s = pick(4) == 0 ? kPrefix[pick(std::size(kPrefix))] : "";
    if (pick(25) == 0) {
      s += "20" + std::to_string(10 + pick(15)) + (pick(2) ? "-" : ".") + "0" +
           std::to_string(1 + pick(9)) + (pick(2) ? "-" : "") + std::to_string(10 + pick(18));
    } else {
      std::size_t parts = 1 + pick(pick(6) == 0 ? 6 : 4);
      for (std::size_t i = 0; i < parts; ++i) s += (i ? (pick(40) ? "." : "..") : "") + number();
    }
    static const char* const kSep[] = {"", "-", ".", "_", "-", "+", " "};
    static const char* const kStability[] = {
        "stable", "STABLE", "beta", "b",   "B",   "RC",  "rc", "alpha", "a",   "A",    "patch",
        "pl",     "p",      "Beta", "dev", "DEV", "foo", "x",  "pre",   "rc-", "beta."};
    static const char* const kNumbered[] = {"", "1", "2", ".1", "-1", "1.2", "10", "0", "-2-3"};
    static const char* const kDev[] = {"-dev", ".dev", "dev", "-DEV", "_dev"};
    if (pick(2) == 0) {
      s += kSep[pick(std::size(kSep))];
      s += kStability[pick(std::size(kStability))];
      s += kNumbered[pick(std::size(kNumbered))];
    }
    if (pick(6) == 0) s += kDev[pick(std::size(kDev))];
    if (pick(10) == 0) s += "+build" + std::to_string(pick(3));
    if (pick(15) == 0) s += pick(2) ? "@dev" : "@stable";
    if (pick(30) == 0) s += " as 1.0";
    if (pick(30) == 0) s += " ";
    if (pick(40) == 0) s.insert(pick(s.size() + 1), "\n");
    return s;
  }

  std::string variant(const std::string& a) {
    switch (pick(5)) {
      case 0:
        return version();
      case 1:
        return "v" + a;
      case 2:
        return a + ".0";
      case 3:
        return a + (pick(2) ? "-beta" : "-RC") + std::to_string(pick(3));
      default: {
        auto dash = a.find_first_of("-_+");
        return dash == std::string::npos ? a + "-dev" : a.substr(0, dash);
      }
    }
  }

 private:
  std::mt19937_64 rng_;
};

TEST(ComposerVersion, AgreesWithComposerOnGeneratedPairs) {
  ComposerGenerator gen(42424242);
  const auto pairs =
      testing::vector_then_generated_pairs({"version-vectors/packagist-versions.txt",
                                            "version-vectors/packagist-versions-generated.txt"},
                                           gen, 120000);
  std::vector<std::string> requests;
  for (const auto& [a, b] : pairs) requests.push_back(testing::encode("cmp\x1f" + a + "\x1f" + b));
  auto oracle = testing::run_oracle_command(testing::composer_oracle(), requests);
  ASSERT_EQ(oracle.size(), pairs.size());
  int valid = 0, named_branches = 0;
  const int disagreements =
      testing::count_disagreements(pairs, oracle, " vs ", "composer", [&](std::size_t i) {
        auto r = composer_scheme().compare(pairs[i].first, pairs[i].second);
        std::string ours = testing::answer(r);
        if (ours != "invalid") ++valid;
        // Composer leaves two different named branches unordered ("none"); compare() orders
        // them by name, as documented, and only in that case.
        if (oracle[i] == "none" && r && *r != 0) {
          auto x = composer_normalize(pairs[i].first), y = composer_normalize(pairs[i].second);
          if (x && y && x->rfind("dev-", 0) == 0 && y->rfind("dev-", 0) == 0 &&
              (*r < 0) == (*x < *y)) {
            ++named_branches;
            ours = "none";
          }
        }
        return ours;
      });
  std::printf(
      "composer differential: %zu pairs (%d valid, %d of two named branches), %d disagreements\n",
      pairs.size(), valid, named_branches, disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(valid, 40000);
}

}  // namespace
}  // namespace patchparty::versions
