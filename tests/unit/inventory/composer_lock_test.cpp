#include "collectors/inventory/composer_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using ::testing::HasSubstr;
using testing::read_text;
using testing::test_data;

const Package* find(const std::vector<Package>& packages, std::string_view name) {
  for (const Package& p : packages)
    if (p.name == name) return &p;
  return nullptr;
}

std::size_t count_dev(const std::vector<Package>& packages) {
  return static_cast<std::size_t>(
      std::count_if(packages.begin(), packages.end(), [](const Package& p) { return p.dev; }));
}

TEST(ComposerLock, MatchesOsvDetectorOnItsLockfile) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-composer.lock");
  auto packages = ComposerLock(lock, "documents").scan();
  ASSERT_OK(packages);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-composer.lock.out.txt"));
  EXPECT_EQ(detector.found, 203u);
  EXPECT_EQ(packages->size(), detector.found);
  EXPECT_EQ(count_dev(*packages), 21u);

  // Every package osv-detector reported as affected is in our inventory at the same version.
  ASSERT_EQ(detector.affected.size(), 9u);
  for (const auto& [name, version] : detector.affected) {
    const Package* p = find(*packages, name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->version, version) << name;
  }

  const Package& first = packages->front();
  EXPECT_EQ(first.name, "mine/documents-library");
  EXPECT_EQ(first.version, "dev-master");
  EXPECT_EQ(first.ecosystem, "Packagist");
  EXPECT_EQ(first.origin, "composer");
  EXPECT_EQ(first.project, "documents");
  EXPECT_EQ(first.location, lock.string());
  EXPECT_EQ(first.source_name, "mine/documents-library");
  EXPECT_EQ(first.source_version, "dev-master");
  EXPECT_EQ(first.arch, "");
  EXPECT_FALSE(first.dev);

  const Package* assert_lib = find(*packages, "beberlei/assert");
  ASSERT_NE(assert_lib, nullptr);
  EXPECT_EQ(assert_lib->version, "v3.3.1");  // Composer's "v" prefix is kept as written
}

TEST(ComposerLock, ReadsSymfonyDemoLockfiles) {
  struct Case {
    const char* file;
    std::size_t packages, dev;
    const char* kernel;
    const char* twig;
    const char* first_dev;
  };
  const Case cases[] = {
      {"lockfiles/symfony-demo-v1.7.1-composer.lock", 97, 11, "v5.3.1", "v3.3.2",
       "dama/doctrine-test-bundle"},
      {"lockfiles/symfony-demo-main-920d86dc-composer.lock", 99, 54, "v8.1.0", "v3.27.1",
       "clue/ndjson-react"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto packages = parse_composer_lock(read_text(test_data(c.file)), "demo");
    ASSERT_OK(packages);
    EXPECT_EQ(packages->size(), c.packages + c.dev);
    EXPECT_EQ(count_dev(*packages), c.dev);
    const Package* kernel = find(*packages, "symfony/http-kernel");
    ASSERT_NE(kernel, nullptr);
    EXPECT_EQ(kernel->version, c.kernel);
    EXPECT_FALSE(kernel->dev);
    const Package* twig = find(*packages, "twig/twig");
    ASSERT_NE(twig, nullptr);
    EXPECT_EQ(twig->version, c.twig);
    // "packages-dev" follows "packages", in file order.
    EXPECT_EQ((*packages)[c.packages].name, c.first_dev);
    EXPECT_TRUE((*packages)[c.packages].dev);
    EXPECT_EQ((*packages)[c.packages].location, "");
  }
}

TEST(ComposerLock, InvalidJsonIsDataLossWithOffset) {
  expect_error(parse_composer_lock(R"({"packages": [})", "p"), Errc::data_loss,
               "composer.lock: invalid JSON at offset 14");
  expect_error(parse_composer_lock("", "p"), Errc::data_loss, "invalid JSON at offset 0");
  expect_error(parse_composer_lock(R"({"packages": []} trailing)", "p"), Errc::data_loss,
               "offset 17");
  expect_error(parse_composer_lock("{\"packages\": [{\"name\": \"a\xff\", \"version\": \"1\"}]}",
                                   "p", "/srv/app/composer.lock"),
               Errc::data_loss, "/srv/app/composer.lock: invalid JSON at offset");
}

TEST(ComposerLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "top level is not an object"},
      {"{}", "no \"packages\" array"},
      {R"({"packages": {}})", "\"packages\" is not an array"},
      {R"({"packages": [], "packages-dev": 3})", "\"packages-dev\" is not an array"},
      {R"({"packages": [1]})", "packages[0]: not an object"},
      {R"({"packages": [{"version": "1.0.0"}]})", "packages[0]: no \"name\" string"},
      {R"({"packages": [{"name": "", "version": "1.0.0"}]})", "no \"name\" string"},
      {R"({"packages": [{"name": 7, "version": "1.0.0"}]})", "no \"name\" string"},
      {R"({"packages": [{"name": "a b", "version": "1.0.0"}]})", "not printable ASCII"},
      {"{\"packages\": [{\"name\": \"a/b\\n\", \"version\": \"1.0.0\"}]}", "not printable ASCII"},
      {R"({"packages": [{"name": "a/b", "version": "1.0 beta"}]})",
       "packages[0] (a/b): \"version\" is not printable ASCII"},
      {R"({"packages": [{"name": "a/b", "version": ""}]})", "\"version\" is not printable"},
      {R"({"packages": [{"name": "a/b", "version": "1"}, {"name": "c/d"}]})",
       "packages[1] (c/d): no \"version\" string"},
      {R"({"packages": [], "packages-dev": [{"name": "c/d", "version": 1}]})",
       "packages-dev[0] (c/d): no \"version\" string"},
  };
  for (const auto& [json, message] : cases) {
    SCOPED_TRACE(json);
    expect_error(parse_composer_lock(json, "p"), Errc::invalid_argument, message);
  }
}

