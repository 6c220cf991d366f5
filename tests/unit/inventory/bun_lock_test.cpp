#include "collectors/inventory/bun_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::read_text;
using testing::test_data;
using Row = std::tuple<std::string, std::string, std::string>;  // name, version, location

const char* const kFixtures = "lockfiles/osv-detector-fixtures/bun/";

std::vector<Row> rows(const std::vector<Package>& packages) {
  std::vector<Row> out;
  for (const Package& p : packages) out.emplace_back(p.name, p.version, p.location);
  return out;
}

Result<std::vector<Package>> read_fixture(const std::string& name) {
  const fs::path file = test_data(kFixtures + name);
  return parse_bun_lock(read_text(file), "app", file.string());
}

TEST(BunLock, ReadsAliasesUnderTheirInstallPaths) {
  auto r = read_fixture("alias.json5");
  ASSERT_OK(r);
  EXPECT_EQ(rows(*r),
            (std::vector<Row>{
                {"has-flag", "4.0.0", "node_modules/has-flag"},
                {"supports-color", "7.2.0", "node_modules/supports-color"},
                {"supports-color", "6.1.0", "node_modules/supports-color-old"},
                {"has-flag", "3.0.0", "node_modules/supports-color-old/node_modules/has-flag"},
            }));
  const Package& p = r->front();
  EXPECT_EQ(p.ecosystem, "npm");
  EXPECT_EQ(p.origin, "bun");
  EXPECT_EQ(p.project, "app");
  EXPECT_EQ(p.source_name, "has-flag");
  EXPECT_EQ(p.source_version, "4.0.0");
}

struct Expected {
  const char* file;
  std::size_t count;
  std::vector<Row> samples;
};

TEST(BunLock, ReadsEveryFixture) {
  const std::vector<Expected> cases = {
      {"alias.json5", 4, {}},
      {"blog-sample.json5", 0, {}},  // github: resolution
      {"commits.json5",
       11,  // seven github/git entries skipped
       {{"@babel/types", "7.26.5", "node_modules/@babel/types"},
        {"jquery", "3.7.1", "node_modules/jquery"},
        {"stopwords", "0.0.1", "node_modules/stopwords"}}},
      {"files.json5", 1, {{"lodash", "1.3.1", "node_modules/lodash"}}},  // file: skipped
      {"nested-dependencies-dup.json5",
       7,
       {{"has-flag", "2.0.0", "node_modules/has-flag"},
        {"has-flag", "4.0.0", "node_modules/supports-color/node_modules/has-flag"}}},
      {"nested-dependencies.json5",
       9,
       {{"supports-color", "7.2.0", "node_modules/chalk/node_modules/supports-color"},
        {"has-flag", "4.0.0",
         "node_modules/chalk/node_modules/supports-color/node_modules/has-flag"}}},
      {"no-packages.json5", 0, {}},
      {"one-package-dev.json5", 1, {{"wrappy", "1.0.2", "node_modules/wrappy"}}},
      {"one-package.json5", 1, {{"wrappy", "1.0.2", "node_modules/wrappy"}}},
      {"optional-package.json5", 3, {{"fsevents", "0.3.8", "node_modules/fsevents"}}},
      {"peer-dependencies-explicit.json5", 2, {{"acorn-jsx", "5.3.2", "node_modules/acorn-jsx"}}},
      {"peer-dependencies-implicit.json5", 2, {{"acorn", "8.14.0", "node_modules/acorn"}}},
      {"same-package-different-groups.json5", 2, {{"has-flag", "3.0.0", "node_modules/has-flag"}}},
      {"scoped-packages-mixed.json5",
       5,
       {{"@babel/code-frame", "7.26.2", "node_modules/@babel/code-frame"},
        {"picocolors", "1.1.1", "node_modules/picocolors"}}},
      {"scoped-packages.json5",
       1,
       {{"@typescript-eslint/types", "5.62.0", "node_modules/@typescript-eslint/types"}}},
      {"two-packages.json5", 2, {{"has-flag", "4.0.0", "node_modules/has-flag"}}},
  };
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures))) {
    (void)entry;
    ++files;
  }
  // + bad-tuple.json5, empty.json5 and not-json.txt, which are refused.
  EXPECT_EQ(files, cases.size() + 3) << "a fixture without an expectation";
  for (const Expected& c : cases) {
    SCOPED_TRACE(c.file);
    auto r = read_fixture(c.file);
    ASSERT_OK(r);
    EXPECT_EQ(r->size(), c.count);
    const auto found = rows(*r);
    for (const Row& sample : c.samples)
      EXPECT_NE(std::find(found.begin(), found.end(), sample), found.end())
          << std::get<0>(sample) << "@" << std::get<1>(sample);
    for (const Package& p : *r) {
      EXPECT_FALSE(p.dev) << p.name;  // not recorded, see the header
      EXPECT_FALSE(p.optional) << p.name;
    }
  }
}

TEST(BunLock, RefusesTheBrokenFixtures) {
  expect_error(read_fixture("bad-tuple.json5"), Errc::invalid_argument,
               "packages[\"wrappy-bad1\"]: not an array starting with a \"name@version\" string");
  expect_error(read_fixture("empty.json5"), Errc::invalid_argument, "no \"lockfileVersion\"");
  expect_error(read_fixture("not-json.txt"), Errc::data_loss, "invalid JSON at offset 1");
}

