#include "exporters/sbom/cyclonedx_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "collectors/inventory/cyclonedx_sbom.h"
#include "tests/support/golden.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::sbom {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

Package package(std::string ecosystem, std::string origin, std::string name, std::string version,
                std::string arch = "") {
  Package p;
  p.ecosystem = std::move(ecosystem);
  p.origin = std::move(origin);
  p.name = p.source_name = std::move(name);
  p.version = p.source_version = std::move(version);
  p.arch = std::move(arch);
  return p;
}

Package app(std::string ecosystem, std::string origin, std::string name, std::string version,
            std::string project, std::string location) {
  Package p = package(std::move(ecosystem), std::move(origin), std::move(name), std::move(version));
  p.project = std::move(project);
  p.location = std::move(location);
  return p;
}

// A host with OS packages of its own and two projects' lockfiles: every ecosystem patchparty
// inventories, an npm package installed at two paths, dev and optional flags.
SbomInput host() {
  SbomInput in;
  in.host_name = "web-1";
  in.host_ecosystem = "Debian:12";
  in.os_id = "debian";
  in.os_version = "12";
  in.tool_version = "0.9.0";
  in.timestamp = 1705312800;  // 2024-01-15T10:00:00Z
  in.serial_uuid = "3e671687-395b-41f5-a30f-a58921a69b79";
  Package libc = package("Debian:12", "dpkg", "libc6", "2.36-9+deb12u4", "amd64");
  libc.source_name = "glibc";
  Package bsd = package("Debian:12", "dpkg", "bsdutils", "1:2.38.1-5+b1", "amd64");
  bsd.source_name = "util-linux";
  bsd.source_version = "2.38.1-5";
  Package rpm = package("AlmaLinux:9", "rpm", "openssl-libs", "1:3.0.7-27.el9", "x86_64");
  rpm.source_name = "openssl";
  Package ansi = app("npm", "npm", "ansi-regex", "5.0.1", "shop", "node_modules/ansi-regex");
  Package nested_ansi = app("npm", "npm", "ansi-regex", "5.0.1", "shop",
                            "node_modules/cliui/node_modules/ansi-regex");
  Package jest = app("npm", "npm", "@jest/core", "29.7.0", "shop", "node_modules/@jest/core");
  jest.dev = true;
  Package fsevents = app("npm", "npm", "fsevents", "2.3.3", "shop", "node_modules/fsevents");
  fsevents.optional = true;
  in.packages = {
      libc,
      bsd,
      rpm,
      package("Alpine:v3.19", "apk", "musl", "1.2.4-r2", "x86_64"),
      ansi,
      nested_ansi,
      jest,
      fsevents,
      app("Packagist", "composer", "symfony/http-kernel", "v4.4.12", "blog",
          "/srv/blog/composer.lock"),
      app("PyPI", "pip", "django", "4.2.1", "api", "/srv/api/requirements.txt"),
      app("Go", "gomod", "golang.org/x/net", "0.17.0", "proxy", "/srv/proxy/go.mod"),
      app("crates.io", "cargo", "serde", "1.0.188", "cli", "/srv/cli/Cargo.lock"),
      app("RubyGems", "bundler", "rails", "7.0.4", "admin", "/srv/admin/Gemfile.lock"),
      app("Maven", "maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "search",
          "/srv/search/pom.xml"),
      app("NuGet", "nuget", "Newtonsoft.Json", "13.0.1", "billing",
          "/srv/billing/packages.lock.json"),
  };
  return in;
}

struct Validation {
  int code;
  std::string out;
};

