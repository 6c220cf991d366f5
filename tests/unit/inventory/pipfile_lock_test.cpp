#include "collectors/inventory/pipfile_lock.h"

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
using Pairs = testing::OrderedPairs;

fs::path fixture(const std::string& name) {
  return test_data("lockfiles/osv-detector-fixtures/pipenv/" + name);
}

TEST(PipfileLock, MatchesTheJsonOracleOnEveryFixture) {
  const auto files =
      testing::fixture_files("pipenv", {test_data("lockfiles/osv-detector-1-Pipfile.lock")});
  ASSERT_EQ(files.size(), 9u);
  const auto tally = testing::compare_with_python_oracle(
      "pipenv", files, [](const fs::path& file) { return PipfileLock(file, "app").scan(); });
  EXPECT_EQ(tally.packages, 114u + 4u + 1u + 1u + 2u + 2u);
  EXPECT_EQ(tally.refused, 1u);
}

TEST(PipfileLock, MatchesOsvDetectorOnItsLockfile) {
  auto r = PipfileLock(test_data("lockfiles/osv-detector-1-Pipfile.lock"), "shop").scan();
  ASSERT_OK(r);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-Pipfile.lock.out.txt"));
  EXPECT_EQ(detector.found, 114u);
  // 60 "default" and 93 "develop" entries; the 39 in both have the same version there and are
  // one production package each: 60 + 54 dev.
  EXPECT_EQ(r->size(), detector.found);
  const auto dev = std::count_if(r->begin(), r->end(), [](const Package& p) { return p.dev; });
  EXPECT_EQ(dev, 54);
  std::set<std::pair<std::string, std::string>> found;
  for (const Package& p : *r) found.emplace(p.name, p.version);
  ASSERT_FALSE(detector.affected.empty());
  for (const auto& [name, version] : detector.affected)
    EXPECT_TRUE(found.count({name, version})) << name << "@" << version;

  const auto at = [&](std::string_view name) {
    return std::find_if(r->begin(), r->end(), [&](const Package& p) { return p.name == name; });
  };
  ASSERT_NE(at("django"), r->end());
  EXPECT_EQ(at("django")->version, "3.1.14");
  EXPECT_FALSE(at("django")->dev);  // in both sections
  ASSERT_NE(at("ansible"), r->end());
  EXPECT_EQ(at("ansible")->version, "7.2.0");
  EXPECT_TRUE(at("ansible")->dev);
  EXPECT_EQ(at("soupsieve")->version, "2.3.2.post1");
  EXPECT_EQ(at("ansible")->ecosystem, "PyPI");
  EXPECT_EQ(at("ansible")->origin, "pipenv");
  EXPECT_EQ(at("ansible")->project, "shop");
  EXPECT_EQ(at("ansible")->source_name, "ansible");
  EXPECT_EQ(at("ansible")->source_version, "7.2.0");
  EXPECT_EQ(at("ansible")->location, test_data("lockfiles/osv-detector-1-Pipfile.lock").string());
}

