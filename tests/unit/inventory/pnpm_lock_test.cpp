#include "collectors/inventory/pnpm_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
using testing::read_text;
using testing::test_data;
using Pair = std::pair<std::string, std::string>;

const char* const kFixtures = "lockfiles/osv-detector-fixtures/pnpm/";

std::vector<Pair> pairs(const std::vector<Package>& packages) {
  std::vector<Pair> out;
  for (const Package& p : packages) out.emplace_back(p.name, p.version);
  return out;
}

std::set<Pair> pair_set(const std::vector<Package>& packages) {
  const auto list = pairs(packages);
  return {list.begin(), list.end()};
}

const Package* find(const std::vector<Package>& packages, std::string_view name,
                    std::string_view version) {
  for (const Package& p : packages)
    if (p.name == name && p.version == version) return &p;
  return nullptr;
}

// js-yaml with the header's key rules: "name\tversion\tdev\toptional" lines, sorted.
std::set<std::string> oracle(const fs::path& file) {
  const std::string out =
      testing::command_output("node '" + std::string(PP_SOURCE_DIR) +
                              "/tests/oracles/pnpm_oracle.js' '" + file.string() + "'");
  std::set<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  return lines;
}

std::set<std::string> rows(const std::vector<Package>& packages) {
  std::set<std::string> out;
  for (const Package& p : packages)
    out.insert(p.name + "\t" + p.version + "\t" + (p.dev ? "1" : "0") + "\t" +
               (p.optional ? "1" : "0"));
  return out;
}

Result<std::vector<Package>> read_fixture(const std::string& name) {
  const fs::path file = test_data(kFixtures + name);
  return parse_pnpm_lock(read_text(file), "app", file.string());
}

TEST(PnpmLock, AgreesWithJsYamlOnEveryFixture) {
  std::size_t compared = 0, packages_compared = 0;
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures))) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    auto r = parse_pnpm_lock(read_text(entry.path()), "p", entry.path().string());
    ASSERT_OK(r);
    EXPECT_EQ(pair_set(*r).size(), r->size()) << "one package per name@version";
    EXPECT_EQ(rows(*r), oracle(entry.path()));
    ++compared;
    packages_compared += r->size();
  }
  EXPECT_EQ(compared, 33u);
  EXPECT_EQ(packages_compared, 103u);  // the oracle did not agree on nothing
}

struct Expected {
  const char* file;
  std::size_t count;
  std::vector<Pair> samples;
};

