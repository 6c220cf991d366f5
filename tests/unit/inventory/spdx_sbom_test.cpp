#include "collectors/inventory/spdx_sbom.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::expect_error;

// A document as SPDX 2.3 (section 7, "Package information", and annex F, "External repository
// identifiers") spells one: the subject described by the document, then its packages.
std::string spdx(const std::string& version, const std::string& packages,
                 const std::string& category = "PACKAGE-MANAGER") {
  return R"({
  "spdxVersion": ")" +
         version + R"(",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "shop",
  "documentNamespace": "https://example.com/spdx/shop-2.1.0",
  "creationInfo": {"created": "2024-01-15T10:00:00Z", "creators": ["Tool: hand-1.0"]},
  "documentDescribes": ["SPDXRef-shop"],
  "packages": [
    {"SPDXID": "SPDXRef-shop", "name": "shop", "versionInfo": "2.1.0",
     "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "APPLICATION",
     "externalRefs": [{"referenceCategory": ")" +
         category + R"(", "referenceType": "purl",
                       "referenceLocator": "pkg:npm/shop@2.1.0"}]},
    )" + packages +
         R"(
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
     "relatedSpdxElement": "SPDXRef-shop"}
  ]
}
)";
}

std::string package(const std::string& id, const std::string& name, const std::string& version,
                    const std::string& refs) {
  return R"({"SPDXID": "SPDXRef-)" + id + R"(", "name": ")" + name + R"(", "versionInfo": ")" +
         version + R"(", "downloadLocation": "NOASSERTION", "externalRefs": [)" + refs + "]}";
}

std::string purl_ref(const std::string& purl, const std::string& category = "PACKAGE-MANAGER") {
  return R"({"referenceCategory": ")" + category +
         R"(", "referenceType": "purl", "referenceLocator": ")" + purl + R"("})";
}

const std::string kCpe =
    R"({"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
        "referenceLocator": "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"})";

const std::string kPackages =
    package("lodash", "lodash", "4.17.21", purl_ref("pkg:npm/lodash@4.17.21")) + ",\n" +
    package("openssl", "openssl", "3.0.11-1~deb12u1",
            kCpe + "," +
                purl_ref("pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12")) +
    ",\n" + package("zlib", "zlib", "1.3", kCpe) + ",\n" +
    R"({"SPDXID": "SPDXRef-plain", "name": "vendored-thing", "downloadLocation": "NOASSERTION"})";

void expect_inventory(const SbomResult& r) {
  ASSERT_EQ(r.packages.size(), 2u);
  EXPECT_EQ(r.packages[0].ecosystem, "npm");
  EXPECT_EQ(r.packages[0].name, "lodash");
  EXPECT_EQ(r.packages[0].version, "4.17.21");
  EXPECT_EQ(r.packages[0].origin, "spdx");
  EXPECT_EQ(r.packages[0].project, "shop");
  EXPECT_EQ(r.packages[0].location, "shop.spdx.json");
  EXPECT_EQ(r.packages[1].ecosystem, "Debian:12");
  EXPECT_EQ(r.packages[1].name, "openssl");
  EXPECT_EQ(r.packages[1].arch, "amd64");
  EXPECT_EQ(r.without_purl, 2u);
  EXPECT_THAT(r.unusable, ElementsAre("zlib@1.3: no purl", "vendored-thing: no purl"));
}

TEST(SpdxSbom, ReadsPurlReferencesOfSpdx23) {
  auto r = parse_spdx_sbom(spdx("SPDX-2.3", kPackages), "shop", "shop.spdx.json");
  ASSERT_OK(r);
  expect_inventory(*r);
}

TEST(SpdxSbom, ReadsSpdx22WithItsUnderscoreCategory) {
  std::string packages = kPackages;
  for (auto at = packages.find("PACKAGE-MANAGER"); at != std::string::npos;
       at = packages.find("PACKAGE-MANAGER"))
    packages.replace(at, 15, "PACKAGE_MANAGER");
  auto r = parse_spdx_sbom(spdx("SPDX-2.2", packages, "PACKAGE_MANAGER"), "shop", "shop.spdx.json");
  ASSERT_OK(r);
  expect_inventory(*r);
}

