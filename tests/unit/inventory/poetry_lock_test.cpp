#include "collectors/inventory/poetry_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
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

std::vector<std::pair<std::string, std::string>> pairs(const std::vector<Package>& packages) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Package& p : packages) out.emplace_back(p.name, p.version);
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

fs::path fixture(const std::string& name) {
  return test_data("lockfiles/osv-detector-fixtures/poetry/" + name);
}

TEST(PoetryLock, MatchesTheTomllibOracleOnEveryFixture) {
  const auto files =
      testing::fixture_files("poetry", {test_data("lockfiles/osv-detector-1-poetry.lock")});
  ASSERT_EQ(files.size(), 8u);
  const auto tally = testing::compare_with_python_oracle(
      "poetry", files, [](const fs::path& file) { return PoetryLock(file, "app").scan(); });
  EXPECT_EQ(tally.packages, 142u + 5u);
}

TEST(PoetryLock, ReadsTheDetectorFixtures) {
  auto r = PoetryLock(fixture("empty.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());

  r = PoetryLock(fixture("one-package.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (Pairs{{"numpy", "1.23.3"}}));
  const Package& numpy = r->front();
  EXPECT_EQ(numpy.ecosystem, "PyPI");
  EXPECT_EQ(numpy.origin, "poetry");
  EXPECT_EQ(numpy.project, "app");
  EXPECT_EQ(numpy.location, fixture("one-package.lock").string());
  EXPECT_EQ(numpy.source_name, "numpy");
  EXPECT_EQ(numpy.source_version, "1.23.3");
  EXPECT_FALSE(numpy.dev);
  EXPECT_FALSE(numpy.optional);

  r = PoetryLock(fixture("one-package-with-metadata.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (Pairs{{"emoji", "2.0.0"}}));
  r = PoetryLock(fixture("two-packages.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (Pairs{{"proto-plus", "1.22.0"}, {"protobuf", "4.21.5"}}));
  // A git checkout is skipped; a package from a custom ("legacy") index is kept.
  r = PoetryLock(fixture("source-git.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  r = PoetryLock(fixture("source-legacy.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (Pairs{{"appdirs", "1.4.4"}}));
  expect_error(PoetryLock(fixture("not-toml.txt"), "app").scan(), Errc::data_loss,
               "invalid TOML at line 1");
}

TEST(PoetryLock, MatchesOsvDetectorOnItsLockVersion2File) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-poetry.lock");
  auto r = PoetryLock(lock, "shop").scan();
  ASSERT_OK(r);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-poetry.lock.out.txt"));
  EXPECT_EQ(detector.found, 142u);
  EXPECT_EQ(r->size(), detector.found);
  std::set<std::pair<std::string, std::string>> found;
  for (const Package& p : *r) found.emplace(p.name, p.version);
  EXPECT_EQ(found.size(), 142u);
  ASSERT_FALSE(detector.affected.empty());
  for (const auto& [name, version] : detector.affected)
    EXPECT_TRUE(found.count({name, version})) << name << "@" << version;
  // Poetry 1.5 writes lock-version 2.0 without "category" or "groups": nothing is dev.
  EXPECT_TRUE(std::none_of(r->begin(), r->end(), [](const Package& p) { return p.dev; }));
  EXPECT_TRUE(found.count({"alabaster", "0.7.13"}));
  EXPECT_TRUE(found.count({"cryptography", "41.0.2"}));
}

TEST(PoetryLock, ReadsCategoryGroupsAndOptional) {
  auto r = parse_poetry_lock(R"(
[[package]]
name = "pytest"
version = "7.2.1"
category = "dev"
optional = false

[[package]]
name = "Django"
version = "4.2.1"
category = "main"

[[package]]
name = "psycopg2"
version = "2.9.5"
optional = true

[[package]]
name = "black"
version = "23.1.0"
groups = ["dev", "lint"]

[[package]]
name = "click"
version = "8.1.3"
groups = ["main", "dev"]

[[package]]
name = "local"
version = "0.1.0"
[package.source]
type = "directory"
url = "../local"

[[package]]
name = "wheel-file"
version = "1.0"
[package.source]
type = "file"
url = "dist/wheel_file-1.0-py3-none-any.whl"

[[package]]
name = "from-url"
version = "1.0"
[package.source]
type = "url"
url = "https://example.invalid/from_url-1.0.tar.gz"

[metadata]
lock-version = "2.1"
)",
                             "app");
  ASSERT_OK(r);
  ASSERT_EQ(pairs(*r), (Pairs{{"pytest", "7.2.1"},
                              {"Django", "4.2.1"},
                              {"psycopg2", "2.9.5"},
                              {"black", "23.1.0"},
                              {"click", "8.1.3"}}));
  EXPECT_TRUE((*r)[0].dev);
  EXPECT_FALSE((*r)[1].dev);
  EXPECT_FALSE((*r)[2].dev);
  EXPECT_TRUE((*r)[2].optional);
  EXPECT_FALSE((*r)[0].optional);
  EXPECT_TRUE((*r)[3].dev);
  EXPECT_FALSE((*r)[4].dev);
  EXPECT_EQ((*r)[0].location, "poetry.lock");
}

TEST(PoetryLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "neither a \"package\" array nor a [metadata] table"},
      {"name = 1", "neither a \"package\" array nor a [metadata] table"},
      {"metadata = 1", "\"metadata\" is not a table"},
      {"package = 1", "\"package\" is not an array of tables"},
      {"package = [1, 2]", "\"package\" is not an array of tables"},
      {"[metadata]\nlock-version = 2.0", "\"lock-version\" is not a string"},
      {"[[package]]\nversion = \"1\"", "package[0]: no \"name\" string"},
      {"[[package]]\nname = \"a b\"\nversion = \"1\"", "\"name\" is not printable ASCII"},
      {"[[package]]\nname = \"a\"", "package[0] (a): no \"version\" string"},
      {"[[package]]\nname = \"a\"\nversion = \"1\\n\"", "\"version\" is not printable ASCII"},
      {"[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"git\"", "\"source\" is not a table"},
      {"[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = \"main\"",
       "\"groups\" is not an array"},
      {"[[package]]\nname = \"a\"\nversion = \"1\"\noptional = \"yes\"",
       "\"optional\" is not a boolean"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_poetry_lock(text, "p"), Errc::invalid_argument, message);
  }
}

TEST(PoetryLock, UnknownLockVersionIsFailedPrecondition) {
  expect_error(parse_poetry_lock("package = []\n[metadata]\nlock-version = \"3.0\"", "p"),
               Errc::failed_precondition, "lock-version \"3.0\" is not supported");
  expect_error(parse_poetry_lock("package = []\n[metadata]\nlock-version = \"x\"", "p"),
               Errc::failed_precondition, "lock-version \"x\"");
  EXPECT_OK(parse_poetry_lock("package = []\n[metadata]\nlock-version = \"1.0\"", "p"));
}

TEST(PoetryLock, InvalidTomlIsDataLossWithLineAndColumn) {
  expect_error(
      parse_poetry_lock("[[package]]\nname = \"a\"\nversion = \n", "p", "/srv/poetry.lock"),
      Errc::data_loss, "/srv/poetry.lock: invalid TOML at line 3");
  expect_error(parse_poetry_lock("[[package]]\nname = \"\xc3\x28\"\n", "p"), Errc::data_loss,
               "invalid TOML");
}

TEST(PoetryLock, TruncatedFileIsNeverACrash) {
  const std::string text = testing::read_text(test_data("lockfiles/osv-detector-1-poetry.lock"));
  for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
    SCOPED_TRACE(cut);
    auto r = parse_poetry_lock(std::string_view(text).substr(0, cut), "p");
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument)
          << r.error().to_string();
    }
  }
}

TEST(PoetryLock, DeepKeysAreRefusedNotACrash) {
  std::string header = "[a";
  for (int i = 0; i < 100'000; ++i) header += ".a";
  expect_error(parse_poetry_lock(header + "]\nx = 1\n", "p"), Errc::invalid_argument,
               "line 1 has more than 64 dotted key parts");
  std::string inline_tables = "x = ";
  for (int i = 0; i < 100'000; ++i) inline_tables += "{a = ";
  expect_error(parse_poetry_lock(inline_tables, "p"), Errc::data_loss, "nested");
  // Dots in strings and comments do not count, and 64 parts are read.
  std::string ok =
      "package = []\nurl = \"" + std::string(500, '.') + "\" # " + std::string(500, '.') + "\n[b";
  for (int i = 0; i < 64; ++i) ok += ".b";
  EXPECT_OK(parse_poetry_lock(ok + "]\n", "p"));
}

TEST(PoetryLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "poetry.lock";
  testing::write_big_lockfile(
      lock, 70u << 20, "",
      [](std::size_t i) {
        return "[[package]]\nname = \"p" + std::to_string(i) + "\"\nversion = \"1.0\"\n";
      },
      "[metadata]\nlock-version = \"2.0\"\n");
  testing::expect_refused_unread([&] { return PoetryLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(PoetryLock, MissingFileIsNotFound) {
  EXPECT_ERRC(PoetryLock("/nonexistent/patchparty/poetry.lock", "p").scan(), Errc::not_found);
}

TEST(PoetryLock, KindAndName) {
  EXPECT_EQ(PoetryLock("poetry.lock", "p").name(), "poetry");
  testing::expect_lockfile_kind(poetry_inventory_kind(), "poetry", {"poetry.lock"}, "PyPI",
                                fixture("one-package.lock"), 1u);
}

}  // namespace
}  // namespace patchparty::inventory
