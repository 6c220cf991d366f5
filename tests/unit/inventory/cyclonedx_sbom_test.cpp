#include "collectors/inventory/cyclonedx_sbom.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::expect_error;
using ::testing::HasSubstr;

const Package* find(const std::vector<Package>& packages, std::string_view name) {
  for (const Package& p : packages)
    if (p.name == name) return &p;
  return nullptr;
}

fs::path write_file(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path file = dir / name;
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

// The official CycloneDX JSON schema, through tests/oracles/cyclonedx_validate.js: the documents
// below are written from the spec, and this proves they say what the spec allows.
void expect_schema_valid(const std::string& version, const std::string& json) {
  const fs::path dir = testing::temp_dir("schema");
  const fs::path file = write_file(dir, "bom.json", json);
  const auto r = testing::run(
      {"/usr/bin/node", (fs::path(PP_SOURCE_DIR) / "tests/oracles/cyclonedx_validate.js").string(),
       version, file.string()},
      dir);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("bom.json: valid"));
  fs::remove_all(dir);
}

// A document of `spec` with these components, and the subject an application.
std::string bom(const std::string& spec, const std::string& components) {
  return R"({
  "bomFormat": "CycloneDX",
  "specVersion": ")" +
         spec + R"(",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "version": 1,
  "metadata": {
    "timestamp": "2024-01-15T10:00:00Z",
    "component": {"type": "application", "bom-ref": "shop", "name": "shop", "version": "2.1.0",
                  "purl": "pkg:npm/shop@2.1.0"}
  },
  "components": [)" +
         components + "]\n}\n";
}

// The same inventory in each version: an npm scope, a nested Maven module, a Debian package
// with its source, and two components patchparty cannot use.
const std::string kComponents = R"(
    {"type": "library", "bom-ref": "babel", "name": "core", "group": "@babel", "version": "7.22.0",
     "purl": "pkg:npm/%40babel/core@7.22.0"},
    {"type": "library", "bom-ref": "log4j", "name": "log4j-core", "version": "2.14.1",
     "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
     "components": [
       {"type": "library", "bom-ref": "log4j-api", "name": "log4j-api", "version": "2.14.1",
        "purl": "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1"}
     ]},
    {"type": "library", "bom-ref": "libc6", "name": "libc6", "version": "2.36-9+deb12u4",
     "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12"},
    {"type": "operating-system", "bom-ref": "os", "name": "debian", "version": "12"},
    {"type": "library", "bom-ref": "vendored", "name": "zlib", "version": "1.3",
     "purl": "pkg:generic/zlib@1.3"}
)";

void expect_inventory(const SbomResult& r) {
  ASSERT_EQ(r.packages.size(), 4u);
  std::vector<std::string> names;
  for (const Package& p : r.packages) names.push_back(p.name);
  // File order, a nested component right after its parent.
  EXPECT_THAT(names, ElementsAre("@babel/core", "org.apache.logging.log4j:log4j-core",
                                 "org.apache.logging.log4j:log4j-api", "libc6"));
  const Package& babel = r.packages[0];
  EXPECT_EQ(babel.ecosystem, "npm");
  EXPECT_EQ(babel.version, "7.22.0");
  EXPECT_EQ(babel.source_name, "@babel/core");
  EXPECT_EQ(babel.source_version, "7.22.0");
  EXPECT_EQ(babel.origin, "cyclonedx");
  EXPECT_EQ(babel.project, "shop");
  EXPECT_EQ(babel.location, "bom.json");
  EXPECT_FALSE(babel.dev);
  EXPECT_EQ(r.packages[2].ecosystem, "Maven");
  const Package& libc = r.packages[3];
  EXPECT_EQ(libc.ecosystem, "Debian:12");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.arch, "amd64");
  EXPECT_EQ(libc.source_name, "glibc");
  EXPECT_EQ(r.without_purl, 2u);
  EXPECT_THAT(r.unusable, ElementsAre("debian@12 (operating-system): no purl",
                                      "zlib@1.3 (library): purl 'pkg:generic/zlib@1.3': purl type "
                                      "'generic' names no ecosystem that patchparty matches"));
}

TEST(CycloneDxSbom, ReadsSpecVersion14) {
  const std::string doc = bom("1.4", kComponents);
  expect_schema_valid("1.4", doc);
  auto r = parse_cyclonedx_sbom(doc, "shop", "bom.json");
  ASSERT_OK(r);
  expect_inventory(*r);
}

TEST(CycloneDxSbom, ReadsSpecVersion15) {
  const std::string doc = bom("1.5", kComponents);
  expect_schema_valid("1.5", doc);
  auto r = parse_cyclonedx_sbom(doc, "shop", "bom.json");
  ASSERT_OK(r);
  expect_inventory(*r);
}

