#include "collectors/inventory/go_mod.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

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

constexpr const char* kFixtures = "lockfiles/osv-detector-fixtures/go/";

std::string str(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() || !it->value.IsString() ? std::string()
                                                           : std::string(it->value.GetString());
}

// The go command's own reading of the file (`go mod edit -json`), with the replace rule the
// header documents applied: the requirements as the build would fetch them.
Pairs go_command_oracle(const fs::path& file) {
  const fs::path dir = testing::temp_dir("go-mod-edit");
  auto r = testing::run({"/usr/bin/go", "mod", "edit", "-json", file.string()}, dir, std::nullopt,
                        {{"GOFLAGS", ""},
                         {"GOPROXY", "off"},
                         {"GOCACHE", (dir / "cache").string()},
                         {"GOTOOLCHAIN", "local"}});
  EXPECT_EQ(r.code, 0) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  EXPECT_FALSE(doc.HasParseError()) << r.out;
  Pairs out;
  if (doc.HasParseError() || !doc.IsObject() || !doc["Require"].IsArray()) return out;
  for (const auto& req : doc["Require"].GetArray()) {
    std::string path = str(req, "Path");
    std::string version = str(req, "Version");
    const rapidjson::Value* exact = nullptr;
    const rapidjson::Value* any = nullptr;
    if (doc["Replace"].IsArray())
      for (const auto& rep : doc["Replace"].GetArray()) {
        if (str(rep["Old"], "Path") != path) continue;
        const std::string old_version = str(rep["Old"], "Version");
        if (old_version.empty()) any = &rep;
        if (old_version == version) exact = &rep;
      }
    if (const rapidjson::Value* rep = exact ? exact : any) {
      if (str((*rep)["New"], "Version").empty()) continue;  // a local directory
      path = str((*rep)["New"], "Path");
      version = str((*rep)["New"], "Version");
    }
    EXPECT_EQ(version.front(), 'v');
    out.emplace(path, version.substr(1));
  }
  fs::remove_all(dir);
  return out;
}

TEST(GoMod, MatchesTheGoCommandOnEveryFixtureAndTheRealFile) {
  std::size_t files = 0;
  std::vector<fs::path> paths{test_data("lockfiles/osv-detector-1-go.mod")};
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures)))
    if (entry.path().extension() == ".mod") paths.push_back(entry.path());
  for (const fs::path& file : paths) {
    SCOPED_TRACE(file.string());
    auto packages = GoMod(file, "svc").scan();
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), go_command_oracle(file));
    ++files;
  }
  EXPECT_EQ(files, 11u);
}

TEST(GoMod, ReadsTheRealFileAsOsvDetectorCounts) {
  const fs::path file = test_data("lockfiles/osv-detector-1-go.mod");
  auto packages = GoMod(file, "svc").scan();
  ASSERT_OK(packages);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-go.mod.out.txt"));
  EXPECT_EQ(packages->size(), detector.found);
  EXPECT_EQ(packages->size(), 7u);
  const Pairs found = testing::pair_set(*packages);
  for (const auto& [name, version] : detector.affected)
    EXPECT_TRUE(found.count({name, version})) << name << "@" << version;
  ASSERT_EQ(detector.affected.size(), 1u);
  const Package& uuid = packages->front();
  EXPECT_EQ(uuid.name, "github.com/google/uuid");
  EXPECT_EQ(uuid.version, "1.3.0");
  EXPECT_EQ(uuid.ecosystem, "Go");
  EXPECT_EQ(uuid.origin, "gomod");
  EXPECT_EQ(uuid.project, "svc");
  EXPECT_EQ(uuid.location, file.string());
  EXPECT_EQ(uuid.source_name, uuid.name);
  EXPECT_EQ(uuid.source_version, uuid.version);
  // "module mine" and "go 1.16" are not packages.
  for (const Package& p : *packages) {
    EXPECT_NE(p.name, "mine");
    EXPECT_NE(p.name, "stdlib");
  }
}

TEST(GoMod, FixtureCountsAndSamples) {
  struct Case {
    const char* file;
    Pairs expected;
  };
  const Case cases[] = {
      {"empty.mod", {}},
      {"one-package.mod", {{"github.com/BurntSushi/toml", "1.0.0"}}},
      {"two-packages.mod",
       {{"github.com/BurntSushi/toml", "1.0.0"}, {"gopkg.in/yaml.v2", "2.4.0"}}},
      {"indirect-packages.mod",
       {{"github.com/BurntSushi/toml", "1.0.0"},
        {"gopkg.in/yaml.v2", "2.4.0"},
        {"github.com/mattn/go-colorable", "0.1.9"},
        {"github.com/mattn/go-isatty", "0.0.14"},
        {"golang.org/x/sys", "0.0.0-20210630005230-0f9fa26af87c"}}},
      {"replace-one.mod", {{"example.com/fork/net", "1.4.5"}}},
      {"replace-different.mod",
       {{"example.com/fork/foe", "1.4.5"}, {"example.com/fork/foe", "1.4.2"}}},
      {"replace-mixed.mod", {{"example.com/fork/net", "1.4.5"}, {"golang.org/x/net", "0.5.6"}}},
      {"replace-no-version.mod",
       {{"example.com/fork/net", "1.4.5"}, {"example.com/fork/net", "1.4.5"}}},
      {"replace-not-required.mod",
       {{"golang.org/x/net", "0.5.6"}, {"github.com/BurntSushi/toml", "1.0.0"}}},
      // golang.org/x/net is replaced by ./fork/net: built from disk, skipped.
      {"replace-local.mod", {{"github.com/BurntSushi/toml", "1.0.0"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto packages = parse_go_mod(read_text(test_data(std::string(kFixtures) + c.file)), "p");
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), c.expected);
  }
}

TEST(GoMod, NotAGoModIsDataLoss) {
  expect_error(parse_go_mod(read_text(test_data(std::string(kFixtures) + "not-go-mod.txt")), "p",
                            "/srv/app/go.mod"),
               Errc::data_loss, "/srv/app/go.mod: line 1: unknown directive \"this\"");
}

TEST(GoMod, IndirectRequirementsAreKept) {
  auto r = parse_go_mod("require (\n\ta v1.0.0 // indirect\n\tb v2.0.0+incompatible\n)\n", "p");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "a");
  EXPECT_EQ((*r)[1].version, "2.0.0+incompatible");
}