TEST(BunLock, SkipsEveryNonRegistryResolution) {
  auto r = parse_bun_lock(R"({
    // bun.lock allows comments
    "lockfileVersion": 1,
    "workspaces": {"": {"name": "app"}, "packages/web": {"name": "web"}},
    "packages": {
      "web": ["web@workspace:packages/web"],
      "linked": ["linked@link:../linked", {}],
      "local": ["local@file:../local", {}],
      "root": ["app@root:", {}],
      "tarball": ["tarball@https://example.com/tarball-1.0.0.tgz", {}],
      "gitdep": ["gitdep@git+https://github.com/org/gitdep.git#0123abc", {}, "0123abc"],
      "gh": ["gh@github:org/gh#abc1234", {}, "org-gh-abc1234"],
      "string-width-cjs": ["string-width@npm:string-width@4.2.3", "", {}, "sha512-x"],
      "@scope/a": ["@scope/a@1.0.0-beta.1+build.5", "", {}, "sha512-y"],
      "web/@scope/a": ["@scope/a@2.0.0", "", {}, "sha512-z"],
    },
  })",
                          "app", "/srv/app/bun.lock");
  ASSERT_OK(r);
  EXPECT_EQ(rows(*r), (std::vector<Row>{
                          {"string-width", "4.2.3", "node_modules/string-width-cjs"},
                          {"@scope/a", "1.0.0-beta.1+build.5", "node_modules/@scope/a"},
                          {"@scope/a", "2.0.0", "node_modules/web/node_modules/@scope/a"},
                      }));
}

TEST(BunLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "top level is not an object"},
      {R"({"lockfileVersion": "1"})", "\"lockfileVersion\" is not an integer"},
      {R"({"lockfileVersion": 1, "packages": []})", "\"packages\" is not an object"},
      {R"({"lockfileVersion": 1, "packages": {"a": "a@1.0.0"}})", "not an array"},
      {R"({"lockfileVersion": 1, "packages": {"a": []}})", "not an array"},
      {R"({"lockfileVersion": 1, "packages": {"a b": ["a b@1.0.0"]}})",
       "\"a b@1.0.0\" is not a printable name@version"},
      {R"({"lockfileVersion": 1, "packages": {"a": ["a@1.0.0\u0001"]}})",
       "is not a printable name@version"},
      {R"({"lockfileVersion": 1, "packages": {"a//b": ["b@1.0.0"]}})",
       "key is not an install path"},
      {R"({"lockfileVersion": 1, "packages": {"@scope": ["@scope@1.0.0"]}})",
       "is not a printable name@version"},
      {R"({"lockfileVersion": 1, "packages": {"@scope": ["x@1.0.0"]}})",
       "key is not an install path"},
  };
  for (const auto& [json, message] : cases) {
    SCOPED_TRACE(json);
    expect_error(parse_bun_lock(json, "p"), Errc::invalid_argument, message);
  }
}

TEST(BunLock, UnknownLockfileVersionIsFailedPrecondition) {
  expect_error(parse_bun_lock(R"({"lockfileVersion": 2, "packages": {}})", "p"),
               Errc::failed_precondition, "lockfileVersion 2 is not supported (0 and 1 are)");
  expect_error(parse_bun_lock(R"({"lockfileVersion": -1})", "p"), Errc::failed_precondition,
               "lockfileVersion -1");
  EXPECT_OK(parse_bun_lock(R"({"lockfileVersion": 1})", "p"));
}

TEST(BunLock, DeepNestingIsAnErrorNotACrash) {
  const std::size_t depth = 1'000'000;
  expect_error(parse_bun_lock(std::string(depth, '[') + std::string(depth, ']'), "p"),
               Errc::invalid_argument, "top level is not an object");
  expect_error(parse_bun_lock(std::string(depth, '{'), "p"), Errc::data_loss, "invalid JSON");
}

TEST(BunLock, TruncatedFileIsAlwaysDataLoss) {
  const std::string text = read_text(test_data(std::string(kFixtures) + "commits.json5"));
  for (std::size_t cut = 0; cut < text.size(); cut += 41) {
    SCOPED_TRACE(cut);
    EXPECT_ERRC(parse_bun_lock(std::string_view(text).substr(0, cut), "p"), Errc::data_loss);
  }
}

TEST(BunLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "bun.lock";
  testing::write_big_lockfile(
      lock, 200u << 20, R"({"lockfileVersion": 1, "packages": {)",
      [](std::size_t i) {
        const std::string n = "package-" + std::to_string(i);
        return "\"" + n + "\": [\"" + n + "@1.0.0\", \"\", {}, \"sha512-x\"],";
      },
      R"("last": ["last@1.0.0"]}})");
  testing::expect_refused_unread([&] { return BunLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(BunLock, SizeCapIsConfigurable) {
  const fs::path lock = test_data(std::string(kFixtures) + "commits.json5");
  const auto size = fs::file_size(lock);
  EXPECT_ERRC(BunLock(lock, "p", size - 1).scan(), Errc::resource_exhausted);
  auto r = BunLock(lock, "p", size).scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 11u);
}

TEST(BunLock, MissingFileIsNotFound) {
  EXPECT_ERRC(BunLock("/nonexistent/patchparty/bun.lock", "p").scan(), Errc::not_found);
}

TEST(BunLock, KindDeclaresTheLockfile) {
  EXPECT_EQ(BunLock("bun.lock", "p").name(), "bun");
  const InventoryKind kind = bun_inventory_kind();
  EXPECT_EQ(kind.name, "bun");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"bun.lock"});
  EXPECT_EQ(kind.lockfile_ecosystem, "npm");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "one-package.json5"), "p",
                                   kDefaultMaxFileBytes);
  ASSERT_NE(source, nullptr);
  auto r = source->scan();
  ASSERT_OK(r);
  EXPECT_EQ(rows(*r), (std::vector<Row>{{"wrappy", "1.0.2", "node_modules/wrappy"}}));
}

}  // namespace
}  // namespace patchparty::inventory