TEST(CycloneDxSbom, ReadsSpecVersion16) {
  const std::string doc = bom("1.6", kComponents);
  expect_schema_valid("1.6", doc);
  auto r = parse_cyclonedx_sbom(doc, "shop", "bom.json");
  ASSERT_OK(r);
  expect_inventory(*r);
}

TEST(CycloneDxSbom, RefusesOtherSpecVersions) {
  for (const char* spec : {"1.3", "1.2", "1.7", "2.0"})
    expect_error(parse_cyclonedx_sbom(bom(spec, ""), "p", "bom.json"), Errc::failed_precondition,
                 "bom.json: CycloneDX specVersion " + std::string(spec) + " is not supported");
  expect_error(parse_cyclonedx_sbom(R"({"bomFormat": "CycloneDX", "specVersion": 1.5})", "p", "b"),
               Errc::invalid_argument, "b: \"specVersion\" is not a string");
  expect_error(parse_cyclonedx_sbom(R"({"bomFormat": "CycloneDX"})", "p", "b"),
               Errc::invalid_argument, "no \"specVersion\"");
}

TEST(CycloneDxSbom, RefusesWhatIsNotCycloneDx) {
  expect_error(parse_cyclonedx_sbom(R"({"spdxVersion": "SPDX-2.3"})", "p", "x.json"),
               Errc::invalid_argument, "x.json: \"bomFormat\" is not \"CycloneDX\"");
  expect_error(parse_cyclonedx_sbom(R"({"bomFormat": "SPDX", "specVersion": "1.5"})", "p", "x"),
               Errc::invalid_argument, "not a CycloneDX JSON document");
  expect_error(parse_cyclonedx_sbom("[]", "p", "x.json"), Errc::invalid_argument,
               "top level is not an object");
  expect_error(parse_cyclonedx_sbom(R"({"bomFormat": "CycloneDX", )", "p", "x.json"),
               Errc::data_loss, "x.json: invalid JSON at offset 27");
  expect_error(parse_cyclonedx_sbom("", "p", "x.json"), Errc::data_loss, "invalid JSON");
}

TEST(CycloneDxSbom, NamesTheComponentOfAWrongShape) {
  expect_error(
      parse_cyclonedx_sbom(bom("1.5", R"({"name": "a", "components": [{}, 7]})"), "p", "bom.json"),
      Errc::invalid_argument, "bom.json: components[0].components[1]: not an object");
  expect_error(parse_cyclonedx_sbom(bom("1.5", R"({"name": "a"}, {"name": "b", "purl": 7})"), "p",
                                    "bom.json"),
               Errc::invalid_argument, "bom.json: components[1]: \"purl\" is not a string");
  expect_error(
      parse_cyclonedx_sbom(bom("1.5", R"({"name": "a", "components": {}})"), "p", "bom.json"),
      Errc::invalid_argument, "components[0]: \"components\" is not an array");
  expect_error(parse_cyclonedx_sbom(R"({"bomFormat": "CycloneDX", "specVersion": "1.5",
                                        "components": {}})",
                                    "p", "bom.json"),
               Errc::invalid_argument, "bom.json: \"components\" is not an array");
  expect_error(parse_cyclonedx_sbom(bom("1.5", R"({"name": "a", "scope": true})"), "p", "bom.json"),
               Errc::invalid_argument, "components[0]: \"scope\" is not a string");
}

TEST(CycloneDxSbom, WalksDeepNestingWithoutRecursion) {
  // 200000 levels: a recursive walk would overflow the stack long before.
  constexpr int kDepth = 200000;
  std::string components;
  for (int i = 0; i < kDepth; ++i)
    components += R"({"type": "library", "name": "p)" + std::to_string(i) +
                  R"(", "purl": "pkg:npm/p)" + std::to_string(i) + R"(@1.0.0", "components": [)";
  for (int i = 0; i < kDepth; ++i) components += "]}";
  auto r = parse_cyclonedx_sbom(bom("1.5", components), "deep", "bom.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), static_cast<std::size_t>(kDepth));
  EXPECT_EQ(r->packages.front().name, "p0");
  EXPECT_EQ(r->packages.back().name, "p199999");
  // An error deep down names the whole path.
  std::string bad;
  for (int i = 0; i < 3; ++i) bad += R"({"name": "x", "components": [{}, )";
  bad += "null";
  for (int i = 0; i < 3; ++i) bad += "]}";
  expect_error(parse_cyclonedx_sbom(bom("1.5", bad), "p", "bom.json"), Errc::invalid_argument,
               "bom.json: components[0].components[1].components[1].components[1]: not an "
               "object");
}