TEST(GoMod, GoAndToolchainLinesAreNotPackages) {
  auto r = parse_go_mod(
      "module example.com/m\n\ngo 1.21\n\ntoolchain go1.21.3\n\ngodebug default=go1.21\n"
      "require example.com/dep v0.1.0\n",
      "p");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().name, "example.com/dep");
}

TEST(GoMod, QuotedPathsCommentsAndIgnoredDirectives) {
  auto r = parse_go_mod(
      "// header comment\nmodule \"example.com/m\"\nrequire \"example.com/q\" v1.0.0 // why\n"
      "require `example.com/raw` v1.1.0\nexclude example.com/q v0.9.0\n"
      "retract [v1.0.0, v1.0.5] // broken\nretract (\n  v0.1.0\n)\nrequire ()\n",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(testing::pair_set(*r),
            (Pairs{{"example.com/q", "1.0.0"}, {"example.com/raw", "1.1.0"}}));
}

TEST(GoMod, VersionedReplaceWinsOverUnversioned) {
  auto r = parse_go_mod(
      "require (\n a v1.0.0\n a v2.0.0\n)\nreplace a v1.0.0 => x v9.0.0\nreplace a => y v8.0.0\n"
      "replace a v3.0.0 => ../local\n",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(testing::pair_set(*r), (Pairs{{"x", "9.0.0"}, {"y", "8.0.0"}}));
  // A local replacement of every version skips every requirement of the module.
  r = parse_go_mod("require a v1.0.0\nrequire b v1.0.0\nreplace a => ./a\n", "p");
  ASSERT_OK(r);
  EXPECT_EQ(testing::pair_set(*r), (Pairs{{"b", "1.0.0"}}));
}

TEST(GoMod, GrammarErrorsAreDataLossWithTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"require (\n a v1.0.0\n", "line 1: \"require (\" block is never closed"},
      {"module m\nrequire a\n", "line 2: require takes 2 arguments"},
      {"require a 1.0.0\n", "line 1: \"1.0.0\" is not a module version"},
      {"require a v1 b\n", "line 1: require takes 2 arguments"},
      {"replace a v1.0.0 b v1.0.0\n", "replace is not \"old [version] => new [version]\""},
      {"replace a => b\n", "a replacement without a version must be a directory"},
      {"replace a => ./b v1.0.0\n", "a replacement directory cannot have a version"},
      {"require \"a\n", "unterminated quoted string"},
      {"require \"a b\" v1.0.0\n", "quoted string with a space"},
      {"require a v1.0.0 /* c */\n", "not /*"},
      {"\n\nrequire a\x01 v1\n", "line 3: unexpected character (byte 1)"},
      {"require a v1\xc3\xa9\n", "unexpected character (byte 195)"},
      {"frobnicate x\n", "unknown directive \"frobnicate\""},
      {")\n", "line 1: unknown directive \")\""},
      {"go\n", "go takes 1 argument"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_go_mod(text, "p"), Errc::data_loss, message);
  }
}

TEST(GoMod, KindReadsGoModFiles) {
  const InventoryKind kind = gomod_inventory_kind();
  EXPECT_EQ(kind.name, "gomod");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"go.mod"});
  EXPECT_EQ(kind.lockfile_ecosystem, "Go");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "two-packages.mod"), "p",
                                   kDefaultMaxFileBytes);
  EXPECT_EQ(source->name(), "gomod");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 2u);
}

TEST(GoMod, OversizedFileIsRefusedUnread) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path file = dir / "go.mod";
  testing::write_big_lockfile(
      file, (64u << 20) + 1, "module m\nrequire (\n",
      [](std::size_t i) { return "\texample.com/m" + std::to_string(i) + " v1.0.0\n"; }, ")\n");
  testing::expect_refused_unread([&] { return GoMod(file, "p").scan(); });
  fs::remove_all(dir);
}

TEST(GoMod, MissingFileIsNotFound) {
  EXPECT_ERRC(GoMod("/nonexistent/go.mod", "p").scan(), Errc::not_found);
}

}  // namespace
}  // namespace patchparty::inventory
