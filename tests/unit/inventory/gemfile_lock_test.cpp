#include "collectors/inventory/gemfile_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::read_text;
using testing::test_data;
using Pairs = testing::PairSet;

constexpr const char* kFixtures = "lockfiles/osv-detector-fixtures/bundler/";

// Bundler's own lockfile parser over the whole file (tests/oracles/gemfile_lock_oracle.rb).
Pairs bundler_oracle(const fs::path& file) {
  const fs::path dir = testing::temp_dir("bundler-oracle");
  auto r = testing::run(
      {"/usr/bin/ruby", PP_SOURCE_DIR "/tests/oracles/gemfile_lock_oracle.rb", file.string()}, dir);
  fs::remove_all(dir);
  EXPECT_EQ(r.code, 0) << r.err;
  Pairs out;
  for (const std::string& line : testing::output_lines(r.out)) {
    const auto tab = line.find('\t');
    out.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

TEST(GemfileLock, MatchesBundlerOnEveryFixtureAndTheRealFile) {
  std::vector<fs::path> files{test_data("lockfiles/osv-detector-1-Gemfile.lock")};
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures)))
    files.push_back(entry.path());
  EXPECT_EQ(files.size(), 11u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    auto packages = GemfileLock(file, "rb").scan();
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), bundler_oracle(file));
  }
}

TEST(GemfileLock, RealFileAgainstOsvDetector) {
  const fs::path file = test_data("lockfiles/osv-detector-1-Gemfile.lock");
  auto packages = GemfileLock(file, "rb").scan();
  ASSERT_OK(packages);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-Gemfile.lock.out.txt"));
  EXPECT_EQ(detector.found, 229u);
  // osv-detector also counts guard-jest 0.1.2 from the GIT section, built from a repository.
  EXPECT_EQ(packages->size(), 228u);
  const Pairs found = testing::pair_set(*packages);
  EXPECT_EQ(found.count({"guard-jest", "0.1.2"}), 0u);
  for (const auto& [name, version] : detector.affected)
    EXPECT_TRUE(found.count({name, version})) << name << "@" << version;
  EXPECT_GT(detector.affected.size(), 10u);
  const Package& first = packages->front();
  EXPECT_EQ(first.name, "actioncable");
  EXPECT_EQ(first.version, "5.2.6");
  EXPECT_EQ(first.ecosystem, "RubyGems");
  EXPECT_EQ(first.origin, "bundler");
  EXPECT_EQ(first.project, "rb");
  EXPECT_EQ(first.location, file.string());
  EXPECT_EQ(first.source_name, first.name);
  EXPECT_EQ(first.source_version, first.version);
  EXPECT_FALSE(first.dev);
}

TEST(GemfileLock, FixtureCountsAndSamples) {
  struct Case {
    const char* file;
    std::size_t count;
    std::pair<std::string, std::string> sample;
  };
  const Case cases[] = {
      {"no-gem-section.lock", 0, {}},
      {"no-gems.lock", 0, {}},
      {"no-spec-section.lock", 0, {}},
      {"one-gem.lock", 1, {"ast", "2.4.2"}},
      {"some-gems.lock", 3, {"pry", "0.14.1"}},
      {"multiple-gems.lock", 6, {"bundler-audit", "0.9.0.1"}},
      {"rubocop.lock", 10, {"rubocop-ast", "1.16.0"}},
      {"rails.lock", 46, {"actioncable", "7.0.2.2"}},
      // The two GIT gems (hanami-controller, hanami-utils) are skipped.
      {"has-git-gem.lock", 3, {"transproc", "1.1.1"}},
      // backbone-on-rails from PATH is skipped; the platform suffix is dropped.
      {"has-local-gem.lock", 29, {"nokogiri", "1.13.3"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto packages = parse_gemfile_lock(read_text(test_data(std::string(kFixtures) + c.file)), "p");
    ASSERT_OK(packages);
    EXPECT_EQ(packages->size(), c.count);
    if (c.count) {
      EXPECT_EQ(testing::pair_set(*packages).count(c.sample), 1u);
    }
    for (const Package& p : *packages) {
      EXPECT_NE(p.name, "hanami-utils");
      EXPECT_NE(p.name, "backbone-on-rails");
    }
  }
}

TEST(GemfileLock, PlatformVariantsOfOneVersionAreOnePackage) {
  auto r = parse_gemfile_lock(
      "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.15.0-arm64-darwin)\n"
      "      racc (~> 1.4)\n    nokogiri (1.15.0-x86_64-linux)\n    racc (1.7.1)\n"
      "\nCHECKSUMS\n  racc (1.7.1) sha256=00\n\nPLATFORMS\n  arm64-darwin\n",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(testing::pair_set(*r), (Pairs{{"nokogiri", "1.15.0"}, {"racc", "1.7.1"}}));
}

TEST(GemfileLock, WindowsLineEndingsAndPluginSources) {
  auto r = parse_gemfile_lock(
      "PLUGIN SOURCE\r\n  remote: x\r\n  specs:\r\n    plugin (1.0)\r\n\r\nGEM\r\n  specs:\r\n"
      "    rack (2.2.3)\r\n",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(testing::pair_set(*r), (Pairs{{"rack", "2.2.3"}}));
}

TEST(GemfileLock, MalformedLinesAreDataLossWithTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"this is not a Gemfile.lock\n", "line 1: not a section heading"},
      {"GEM\n  specs:\n    rack\n", "line 3: spec is not \"name (version)\""},
      {"GEM\n  specs:\n    rack (2.2.3\n", "spec is not \"name (version)\""},
      {"GEM\n  specs:\n    ra ck (2.2.3)\n", "not printable ASCII without spaces"},
      {"GEM\n  specs:\n    rack ()\n", "not printable ASCII without spaces"},
      {"GEM\n  specs:\n    rack (2.2\x01)\n", "not printable ASCII without spaces"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_gemfile_lock(text, "p", "Gemfile.lock"), Errc::data_loss, message);
  }
  auto empty = parse_gemfile_lock("", "p");
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(GemfileLock, KindReadsGemfileLock) {
  const InventoryKind kind = bundler_inventory_kind();
  EXPECT_EQ(kind.name, "bundler");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"Gemfile.lock"});
  EXPECT_EQ(kind.lockfile_ecosystem, "RubyGems");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "one-gem.lock"), "p",
                                   kDefaultMaxFileBytes);
  EXPECT_EQ(source->name(), "bundler");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 1u);
}

TEST(GemfileLock, OversizedFileIsRefusedUnread) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path file = dir / "Gemfile.lock";
  testing::write_big_lockfile(
      file, (64u << 20) + 1, "GEM\n  specs:\n",
      [](std::size_t i) { return "    gem" + std::to_string(i) + " (1.0.0)\n"; }, "");
  testing::expect_refused_unread([&] { return GemfileLock(file, "p").scan(); });
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::inventory
