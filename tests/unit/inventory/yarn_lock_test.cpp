#include "collectors/inventory/yarn_lock.h"

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

const char* const kFixtures = "lockfiles/osv-detector-fixtures/yarn/";

std::vector<Pair> pairs(const std::vector<Package>& packages) {
  std::vector<Pair> out;
  for (const Package& p : packages) out.emplace_back(p.name, p.version);
  return out;
}

// yarn's own parser (@yarnpkg/lockfile) with the header's skip rules, as "name\tversion" lines.
std::set<Pair> oracle(const fs::path& file) {
  const std::string out =
      testing::command_output("node '" + std::string(PP_SOURCE_DIR) +
                              "/tests/oracles/yarn_v1_oracle.js' '" + file.string() + "'");
  std::set<Pair> result;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    result.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return result;
}

Result<std::vector<Package>> read_fixture(const std::string& name) {
  const fs::path file = test_data(kFixtures + name);
  return parse_yarn_lock(read_text(file), "app", file.string());
}

TEST(YarnLock, MatchesOsvDetectorOnItsYarnLockfile) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-yarn.lock");
  auto packages = YarnLock(lock, "shop").scan();
  ASSERT_OK(packages);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-yarn.lock.out.txt"));
  // 1678 entries, all from the registry, all distinct name@version pairs.
  EXPECT_EQ(detector.found, 1678u);
  EXPECT_EQ(packages->size(), detector.found);
  const auto found = pairs(*packages);
  const std::set<Pair> distinct(found.begin(), found.end());
  EXPECT_EQ(distinct.size(), packages->size());
  ASSERT_EQ(detector.affected.size(), 43u);
  for (const auto& affected : detector.affected)
    EXPECT_TRUE(distinct.count(affected)) << affected.first << "@" << affected.second;

  const Package& first = packages->front();
  EXPECT_EQ(first.name, "@actions/core");
  EXPECT_EQ(first.version, "1.6.0");
  EXPECT_EQ(first.ecosystem, "npm");
  EXPECT_EQ(first.origin, "yarn");
  EXPECT_EQ(first.project, "shop");
  EXPECT_EQ(first.source_name, "@actions/core");
  EXPECT_EQ(first.source_version, "1.6.0");
  EXPECT_EQ(first.location, lock.string());
  for (const Package& p : *packages) {
    EXPECT_FALSE(p.dev) << p.name;  // yarn.lock has no dev flag
    EXPECT_FALSE(p.optional) << p.name;
  }
  EXPECT_TRUE(distinct.count({"@babel/traverse", "7.17.3"}));
}

TEST(YarnLock, AgreesWithYarnsOwnParserOnEveryVersion1File) {
  std::vector<fs::path> files = {test_data("lockfiles/osv-detector-1-yarn.lock")};
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures)))
    if (entry.path().string().ends_with(".v1.lock")) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 13u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    auto packages = parse_yarn_lock(read_text(file), "p", file.string());
    ASSERT_OK(packages);
    const auto found = pairs(*packages);
    const std::set<Pair> ours(found.begin(), found.end());
    EXPECT_EQ(ours.size(), found.size()) << "one package per name@version";
    EXPECT_EQ(ours, oracle(file));
  }
  // The oracle really runs: on the big file it agrees on 1678 pairs, not on zero.
  EXPECT_EQ(oracle(files.front()).size(), 1678u);
}

struct Expected {
  const char* file;
  std::vector<Pair> packages;  // in file order
};

