#include "core/versions/composer_constraint.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/versions/composer_version.h"
#include "tests/support/test_data.h"
#include "tests/unit/versions/differential.h"
#include "tests/unit/versions/oracle_process.h"

namespace patchparty::versions {
namespace {

bool sat(std::string_view v, std::string_view c) {
  auto r = composer_satisfies(v, c);
  EXPECT_TRUE(r.has_value()) << v << " in " << c << ": " << r.error().to_string();
  return r && *r;
}

TEST(ComposerConstraint, AndOrAndComparators) {
  EXPECT_TRUE(sat("4.4.12", ">=4.4.0,<4.4.13"));
  EXPECT_FALSE(sat("4.4.13", ">=4.4.0,<4.4.13"));
  EXPECT_TRUE(sat("4.4.12", ">=4.4.0 <4.4.13"));
  EXPECT_TRUE(sat("5.1.0", ">=4.4.0,<4.4.13|>=5.0.0,<5.1.5"));
  EXPECT_TRUE(sat("5.1.0", ">=4.4.0,<4.4.13 || >=5.0.0,<5.1.5"));
  EXPECT_FALSE(sat("1.0.0", "!=1.0"));
  EXPECT_TRUE(sat("1.0.1", "<>1.0"));
  EXPECT_FALSE(sat("4.4.13-beta1", "<4.4.13"));  // "<4.4.13" means "<4.4.13.0-dev"
  EXPECT_TRUE(sat("4.0.0-rc2", ">=4.0.0-rc2"));
}

TEST(ComposerConstraint, TildeCaretWildcardHyphen) {
  EXPECT_TRUE(sat("1.9.0", "^1.2"));
  EXPECT_FALSE(sat("2.0.0", "^1.2"));
  EXPECT_FALSE(sat("0.3.0", "^0.2.3"));
  EXPECT_TRUE(sat("1.2.9", "~1.2.3"));
  EXPECT_FALSE(sat("1.3.0", "~1.2.3"));
  EXPECT_TRUE(sat("1.9", "~1.2"));
  EXPECT_TRUE(sat("1.2.7", "1.2.*"));
  EXPECT_FALSE(sat("1.3.0", "1.2.*"));
  EXPECT_TRUE(sat("3.4.0", "1.0 - 3.4"));
  EXPECT_TRUE(sat("3.4.9", "1.0 - 3.4"));
  EXPECT_FALSE(sat("3.5.0", "1.0 - 3.4"));
  EXPECT_TRUE(sat("0.0.1", "*"));
}

TEST(ComposerConstraint, StabilityFlagsAndBranches) {
  EXPECT_TRUE(sat("1.0.0-beta1", ">=1.0@beta"));  // ">= 1.0.0.0-beta"
  EXPECT_FALSE(sat("1.0.0-alpha1", ">=1.0@beta"));
  EXPECT_TRUE(sat("1.2.0-dev", "1.2.*@dev"));
  EXPECT_TRUE(sat("dev-master", "dev-master"));
  EXPECT_FALSE(sat("dev-master", ">=1.0"));  // a branch is neither older nor newer
  EXPECT_FALSE(sat("dev-master", "<1.0"));
  EXPECT_TRUE(sat("dev-master", "!=1.0"));
}

TEST(ComposerConstraint, RejectsInvalidInput) {
  EXPECT_ERRC(composer_satisfies("1.0", "~>1.0"), Errc::invalid_argument);
  EXPECT_ERRC(composer_satisfies("1.0", ">=foo"), Errc::invalid_argument);
  EXPECT_ERRC(composer_satisfies("1.0", "1.0 ||"), Errc::invalid_argument);
  EXPECT_ERRC(composer_satisfies("nope", ">=1.0"), Errc::invalid_argument);
  EXPECT_ERRC(composer_satisfies("1.0", std::string(2000, '1')), Errc::invalid_argument);
}

TEST(ComposerConstraint, AllOfIsAnd) {
  std::vector<std::string> branch{">=4.4.0", "<4.4.13"};
  auto in = composer_all_of("4.4.5", branch);
  ASSERT_OK(in);
  EXPECT_TRUE(*in);
  auto out = composer_all_of("4.4.13", branch);
  ASSERT_OK(out);
  EXPECT_FALSE(*out);
  EXPECT_ERRC(composer_all_of("4.4.5", std::vector<std::string>{">=4.4.0", "<<4"}),
              Errc::invalid_argument);
  EXPECT_ERRC(composer_all_of("4.4.5", std::vector<std::string>{}), Errc::invalid_argument);
}

// ---- FriendsOfPHP advisories ----

// The entries of every "versions: [...]" flow list in the advisory YAML files.
std::vector<std::vector<std::string>> advisory_branches() {
  std::vector<std::vector<std::string>> out;
  auto root = testing::test_data("friendsofphp");
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".yaml") continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      auto key = line.find("versions:");
      if (key == std::string::npos) continue;
      auto open = line.find('[', key), close = line.rfind(']');
      EXPECT_TRUE(open != std::string::npos && close != std::string::npos)
          << e.path() << ": " << line;
      if (open == std::string::npos || close == std::string::npos) continue;
      std::vector<std::string> entries;
      std::string cur;
      char quote = 0;
      for (std::size_t i = open + 1; i < close; ++i) {
        char c = line[i];
        if (quote) {
          if (c == quote)
            quote = 0;
          else
            cur += c;
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == ',') {
          entries.push_back(cur);
          cur.clear();
        } else if (c != ' ') {
          cur += c;
        }
      }
      if (!cur.empty()) entries.push_back(cur);
      out.push_back(entries);
    }
  }
  return out;
}