TEST(CycloneDxSbom, CountsAndListsComponentsWithoutAUsablePurl) {
  auto r = parse_cyclonedx_sbom(bom("1.5", R"(
    {"type": "library", "name": "left-pad", "version": "1.3.0"},
    {"type": "library", "name": "lodash", "purl": "pkg:npm/lodash"},
    {"type": "library", "name": "openssl", "version": "3.0.11-1~deb12u1",
     "purl": "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64"},
    {"type": "container", "name": "nginx", "purl": "pkg:oci/nginx@sha256%3Aabc"},
    {"type": "file", "name": "/usr/bin/tool\u0007", "purl": "not a purl"},
    {"type": "library", "purl": "pkg:cargo/serde@1.0.188"}
  )"),
                                "p", "bom.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].ecosystem, "crates.io");
  EXPECT_EQ(r->without_purl, 5u);
  EXPECT_THAT(
      r->unusable,
      ElementsAre("left-pad@1.3.0 (library): no purl",
                  "lodash (library): purl 'pkg:npm/lodash': no version",
                  "openssl@3.0.11-1~deb12u1 (library): purl "
                  "'pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64': no distro qualifier, so "
                  "the debian release whose advisories apply is unknown",
                  "nginx (container): purl 'pkg:oci/nginx@sha256%3Aabc': purl type 'oci' names no "
                  "ecosystem that patchparty matches",
                  "/usr/bin/tool? (file): purl 'not a purl' does not parse"));
}

TEST(CycloneDxSbom, ListsAThousandUnusableComponentsAndCountsTheRest) {
  std::string components;
  for (int i = 0; i < 1500; ++i)
    components += std::string(i ? "," : "") + R"({"type": "library", "name": "x)" +
                  std::to_string(i) + R"("})";
  auto r = parse_cyclonedx_sbom(bom("1.5", components), "p", "bom.json");
  ASSERT_OK(r);
  EXPECT_EQ(r->without_purl, 1500u);
  ASSERT_EQ(r->unusable.size(), kMaxUnusableListed + 1);
  EXPECT_EQ(r->unusable[999], "x999 (library): no purl");
  EXPECT_EQ(r->unusable.back(), "... and 500 more");
}

TEST(CycloneDxSbom, TheSubjectIsAPackageOnlyAsALibraryWithAPurl) {
  // bom() describes an application with an npm purl: not a package, not counted.
  auto app = parse_cyclonedx_sbom(bom("1.5", ""), "p", "bom.json");
  ASSERT_OK(app);
  EXPECT_TRUE(app->packages.empty());
  EXPECT_EQ(app->without_purl, 0u);
  const std::string library = R"({"bomFormat": "CycloneDX", "specVersion": "1.5",
    "metadata": {"component": {"type": "library", "name": "lodash", "version": "4.17.21",
                               "purl": "pkg:npm/lodash@4.17.21"}}})";
  expect_schema_valid("1.5", library);
  auto lib = parse_cyclonedx_sbom(library, "p", "bom.json");
  ASSERT_OK(lib);
  ASSERT_EQ(lib->packages.size(), 1u);
  EXPECT_EQ(lib->packages[0].name, "lodash");
  // A library without a usable purl is still the subject, not an unusable component.
  auto bare = parse_cyclonedx_sbom(R"({"bomFormat": "CycloneDX", "specVersion": "1.5",
    "metadata": {"component": {"type": "library", "name": "lodash"}}, "components": []})",
                                   "p", "bom.json");
  ASSERT_OK(bare);
  EXPECT_TRUE(bare->packages.empty());
  EXPECT_EQ(bare->without_purl, 0u);
}

