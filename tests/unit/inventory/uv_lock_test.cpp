#include "collectors/inventory/uv_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
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
  return test_data("lockfiles/osv-detector-fixtures/uv/" + name);
}

TEST(UvLock, MatchesTheTomllibOracleOnEveryFixture) {
  const auto files = testing::fixture_files("uv");
  ASSERT_EQ(files.size(), 8u);
  const auto tally = testing::compare_with_python_oracle(
      "uv", files, [](const fs::path& file) { return UvLock(file, "app").scan(); });
  EXPECT_EQ(tally.packages, 14u + 1u + 2u);
  EXPECT_EQ(tally.refused, 2u);
}

TEST(UvLock, ReadsTheDetectorFixtures) {
  auto r = UvLock(fixture("one-package.lock"), "app").scan();
  ASSERT_OK(r);
  // The project itself ("uv-lockfiles", source virtual) is not a package.
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"emoji", "2.14.0"}}));
  const Package& emoji = r->front();
  EXPECT_EQ(emoji.ecosystem, "PyPI");
  EXPECT_EQ(emoji.origin, "uv");
  EXPECT_EQ(emoji.project, "app");
  EXPECT_EQ(emoji.location, fixture("one-package.lock").string());
  EXPECT_EQ(emoji.source_name, "emoji");
  EXPECT_EQ(emoji.source_version, "2.14.0");
  EXPECT_FALSE(emoji.dev);

  r = UvLock(fixture("two-packages.lock"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"emoji", "2.14.0"}, {"protobuf", "4.25.5"}}));

  // Extras ("optional-dependencies") are production code: nothing here is dev.
  r = UvLock(fixture("grouped-packages.lock"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 14u);
  EXPECT_EQ(r->front().name, "black");
  EXPECT_EQ(r->front().version, "24.10.0");
  EXPECT_EQ(r->back().name, "typing-extensions");
  EXPECT_EQ(r->back().version, "4.12.2");
  EXPECT_TRUE(std::none_of(r->begin(), r->end(), [](const Package& p) { return p.dev; }));

  for (const char* empty : {"no-dependencies.lock", "no-packages.lock", "source-git.lock"}) {
    SCOPED_TRACE(empty);
    r = UvLock(fixture(empty), "app").scan();
    ASSERT_OK(r);
    EXPECT_TRUE(r->empty());
  }
  // A zero-byte file has no "version": not a uv.lock.
  expect_error(UvLock(fixture("empty.lock"), "app").scan(), Errc::invalid_argument,
               "no integer \"version\"");
  expect_error(UvLock(fixture("not-toml.txt"), "app").scan(), Errc::data_loss,
               "invalid TOML at line 1");
}

constexpr const char* kDevGroups = R"(
version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "requests" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }, { name = "urllib3", version = "1.26.20" }]
lint = [{ name = "ruff" }]

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "urllib3", version = "2.2.3" }, { name = "idna" }]

[[package]]
name = "idna"
version = "3.10"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "urllib3"
version = "2.2.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "urllib3"
version = "1.26.20"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "pluggy" }, { name = "idna" }]

[[package]]
name = "pluggy"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "ruff"
version = "0.8.1"
source = { git = "https://github.com/astral-sh/ruff#84748be16341b76e073d117329f7f5f4ee2941ad" }

[[package]]
name = "orphan"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "vendored"
version = "1.0"
source = { directory = "vendor/vendored" }

[[package]]
name = "sibling"
version = "1.0"
source = { path = "../sibling-1.0.tar.gz" }
)";

TEST(UvLock, MarksPackagesOnlyDevGroupsReachAsDev) {
  auto r = parse_uv_lock(kDevGroups, "app");
  ASSERT_OK(r);
  std::map<std::pair<std::string, std::string>, bool> dev;
  for (const Package& p : *r) dev[{p.name, p.version}] = p.dev;
  EXPECT_EQ(dev, (std::map<std::pair<std::string, std::string>, bool>{
                     {{"requests", "2.32.3"}, false},
                     {{"idna", "3.10"}, false},  // production, though pytest needs it too
                     {{"urllib3", "2.2.3"}, false},
                     {{"urllib3", "1.26.20"}, true},  // the edge names its version
                     {{"pytest", "8.3.3"}, true},
                     {{"pluggy", "1.5.0"}, true},
                     {{"orphan", "1.0"}, false},  // unreachable: the lock cannot tell
                 }));
}

