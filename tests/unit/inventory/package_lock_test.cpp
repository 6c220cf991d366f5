#include "collectors/inventory/package_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using ::testing::HasSubstr;
using testing::read_text;
using testing::test_data;

const Package* at(const std::vector<Package>& packages, std::string_view location) {
  for (const Package& p : packages)
    if (p.location == location) return &p;
  return nullptr;
}

std::vector<std::string> locations(const std::vector<Package>& packages) {
  std::vector<std::string> out;
  for (const Package& p : packages) out.push_back(p.location);
  return out;
}

TEST(PackageLock, MatchesOsvDetectorOnItsVersion3Lockfile) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-package-lock.json");
  auto packages = PackageLock(lock, "shop").scan();
  ASSERT_OK(packages);
  const auto detector = testing::read_detector_output(
      test_data("lockfiles/osv-detector-1-package-lock.json.out.txt"));
  EXPECT_EQ(detector.found, 1273u);

  // The file has 1532 "packages" entries: the project itself ("") and 1531 installed copies.
  // osv-detector counts distinct name@version pairs, 1273; we keep one package per copy, since
  // each node_modules path is a separate thing to upgrade. The 258 extra are copies of a
  // name@version that is also installed at another path.
  EXPECT_EQ(packages->size(), 1531u);
  std::set<std::pair<std::string, std::string>> distinct;
  for (const Package& p : *packages) distinct.emplace(p.name, p.version);
  EXPECT_EQ(distinct.size(), detector.found);
  EXPECT_EQ(packages->size() - distinct.size(), 258u);

  // Every name@version osv-detector reported as affected is in our inventory.
  ASSERT_EQ(detector.affected.size(), 18u);
  for (const auto& [name, version] : detector.affected)
    EXPECT_TRUE(distinct.count({name, version})) << name << "@" << version;

  const auto dev =
      std::count_if(packages->begin(), packages->end(), [](const Package& p) { return p.dev; });
  const auto optional = std::count_if(packages->begin(), packages->end(),
                                      [](const Package& p) { return p.optional; });
  EXPECT_EQ(dev, 1442);
  EXPECT_EQ(optional, 1);
  EXPECT_EQ(packages->size() - static_cast<std::size_t>(dev), 89u);

  const Package* traverse = at(*packages, "node_modules/@babel/traverse");
  ASSERT_NE(traverse, nullptr);
  EXPECT_EQ(traverse->name, "@babel/traverse");
  EXPECT_EQ(traverse->version, "7.11.5");
  EXPECT_EQ(traverse->ecosystem, "npm");
  EXPECT_EQ(traverse->origin, "npm");
  EXPECT_EQ(traverse->project, "shop");
  EXPECT_EQ(traverse->source_name, "@babel/traverse");
  EXPECT_EQ(traverse->source_version, "7.11.5");
  EXPECT_TRUE(traverse->dev);

  const Package* nested = at(*packages, "node_modules/cliui/node_modules/ansi-regex");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->name, "ansi-regex");
  EXPECT_EQ(nested->version, "4.1.0");

  const Package* prettier =
      at(*packages, "node_modules/@vue/component-compiler-utils/node_modules/prettier");
  ASSERT_NE(prettier, nullptr);
  EXPECT_TRUE(prettier->optional);
  EXPECT_TRUE(prettier->dev);
}

constexpr const char* kVersion1 = R"({
  "name": "app", "version": "1.0.0", "lockfileVersion": 1, "requires": true,
  "dependencies": {
    "express": {
      "version": "4.17.1", "resolved": "https://registry.npmjs.org/express/-/express-4.17.1.tgz",
      "requires": {"debug": "2.6.9"},
      "dependencies": {
        "debug": {"version": "2.6.9", "requires": {"ms": "2.0.0"},
                  "dependencies": {"ms": {"version": "2.0.0"}}}
      }
    },
    "debug": {"version": "4.3.1"},
    "jest": {"version": "26.6.3", "dev": true},
    "fsevents": {"version": "2.3.2", "dev": true, "optional": true},
    "string-width-cjs": {"version": "npm:string-width@4.2.3"},
    "scoped-alias": {"version": "npm:@scope/real@1.0.0-beta.1"},
    "local": {"version": "file:../local"},
    "from-git": {"version": "git+https://example.invalid/x.git#0123456789abcdef"}
  }
})";