TEST(CycloneDxSbom, DuplicatePurlsAreOnePackage) {
  auto r = parse_cyclonedx_sbom(bom("1.5", R"(
    {"type": "library", "name": "lodash", "purl": "pkg:npm/lodash@4.17.21", "scope": "excluded"},
    {"type": "library", "name": "lodash", "purl": "pkg:npm/lodash@4.17.21",
     "components": [{"type": "library", "name": "lodash", "purl": "pkg:npm/lodash@4.17.21"}]},
    {"type": "library", "name": "core", "purl": "pkg:npm/%40babel/core@7.22.0", "scope": "excluded"},
    {"type": "library", "name": "core", "purl": "pkg:npm/@babel/core@7.22.0",
     "properties": [{"name": "patchparty:dev", "value": "true"}]},
    {"type": "library", "name": "lodash", "purl": "pkg:npm/lodash@4.17.20"}
  )"),
                                "p", "bom.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 3u);
  // Dev only when every listing says so: the second lodash is not excluded.
  EXPECT_EQ(r->packages[0].version, "4.17.21");
  EXPECT_FALSE(r->packages[0].dev);
  EXPECT_EQ(r->packages[1].name, "@babel/core");
  EXPECT_TRUE(r->packages[1].dev);
  EXPECT_EQ(r->packages[2].version, "4.17.20");
  EXPECT_EQ(r->without_purl, 0u);
}

TEST(CycloneDxSbom, ReadsScopeAsDevAndOptional) {
  auto r = parse_cyclonedx_sbom(bom("1.5", R"(
    {"type": "library", "name": "jest", "purl": "pkg:npm/jest@29.7.0", "scope": "excluded"},
    {"type": "library", "name": "fsevents", "purl": "pkg:npm/fsevents@2.3.3", "scope": "optional"},
    {"type": "library", "name": "react", "purl": "pkg:npm/react@18.2.0", "scope": "required"},
    {"type": "library", "name": "mocha", "purl": "pkg:npm/mocha@10.2.0",
     "properties": [{"name": "patchparty:dev", "value": "true"}, {"name": "other"}, 3]},
    {"type": "library", "name": "chokidar", "purl": "pkg:npm/chokidar@3.5.3",
     "properties": [{"name": "patchparty:optional", "value": "true"},
                    {"name": "patchparty:dev", "value": "false"}]}
  )"),
                                "p", "bom.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 5u);
  EXPECT_TRUE(find(r->packages, "jest")->dev);
  EXPECT_FALSE(find(r->packages, "jest")->optional);
  EXPECT_TRUE(find(r->packages, "fsevents")->optional);
  EXPECT_FALSE(find(r->packages, "fsevents")->dev);
  EXPECT_FALSE(find(r->packages, "react")->dev);
  EXPECT_FALSE(find(r->packages, "react")->optional);
  EXPECT_TRUE(find(r->packages, "mocha")->dev);
  EXPECT_TRUE(find(r->packages, "chokidar")->optional);
  EXPECT_FALSE(find(r->packages, "chokidar")->dev);
}

TEST(CycloneDxSbom, ReadsOsPackagesOfEveryDistributionFamily) {
  auto r = parse_cyclonedx_sbom(bom("1.5", R"(
    {"type": "library", "name": "musl", "purl": "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19.1"},
    {"type": "library", "name": "openssl-libs",
     "purl": "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-24.el9.src.rpm&distro=rhel-9.3"},
    {"type": "library", "name": "curl", "purl": "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?arch=amd64&distro=ubuntu-22.04"}
  )"),
                                "p", "bom.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 3u);
  EXPECT_EQ(r->packages[0].ecosystem, "Alpine:v3.19");
  EXPECT_EQ(r->packages[1].ecosystem, "Red Hat:enterprise_linux:9");
  EXPECT_EQ(r->packages[1].version, "1:3.0.7-24.el9");
  EXPECT_EQ(r->packages[1].source_name, "openssl");
  EXPECT_EQ(r->packages[2].ecosystem, "Ubuntu:22.04:LTS");
}

TEST(CycloneDxSbom, ScanReadsTheFileAndKeepsTheExtras) {
  const fs::path dir = testing::temp_dir("scan");
  const fs::path file = write_file(dir, "host.cdx.json", bom("1.6", kComponents));
  CycloneDxSbom source(file, "shop");
  EXPECT_EQ(source.name(), "cyclonedx");
  auto packages = source.scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 4u);
  EXPECT_EQ(packages->front().location, file.string());
  EXPECT_EQ(source.last_result().packages.size(), 4u);
  EXPECT_EQ(source.last_result().without_purl, 2u);
  EXPECT_EQ(source.last_result().unusable.size(), 2u);

  expect_error(CycloneDxSbom(file, "shop", 100).scan(), Errc::resource_exhausted, "over the limit");
  expect_error(CycloneDxSbom(dir / "missing.json", "shop").scan(), Errc::not_found, "missing.json");
  fs::remove_all(dir);
}

TEST(CycloneDxSbom, KindOpensNamedFilesOnly) {
  const InventoryKind kind = cyclonedx_inventory_kind();
  EXPECT_EQ(kind.name, "cyclonedx");
  EXPECT_TRUE(kind.lockfile_names.empty());
  EXPECT_EQ(kind.lockfile_ecosystem, "");
  EXPECT_FALSE(kind.plan);
  ASSERT_TRUE(kind.open_lockfile);
  const fs::path dir = testing::temp_dir("kind");
  const fs::path file = write_file(dir, "bom.json", bom("1.5", kComponents));
  auto source = kind.open_lockfile(file, "shop", kDefaultMaxFileBytes);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->name(), "cyclonedx");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 4u);
  EXPECT_EQ(packages->front().project, "shop");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::inventory
