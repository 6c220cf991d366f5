#include "exporters/sbom/openvex_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/suppress/openvex.h"
#include "tests/support/golden.h"
#include "tests/support/test_data.h"

namespace patchparty::sbom {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::int64_t kDocTime = 1705312800;  // 2024-01-15T10:00:00Z

VexExport triage() {
  VexExport vex;
  vex.author = "ops@example.com";
  vex.timestamp = kDocTime;
  vex.id = "urn:uuid:6f3b1a52-7c2e-4c1a-9d0e-2b8f6f0b4a11";
  vex.statements = {
      {.vulnerability = "CVE-2023-5678",
       .aliases = {"DSA-5532-1", "DEBIAN-CVE-2023-5678"},
       .products = {"pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12",
                    "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12&"
                    "upstream=openssl"},
       .status = "not_affected",
       .justification = "vulnerable_code_not_in_execute_path",
       .impact_statement = "DH keys are never generated from untrusted parameters here",
       .timestamp = kDocTime + 3600},
      {.vulnerability = "GHSA-jf85-cpcp-j695",
       .products = {"pkg:npm/lodash@4.17.20"},
       .status = "affected",
       .action_statement = "upgrade lodash to 4.17.21 in the next release"},
      {.vulnerability = "CVE-2024-0727",
       .products = {"pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=almalinux-9&"
                    "epoch=1"},
       .status = "fixed"},
      {.vulnerability = "CVE-2024-2511",
       .aliases = {"GHSA-xxxx-yyyy-zzzz"},
       .products = {"pkg:npm/%40babel/core@7.22.0"},
       .status = "under_investigation",
       .timestamp = kDocTime + 60},
      {.vulnerability = "CVE-2022-40897",
       .products = {"pkg:pypi/setuptools@65.5.0"},
       .status = "not_affected",
       .impact_statement = "setuptools is never run against untrusted package indexes"},
  };
  return vex;
}

TEST(OpenVexWriter, RoundTripsThroughTheOpenVexReader) {
  const VexExport vex = triage();
  auto back = suppress::parse_openvex(write_openvex(vex), "triage.vex.json");
  ASSERT_OK(back);
  ASSERT_EQ(back->size(), vex.statements.size());
  for (std::size_t i = 0; i < back->size(); ++i) {
    const VexExportStatement& want = vex.statements[i];
    const suppress::VexStatement& got = (*back)[i];
    EXPECT_EQ(got.vulnerability, want.vulnerability) << i;
    EXPECT_EQ(got.aliases, want.aliases) << i;
    std::vector<std::string> products;
    for (const Purl& p : got.products) products.push_back(p.text);
    EXPECT_EQ(products, want.products) << i;
    EXPECT_EQ(got.status, want.status) << i;
    EXPECT_EQ(got.justification, want.justification) << i;
    EXPECT_EQ(got.impact_statement, want.impact_statement) << i;
    EXPECT_EQ(got.action_statement, want.action_statement) << i;
    // A statement without its own time takes the document's.
    EXPECT_EQ(got.timestamp, want.timestamp != 0 ? want.timestamp : kDocTime) << i;
  }
  EXPECT_EQ((*back)[2].products[0].qualifier("epoch"), "1");
  EXPECT_EQ((*back)[3].products[0].name_space, "@babel");
}

TEST(OpenVexWriter, WritesTheDocumentMembersOfV020) {
  rapidjson::Document doc;
  const std::string json = write_openvex(triage());
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["@context"].GetString(), "https://openvex.dev/ns/v0.2.0");
  EXPECT_STREQ(doc["@id"].GetString(), "urn:uuid:6f3b1a52-7c2e-4c1a-9d0e-2b8f6f0b4a11");
  EXPECT_STREQ(doc["author"].GetString(), "ops@example.com");
  EXPECT_STREQ(doc["timestamp"].GetString(), "2024-01-15T10:00:00Z");
  EXPECT_EQ(doc["version"].GetInt(), 1);
  const auto& first = doc["statements"][0];
  EXPECT_STREQ(first["vulnerability"]["name"].GetString(), "CVE-2023-5678");
  EXPECT_STREQ(first["timestamp"].GetString(), "2024-01-15T11:00:00Z");
  EXPECT_STREQ(first["products"][1]["@id"].GetString(),
               "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12&"
               "upstream=openssl");
  // Empty members are left out, not written empty.
  const auto& fixed = doc["statements"][2];
  for (const char* key : {"justification", "impact_statement", "action_statement", "timestamp"})
    EXPECT_FALSE(fixed.HasMember(key)) << key;
  EXPECT_FALSE(fixed["vulnerability"].HasMember("aliases"));
}

TEST(OpenVexWriter, MatchesTheGoldenFile) {
  testing::expect_golden(fs::path(PP_SOURCE_DIR) / "tests/unit/sbom/golden/triage.vex.json",
                         write_openvex(triage()));
}

TEST(OpenVexWriter, WhatTheReaderRefusesIsWrittenAsGiven) {
  // The writer does not judge: a not_affected statement without a reason comes out as it went
  // in, and the reader refuses it (`patchparty vex export` always gives a reason).
  VexExport vex = triage();
  vex.statements = {
      {.vulnerability = "CVE-2024-1", .products = {"pkg:npm/a@1.0.0"}, .status = "not_affected"}};
  testing::expect_error(suppress::parse_openvex(write_openvex(vex), "x.json"),
                        Errc::invalid_argument,
                        "not_affected needs a justification or an impact_statement");
}

}  // namespace
}  // namespace patchparty::sbom