TEST(PackageLock, ReadsVersion1Trees) {
  auto r = parse_package_lock(kVersion1, "app");
  ASSERT_OK(r);
  EXPECT_EQ(locations(*r), (std::vector<std::string>{
                               "node_modules/express", "node_modules/debug", "node_modules/jest",
                               "node_modules/fsevents", "node_modules/string-width-cjs",
                               "node_modules/scoped-alias", "node_modules/local",
                               "node_modules/from-git", "node_modules/express/node_modules/debug",
                               "node_modules/express/node_modules/debug/node_modules/ms"}));
  const Package* inner = at(*r, "node_modules/express/node_modules/debug");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->name, "debug");
  EXPECT_EQ(inner->version, "2.6.9");
  EXPECT_EQ(at(*r, "node_modules/debug")->version, "4.3.1");
  EXPECT_TRUE(at(*r, "node_modules/jest")->dev);
  EXPECT_FALSE(at(*r, "node_modules/jest")->optional);
  EXPECT_TRUE(at(*r, "node_modules/fsevents")->dev);
  EXPECT_TRUE(at(*r, "node_modules/fsevents")->optional);
  EXPECT_FALSE(at(*r, "node_modules/express")->dev);

  const Package* alias = at(*r, "node_modules/string-width-cjs");
  EXPECT_EQ(alias->name, "string-width");
  EXPECT_EQ(alias->version, "4.2.3");
  const Package* scoped = at(*r, "node_modules/scoped-alias");
  EXPECT_EQ(scoped->name, "@scope/real");
  EXPECT_EQ(scoped->version, "1.0.0-beta.1");
  // Versions that are not registry versions stay as written for correlation to reject.
  EXPECT_EQ(at(*r, "node_modules/local")->version, "file:../local");
  EXPECT_EQ(at(*r, "node_modules/from-git")->version,
            "git+https://example.invalid/x.git#0123456789abcdef");
}

TEST(PackageLock, Version1WithoutDependenciesIsEmpty) {
  auto r = parse_package_lock(R"({"name": "app", "lockfileVersion": 1, "requires": true})", "app");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
}

TEST(PackageLock, Version2ReadsThePackagesMapOnly) {
  // The legacy tree names a different version, to show which one is read.
  auto r = parse_package_lock(R"({
    "name": "app", "lockfileVersion": 2,
    "packages": {
      "": {"name": "app", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}},
      "node_modules/lodash": {"version": "4.17.21"}
    },
    "dependencies": {"lodash": {"version": "4.17.20"}}
  })",
                              "app");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().name, "lodash");
  EXPECT_EQ(r->front().version, "4.17.21");
  EXPECT_EQ(r->front().location, "node_modules/lodash");
}