TEST(PnpmLock, ReadsEveryFixture) {
  const std::vector<Expected> cases = {
      {"commits.v9.yaml", 0, {}},  // codeload tarballs: not registry packages
      {"commits.yaml", 0, {}},     // git repos and codeload tarballs
      {"empty.yaml", 0, {}},
      {"exotic.yaml",
       7,
       {{"foo", "1.0.0"},
        {"@foo/bar", "1.0.0"},
        {"foo", "1.1.0"},  // another registry: "npm-registry.invalid/foo/1.1.0"
        {"@foo/bar", "1.1.0"},
        {"foo", "1.2.0"},
        {"foo", "1.3.0"},
        {"foo", "1.4.0"}}},
      {"files.yaml", 0, {}},  // file: tarballs and directories
      {"invalid-package-path.yaml", 9, {{"axios", "1.2.5"}, {"@babel/parser", "7.20.7"}}},
      {"mixed-groups.v53.yaml", 3, {{"ansi-regex", "5.0.1"}}},
      {"mixed-groups.v54.yaml", 3, {{"uuid", "8.3.2"}}},
      {"mixed-groups.v6.yaml", 3, {{"ansi-regex", "5.0.0"}, {"uuid", "8.0.0"}}},
      {"mixed-groups.v9.yaml", 3, {{"is-number", "7.0.0"}}},
      {"multiple-packages.yaml", 14, {{"aws-sdk", "2.1087.0"}, {"xmlbuilder", "9.0.7"}}},
      {"multiple-versions.v9.yaml", 3, {{"uuid", "8.0.0"}, {"uuid", "8.3.2"}}},
      {"multiple-versions.yaml", 3, {{"uuid", "3.3.2"}, {"uuid", "8.3.2"}}},
      {"no-packages.v9.yaml", 0, {}},
      {"no-packages.yaml", 0, {}},
      {"one-package-dev.v9.yaml", 1, {{"acorn", "8.11.3"}}},
      {"one-package-dev.yaml", 1, {{"acorn", "8.7.0"}}},
      {"one-package-v6.yaml", 1, {{"acorn", "8.7.0"}}},
      {"one-package.v9.yaml", 1, {{"acorn", "8.11.3"}}},
      {"one-package.yaml", 1, {{"acorn", "8.7.0"}}},
      {"peer-dependencies-advanced-rc-v6.yaml", 5, {{"react-dom", "18.0.0-rc.3"}}},
      {"peer-dependencies-advanced-v6.yaml",
       5,
       {{"react-dom", "18.3.0-canary-ab31a9ed2-20230824"},
        {"scheduler", "0.24.0-canary-ab31a9ed2-20230824"}}},
      {"peer-dependencies-advanced.v9.yaml",
       13,
       {{"@typescript-eslint/eslint-plugin", "5.62.0"}, {"tsutils", "3.21.0"}}},
      {"peer-dependencies-advanced.yaml",
       9,
       {{"@typescript-eslint/eslint-plugin", "5.13.0"},
        {"@typescript-eslint/parser", "5.13.0"},
        {"eslint-utils", "3.0.0"},
        {"tsutils", "3.21.0"}}},
      {"peer-dependencies-v6.yaml", 5, {{"react-dom", "18.2.0"}}},
      {"peer-dependencies.v9.yaml", 2, {{"acorn-jsx", "5.3.2"}}},
      {"peer-dependencies.yaml", 2, {{"acorn-jsx", "5.3.2"}, {"acorn", "8.7.0"}}},
      {"scoped-packages-v6.yaml", 1, {{"@typescript-eslint/types", "5.57.1"}}},
      {"scoped-packages.v9.yaml", 1, {{"@typescript-eslint/types", "5.62.0"}}},
      {"scoped-packages.yaml", 1, {{"@typescript-eslint/types", "5.13.0"}}},
      {"tarball.yaml", 0, {}},  // a tarball URL key, though its entry names a package
      {"with-aliases-v6.yaml", 3, {{"ansi-regex", "5.0.1"}, {"ansi-regex", "6.0.1"}}},
      {"with-aliases.yaml",
       3,
       {{"@babel/helper-validator-identifier", "7.22.20"}, {"ansi-regex", "5.0.1"}}},
  };
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures))) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, cases.size() + 1) << "a fixture without an expectation";  // + not-yaml.txt
  for (const Expected& c : cases) {
    SCOPED_TRACE(c.file);
    auto r = read_fixture(c.file);
    ASSERT_OK(r);
    EXPECT_EQ(r->size(), c.count);
    const auto found = pair_set(*r);
    for (const Pair& sample : c.samples)
      EXPECT_TRUE(found.count(sample)) << sample.first << "@" << sample.second;
  }
  const auto exotic = read_fixture("exotic.yaml");
  ASSERT_OK(exotic);
  EXPECT_EQ(pairs(*exotic), (std::vector<Pair>{{"foo", "1.0.0"},
                                               {"@foo/bar", "1.0.0"},
                                               {"foo", "1.1.0"},
                                               {"@foo/bar", "1.1.0"},
                                               {"foo", "1.2.0"},
                                               {"foo", "1.3.0"},
                                               {"foo", "1.4.0"}}));
}

TEST(PnpmLock, NotYamlIsInvalidArgument) {
  // "this is not valid yaml!" is a valid YAML scalar: the wrong shape, not a syntax error.
  expect_error(read_fixture("not-yaml.txt"), Errc::invalid_argument, "top level is not a map");
}

TEST(PnpmLock, DevAndOptionalFlags) {
  for (const char* file : {"mixed-groups.v53.yaml", "mixed-groups.v54.yaml"}) {
    SCOPED_TRACE(file);
    auto r = read_fixture(file);
    ASSERT_OK(r);
    const Package* prod = find(*r, "ansi-regex", "5.0.1");
    const Package* dev = find(*r, "is-number", "7.0.0");
    const Package* optional = find(*r, "uuid", "8.3.2");
    ASSERT_TRUE(prod && dev && optional);
    EXPECT_FALSE(prod->dev || prod->optional);
    EXPECT_TRUE(dev->dev);
    EXPECT_FALSE(dev->optional);
    EXPECT_TRUE(optional->optional);
    EXPECT_FALSE(optional->dev);
  }
  auto v6 = read_fixture("mixed-groups.v6.yaml");
  ASSERT_OK(v6);
  EXPECT_TRUE(find(*v6, "is-number", "7.0.0")->dev);
  EXPECT_TRUE(find(*v6, "uuid", "8.0.0")->optional);

  // 9.x: optional from the snapshots; no dev flag anywhere, so dev stays false.
  auto v9 = read_fixture("mixed-groups.v9.yaml");
  ASSERT_OK(v9);
  EXPECT_FALSE(find(*v9, "is-number", "7.0.0")->dev);
  EXPECT_TRUE(find(*v9, "uuid", "8.3.2")->optional);
  EXPECT_FALSE(find(*v9, "ansi-regex", "5.0.1")->optional);
  auto dev9 = read_fixture("one-package-dev.v9.yaml");
  ASSERT_OK(dev9);
  EXPECT_FALSE(dev9->front().dev);
}

