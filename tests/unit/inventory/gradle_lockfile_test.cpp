#include "collectors/inventory/gradle_lockfile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::test_data;
using Pairs = testing::PairSet;

constexpr const char* kFixtures = "lockfiles/osv-detector-fixtures/gradle/";

TEST(GradleLockfile, EveryFixture) {
  struct Case {
    const char* file;
    Pairs expected;
    std::size_t skipped;
  };
  const Case cases[] = {
      {"only-comments", {}, 0},
      {"only-empty", {}, 0},
      {"one-pkg", {{"org.springframework.security:spring-security-crypto", "5.7.3"}}, 0},
      {"5-pkg",
       {{"org.springframework.boot:spring-boot-autoconfigure", "2.7.4"},
        {"org.springframework.boot:spring-boot-configuration-processor", "2.7.5"},
        {"org.springframework.boot:spring-boot-devtools", "2.7.6"},
        {"org.springframework.boot:spring-boot-starter-aop", "2.7.7"},
        {"org.springframework.boot:spring-boot-starter-data-jpa", "2.7.8"}},
       0},
      // ">>>", "////", "a" and "b" are skipped and counted; "empty=======" is the empty line.
      {"with-bad-pkg",
       {{"org.springframework.boot:spring-boot-autoconfigure", "2.7.4"},
        {"org.springframework.boot:spring-boot-configuration-processor", "2.7.5"}},
       4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const fs::path file = test_data(std::string(kFixtures) + c.file);
    GradleLockfile source(file, "jvm");
    auto packages = source.scan();
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), c.expected);
    EXPECT_EQ(source.skipped_lines(), c.skipped);
    for (const Package& p : *packages) {
      EXPECT_EQ(p.ecosystem, "Maven");
      EXPECT_EQ(p.origin, "gradle");
      EXPECT_EQ(p.project, "jvm");
      EXPECT_EQ(p.location, file.string());
      EXPECT_EQ(p.source_name, p.name);
      EXPECT_EQ(p.source_version, p.version);
      EXPECT_FALSE(p.dev);
    }
  }
}

TEST(GradleLockfile, TestOnlyConfigurationsMarkDev) {
  auto r = parse_gradle_lockfile(
      "junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n"
      "org.mockito:mockito-core:5.0.0=testFixturesRuntimeClasspath\n"
      "com.google.guava:guava:32.0.0-jre=compileClasspath,testCompileClasspath\n"
      "a:testing-lib:1.0=testingCompileClasspath\n"
      "b:c:1.0=\n",
      "p");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 5u);
  EXPECT_TRUE((*r)[0].dev);
  EXPECT_TRUE((*r)[1].dev);
  EXPECT_FALSE((*r)[2].dev);
  EXPECT_FALSE((*r)[3].dev);  // "testing..." is not the test source set
  EXPECT_FALSE((*r)[4].dev);
}

TEST(GradleLockfile, LinesOfAnotherShapeAreSkippedAndCounted) {
  auto r = parse_gradle_lockfile_details(
      "a:b=c\na:b:c:d=x\n:b:c=x\na::c=x\na:b:=x\na:b:c\na b:c:d=x\na:b:c=x y\n"
      "  g:a:1.0=compileClasspath  \r\n",
      "p");
  ASSERT_OK(r);
  EXPECT_EQ(r->skipped_lines, 8u);
  EXPECT_EQ(testing::pair_set(r->packages), (Pairs{{"g:a", "1.0"}}));
}

TEST(GradleLockfile, KindReadsGradleLockfile) {
  const InventoryKind kind = gradle_inventory_kind();
  EXPECT_EQ(kind.name, "gradle");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"gradle.lockfile"});
  EXPECT_EQ(kind.lockfile_ecosystem, "Maven");
  auto source =
      kind.open_lockfile(test_data(std::string(kFixtures) + "5-pkg"), "p", kDefaultMaxFileBytes);
  EXPECT_EQ(source->name(), "gradle");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 5u);
}

TEST(GradleLockfile, OversizedFileIsRefusedUnread) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path file = dir / "gradle.lockfile";
  testing::write_big_lockfile(
      file, (64u << 20) + 1, "",
      [](std::size_t i) { return "g:a" + std::to_string(i) + ":1.0=compileClasspath\n"; }, "");
  testing::expect_refused_unread([&] { return GradleLockfile(file, "p").scan(); });
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::inventory