TEST(PackageLock, Version3SkipsTheProjectLinksAndWorkspaceSources) {
  auto r = parse_package_lock(R"({
    "name": "mono", "lockfileVersion": 3,
    "packages": {
      "": {"name": "mono", "workspaces": ["packages/*"]},
      "node_modules/web": {"resolved": "packages/web", "link": true},
      "packages/web": {"name": "web", "version": "0.1.0", "dependencies": {"lodash": "^3"}},
      "packages/web/node_modules/lodash": {"version": "3.10.1"},
      "node_modules/lodash": {"version": "4.17.21", "dev": true},
      "node_modules/wrap-ansi-cjs": {"name": "wrap-ansi", "version": "7.0.0"},
      "node_modules/@types/node": {"version": "20.1.0", "devOptional": true},
      "node_modules/fsevents": {"version": "2.3.3", "optional": true},
      "node_modules/fsevents/node_modules/@scope/x": {"version": "1.0.0", "dev": true,
                                                      "optional": true},
      "node_modules/no-version": {"resolved": "https://example.invalid/x.tgz"}
    }
  })",
                              "mono");
  ASSERT_OK(r);
  EXPECT_EQ(locations(*r),
            (std::vector<std::string>{
                "packages/web/node_modules/lodash", "node_modules/lodash",
                "node_modules/wrap-ansi-cjs", "node_modules/@types/node", "node_modules/fsevents",
                "node_modules/fsevents/node_modules/@scope/x", "node_modules/no-version"}));
  const Package* workspace_dep = at(*r, "packages/web/node_modules/lodash");
  EXPECT_EQ(workspace_dep->name, "lodash");
  EXPECT_EQ(workspace_dep->version, "3.10.1");
  EXPECT_FALSE(workspace_dep->dev);
  EXPECT_TRUE(at(*r, "node_modules/lodash")->dev);
  EXPECT_EQ(at(*r, "node_modules/wrap-ansi-cjs")->name, "wrap-ansi");

  const Package* types = at(*r, "node_modules/@types/node");
  EXPECT_EQ(types->name, "@types/node");
  EXPECT_FALSE(types->dev);  // devOptional: reaches production through an optional path
  EXPECT_TRUE(types->optional);
  EXPECT_TRUE(at(*r, "node_modules/fsevents")->optional);
  EXPECT_FALSE(at(*r, "node_modules/fsevents")->dev);
  const Package* scoped = at(*r, "node_modules/fsevents/node_modules/@scope/x");
  EXPECT_EQ(scoped->name, "@scope/x");
  EXPECT_TRUE(scoped->dev);
  EXPECT_TRUE(scoped->optional);
  EXPECT_EQ(at(*r, "node_modules/no-version")->version, "");
}

TEST(PackageLock, InvalidJsonIsDataLossWithOffset) {
  expect_error(parse_package_lock(R"({"lockfileVersion": 3,})", "p"), Errc::data_loss,
               "package-lock.json: invalid JSON at offset 22");
  expect_error(parse_package_lock("", "p", "/srv/app/package-lock.json"), Errc::data_loss,
               "/srv/app/package-lock.json: invalid JSON at offset 0");
  expect_error(
      parse_package_lock("{\"lockfileVersion\": 3, \"packages\": {\"\xc3\x28\": {}}}", "p"),
      Errc::data_loss, "invalid JSON at offset");
}

TEST(PackageLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "top level is not an object"},
      {R"({"packages": {}})", "no \"lockfileVersion\""},
      {R"({"lockfileVersion": "3", "packages": {}})", "\"lockfileVersion\" is not an integer"},
      {R"({"lockfileVersion": 3})", "lockfileVersion 3 without a \"packages\" map"},
      {R"({"lockfileVersion": 3, "packages": []})", "\"packages\" is not an object"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a": 1}})",
       "packages[\"node_modules/a\"]: not an object"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a": {"version": 1}}})",
       "packages[\"node_modules/a\"]: \"version\" is not a string"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a": {"dev": "yes"}}})",
       "\"dev\" is not a boolean"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a": {"name": 1}}})",
       "\"name\" is not a string"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/": {"version": "1"}}})",
       "no package name"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a b": {"version": "1"}}})",
       "package name is not printable ASCII"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a": {"name": "x\ty"}}})",
       "package name is not printable ASCII"},
      {R"({"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1\n"}}})",
       "\"version\" has control characters"},
      {R"({"lockfileVersion": 1, "dependencies": {"a\u0000": {"version": "1"}}})",
       "package name is not printable ASCII"},
      {R"({"lockfileVersion": 1, "dependencies": {"a": {"version": "npm:b c@1"}}})",
       "package name is not printable ASCII"},
      {R"({"lockfileVersion": 1, "dependencies": []})",
       "\"dependencies\" of \"\" is not an object"},
      {R"({"lockfileVersion": 1, "dependencies": {"a": "1.0.0"}})",
       "dependencies \"node_modules/a\": not an object"},
      {R"({"lockfileVersion": 1, "dependencies": {"a": {"version": "1", "dependencies": 3}}})",
       "\"dependencies\" of \"node_modules/a/\" is not an object"},
      {R"({"lockfileVersion": 1, "dependencies": {"a": {"optional": 1}}})",
       "\"optional\" is not a boolean"},
  };
  for (const auto& [json, message] : cases) {
    SCOPED_TRACE(json);
    expect_error(parse_package_lock(json, "p"), Errc::invalid_argument, message);
  }
}

