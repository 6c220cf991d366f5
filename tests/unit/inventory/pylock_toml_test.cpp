#include "collectors/inventory/pylock_toml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::test_data;
using Pairs = testing::OrderedPairs;

fs::path fixture(const std::string& name) {
  return test_data("lockfiles/osv-detector-fixtures/pylock/" + name);
}

TEST(PylockToml, MatchesTheTomllibOracleOnEveryFixture) {
  const auto files = testing::fixture_files("pylock");
  ASSERT_EQ(files.size(), 6u);
  const auto tally = testing::compare_with_python_oracle(
      "pylock", files, [](const fs::path& file) { return PylockToml(file, "app").scan(); });
  EXPECT_EQ(tally.packages, 6u + 3u + 10u + 5u);
  EXPECT_EQ(tally.refused, 1u);
}

TEST(PylockToml, ReadsTheDetectorFixtures) {
  auto r = PylockToml(fixture("example.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r),
            (Pairs{{"attrs", "25.1.0"}, {"cattrs", "24.1.2"}, {"numpy", "2.2.3"}}));
  const Package& attrs = r->front();
  EXPECT_EQ(attrs.ecosystem, "PyPI");
  EXPECT_EQ(attrs.origin, "pylock");
  EXPECT_EQ(attrs.project, "app");
  EXPECT_EQ(attrs.location, fixture("example.toml").string());
  EXPECT_EQ(attrs.source_name, "attrs");
  EXPECT_EQ(attrs.source_version, "25.1.0");
  EXPECT_FALSE(attrs.dev);
  EXPECT_FALSE(attrs.optional);

  // "mleroc" (vcs, with a version) and "net-inf-eval" (directory, the project) are skipped.
  r = PylockToml(fixture("commits.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"click", "8.2.1"},
                                               {"packaging", "24.2"},
                                               {"pathspec", "0.12.1"},
                                               {"python-dateutil", "2.9.0.post0"},
                                               {"scikit-learn", "1.6.1"},
                                               {"tqdm", "4.67.1"}}));

  r = PylockToml(fixture("pdm-full.toml"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 10u);
  EXPECT_EQ(testing::ordered_pairs(*r).front(),
            (std::pair<std::string, std::string>{"certifi", "2025.1.31"}));
  EXPECT_EQ(testing::ordered_pairs(*r).back(),
            (std::pair<std::string, std::string>{"urllib3", "1.26.20"}));

  r = PylockToml(fixture("pip-full.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"annotated-types", "0.7.0"},
                                               {"packaging", "25.0"},
                                               {"pyproject-toml", "0.1.0"},
                                               {"setuptools", "80.9.0"},
                                               {"wheel", "0.45.1"}}));

  r = PylockToml(fixture("pip-just-self.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  expect_error(PylockToml(fixture("not-toml.txt"), "app").scan(), Errc::data_loss,
               "invalid TOML at line 1");
}

TEST(PylockToml, SkipsArchivesAndVersionlessEntries) {
  auto r = parse_pylock_toml(R"(
lock-version = "1.0"
created-by = "hand"

[[packages]]
name = "from-archive"
version = "1.0"
archive = { url = "https://example.invalid/a-1.0.tar.gz", hashes = { sha256 = "00" } }

[[packages]]
name = "no-version"
sdist = { url = "https://example.invalid/b.tar.gz", hashes = { sha256 = "00" } }

[[packages]]
name = "kept"
version = "3.0"
index = "https://pypi.org/simple"
)",
                             "app");
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"kept", "3.0"}}));
  EXPECT_EQ(r->front().location, "pylock.toml");
}

TEST(PylockToml, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no \"lock-version\" string"},
      {"lock-version = 1.0", "no \"lock-version\" string"},
      {"lock-version = \"1.0\"\npackages = 1", "\"packages\" is not an array of tables"},
      {"lock-version = \"1.0\"\npackages = [1]", "packages[0]: not a table"},
      {"lock-version = \"1.0\"\n[[packages]]\nversion = \"1\"", "packages[0]: no \"name\" string"},
      {"lock-version = \"1.0\"\n[[packages]]\nname = \"a\\tb\"", "\"name\" is not printable"},
      {"lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nversion = [1]",
       "packages[0] (a): \"version\" is not a printable"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_pylock_toml(text, "p"), Errc::invalid_argument, message);
  }
}

TEST(PylockToml, UnknownLockVersionIsFailedPrecondition) {
  expect_error(parse_pylock_toml("lock-version = \"2.0\"", "p"), Errc::failed_precondition,
               "lock-version \"2.0\" is not supported");
  expect_error(parse_pylock_toml("lock-version = \"0.9\"", "p"), Errc::failed_precondition,
               "lock-version \"0.9\"");
  auto r = parse_pylock_toml("lock-version = \"1.1\"", "p");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
}

TEST(PylockToml, TruncatedFileIsNeverACrash) {
  const std::string text = testing::read_text(fixture("commits.toml"));
  for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
    SCOPED_TRACE(cut);
    auto r = parse_pylock_toml(std::string_view(text).substr(0, cut), "p");
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument ||
                  r.error().code == Errc::failed_precondition)
          << r.error().to_string();
    }
  }
}

TEST(PylockToml, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "pylock.toml";
  testing::write_big_lockfile(
      lock, 70u << 20, "lock-version = \"1.0\"\n",
      [](std::size_t i) {
        return "[[packages]]\nname = \"p" + std::to_string(i) + "\"\nversion = \"1.0\"\n";
      },
      "");
  testing::expect_refused_unread([&] { return PylockToml(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(PylockToml, MissingFileIsNotFound) {
  EXPECT_ERRC(PylockToml("/nonexistent/patchparty/pylock.toml", "p").scan(), Errc::not_found);
}

TEST(PylockToml, KindAndName) {
  EXPECT_EQ(PylockToml("pylock.toml", "p").name(), "pylock");
  testing::expect_lockfile_kind(pylock_inventory_kind(), "pylock", {"pylock.toml"}, "PyPI",
                                fixture("example.toml"), 3u);
}

}  // namespace
}  // namespace patchparty::inventory