TEST(ComposerLock, AcceptsEmptyAndNullSections) {
  auto r = parse_composer_lock(R"({"packages": [], "packages-dev": null})", "p");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  r = parse_composer_lock(R"({"packages": [{"name": "a/b", "version": "1.0.0"}]})", "p");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_FALSE(r->front().dev);
}

TEST(ComposerLock, TruncatedFileIsAlwaysDataLoss) {
  const std::string text = read_text(test_data("lockfiles/symfony-demo-v1.7.1-composer.lock"));
  for (std::size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1) {
    SCOPED_TRACE(cut);
    EXPECT_ERRC(parse_composer_lock(std::string_view(text).substr(0, cut), "p"), Errc::data_loss);
  }
}

TEST(ComposerLock, DeepNestingIsAnErrorNotACrash) {
  const std::size_t depth = 1'000'000;
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  expect_error(parse_composer_lock(nested, "p"), Errc::invalid_argument,
               "top level is not an object");
  expect_error(parse_composer_lock(std::string(depth, '['), "p"), Errc::data_loss, "invalid JSON");
}

TEST(ComposerLock, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path lock = dir / "composer.lock";
  testing::write_big_lockfile(
      lock, 200u << 20, R"({"packages": [)",
      [](std::size_t i) {
        return R"({"name": "vendor/package-)" + std::to_string(i) + R"(", "version": "1.0.0"},)";
      },
      R"({"name": "vendor/last", "version": "1.0.0"}]})");
  ASSERT_GE(fs::file_size(lock), 200u << 20);

  testing::expect_refused_unread([&] { return ComposerLock(lock, "big").scan(); });
  fs::remove_all(dir);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ComposerLock, SizeCapIsConfigurable) {
  const fs::path lock = test_data("lockfiles/osv-detector-1-composer.lock");
  const auto size = fs::file_size(lock);
  EXPECT_ERRC(ComposerLock(lock, "p", size - 1).scan(), Errc::resource_exhausted);
  auto r = ComposerLock(lock, "p", size).scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 203u);
}

TEST(ComposerLock, MissingFileIsNotFound) {
  EXPECT_ERRC(ComposerLock("/nonexistent/patchparty/composer.lock", "p").scan(), Errc::not_found);
}

TEST(ComposerLock, NameIsComposer) {
  EXPECT_EQ(ComposerLock("composer.lock", "p").name(), "composer");
}

}  // namespace
}  // namespace patchparty::inventory