TEST(PipfileLock, ReadsTheDetectorFixtures) {
  auto r = PipfileLock(fixture("one-package.json"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(testing::ordered_pairs(*r), (Pairs{{"markupsafe", "2.1.1"}}));
  EXPECT_FALSE(r->front().dev);
  r = PipfileLock(fixture("one-package-dev.json"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(testing::ordered_pairs(*r), (Pairs{{"markupsafe", "2.1.1"}}));
  EXPECT_TRUE(r->front().dev);
  r = PipfileLock(fixture("two-packages.json"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(testing::ordered_pairs(*r),
            (Pairs{{"itsdangerous", "2.1.2"}, {"markupsafe", "2.1.1"}}));
  EXPECT_FALSE((*r)[0].dev);
  EXPECT_TRUE((*r)[1].dev);
  r = PipfileLock(fixture("two-packages-alt.json"), "app").scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r),
            (Pairs{{"itsdangerous", "2.1.2"}, {"markupsafe", "2.1.1"}}));
  // itsdangerous 2.1.2 in both sections is one production package; pluggy has 1.0.1 in
  // "default" and 1.0.0 in "develop": two packages.
  r = PipfileLock(fixture("multiple-packages.json"), "app").scan();
  ASSERT_OK(r);
  ASSERT_EQ(testing::ordered_pairs(*r), (Pairs{{"itsdangerous", "2.1.2"},
                                               {"pluggy", "1.0.1"},
                                               {"markupsafe", "2.1.1"},
                                               {"pluggy", "1.0.0"}}));
  EXPECT_FALSE((*r)[0].dev);
  EXPECT_FALSE((*r)[1].dev);
  EXPECT_TRUE((*r)[3].dev);
  // git requirements have no version: skipped.
  r = PipfileLock(fixture("no-version.json"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  r = PipfileLock(fixture("empty.json"), "app").scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  expect_error(PipfileLock(fixture("not-json.txt"), "app").scan(), Errc::data_loss,
               "not-json.txt: invalid JSON at offset 1");
}

TEST(PipfileLock, StripsTheEqualsSigns) {
  auto r = parse_pipfile_lock(
      R"({"default": {"a": {"version": "===1.0-custom"}, "b": {"version": "==2.0"}},
          "develop": null})",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"a", "1.0-custom"}, {"b", "2.0"}}));
  EXPECT_EQ(r->front().location, "Pipfile.lock");
}

TEST(PipfileLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "top level is not an object"},
      {"{}", "no \"_meta\", \"default\" or \"develop\""},
      {R"({"_meta": []})", "\"_meta\" is not an object"},
      {R"({"_meta": {"pipfile-spec": "6"}})", "\"pipfile-spec\" is not an integer"},
      {R"({"default": []})", "\"default\" is not an object"},
      {R"({"develop": {"a": "==1"}})", "develop[\"a\"]: not an object"},
      {R"({"default": {"a": {"version": 1}}})", "\"version\" is not a string"},
      {R"({"default": {"a": {"version": ">=1"}}})", "\"version\" is not \"==<version>\""},
      {R"({"default": {"a": {"version": "==1 2"}}})", "\"version\" is not printable ASCII"},
      {R"({"default": {"a": {"version": "=="}}})", "\"version\" is not printable ASCII"},
      {R"({"default": {"a b": {"version": "==1"}}})", "package name is not printable ASCII"},
      {R"({"default": {"": {"version": "==1"}}})", "package name is not printable ASCII"},
  };
  for (const auto& [json, message] : cases) {
    SCOPED_TRACE(json);
    expect_error(parse_pipfile_lock(json, "p"), Errc::invalid_argument, message);
  }
}

TEST(PipfileLock, NewerPipfileSpecIsFailedPrecondition) {
  expect_error(parse_pipfile_lock(R"({"_meta": {"pipfile-spec": 7}, "default": {}})", "p"),
               Errc::failed_precondition, "pipfile-spec 7 is not supported");
  EXPECT_OK(parse_pipfile_lock(R"({"_meta": {"pipfile-spec": 5}, "default": {}})", "p"));
}

TEST(PipfileLock, InvalidJsonIsDataLoss) {
  expect_error(parse_pipfile_lock(R"({"default": {},})", "p", "/srv/Pipfile.lock"), Errc::data_loss,
               "/srv/Pipfile.lock: invalid JSON at offset 15");
  const std::size_t depth = 1'000'000;
  expect_error(parse_pipfile_lock(std::string(depth, '['), "p"), Errc::data_loss, "invalid JSON");
  const std::string text = testing::read_text(test_data("lockfiles/osv-detector-1-Pipfile.lock"));
  for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
    SCOPED_TRACE(cut);
    EXPECT_ERRC(parse_pipfile_lock(std::string_view(text).substr(0, cut), "p"), Errc::data_loss);
  }
}

TEST(PipfileLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "Pipfile.lock";
  testing::write_big_lockfile(
      lock, 70u << 20, R"({"_meta": {}, "default": {)",
      [](std::size_t i) { return "\"p" + std::to_string(i) + R"(": {"version": "==1.0"},)"; },
      R"("last": {"version": "==1.0"}}})");
  testing::expect_refused_unread([&] { return PipfileLock(lock, "big").scan(); });
  fs::remove_all(dir);
}

TEST(PipfileLock, MissingFileIsNotFound) {
  EXPECT_ERRC(PipfileLock("/nonexistent/patchparty/Pipfile.lock", "p").scan(), Errc::not_found);
}

TEST(PipfileLock, KindAndName) {
  EXPECT_EQ(PipfileLock("Pipfile.lock", "p").name(), "pipenv");
  testing::expect_lockfile_kind(pipenv_inventory_kind(), "pipenv", {"Pipfile.lock"}, "PyPI",
                                fixture("two-packages.json"), 2u);
}

}  // namespace
}  // namespace patchparty::inventory
