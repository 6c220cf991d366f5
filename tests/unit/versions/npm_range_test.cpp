#include "core/versions/npm_range.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/versions/differential.h"
#include "tests/unit/versions/oracle_process.h"

namespace patchparty::versions {
namespace {

bool sat(std::string_view v, std::string_view r) {
  auto res = npm_satisfies(v, r);
  EXPECT_TRUE(res.has_value()) << v << " in " << r << ": " << res.error().to_string();
  return res && *res;
}

TEST(NpmRange, CaretAndTilde) {
  EXPECT_TRUE(sat("1.9.9", "^1.2.3"));
  EXPECT_FALSE(sat("2.0.0", "^1.2.3"));
  EXPECT_FALSE(sat("0.3.0", "^0.2.3"));
  EXPECT_FALSE(sat("0.0.4", "^0.0.3"));
  EXPECT_TRUE(sat("1.2.9", "~1.2.3"));
  EXPECT_FALSE(sat("1.3.0", "~1.2.3"));
  EXPECT_TRUE(sat("1.9.0", "~1"));
  EXPECT_TRUE(sat("1.2.5", "~> 1.2.3"));
}

TEST(NpmRange, XRangesHyphensAndUnions) {
  EXPECT_TRUE(sat("1.4.0", "1.x"));
  EXPECT_TRUE(sat("1.2.7", "1.2.*"));
  EXPECT_TRUE(sat("0.0.1", "*"));
  EXPECT_TRUE(sat("0.0.1", ""));
  EXPECT_TRUE(sat("2.3.9", "1.2.3 - 2.3"));
  EXPECT_FALSE(sat("2.4.0", "1.2.3 - 2.3"));
  EXPECT_TRUE(sat("1.7.15", ">=1.7.0 <1.7.16 || >=1.8.0 <1.8.8"));
  EXPECT_FALSE(sat("1.7.16", ">=1.7.0 <1.7.16 || >=1.8.0 <1.8.8"));
  EXPECT_TRUE(sat("2.0.4", "<  2.0.5"));
  EXPECT_FALSE(sat("1.2.9", "> 1.2"));  // node reads "> 1.2" as ">=1.3.0"
  // JavaScript's \s: no-break, ideographic and line-separator spaces separate comparators too.
  EXPECT_TRUE(sat("2.0.0", "^1.2.3\u00a0||\u3000>=\u20032"));
  EXPECT_FALSE(sat("3.0.0", ">=\u00a02 <\u20283"));
}

TEST(NpmRange, PrereleasesOnlyMatchTheirOwnTuple) {
  EXPECT_TRUE(sat("3.0.0-beta.3", ">=3.0.0-beta.1 <3.0.0-beta.7"));
  EXPECT_FALSE(sat("3.0.1-beta.3", ">=3.0.0-beta.1 <3.1.0"));
  EXPECT_FALSE(sat("2.0.0-rc.1", "^1.2.3"));
  EXPECT_FALSE(sat("1.2.4-rc.1", "*"));
  EXPECT_FALSE(sat("1.0.0-beta", "* || >=1.0.0-beta"));  // a bare "*" set replaces the union
}

TEST(NpmRange, RejectsInvalidInput) {
  EXPECT_ERRC(npm_satisfies("1.2.3", ">=1.2.3 <"), Errc::invalid_argument);
  EXPECT_ERRC(npm_satisfies("1.2.3", "not a range"), Errc::invalid_argument);
  EXPECT_ERRC(npm_satisfies("1.2", "*"), Errc::invalid_argument);
  EXPECT_ERRC(npm_satisfies("1.2.3", std::string(2000, '1')), Errc::invalid_argument);
}

// ---- the real advisories ----

// The string value of a top-level "key": "..." member; nullopt for null or absence. The records
// are flat JSON objects whose ranges are plain ASCII, so this is all the JSON needed (and it
// keeps third-party parsers, with their own sanitizer findings, out of this test).
std::optional<std::string> json_string_member(const std::string& doc, const std::string& key) {
  std::size_t at = doc.find("\"" + key + "\"");
  if (at == std::string::npos) return std::nullopt;
  at = doc.find(':', at + key.size() + 2);
  if (at == std::string::npos) return std::nullopt;
  ++at;
  while (at < doc.size() && std::isspace(static_cast<unsigned char>(doc[at]))) ++at;
  if (at >= doc.size() || doc[at] != '"') return std::nullopt;
  std::string out;
  for (++at; at < doc.size() && doc[at] != '"'; ++at) {
    if (doc[at] != '\\') {
      out += doc[at];
      continue;
    }
    if (++at >= doc.size()) break;
    switch (doc[at]) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'u':
        ADD_FAILURE() << key << ": \\u escape in a range";
        break;
      default:
        out += doc[at];
    }
  }
  return out;
}

std::vector<std::string> advisory_ranges() {
  std::vector<std::string> out;
  auto dir = testing::test_data("nodejs-security-wg");
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    for (const char* key : {"vulnerable_versions", "patched_versions"})
      if (auto r = json_string_member(ss.str(), key)) out.push_back(*r);
  }
  return out;
}

TEST(NpmRange, ParsesEveryNodejsSecurityWgRange) {
  auto ranges = advisory_ranges();
  int failures = 0;
  for (const auto& r : ranges) {
    auto parsed = parse_npm_range(r);
    if (!parsed) {
      ++failures;
      ADD_FAILURE() << parsed.error().to_string();
    }
  }
  std::printf("nodejs-security-wg: %zu ranges, %d unparsable\n", ranges.size(), failures);
  EXPECT_GT(ranges.size(), 500u);
}