TEST(UvLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"version = \"1\"", "no integer \"version\""},
      {"version = 1\npackage = 1", "\"package\" is not an array of tables"},
      {"version = 1\npackage = [1]", "package[0]: not a table"},
      {"version = 1\n[[package]]\nversion = \"1\"", "package[0]: no \"name\" string"},
      {"version = 1\n[[package]]\nname = \"a b\"", "\"name\" is not printable ASCII"},
      {"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"",
       "package[0] (a): no \"source\" table"},
      {"version = 1\n[[package]]\nname = \"a\"\nsource = { registry = \"x\" }",
       "registry package without a \"version\""},
      {"version = 1\n[[package]]\nname = \"a\"\nversion = 1\nsource = { registry = \"x\" }",
       "\"version\" is not a printable ASCII string"},
      {"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"x\" }\n"
       "dependencies = \"b\"",
       "dependencies is not an array"},
      {"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"x\" }\n"
       "dependencies = [{ version = \"1\" }]",
       "an entry without a \"name\" string"},
      {"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"x\" }\n"
       "dev-dependencies = []",
       "\"dev-dependencies\" is not a table"},
      {"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"x\" }\n"
       "[package.optional-dependencies]\ncli = 1",
       "optional-dependencies.cli is not an array"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_uv_lock(text, "p"), Errc::invalid_argument, message);
  }
}

TEST(UvLock, UnknownVersionIsFailedPrecondition) {
  expect_error(parse_uv_lock("version = 2\n", "p"), Errc::failed_precondition,
               "version 2 is not supported");
  expect_error(parse_uv_lock("version = 0\n", "p"), Errc::failed_precondition, "version 0");
  auto r = parse_uv_lock("version = 1\nrevision = 2\n", "p");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
}

TEST(UvLock, TruncatedFileIsNeverACrash) {
  const std::string text = testing::read_text(fixture("grouped-packages.lock"));
  for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
    SCOPED_TRACE(cut);
    auto r = parse_uv_lock(std::string_view(text).substr(0, cut), "p");
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument)
          << r.error().to_string();
    }
  }
}

TEST(UvLock, DependencyCyclesEnd) {
  auto r = parse_uv_lock(R"(
version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
[package.dev-dependencies]
dev = [{ name = "a" }]
[[package]]
name = "a"
version = "1"
source = { registry = "x" }
dependencies = [{ name = "b" }]
[[package]]
name = "b"
version = "1"
source = { registry = "x" }
dependencies = [{ name = "a" }, { name = "b" }]
)",
                         "p");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_TRUE((*r)[0].dev);
  EXPECT_TRUE((*r)[1].dev);
}

TEST(UvLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "uv.lock";
  testing::write_big_lockfile(
      lock, 70u << 20, "version = 1\n",
      [](std::size_t i) {
        return "[[package]]\nname = \"p" + std::to_string(i) +
               "\"\nversion = \"1.0\"\nsource = { registry = \"x\" }\n";
      },
      "");
  testing::expect_refused_unread([&] { return UvLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(UvLock, MissingFileIsNotFound) {
  EXPECT_ERRC(UvLock("/nonexistent/patchparty/uv.lock", "p").scan(), Errc::not_found);
}

TEST(UvLock, KindAndName) {
  EXPECT_EQ(UvLock("uv.lock", "p").name(), "uv");
  testing::expect_lockfile_kind(uv_inventory_kind(), "uv", {"uv.lock"}, "PyPI",
                                fixture("two-packages.lock"), 2u);
}

}  // namespace
}  // namespace patchparty::inventory
