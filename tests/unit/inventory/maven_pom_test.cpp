#include "collectors/inventory/maven_pom.h"

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
using ::testing::ElementsAre;
using testing::expect_error;
using ::testing::HasSubstr;
using testing::read_text;
using testing::test_data;
using Pairs = testing::PairSet;

constexpr const char* kFixtures = "lockfiles/osv-detector-fixtures/maven/";

const Package* find(const std::vector<Package>& packages, std::string_view name) {
  for (const Package& p : packages)
    if (p.name == name) return &p;
  return nullptr;
}

TEST(MavenPom, RealFileMatchesOsvDetector) {
  const fs::path file = test_data("lockfiles/osv-detector-1-pom.xml");
  MavenPom source(file, "java");
  auto packages = source.scan();
  ASSERT_OK(packages);
  const auto detector =
      testing::read_detector_output(test_data("lockfiles/osv-detector-1-pom.xml.out.txt"));
  EXPECT_EQ(packages->size(), detector.found);
  EXPECT_EQ(testing::pair_set(*packages),
            (Pairs{{"junit:junit", "4.8.1"},
                   {"commons-io:commons-io", "2.4"},
                   {"org.springframework:spring-core", "4.1.2.RELEASE"},
                   {"org.springframework:spring-context", "4.1.2.RELEASE"},
                   {"log4j:log4j", "1.2.17"}}));
  const Pairs found = testing::pair_set(*packages);
  ASSERT_EQ(detector.affected.size(), 4u);
  for (const auto& [name, version] : detector.affected)
    EXPECT_TRUE(found.count({name, version})) << name << "@" << version;
  EXPECT_TRUE(source.unresolved().empty());
  const Package* junit = find(*packages, "junit:junit");
  ASSERT_NE(junit, nullptr);
  EXPECT_TRUE(junit->dev);  // <scope>test</scope>
  const Package* core = find(*packages, "org.springframework:spring-core");
  ASSERT_NE(core, nullptr);
  EXPECT_FALSE(core->dev);
  EXPECT_EQ(core->ecosystem, "Maven");
  EXPECT_EQ(core->origin, "maven");
  EXPECT_EQ(core->project, "java");
  EXPECT_EQ(core->location, file.string());
  EXPECT_EQ(core->source_name, core->name);
  EXPECT_EQ(core->source_version, core->version);
}

TEST(MavenPom, FixtureCountsAndSamples) {
  struct Case {
    const char* file;
    Pairs expected;
  };
  const Case cases[] = {
      {"empty.xml", {}},
      {"one-package.xml", {{"org.apache.maven:maven-artifact", "1.0.0"}}},
      {"two-packages.xml",
       {{"io.netty:netty-all", "4.1.42.Final"}, {"org.slf4j:slf4j-log4j12", "1.7.25"}}},
      // The direct dependency's own version stands; managed-only entries are not packages
      // (osv-detector reports netty-all 4.1.42.Final and jsr305 3.0.2 here).
      {"with-dependency-management.xml",
       {{"io.netty:netty-all", "4.1.9"}, {"org.slf4j:slf4j-log4j12", "1.7.25"}}},
      {"interpolation.xml", {{"org.mine:mypackage", "1.0.0"}, {"org.mine:my.package", "2.3.4"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto packages = parse_maven_pom(read_text(test_data(std::string(kFixtures) + c.file)), "p");
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), c.expected);
  }
}

TEST(MavenPom, UnresolvablePropertiesAreListedNotGuessed) {
  auto r = parse_maven_pom_details(
      read_text(test_data(std::string(kFixtures) + "interpolation.xml")), "p");
  ASSERT_OK(r);
  EXPECT_THAT(r->unresolved,
              ElementsAre("org.mine.too:my.other-package: ${my.package.missing} is not defined "
                          "in this file"));
}

TEST(MavenPom, InvalidXmlIsDataLossWithTheLine) {
  expect_error(parse_maven_pom(read_text(test_data(std::string(kFixtures) + "invalid-syntax.xml")),
                               "p", "/srv/app/pom.xml"),
               Errc::data_loss, "/srv/app/pom.xml: invalid XML at line 3");
  expect_error(parse_maven_pom(read_text(test_data(std::string(kFixtures) + "not-pom.txt")), "p"),
               Errc::data_loss, "pom.xml: invalid XML at line 2: No document element found");
}

constexpr const char* kPom = R"(<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.acme</groupId><artifactId>parent</artifactId><version>7.1</version></parent>
  <artifactId>app</artifactId>
  <properties>
    <lib.version>${base.version}.1</lib.version>
    <base.version>2.0</base.version>
    <loop.a>${loop.b}</loop.a>
    <loop.b>${loop.a}</loop.b>
    <boom>${boom}${boom}</boom>
    <range>[1.0,2.0)</range>
  </properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.acme</groupId><artifactId>managed</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>only-managed</artifactId><version>9</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.acme</groupId><artifactId>lib</artifactId><version>${lib.version}</version><optional>true</optional></dependency>
    <dependency><groupId>${project.groupId}</groupId><artifactId>managed</artifactId></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>sibling</artifactId><version>${project.parent.version}</version><scope>test</scope></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>cycle</artifactId><version>${loop.a}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>boom</artifactId><version>${boom}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>ranged</artifactId><version>${range}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>from-parent</artifactId></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>env</artifactId><version>${env.V}</version></dependency>
  </dependencies>
  <profiles><profile><dependencies>
    <dependency><groupId>org.acme</groupId><artifactId>profiled</artifactId><version>1</version></dependency>
  </dependencies></profile></profiles>
</project>)";