// tests/oracles/cyclonedx_validate.js: ajv and the official CycloneDX 1.5 schema.
Validation validate(const std::string& json) {
  const fs::path dir = testing::temp_dir("validate");
  const fs::path file = dir / "bom.json";
  std::ofstream(file, std::ios::binary) << json;
  const auto r = testing::run(
      {"/usr/bin/node", (fs::path(PP_SOURCE_DIR) / "tests/oracles/cyclonedx_validate.js").string(),
       "1.5", file.string()},
      dir);
  fs::remove_all(dir);
  return {r.code, r.out + r.err};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(CycloneDxWriter, WritesADocumentTheOfficialSchemaAccepts) {
  const std::string json = write_cyclonedx(host());
  const Validation v = validate(json);
  EXPECT_EQ(v.code, 0) << v.out;
  EXPECT_THAT(v.out, HasSubstr("bom.json: valid"));
}

TEST(CycloneDxWriter, TheSchemaCheckFailsOnABrokenDocument) {
  const std::string json = write_cyclonedx(host());
  struct Break {
    std::string from, to, complaint;
  };
  for (const Break& b : std::vector<Break>{
           {R"("type": "library")", R"("type": "librarie")", "must be equal to one of the allowed"},
           {R"("timestamp": "2024-01-15T10:00:00Z")", R"("timestamp": "2024-01-15 10:00")",
            "must match format \"date-time\""},
           {R"("serialNumber": "urn:uuid:)", R"("serialNumber": "uuid:)", "must match pattern"},
           {R"("specVersion": "1.5")", R"("specVersion": 1.5)", "must be string"},
           {R"("name": "libc6",)", "", "must have required property 'name'"},
       }) {
    const Validation v = validate(replaced(json, b.from, b.to));
    EXPECT_EQ(v.code, 1) << b.to << "\n" << v.out;
    EXPECT_THAT(v.out, HasSubstr("bom.json: invalid")) << b.to;
    EXPECT_THAT(v.out, HasSubstr(b.complaint)) << b.to;
  }
}

TEST(CycloneDxWriter, MatchesTheGoldenFile) {
  testing::expect_golden(fs::path(PP_SOURCE_DIR) / "tests/unit/sbom/golden/host.cdx.json",
                         write_cyclonedx(host()));
}

TEST(CycloneDxWriter, DescribesTheHostAndTheTool) {
  rapidjson::Document doc;
  const std::string json = write_cyclonedx(host());
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["bomFormat"].GetString(), "CycloneDX");
  EXPECT_STREQ(doc["specVersion"].GetString(), "1.5");
  EXPECT_STREQ(doc["serialNumber"].GetString(), "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
  EXPECT_EQ(doc["version"].GetInt(), 1);
  const auto& meta = doc["metadata"];
  EXPECT_STREQ(meta["timestamp"].GetString(), "2024-01-15T10:00:00Z");
  const auto& tool = meta["tools"]["components"][0];
  EXPECT_STREQ(tool["name"].GetString(), "patchparty");
  EXPECT_STREQ(tool["version"].GetString(), "0.9.0");
  const auto& subject = meta["component"];
  EXPECT_STREQ(subject["type"].GetString(), "operating-system");
  EXPECT_STREQ(subject["name"].GetString(), "web-1");
  EXPECT_STREQ(subject["version"].GetString(), "12");
  EXPECT_FALSE(doc.HasMember("dependencies"));

  const auto& components = doc["components"];
  ASSERT_EQ(components.Size(), host().packages.size());
  std::set<std::string> refs;
  for (const auto& c : components.GetArray()) {
    EXPECT_STREQ(c["type"].GetString(), "library");
    refs.insert(c["bom-ref"].GetString());
  }
  EXPECT_EQ(refs.size(), components.Size()) << "bom-refs are not unique";
  // The npm package installed twice: both refs carry their location.
  EXPECT_TRUE(refs.count("pkg:npm/ansi-regex@5.0.1|node_modules/ansi-regex"));
  EXPECT_TRUE(refs.count("pkg:npm/ansi-regex@5.0.1|node_modules/cliui/node_modules/ansi-regex"));
  EXPECT_TRUE(
      refs.count("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&"
                 "upstream=glibc"));
  const auto& log4j = components[13];
  EXPECT_STREQ(log4j["group"].GetString(), "org.apache.logging.log4j");
  EXPECT_STREQ(log4j["name"].GetString(), "log4j-core");
  EXPECT_STREQ(log4j["purl"].GetString(), "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  const auto& jest = components[6];
  EXPECT_STREQ(jest["name"].GetString(), "@jest/core");
  EXPECT_STREQ(jest["purl"].GetString(), "pkg:npm/%40jest/core@29.7.0");
  std::vector<std::pair<std::string, std::string>> props;
  for (const auto& p : jest["properties"].GetArray())
    props.emplace_back(p["name"].GetString(), p["value"].GetString());
  EXPECT_THAT(props, ::testing::ElementsAre(
                         std::pair<std::string, std::string>{"patchparty:project", "shop"},
                         std::pair<std::string, std::string>{"patchparty:location",
                                                             "node_modules/@jest/core"},
                         std::pair<std::string, std::string>{"patchparty:source", "npm"},
                         std::pair<std::string, std::string>{"patchparty:dev", "true"}));
}

TEST(CycloneDxWriter, RepeatedBomRefsAreNumbered) {
  SbomInput in = host();
  in.packages = {app("npm", "npm", "a", "1.0.0", "p", "x"),
                 app("npm", "npm", "a", "1.0.0", "p", "x"),
                 app("npm", "npm", "a", "1.0.0", "p", "y")};
  rapidjson::Document doc;
  const std::string json = write_cyclonedx(in);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["components"][0]["bom-ref"].GetString(), "pkg:npm/a@1.0.0|x");
  EXPECT_STREQ(doc["components"][1]["bom-ref"].GetString(), "pkg:npm/a@1.0.0|x#2");
  EXPECT_STREQ(doc["components"][2]["bom-ref"].GetString(), "pkg:npm/a@1.0.0|y");
  EXPECT_EQ(validate(json).code, 0);
}

TEST(CycloneDxWriter, AnEmptyInventoryIsStillADocument) {
  SbomInput in;
  in.host_name = "bare";
  in.timestamp = 0;
  const std::string json = write_cyclonedx(in);
  const Validation v = validate(json);
  EXPECT_EQ(v.code, 0) << v.out;
  EXPECT_THAT(json, ::testing::Not(HasSubstr("serialNumber")));
  auto back = inventory::parse_cyclonedx_sbom(json, "p", "bare.json");
  ASSERT_OK(back);
  EXPECT_TRUE(back->packages.empty());
  EXPECT_EQ(back->without_purl, 0u);
}

TEST(CycloneDxWriter, ReadsBackAsTheSamePackages) {
  const SbomInput in = host();
  auto back = inventory::parse_cyclonedx_sbom(write_cyclonedx(in), "host", "host.cdx.json");
  ASSERT_OK(back);
  EXPECT_EQ(back->without_purl, 0u) << ::testing::PrintToString(back->unusable);
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string,
                         std::string, bool, bool>;
  auto key = [](const Package& p) {
    return Key{p.ecosystem,   p.name,           p.version, p.arch,
               p.source_name, p.source_version, p.dev,     p.optional};
  };
  // One package per distinct (ecosystem, name, version, arch): the reader folds the two
  // installed copies of ansi-regex into one.
  std::set<Key> want, got;
  for (const Package& p : in.packages) want.insert(key(p));
  for (const Package& p : back->packages) got.insert(key(p));
  EXPECT_EQ(back->packages.size(), in.packages.size() - 1);
  EXPECT_EQ(got, want);
  for (const Package& p : back->packages) {
    EXPECT_EQ(p.origin, "cyclonedx");
    EXPECT_EQ(p.location, "host.cdx.json");
  }
}

}  // namespace
}  // namespace patchparty::sbom