TEST(SpdxSbom, RefusesOtherVersions) {
  for (const char* version : {"SPDX-2.1", "SPDX-3.0", "2.3"})
    expect_error(parse_spdx_sbom(spdx(version, kPackages), "p", "x.json"),
                 Errc::failed_precondition,
                 "x.json: " + std::string(version) + " is not supported");
  expect_error(parse_spdx_sbom(R"({"bomFormat": "CycloneDX"})", "p", "x.json"),
               Errc::invalid_argument, "x.json: no \"spdxVersion\" string");
  expect_error(parse_spdx_sbom(R"({"spdxVersion": 2.3})", "p", "x.json"), Errc::invalid_argument,
               "\"spdxVersion\" is not a string");
  expect_error(parse_spdx_sbom("[1]", "p", "x.json"), Errc::invalid_argument,
               "top level is not an object");
  expect_error(parse_spdx_sbom(R"({"spdxVersion": "SPDX-2.3", )", "p", "x.json"), Errc::data_loss,
               "x.json: invalid JSON at offset");
}

TEST(SpdxSbom, NamesThePackageOfAWrongShape) {
  expect_error(parse_spdx_sbom(spdx("SPDX-2.3", "3"), "p", "x.json"), Errc::invalid_argument,
               "x.json: packages[1]: not an object");
  expect_error(parse_spdx_sbom(spdx("SPDX-2.3", package("a", "a", "1", "7")), "p", "x.json"),
               Errc::invalid_argument, "x.json: packages[1].externalRefs[0]: not an object");
  expect_error(parse_spdx_sbom(spdx("SPDX-2.3", R"({"SPDXID": "SPDXRef-a", "externalRefs": {}})"),
                               "p", "x.json"),
               Errc::invalid_argument, "x.json: packages[1]: \"externalRefs\" is not an array");
  expect_error(parse_spdx_sbom(spdx("SPDX-2.3", package("a", "a", "1",
                                                        R"({"referenceCategory": "PACKAGE-MANAGER",
                                                  "referenceType": "purl",
                                                  "referenceLocator": 1})")),
                               "p", "x.json"),
               Errc::invalid_argument,
               "packages[1].externalRefs[0]: \"referenceLocator\" is not a string");
  expect_error(parse_spdx_sbom(R"({"spdxVersion": "SPDX-2.3", "packages": {}})", "p", "x.json"),
               Errc::invalid_argument, "x.json: \"packages\" is not an array");
}

TEST(SpdxSbom, ADocumentWithoutPackagesIsEmpty) {
  auto r = parse_spdx_sbom(R"({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"})", "p",
                           "x.json");
  ASSERT_OK(r);
  EXPECT_TRUE(r->packages.empty());
  EXPECT_EQ(r->without_purl, 0u);
}

TEST(SpdxSbom, TheDescribedPackageIsAPackageOnlyAsALibrary) {
  // kPackages' subject is an APPLICATION with a purl: neither a package nor counted.
  auto app = parse_spdx_sbom(spdx("SPDX-2.3", kPackages), "p", "x.json");
  ASSERT_OK(app);
  for (const Package& p : app->packages) EXPECT_NE(p.name, "shop");
  // Described through a relationship only, as a library.
  const std::string library = R"({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
    "packages": [
      {"SPDXID": "SPDXRef-lib", "name": "lodash", "versionInfo": "4.17.21",
       "primaryPackagePurpose": "LIBRARY",
       "externalRefs": [)" + purl_ref("pkg:npm/lodash@4.17.21") +
                              R"(]},
      {"SPDXID": "SPDXRef-img", "name": "image", "primaryPackagePurpose": "CONTAINER"}],
    "relationships": [
      {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
       "relatedSpdxElement": "SPDXRef-lib"},
      {"spdxElementId": "SPDXRef-img", "relationshipType": "DESCRIBED_BY",
       "relatedSpdxElement": "SPDXRef-DOCUMENT"}]})";
  auto lib = parse_spdx_sbom(library, "p", "x.json");
  ASSERT_OK(lib);
  ASSERT_EQ(lib->packages.size(), 1u);
  EXPECT_EQ(lib->packages[0].name, "lodash");
  // The container image is the subject too: not counted as a package without a purl.
  EXPECT_EQ(lib->without_purl, 0u);
}