TEST(PackageLock, UnknownLockfileVersionIsFailedPrecondition) {
  expect_error(parse_package_lock(R"({"lockfileVersion": 4, "packages": {}})", "p"),
               Errc::failed_precondition, "lockfileVersion 4 is not supported");
  expect_error(parse_package_lock(R"({"lockfileVersion": 0})", "p"), Errc::failed_precondition,
               "lockfileVersion 0");
}

TEST(PackageLock, DeepNestingIsAnErrorNotACrash) {
  const std::size_t depth = 1'000'000;
  expect_error(parse_package_lock(std::string(depth, '[') + std::string(depth, ']'), "p"),
               Errc::invalid_argument, "top level is not an object");
  expect_error(parse_package_lock(std::string(depth, '{'), "p"), Errc::data_loss, "invalid JSON");

  // A version 1 tree 65 levels deep: past the depth cap, refused instead of building paths
  // whose total size grows with the square of the depth.
  std::string tree = R"({"version": "1"})";
  for (int i = 0; i < 64; ++i) tree = R"({"version": "1", "dependencies": {"a": )" + tree + "}}";
  auto r =
      parse_package_lock(R"({"lockfileVersion": 1, "dependencies": {"a": )" + tree + "}}", "p");
  expect_error(r, Errc::resource_exhausted, "nested deeper than 64 levels");
  // At the cap it is read, to the deepest level.
  tree = R"({"version": "1"})";
  for (int i = 0; i < 63; ++i) tree = R"({"version": "1", "dependencies": {"a": )" + tree + "}}";
  r = parse_package_lock(R"({"lockfileVersion": 1, "dependencies": {"a": )" + tree + "}}", "p");
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 64u);
}

TEST(PackageLock, TruncatedFileIsAlwaysDataLoss) {
  const std::string text = read_text(test_data("lockfiles/osv-detector-1-package-lock.json"));
  for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
    SCOPED_TRACE(cut);
    EXPECT_ERRC(parse_package_lock(std::string_view(text).substr(0, cut), "p"), Errc::data_loss);
  }
}

TEST(PackageLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "package-lock.json";
  testing::write_big_lockfile(
      lock, 200u << 20, R"({"lockfileVersion": 3, "packages": {"": {},)",
      [](std::size_t i) {
        return R"("node_modules/package-)" + std::to_string(i) + R"(": {"version": "1.0.0"},)";
      },
      R"("node_modules/last": {"version": "1.0.0"}}})");
  ASSERT_GE(fs::file_size(lock), 200u << 20);

  testing::expect_refused_unread([&] { return PackageLock(lock, "big").scan(); });
  fs::remove_all(dir);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(PackageLock, SizeCapIsConfigurable) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-package-lock.json");
  const auto size = fs::file_size(lock);
  EXPECT_ERRC(PackageLock(lock, "p", size - 1).scan(), Errc::resource_exhausted);
  auto r = PackageLock(lock, "p", size).scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 1531u);
}

TEST(PackageLock, MissingFileIsNotFound) {
  EXPECT_ERRC(PackageLock("/nonexistent/patchparty/package-lock.json", "p").scan(),
              Errc::not_found);
}

TEST(PackageLock, NameIsNpm) {
  EXPECT_EQ(PackageLock("package-lock.json", "p").name(), "npm");
}

}  // namespace
}  // namespace patchparty::inventory