TEST(YarnLock, ReadsEveryFixture) {
  const std::vector<Expected> cases = {
      {"commits.v1.lock", {}},  // git, github shorthand, tarball URLs: all skipped
      {"empty.v1.lock", {}},
      {"files.v1.lock", {{"etag", "1.8.1"}, {"lodash", "1.3.1"}}},
      {"multiple-constraints.v1.lock",
       {{"domelementtype", "1.3.1"}, {"@babel/code-frame", "7.12.13"}}},
      {"multiple-versions.v1.lock",
       {{"define-properties", "1.1.3"},
        {"define-property", "0.2.5"},
        {"define-property", "1.0.0"},
        {"define-property", "2.0.2"}}},
      {"one-package.v1.lock", {{"balanced-match", "1.0.2"}}},
      {"scoped-packages.v1.lock",
       {{"@babel/code-frame", "7.12.11"}, {"@babel/compat-data", "7.14.0"}}},
      {"two-packages.v1.lock", {{"concat-map", "0.0.1"}, {"concat-stream", "1.6.2"}}},
      {"with-aliases.v1.lock",
       {{"ansi-regex", "5.0.1"},
        {"ansi-regex", "6.0.1"},
        {"@babel/helper-validator-identifier", "7.22.20"}}},
      {"with-build-string.v1.lock", {{"tslib", "2.6.2"}}},
      {"with-prerelease.v1.lock",
       {{"css-tree", "1.0.0-alpha.37"},
        {"gensync", "1.0.0-beta.2"},
        {"node-fetch", "3.0.0-beta.9"},
        {"resolve", "1.20.0"},
        {"resolve", "2.0.0-next.3"}}},
      {"with-quotes.v1.lock", {{"concat-map", "0.0.1"}, {"concat-stream", "1.6.2"}}},
      {"commits.v2.lock", {}},
      {"empty.v2.lock", {}},  // only comments, no __metadata
      {"exclude-root.v2.lock", {{"ansi-regex", "6.1.0"}}},
      {"files.v2.lock", {}},
      {"metadata-only.v2.lock", {}},
      {"multiple-versions.v2.lock", {{"debug", "4.3.3"}, {"debug", "2.6.9"}, {"debug", "3.2.7"}}},
      {"one-package.v2.lock", {{"balanced-match", "1.0.2"}}},
      {"scoped-packages.v2.lock",
       {{"@babel/cli", "7.16.8"},
        {"@babel/code-frame", "7.16.7"},
        {"@babel/compat-data", "7.16.8"}}},
      {"two-packages.v2.lock", {{"compare-func", "2.0.0"}, {"concat-map", "0.0.1"}}},
      {"with-aliases.v2.lock",
       {{"ansi-regex", "5.0.1"},
        {"ansi-regex", "6.0.1"},
        {"@babel/helper-validator-identifier", "7.22.20"}}},
      {"with-build-string.v2.lock", {{"tslib", "2.6.2"}}},
      {"with-prerelease.v2.lock",
       {{"@nicolo-ribaudo/chokidar-2", "2.1.8-no-fsevents.3"}, {"gensync", "1.0.0-beta.2"}}},
      {"with-quotes.v2.lock", {{"compare-func", "2.0.0"}, {"concat-map", "0.0.1"}}},
  };
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures))) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, cases.size()) << "a fixture without an expectation";
  for (const Expected& c : cases) {
    SCOPED_TRACE(c.file);
    auto r = read_fixture(c.file);
    ASSERT_OK(r);
    EXPECT_EQ(pairs(*r), c.packages);
  }
}

TEST(YarnLock, Version1SkipsEntriesWithAnyNonRegistrySpec) {
  auto r = parse_yarn_lock(R"(# yarn lockfile v1


"@scope/a@^1.0.0", "@scope/a@~1.2":
  version "1.2.3"
  resolved "https://registry.example/@scope/a/-/a-1.2.3.tgz#abc"
  dependencies:
    b "^2"

minimist@0.0.8, "minimist@ssh://github.com/substack/minimist.git#0.0.8":
  version "0.0.8"

local@./vendored:
  version "1.0.0"

"tarball@https://example.com/tarball-1.0.0.tgz":
  version "1.0.0"

"alias@npm:@scope/real@^3":
  version "3.1.0"

"star@":
  version 4.0.0
  optional true

b@^2:
  version "2.0.0"

b@2.0.0:
  version "2.0.0"
)",
                           "app", "/srv/app/yarn.lock");
  ASSERT_OK(r);
  EXPECT_EQ(
      pairs(*r),
      (std::vector<Pair>{
          {"@scope/a", "1.2.3"}, {"@scope/real", "3.1.0"}, {"star", "4.0.0"}, {"b", "2.0.0"}}));
  for (const Package& p : *r) EXPECT_EQ(p.location, "/srv/app/yarn.lock");
}