// ---- differential test against node's semver package ----

class RangeGenerator {
 public:
  explicit RangeGenerator(std::uint64_t seed) : rng_(seed) {}

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::string number() {
    static const char* const kOdd[] = {
        "01", "x", "X", "*", "", "9007199254740991", "9007199254740990", "99999999999999999999"};
    if (pick(25) == 0) return kOdd[pick(std::size(kOdd))];
    if (pick(10) == 0) return "x";
    return std::to_string(pick(4));
  }

  std::string prerelease() {
    static const char* const kPre[] = {"0",    "1",          "alpha", "beta.1", "beta.2",
                                       "rc.1", "alpha.beta", "01",    "x",      "-"};
    return kPre[pick(std::size(kPre))];
  }

  std::string version_number() { return pick(40) == 0 ? number() : std::to_string(pick(4)); }

  std::string version() {
    std::string s = version_number() + "." + version_number() + "." + version_number();
    if (pick(3) == 0) s += "-" + prerelease().substr(0, pick(20) == 0 ? 2 : 9);
    if (pick(15) == 0) s += "+b" + std::to_string(pick(3));
    return s;
  }

  std::string partial() {
    static const char* const kPrefix[] = {"v", "=", "=v", " ", "v ", "vv"};
    std::string s = (pick(8) == 0 ? kPrefix[pick(std::size(kPrefix))] : "") + number();
    std::size_t parts = pick(4);
    if (parts >= 1) s += "." + number();
    if (parts >= 2) s += "." + number();
    if (parts >= 2 && pick(3) == 0) s += "-" + prerelease();
    if (pick(12) == 0) s += "+build.1";
    if (parts == 3 && pick(3) == 0) s += "." + number();
    return s;
  }

  std::string comparator() {
    static const char* const kOps[] = {
        "", "", "=", "<", "<=", ">", ">=", "~", "~>", "^", "< ", ">= ", "~ ", "^ "};
    static const char* const kOddOps[] = {"> =", "<>", "==", "!", "=>", "~^", "^~"};
    if (pick(30) == 0) return kOddOps[pick(std::size(kOddOps))] + partial();
    if (pick(10) == 0) return partial() + " - " + partial();
    if (pick(40) == 0) return pick(2) ? "*" : "<0.0.0-0";
    // Identifier and number runs past node's regex bounds (250 and 257 characters).
    if (pick(150) == 0)
      return kOps[pick(std::size(kOps))] + partial() + "-" + std::string(245 + pick(12), 'z');
    if (pick(150) == 0) return "1.x.3-" + std::string(245 + pick(12), 'q') + " - 2";
    if (pick(150) == 0) return "^1." + std::string(250 + pick(12), '7');
    return kOps[pick(std::size(kOps))] + partial();
  }

  std::string range() {
    static const char* const kAnd[] = {" ", " ", "  ", "\t"};
    static const char* const kOr[] = {" || ", "||", " ||", "|| ", " | ", " || || "};
    std::string s;
    std::size_t sets = 1 + pick(3);
    for (std::size_t i = 0; i < sets; ++i) {
      if (i) s += kOr[pick(std::size(kOr))];
      std::size_t comps = 1 + pick(3);
      for (std::size_t k = 0; k < comps; ++k)
        s += (k ? kAnd[pick(std::size(kAnd))] : "") + comparator();
    }
    if (pick(10) == 0) s = " " + s + " ";
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

std::string answer(std::string_view v, std::string_view r) {
  if (!parse_semver(v, SemverDialect::node)) return "invalid-version";
  auto parsed = parse_npm_range(r);
  if (!parsed) return "invalid-range";
  auto res = npm_satisfies(v, r);
  return *res ? "true" : "false";
}

TEST(NpmRange, AgreesWithNodeSemverOnGeneratedPairs) {
  if (!testing::node_oracle_ready()) return;
  RangeGenerator gen(11262026);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& r : advisory_ranges())
    for (int i = 0; i < 4; ++i) pairs.emplace_back(gen.version(), r);
  while (pairs.size() < 40000) {
    std::string r = gen.range();
    for (int i = 0; i < 2; ++i) pairs.emplace_back(gen.version(), r);
  }
  std::vector<std::string> requests;
  for (const auto& [v, r] : pairs) requests.push_back("sat\x1f" + v + "\x1f" + r);
  auto oracle = testing::run_oracle_command(
      "node '" + (testing::oracle_dir() / "semver_oracle.js").string() + "'", requests);
  ASSERT_EQ(oracle.size(), pairs.size());
  int matched = 0, valid = 0;
  const int disagreements =
      testing::count_disagreements(pairs, oracle, " in ", "node", [&](std::size_t i) {
        std::string ours = answer(pairs[i].first, pairs[i].second);
        if (ours == "true") ++matched;
        if (ours == "true" || ours == "false") ++valid;
        return ours;
      });
  std::printf("npm range differential: %zu pairs (%d valid, %d satisfied), %d disagreements\n",
              pairs.size(), valid, matched, disagreements);
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(valid, 10000);
  EXPECT_GT(matched, 2000);
}

}  // namespace
}  // namespace patchparty::versions