TEST(PnpmLock, PeerVariantsAreOnePackageFlaggedOnlyIfAllAre) {
  auto r = parse_pnpm_lock(R"(lockfileVersion: 5.4
packages:
  /a/1.0.0_react@17.0.0:
    dev: true
  /a/1.0.0_react@18.0.0:
    dev: false
  /b/2.0.0_x@1.0.0:
    dev: true
    optional: true
  /b/2.0.0_x@2.0.0:
    dev: true
  /c/3.0.0-rc.1_@types+node@20.0.0:
    dev: true
)",
                           "app", "/srv/app/pnpm-lock.yaml");
  ASSERT_OK(r);
  ASSERT_EQ(pairs(*r), (std::vector<Pair>{{"a", "1.0.0"}, {"b", "2.0.0"}, {"c", "3.0.0-rc.1"}}));
  EXPECT_FALSE((*r)[0].dev);
  EXPECT_TRUE((*r)[1].dev);
  EXPECT_FALSE((*r)[1].optional);
  EXPECT_TRUE((*r)[2].dev);
  const Package& c = (*r)[2];
  EXPECT_EQ(c.ecosystem, "npm");
  EXPECT_EQ(c.origin, "pnpm");
  EXPECT_EQ(c.project, "app");
  EXPECT_EQ(c.source_name, "c");
  EXPECT_EQ(c.source_version, "3.0.0-rc.1");
  EXPECT_EQ(c.location, "/srv/app/pnpm-lock.yaml");
}

TEST(PnpmLock, Version9SkipsNonRegistryKeysAndReadsEveryDocument) {
  auto r = parse_pnpm_lock(R"(---
lockfileVersion: '9.0'
importers:
  .:
    packageManagerDependencies:
      pnpm:
        specifier: 10.0.0
        version: 10.0.0
packages:
  pnpm@10.0.0:
    resolution: {integrity: sha512-x}
snapshots:
  pnpm@10.0.0: {}
---
lockfileVersion: '9.0'
packages:
  '@scope/lib@1.2.3':
    resolution: {integrity: sha512-y, tarball: https://registry.example/@scope/lib/-/lib-1.2.3.tgz}
  local@file:packages/local:
    resolution: {directory: packages/local, type: directory}
    name: local
    version: 0.1.0
  linked@link:../linked:
    resolution: {directory: ../linked, type: directory}
  remote@https://example.com/remote-1.0.0.tgz:
    resolution: {tarball: https://example.com/remote-1.0.0.tgz}
    version: 1.0.0
  gitdep@git+https://github.com/org/gitdep.git#0123abc:
    resolution: {commit: 0123abc, repo: https://github.com/org/gitdep.git, type: git}
    version: 2.0.0
  weird@1.0.0:
    resolution: {repo: https://github.com/org/weird.git, commit: abc, type: git}
  fsevents@2.3.3:
    resolution: {integrity: sha512-z}
snapshots:
  '@scope/lib@1.2.3(react@18.0.0)': {}
  '@scope/lib@1.2.3(react@17.0.0)':
    optional: true
  fsevents@2.3.3:
    optional: true
)",
                           "app");
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (std::vector<Pair>{
                           {"pnpm", "10.0.0"}, {"@scope/lib", "1.2.3"}, {"fsevents", "2.3.3"}}));
  EXPECT_FALSE((*r)[1].optional);  // one of its snapshots is not optional
  EXPECT_TRUE((*r)[2].optional);
}

TEST(PnpmLock, UnknownLockfileVersionIsFailedPrecondition) {
  for (const char* version : {"4.0", "'7.0'", "10", "'10.0'", "3"}) {
    SCOPED_TRACE(version);
    expect_error(parse_pnpm_lock(std::string("lockfileVersion: ") + version + "\npackages:\n", "p"),
                 Errc::failed_precondition, "is not supported (5.x, 6.x and 9.x are)");
  }
  EXPECT_OK(parse_pnpm_lock("lockfileVersion: 5.4-inlineSpecifiers\n", "p"));
  EXPECT_OK(parse_pnpm_lock("lockfileVersion: '6.1'\n", "p"));
}

TEST(PnpmLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"- a\n- b\n", "top level is not a map"},
      {"packages: {}\n", "no \"lockfileVersion\""},
      {"lockfileVersion: [5]\n", "\"lockfileVersion\" is not a version number"},
      {"lockfileVersion: five\n", "\"lockfileVersion\" is not a version number"},
      {"lockfileVersion: 5.4\npackages: [a]\n", "\"packages\" is not a map"},
      {"lockfileVersion: 5.4\npackages:\n  /a/1.0.0: 3\n", "packages[\"/a/1.0.0\"]: not a map"},
      {"lockfileVersion: 5.4\npackages:\n  ? [a]\n  : {}\n", "a \"packages\" key is not a string"},
      {"lockfileVersion: '9.0'\nsnapshots: 3\npackages:\n  a@1.0.0: {}\n",
       "\"snapshots\" is not a map"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_pnpm_lock(text, "p"), Errc::invalid_argument, message);
  }
}