TEST(YarnLock, BerryKeepsNpmAndPatchedNpmResolutionsOnly) {
  auto r = parse_yarn_lock(R"(__metadata:
  version: 8
  cacheKey: 10c0

"resolve@npm:^1.20.0":
  version: 1.22.8
  resolution: "resolve@npm:1.22.8"
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.20.0#optional!builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d"
  languageName: node
  linkType: hard

"typescript@patch:typescript@npm%3A^5#optional!builtin<compat/typescript>":
  version: 5.4.5
  resolution: "typescript@patch:typescript@npm%3A5.4.5#optional!builtin<compat/typescript>::version=5.4.5&hash=5adc0c"
  languageName: node
  linkType: hard

"local@patch:local@file%3A./local#./local.patch::locator=app%40workspace%3A.":
  version: 1.0.0
  resolution: "local@patch:local@file%3A./local#./local.patch::version=1.0.0&hash=1&locator=app%40workspace%3A."
  languageName: node
  linkType: hard

"@scope/lib@npm:^2":
  resolution: "@scope/lib@npm:2.0.1"
  languageName: node
  linkType: hard

"linked@link:../linked::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "linked@link:../linked::locator=app%40workspace%3A."
  languageName: node
  linkType: soft

"portal@portal:../portal::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "portal@portal:../portal::locator=app%40workspace%3A."
  languageName: node
  linkType: soft

"git-dep@https://github.com/org/git-dep.git":
  version: 1.0.0
  resolution: "git-dep@https://github.com/org/git-dep.git#commit=0123456789abcdef0123456789abcdef01234567"
  languageName: node
  linkType: hard

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  languageName: unknown
  linkType: soft
)",
                           "app");
  ASSERT_OK(r);
  // The patched resolve is the same name@version as the original: one package. A missing
  // "version" falls back to the resolution's.
  EXPECT_EQ(
      pairs(*r),
      (std::vector<Pair>{{"resolve", "1.22.8"}, {"typescript", "5.4.5"}, {"@scope/lib", "2.0.1"}}));
}

TEST(YarnLock, SyntaxErrorsAreDataLossWithTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"# yarn lockfile v1\n\nfoo@^1.0.0\n  version \"1.0.0\"\n", "line 3: not an entry header"},
      {"foo@^1:\n  version \"1.0.0\n", "line 2: unclosed quote"},
      {"\"foo@^1:\n  version \"1.0.0\"\n", "line 1: unclosed quote"},
      {"  version \"1.0.0\"\n", "line 1: indented line outside an entry"},
      {"foo@^1:\n version \"1.0.0\"\n", "line 2: indented by one space"},
      {"foo@^1:\n\tversion \"1.0.0\"\n", "line 2: tab in indentation"},
      {"foo@^1:\n  version:\n", "line 2: \"version:\" without a value"},
      {"foo@^1, :\n  version 1\n", "line 1: empty package spec"},
      {"__metadata:\n  version: 8\n\"a@npm:1\":\n  resolution: [\n", "invalid YAML"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_yarn_lock(text, "p"), Errc::data_loss, message);
  }
}