TEST(ComposerConstraint, ParsesEveryFriendsOfPhpConstraint) {
  auto branches = advisory_branches();
  std::size_t constraints = 0;
  for (const auto& b : branches)
    for (const auto& c : b) {
      ++constraints;
      auto parsed = parse_composer_constraint(c);
      EXPECT_TRUE(parsed.has_value()) << c << ": " << parsed.error().to_string();
    }
  std::printf("friendsofphp: %zu branches, %zu constraints\n", branches.size(), constraints);
  EXPECT_EQ(branches.size(), 2537u);  // MANIFEST.md: 2537 branches
  EXPECT_GT(constraints, 4900u);
}

// ---- differential test against composer/semver ----

class ConstraintGenerator {
 public:
  explicit ConstraintGenerator(std::uint64_t seed) : rng_(seed) {}
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::string number() {
    static const char* const kOdd[] = {
        "00", "01", "99999", "9223372036854775807", "99999999999999999999", ""};
    if (pick(20) == 0) return kOdd[pick(std::size(kOdd))];
    return std::to_string(pick(4));
  }

  std::string stability() {
    static const char* const kStab[] = {"-beta", "-beta1",  "-RC1", "-rc2",    "-alpha", "-dev",
                                        "-p1",   "-patch2", "beta", "-stable", ".dev",   "RC"};
    return kStab[pick(std::size(kStab))];
  }

  std::string version(bool for_range) {
    static const char* const kBranches[] = {"dev-master", "dev-main",  "master",
                                            "1.x-dev",    "1.0.x-dev", "dev-foo"};
    if (pick(25) == 0) return kBranches[pick(std::size(kBranches))];
    std::string s = pick(12) == 0 ? "v" : "";
    std::size_t parts = for_range ? 1 + pick(4) : 1 + pick(3) + pick(2);
    for (std::size_t i = 0; i < parts; ++i) s += (i ? "." : "") + number();
    if (for_range && pick(6) == 0) s += pick(2) ? ".*" : ".x";
    if (pick(4) == 0) s += stability();
    if (pick(30) == 0) s += "+b1";
    return s;
  }

  std::string atom() {
    static const char* const kOps[] = {"",   "",  "=", "==", "!=",  "<>", "<",  "<=", ">",
                                       ">=", "~", "^", "~>", ">= ", "< ", "=>", "^v", "!"};
    static const char* const kOdd[] = {
        "*", "x", "v*", "x.x", "*.*", "@dev", "dev-master#abc", "1.0.x-dev#abc", "foo-dev", "foo"};
    if (pick(25) == 0) return kOdd[pick(std::size(kOdd))];
    if (pick(10) == 0) return version(true) + " - " + version(true);
    std::string s = kOps[pick(std::size(kOps))] + version(true);
    if (pick(12) == 0) s += pick(2) ? "@dev" : (pick(2) ? "@stable" : "@beta");
    if (pick(40) == 0) s += " as 2.0";
    return s;
  }

  std::string constraint() {
    static const char* const kAnd[] = {",", " ", ", ", " , ", "  "};
    static const char* const kOr[] = {"|", "||", " || ", " | ", "|| "};
    std::string s;
    std::size_t groups = 1 + pick(3);
    for (std::size_t g = 0; g < groups; ++g) {
      if (g) s += kOr[pick(std::size(kOr))];
      std::size_t atoms = 1 + pick(3);
      for (std::size_t a = 0; a < atoms; ++a) s += (a ? kAnd[pick(std::size(kAnd))] : "") + atom();
    }
    if (pick(15) == 0) s = " " + s + " ";
    if (pick(25) == 0) s.insert(pick(s.size() + 1), "\n");
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

TEST(ComposerConstraint, AgreesWithComposerOnGeneratedPairs) {
  ConstraintGenerator gen(777);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& b : advisory_branches()) {
    std::string joined;
    for (const auto& c : b) joined += (joined.empty() ? "" : ",") + c;
    for (int i = 0; i < 2; ++i) pairs.emplace_back(gen.version(false), joined);
  }
  while (pairs.size() < 66000) {
    std::string c = gen.constraint();
    for (int i = 0; i < 3; ++i) pairs.emplace_back(gen.version(false), c);
  }
  std::vector<std::string> requests;
  for (const auto& [v, c] : pairs) requests.push_back(testing::encode("sat\x1f" + v + "\x1f" + c));
  auto oracle = testing::run_oracle_command(testing::composer_oracle(), requests);
  ASSERT_EQ(oracle.size(), pairs.size());
  int valid = 0, matched = 0;
  const int disagreements =
      testing::count_disagreements(pairs, oracle, " in ", "composer", [&](std::size_t i) {
        std::string ours;
        if (!composer_normalize(pairs[i].first)) {
          ours = "invalid-version";
        } else if (!parse_composer_constraint(pairs[i].second)) {
          ours = "invalid-range";
        } else {
          ours = *composer_satisfies(pairs[i].first, pairs[i].second) ? "true" : "false";
          ++valid;
          if (ours == "true") ++matched;
        }
        return ours;
      });
  std::printf(
      "composer constraint differential: %zu pairs (%d valid, %d satisfied), %d disagreements\n",
      pairs.size(), valid, matched, disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(valid, 20000);
  EXPECT_GT(matched, 3000);
}

}  // namespace
}  // namespace patchparty::versions