TEST(PnpmLock, UnprintableKeysAreNotPackages) {
  auto r = parse_pnpm_lock(
      "lockfileVersion: 5.4\npackages:\n  \"/a b/1.0.0\": {}\n  \"/c/1.0.0 \": {}\n  /d/1.0.0: "
      "{}\n",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (std::vector<Pair>{{"d", "1.0.0"}}));
}

TEST(PnpmLock, InvalidYamlIsDataLossWithTheLine) {
  expect_error(parse_pnpm_lock("lockfileVersion: 5.4\npackages:\n  /a/1.0.0: {dev: true\n", "p"),
               Errc::data_loss, "invalid YAML");
  expect_error(parse_pnpm_lock("lockfileVersion: 5.4\npackages:\n  a: b: c\n", "p"),
               Errc::data_loss, "line 3");
}

TEST(PnpmLock, InputThatMakesYamlCppLoadAllLoopIsAnError) {
  // yaml-cpp 0.7's LoadAll never returns on this (found by fuzzing); each document is loaded
  // on its own instead.
  auto r = parse_pnpm_lock(R"({{"":{}}},)", "p");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument)
      << r.error().to_string();
}

TEST(PnpmLock, DeepNestingIsRefusedBeforeYamlCppSeesIt) {
  expect_error(parse_pnpm_lock("lockfileVersion: 5.4\na: " + std::string(1000000, '['), "p"),
               Errc::invalid_argument, "nested deeper than 64 levels");
  std::string dashes = "lockfileVersion: 5.4\na:\n";
  for (int i = 0; i < 100; ++i) dashes += "- ";
  expect_error(parse_pnpm_lock(dashes + "x\n", "p"), Errc::invalid_argument, "nested deeper");
  std::string indented = "lockfileVersion: 5.4\n";
  for (int i = 0; i < 70; ++i) indented += std::string(i, ' ') + "k" + std::to_string(i) + ":\n";
  expect_error(parse_pnpm_lock(indented, "p"), Errc::invalid_argument, "nested deeper");
  // Real lockfiles are far inside the limit.
  EXPECT_OK(read_fixture("peer-dependencies-advanced.v9.yaml"));
}

TEST(PnpmLock, TruncatedFilesFailCleanlyOrReadAPrefix) {
  const std::string text = read_text(test_data(std::string(kFixtures) + "multiple-packages.yaml"));
  for (std::size_t cut = 0; cut < text.size(); cut += 37) {
    SCOPED_TRACE(cut);
    auto r = parse_pnpm_lock(std::string_view(text).substr(0, cut), "p");
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument)
          << r.error().to_string();
    }
  }
}

TEST(PnpmLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "pnpm-lock.yaml";
  testing::write_big_lockfile(
      lock, 200u << 20, "lockfileVersion: 5.4\npackages:\n",
      [](std::size_t i) { return "  /package-" + std::to_string(i) + "/1.0.0:\n    dev: false\n"; },
      "  /last/1.0.0: {}\n");
  testing::expect_refused_unread([&] { return PnpmLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(PnpmLock, SizeCapIsConfigurable) {
  const fs::path lock = test_data(std::string(kFixtures) + "multiple-packages.yaml");
  const auto size = fs::file_size(lock);
  EXPECT_ERRC(PnpmLock(lock, "p", size - 1).scan(), Errc::resource_exhausted);
  auto r = PnpmLock(lock, "p", size).scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 14u);
}

TEST(PnpmLock, MissingFileIsNotFound) {
  EXPECT_ERRC(PnpmLock("/nonexistent/patchparty/pnpm-lock.yaml", "p").scan(), Errc::not_found);
}

TEST(PnpmLock, KindDeclaresTheLockfile) {
  EXPECT_EQ(PnpmLock("pnpm-lock.yaml", "p").name(), "pnpm");
  const InventoryKind kind = pnpm_inventory_kind();
  EXPECT_EQ(kind.name, "pnpm");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"pnpm-lock.yaml"});
  EXPECT_EQ(kind.lockfile_ecosystem, "npm");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "one-package.yaml"), "p",
                                   kDefaultMaxFileBytes);
  ASSERT_NE(source, nullptr);
  auto r = source->scan();
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (std::vector<Pair>{{"acorn", "8.7.0"}}));
}

}  // namespace
}  // namespace patchparty::inventory