TEST(YarnLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"foo@^1:\n  resolved \"https://x/foo-1.tgz\"\n", "line 1 (foo): no version"},
      {"\"foo bar@^1\":\n  version \"1.0.0\"\n", "not printable ASCII without spaces"},
      {"foo@^1:\n  version \"1.0 .0\"\n", "version is missing or not printable"},
      {"__metadata:\n  cacheKey: 8\n", "__metadata has no integer \"version\""},
      {"__metadata:\n  version: 8\n\"a@npm:1\": 3\n", "entry \"a@npm:1\": not a map"},
      {"__metadata:\n  version: 8\n\"a@npm:1\":\n  version: 1\n", "no \"name@protocol:\""},
      {"__metadata:\n  version: 8\n\"a@npm:1\":\n  version: \"1 0\"\n  resolution: \"a@npm:1\"\n",
       "version is missing or not printable"},
      {"__metadata:\n  version: 8\n? [a]\n: 1\n", "an entry key is not a string"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_yarn_lock(text, "p"), Errc::invalid_argument, message);
  }
}

TEST(YarnLock, UnknownBerryMetadataVersionIsFailedPrecondition) {
  expect_error(parse_yarn_lock("__metadata:\n  version: 9\n", "p"), Errc::failed_precondition,
               "__metadata version 9 is not supported");
  expect_error(parse_yarn_lock("__metadata:\n  version: 3\n", "p"), Errc::failed_precondition,
               "__metadata version 3");
  EXPECT_OK(parse_yarn_lock("__metadata:\n  version: 4\n", "p"));
}

TEST(YarnLock, DeepNestingIsRefusedBeforeYamlCppSeesIt) {
  const std::string deep = "__metadata:\n  version: 8\na: " + std::string(100000, '[');
  expect_error(parse_yarn_lock(deep, "p"), Errc::invalid_argument, "nested deeper than 64");
  std::string indented = "__metadata:\n  version: 8\n";
  for (int i = 0; i < 70; ++i) indented += std::string(i, ' ') + "k" + std::to_string(i) + ":\n";
  expect_error(parse_yarn_lock(indented, "p"), Errc::invalid_argument, "nested deeper than 64");
}

TEST(YarnLock, TruncatedFilesFailCleanlyOrReadAPrefix) {
  for (const char* name : {"lockfiles/osv-detector-1-yarn.lock",
                           "lockfiles/osv-detector-fixtures/yarn/scoped-packages.v2.lock"}) {
    const std::string text = read_text(test_data(name));
    for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
      SCOPED_TRACE(cut);
      auto r = parse_yarn_lock(std::string_view(text).substr(0, cut), "p");
      if (!r) {
        EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument)
            << r.error().to_string();
      }
    }
  }
}

TEST(YarnLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "yarn.lock";
  testing::write_big_lockfile(
      lock, 200u << 20, "# yarn lockfile v1\n\n",
      [](std::size_t i) {
        const std::string n = "package-" + std::to_string(i);
        return n + "@^1.0.0:\n  version \"1.0.0\"\n\n";
      },
      "last@^1:\n  version \"1.0.0\"\n");
  testing::expect_refused_unread([&] { return YarnLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(YarnLock, SizeCapIsConfigurable) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-yarn.lock");
  const auto size = fs::file_size(lock);
  EXPECT_ERRC(YarnLock(lock, "p", size - 1).scan(), Errc::resource_exhausted);
  auto r = YarnLock(lock, "p", size).scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 1678u);
}

TEST(YarnLock, MissingFileIsNotFound) {
  EXPECT_ERRC(YarnLock("/nonexistent/patchparty/yarn.lock", "p").scan(), Errc::not_found);
}

TEST(YarnLock, KindDeclaresTheLockfile) {
  EXPECT_EQ(YarnLock("yarn.lock", "p").name(), "yarn");
  const InventoryKind kind = yarn_inventory_kind();
  EXPECT_EQ(kind.name, "yarn");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"yarn.lock"});
  EXPECT_EQ(kind.lockfile_ecosystem, "npm");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "one-package.v2.lock"), "p",
                                   kDefaultMaxFileBytes);
  ASSERT_NE(source, nullptr);
  auto r = source->scan();
  ASSERT_OK(r);
  EXPECT_EQ(pairs(*r), (std::vector<Pair>{{"balanced-match", "1.0.2"}}));
}

}  // namespace
}  // namespace patchparty::inventory