TEST(SpdxSbom, SeveralPurlsAreSeveralPackagesAndDuplicatesOne) {
  auto r = parse_spdx_sbom(
      spdx("SPDX-2.3",
           package("a", "requests", "2.31.0",
                   purl_ref("pkg:pypi/requests@2.31.0") + "," +
                       purl_ref("pkg:deb/debian/python3-requests@2.31.0?distro=debian-13")) +
               "," + package("b", "requests", "2.31.0", purl_ref("pkg:pypi/requests@2.31.0")) +
               "," +
               package("c", "x", "1", purl_ref("pkg:pypi/x") + "," + purl_ref("pkg:pypi/x@1"))),
      "p", "x.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 3u);
  EXPECT_EQ(r->packages[0].ecosystem, "PyPI");
  EXPECT_EQ(r->packages[1].ecosystem, "Debian:13");
  EXPECT_EQ(r->packages[1].name, "python3-requests");
  // One usable purl is enough: the versionless one is not counted.
  EXPECT_EQ(r->packages[2].name, "x");
  EXPECT_EQ(r->without_purl, 0u);
}

TEST(SpdxSbom, ListsWhyAPurlCannotBeUsed) {
  auto r = parse_spdx_sbom(
      spdx("SPDX-2.3", package("a", "busybox", "1.36.1-r15",
                               purl_ref("pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64")) +
                           "," +
                           R"({"SPDXID": "SPDXRef-b", "name": "bad\ttab",
                               "primaryPackagePurpose": "FILE"})"),
      "p", "x.json");
  ASSERT_OK(r);
  EXPECT_TRUE(r->packages.empty());
  EXPECT_EQ(r->without_purl, 2u);
  EXPECT_THAT(r->unusable,
              ElementsAre("busybox@1.36.1-r15: purl "
                          "'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64': no distro qualifier, "
                          "so the alpine release whose advisories apply is unknown",
                          "bad?tab (FILE): no purl"));
}

TEST(SpdxSbom, ScanReadsTheFileAndKeepsTheExtras) {
  const fs::path dir = testing::temp_dir("scan");
  const fs::path file = dir / "image.spdx.json";
  std::ofstream(file) << spdx("SPDX-2.3", kPackages);
  SpdxSbom source(file, "shop");
  EXPECT_EQ(source.name(), "spdx");
  auto packages = source.scan();
  ASSERT_OK(packages);
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_EQ(packages->front().location, file.string());
  EXPECT_EQ(source.last_result().without_purl, 2u);
  EXPECT_EQ(source.last_result().unusable.size(), 2u);
  expect_error(SpdxSbom(file, "shop", 64).scan(), Errc::resource_exhausted, "over the limit");

  const InventoryKind kind = spdx_inventory_kind();
  EXPECT_EQ(kind.name, "spdx");
  EXPECT_TRUE(kind.lockfile_names.empty());
  EXPECT_FALSE(kind.plan);
  ASSERT_TRUE(kind.open_lockfile);
  auto opened = kind.open_lockfile(file, "other", kDefaultMaxFileBytes);
  ASSERT_NE(opened, nullptr);
  EXPECT_EQ(opened->name(), "spdx");
  auto again = opened->scan();
  ASSERT_OK(again);
  EXPECT_EQ(again->front().project, "other");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::inventory