TEST(MavenPom, PropertiesManagementRangesAndFlags) {
  auto r = parse_maven_pom_details(kPom, "p");
  ASSERT_OK(r);
  EXPECT_EQ(
      testing::pair_set(r->packages),
      (Pairs{{"org.acme:lib", "2.0.1"}, {"org.acme:managed", "7.1"}, {"org.acme:sibling", "7.1"}}));
  ASSERT_EQ(r->packages.size(), 3u);
  EXPECT_TRUE(r->packages[0].optional);
  EXPECT_FALSE(r->packages[0].dev);
  EXPECT_FALSE(r->packages[1].optional);
  EXPECT_TRUE(r->packages[2].dev);
  ASSERT_EQ(r->unresolved.size(), 5u);
  EXPECT_THAT(r->unresolved[0], HasSubstr("org.acme:cycle: properties refer to each other"));
  EXPECT_THAT(r->unresolved[1], HasSubstr("org.acme:boom: properties expand beyond 4 KiB"));
  EXPECT_THAT(r->unresolved[2], HasSubstr("org.acme:ranged: version range [1.0,2.0) is not"));
  EXPECT_THAT(r->unresolved[3], HasSubstr("org.acme:from-parent: no version in this file"));
  EXPECT_THAT(r->unresolved[4], HasSubstr("org.acme:env: ${env.V} is not defined"));
}

TEST(MavenPom, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"<settings/>", "root element is <settings>, not <project>"},
      {"<project><dependencies><dependency><artifactId>a</artifactId></dependency>"
       "</dependencies></project>",
       "dependency 0: no groupId or artifactId"},
      {"<project><dependencies><dependency><groupId>g</groupId><artifactId>a b</artifactId>"
       "<version>1</version></dependency></dependencies></project>",
       "not printable ASCII without spaces"},
      {"<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>"
       "<version>1 2</version></dependency></dependencies></project>",
       "dependency 0 (g:a): version is not printable ASCII"},
  };
  for (const auto& [xml, message] : cases) {
    SCOPED_TRACE(xml);
    expect_error(parse_maven_pom(xml, "p"), Errc::invalid_argument, message);
  }
}

TEST(MavenPom, ScanKeepsTheUnresolvedList) {
  MavenPom source(test_data(std::string(kFixtures) + "interpolation.xml"), "p");
  auto packages = source.scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 2u);
  ASSERT_EQ(source.unresolved().size(), 1u);
  EXPECT_THAT(source.unresolved()[0], HasSubstr("org.mine.too:my.other-package"));
}

TEST(MavenPom, KindReadsPomXml) {
  const InventoryKind kind = maven_inventory_kind();
  EXPECT_EQ(kind.name, "maven");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"pom.xml"});
  EXPECT_EQ(kind.lockfile_ecosystem, "Maven");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "two-packages.xml"), "p",
                                   kDefaultMaxFileBytes);
  EXPECT_EQ(source->name(), "maven");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 2u);
}

TEST(MavenPom, OversizedFileIsRefusedUnread) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path file = dir / "pom.xml";
  testing::write_big_lockfile(
      file, (64u << 20) + 1, "<project><dependencies>",
      [](std::size_t i) {
        return "<dependency><groupId>g</groupId><artifactId>a" + std::to_string(i) +
               "</artifactId><version>1</version></dependency>";
      },
      "</dependencies></project>");
  testing::expect_refused_unread([&] { return MavenPom(file, "p").scan(); });
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::inventory
