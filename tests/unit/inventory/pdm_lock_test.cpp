#include "collectors/inventory/pdm_lock.h"

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
  return test_data("lockfiles/osv-detector-fixtures/pdm/" + name);
}

TEST(PdmLock, MatchesTheTomllibOracleOnEveryFixture) {
  const auto files = testing::fixture_files("pdm");
  ASSERT_EQ(files.size(), 7u);
  const auto tally = testing::compare_with_python_oracle(
      "pdm", files, [](const fs::path& file) { return PdmLock(file, "app").scan(); });
  EXPECT_EQ(tally.packages, 3u + 3u + 1u + 2u);
  EXPECT_EQ(tally.refused, 1u);
}

TEST(PdmLock, ReadsTheDetectorFixtures) {
  auto r = PdmLock(fixture("single-package.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"toml", "0.10.2"}}));
  const Package& toml = r->front();
  EXPECT_EQ(toml.ecosystem, "PyPI");
  EXPECT_EQ(toml.origin, "pdm");
  EXPECT_EQ(toml.project, "app");
  EXPECT_EQ(toml.location, fixture("single-package.toml").string());
  EXPECT_EQ(toml.source_name, "toml");
  EXPECT_EQ(toml.source_version, "0.10.2");
  EXPECT_FALSE(toml.dev);

  r = PdmLock(fixture("two-packages.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"six", "1.16.0"}, {"toml", "0.10.2"}}));

  // groups = ["dev"]: dev; groups = ["default"]: not.
  r = PdmLock(fixture("dev-dependency.toml"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(testing::ordered_pairs(*r),
            (Pairs{{"pyroute2", "0.7.11"}, {"toml", "0.10.2"}, {"win-inet-pton", "1.1.0"}}));
  EXPECT_TRUE((*r)[0].dev);
  EXPECT_FALSE((*r)[1].dev);
  EXPECT_TRUE((*r)[2].dev);
  // An optional-dependencies group ("tmp") looks the same in pdm.lock: dev as well.
  r = PdmLock(fixture("optional-dependency.toml"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_TRUE((*r)[0].dev);
  EXPECT_FALSE((*r)[1].dev);

  // A git checkout is skipped, though pdm states its version.
  r = PdmLock(fixture("git-dependency.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  r = PdmLock(fixture("empty.toml"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  expect_error(PdmLock(fixture("not-toml.txt"), "app").scan(), Errc::data_loss,
               "invalid TOML at line 1");
}

TEST(PdmLock, SkipsPathUrlAndVersionlessPackages) {
  auto r = parse_pdm_lock(R"(
[metadata]
lock_version = "4.5.0"

[[package]]
name = "local"
version = "0.1.0"
path = "../local"

[[package]]
name = "direct"
version = "1.0"
url = "https://example.invalid/direct-1.0.tar.gz"

[[package]]
name = "dynamic"
editable = true
path = "."

[[package]]
name = "noversion"

[[package]]
name = "Kept"
version = "2.0"
)",
                          "app");
  ASSERT_OK(r);
  ASSERT_EQ(testing::ordered_pairs(*r), (Pairs{{"Kept", "2.0"}}));
  EXPECT_FALSE(r->front().dev);  // no groups
  EXPECT_EQ(r->front().location, "pdm.lock");
}

TEST(PdmLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "neither a \"package\" array nor a [metadata] table"},
      {"metadata = 1", "\"metadata\" is not a table"},
      {"[metadata]\nlock_version = 4", "\"lock_version\" is not a string"},
      {"package = 1", "\"package\" is not an array of tables"},
      {"package = [1]", "package[0]: not a table"},
      {"[[package]]\nversion = \"1\"", "package[0]: no \"name\" string"},
      {"[[package]]\nname = \"a b\"", "\"name\" is not printable ASCII"},
      {"[[package]]\nname = \"a\"\nversion = 1", "package[0] (a): \"version\" is not a printable"},
      {"[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = \"dev\"",
       "\"groups\" is not an array"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_pdm_lock(text, "p"), Errc::invalid_argument, message);
  }
}

TEST(PdmLock, UnknownLockVersionIsFailedPrecondition) {
  expect_error(parse_pdm_lock("[metadata]\nlock_version = \"5.0\"", "p"), Errc::failed_precondition,
               "lock_version \"5.0\" is not supported");
  EXPECT_OK(parse_pdm_lock("[metadata]\nlock_version = \"3.1\"", "p"));
}

TEST(PdmLock, TruncatedFileIsNeverACrash) {
  const std::string text = testing::read_text(fixture("dev-dependency.toml"));
  for (std::size_t cut = 0; cut < text.size(); cut += 7) {
    SCOPED_TRACE(cut);
    auto r = parse_pdm_lock(std::string_view(text).substr(0, cut), "p");
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument ||
                  r.error().code == Errc::failed_precondition)
          << r.error().to_string();
    }
  }
}

TEST(PdmLock, DeepKeysAreRefusedNotACrash) {
  std::string key = "x";
  for (int i = 0; i < 100'000; ++i) key += ".x";
  expect_error(parse_pdm_lock(key + " = 1\n", "p"), Errc::invalid_argument,
               "more than 64 dotted key parts");
}

TEST(PdmLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "pdm.lock";
  testing::write_big_lockfile(
      lock, 70u << 20, "[metadata]\nlock_version = \"4.4.1\"\n",
      [](std::size_t i) {
        return "[[package]]\nname = \"p" + std::to_string(i) + "\"\nversion = \"1.0\"\n";
      },
      "");
  testing::expect_refused_unread([&] { return PdmLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(PdmLock, MissingFileIsNotFound) {
  EXPECT_ERRC(PdmLock("/nonexistent/patchparty/pdm.lock", "p").scan(), Errc::not_found);
}

TEST(PdmLock, KindAndName) {
  EXPECT_EQ(PdmLock("pdm.lock", "p").name(), "pdm");
  testing::expect_lockfile_kind(pdm_inventory_kind(), "pdm", {"pdm.lock"}, "PyPI",
                                fixture("two-packages.toml"), 2u);
}

}  // namespace
}  // namespace patchparty::inventory
