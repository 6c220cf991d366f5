#include "core/suppress/openvex.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/suppress/timestamp.h"
#include "tests/support/test_data.h"

namespace patchparty::suppress {
namespace {

using ::testing::HasSubstr;

// A document with the required members around the given statements.
std::string doc(std::string_view statements) {
  return R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/shop-2026-11",
  "author": "Shop Ops",
  "timestamp": "2026-11-01T09:00:00Z",
  "version": 1,
  "statements": [)" +
         std::string(statements) + "]}";
}

std::string error_of(std::string_view json) {
  auto r = parse_openvex(json, "v.json");
  EXPECT_FALSE(r.has_value()) << json;
  if (r) return "";
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  return r.error().message;
}

TEST(OpenVex, ReadsStatements) {
  auto r = parse_openvex(doc(R"(
    {
      "@id": "https://example.com/vex/shop-2026-11#1",
      "vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2023-1234",
                        "name": "CVE-2023-1234", "aliases": ["GHSA-aaaa-bbbb-cccc"]},
      "timestamp": "2026-11-02T10:00:00Z",
      "products": [
        {"@id": "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64"},
        {"@id": "https://example.com/images/shop",
         "identifiers": {"purl": "pkg:oci/shop@sha256%3Aabc"},
         "subcomponents": [{"@id": "pkg:composer/symfony/http-kernel@4.4.12"},
                           {"identifiers": {"purl": "pkg:npm/lodash@4.17.20"}}]}
      ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "we never parse untrusted certificates"
    },
    {
      "vulnerability": {"name": "CVE-2024-9999"},
      "products": [{"@id": "pkg:npm/lodash"}],
      "status": "affected",
      "action_statement": "upgrade to 4.17.21"
    })"),
                         "v.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 2u);
  const VexStatement& a = (*r)[0];
  EXPECT_EQ(a.where, "https://example.com/vex/shop-2026-11#1");
  EXPECT_EQ(a.vulnerability, "CVE-2023-1234");
  EXPECT_EQ(a.aliases, std::vector<std::string>{"GHSA-aaaa-bbbb-cccc"});
  EXPECT_EQ(a.status, "not_affected");
  EXPECT_TRUE(a.suppresses());
  EXPECT_EQ(a.justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(a.impact_statement, "we never parse untrusted certificates");
  EXPECT_EQ(a.timestamp, parse_rfc3339("2026-11-02T10:00:00Z"));
  // The image's https @id names no package and is left out; its oci purl, and the
  // subcomponents', are kept.
  ASSERT_EQ(a.products.size(), 4u);
  EXPECT_EQ(a.products[0].name, "openssl");
  EXPECT_EQ(a.products[1].type, "oci");
  EXPECT_EQ(a.products[2].name, "http-kernel");
  EXPECT_EQ(a.products[3].name, "lodash");

  const VexStatement& b = (*r)[1];
  EXPECT_EQ(b.where, "v.json:statements[1]");
  EXPECT_FALSE(b.suppresses());
  EXPECT_EQ(b.action_statement, "upgrade to 4.17.21");
  // No timestamp of its own: the document's.
  EXPECT_EQ(b.timestamp, parse_rfc3339("2026-11-01T09:00:00Z"));
}

TEST(OpenVex, EveryStatusIsRead) {
  auto r = parse_openvex(doc(R"(
    {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "fixed"},
    {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "not_affected", "impact_statement": "no"})"),
                         "v.json");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_TRUE((*r)[0].suppresses());
  EXPECT_FALSE((*r)[1].suppresses());
  EXPECT_TRUE((*r)[2].suppresses());
}

TEST(OpenVex, AcceptsTheBareStringsOfEarlierVersions) {
  auto r = parse_openvex(doc(R"({"vulnerability": "CVE-1", "products": ["pkg:npm/a@1.0.0"],
                                 "status": "fixed"})"),
                         "v.json");
  ASSERT_OK(r);
  EXPECT_EQ((*r)[0].vulnerability, "CVE-1");
  EXPECT_EQ((*r)[0].products.at(0).version, "1.0.0");
}

TEST(OpenVex, RefusesWhatIsNotJson) {
  EXPECT_THAT(error_of("{\"statements\": ["), HasSubstr("v.json: invalid JSON at byte"));
  EXPECT_THAT(error_of("[]"), HasSubstr("v.json: expected an object"));
}

TEST(OpenVex, RequiresTheDocumentMembers) {
  const std::string e = error_of(R"({"statements": []})");
  for (const char* key : {"@context: required", "@id: required", "author: required",
                          "version: required", "timestamp: required"})
    EXPECT_THAT(e, HasSubstr(std::string("v.json: ") + key));
  EXPECT_THAT(error_of(R"({"@context": "https://example.com/csaf"})"),
              HasSubstr("is not an OpenVEX context"));
  EXPECT_THAT(error_of(R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x",
                           "author": "a", "timestamp": "yesterday", "version": 1,
                           "statements": []})"),
              HasSubstr("v.json: timestamp: expected an RFC 3339 time"));
  EXPECT_THAT(error_of(R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x",
                           "author": "a", "timestamp": "2026-11-01T09:00:00Z", "version": 0,
                           "statements": {}})"),
              HasSubstr("version: required, an integer from 1"));
}

TEST(OpenVex, RefusesBadStatements) {
  auto e = [](std::string_view statement) { return error_of(doc(statement)); };
  EXPECT_THAT(e(R"({"products": [{"@id": "pkg:npm/a"}], "status": "fixed"})"),
              HasSubstr("statements[0].vulnerability: required"));
  EXPECT_THAT(e(R"({"vulnerability": {}, "products": [{"@id": "pkg:npm/a"}], "status": "fixed"})"),
              HasSubstr("statements[0].vulnerability.name: required"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}]})"),
              HasSubstr("statements[0].status: required"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                    "status": "mitigated"})"),
              HasSubstr("'mitigated' is not one of"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                    "status": "not_affected"})"),
              HasSubstr("not_affected needs a justification or an impact_statement"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                    "status": "not_affected", "justification": "trust_me"})"),
              HasSubstr("'trust_me' is not an OpenVEX justification"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                    "status": "fixed", "justification": "component_not_present"})"),
              HasSubstr("statements[0].justification: only valid with status not_affected"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                    "status": "affected"})"),
              HasSubstr("statements[0].action_statement: required with status affected"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a%zz"}],
                    "status": "fixed"})"),
              HasSubstr("statements[0].products[0].@id: not a valid package URL"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"},
                    "products": [{"identifiers": {"purl": "npm/a"}}], "status": "fixed"})"),
              HasSubstr("statements[0].products[0].identifiers.purl: not a valid package URL"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": {}, "status": "fixed"})"),
              HasSubstr("statements[0].products: expected a list"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                    "status": "fixed", "timestamp": "2026-11-01"})"),
              HasSubstr("statements[0].timestamp: expected an RFC 3339 time"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1", "aliases": [1]},
                    "products": [{"@id": "pkg:npm/a"}], "status": "fixed"})"),
              HasSubstr("statements[0].vulnerability.aliases: expected a list of strings"));
  EXPECT_THAT(e(R"({"vulnerability": {"name": "CVE-1"},
                    "products": [{"@id": "pkg:npm/a",
                                  "subcomponents": [{"subcomponents": []}]}],
                    "status": "fixed"})"),
              HasSubstr("subcomponents do not nest"));
  EXPECT_THAT(e("7"), HasSubstr("statements[0]: expected an object"));
}

TEST(OpenVex, ASuppressingStatementMustNameAPackage) {
  EXPECT_THAT(error_of(doc(R"({"vulnerability": {"name": "CVE-1"},
                               "products": [{"@id": "https://example.com/images/shop"}],
                               "status": "not_affected",
                               "justification": "component_not_present"})")),
              HasSubstr("statements[0].products: names no package URL (pkg:...), so this "
                        "not_affected statement matches nothing"));
  EXPECT_THAT(error_of(doc(R"({"vulnerability": {"name": "CVE-1"}, "status": "fixed"})")),
              HasSubstr("matches nothing"));
  // A note needs no package: it suppresses nothing either way.
  EXPECT_OK(parse_openvex(doc(R"({"vulnerability": {"name": "CVE-1"},
                                 "status": "under_investigation"})"),
                          "v.json"));
}

TEST(OpenVex, ReportsEveryErrorAtOnce) {
  const std::string e = error_of(doc(R"(
    {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "bad"},
    {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:npm/a"}], "status": "fixed"},
    {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "affected"})"));
  EXPECT_THAT(e, HasSubstr("statements[0].status"));
  EXPECT_THAT(e, HasSubstr("statements[2].action_statement"));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1);
}

TEST(OpenVex, IgnoresMembersLaterVersionsMayAdd) {
  auto r = parse_openvex(doc(R"({"vulnerability": {"name": "CVE-1"},
                                 "products": [{"@id": "pkg:npm/a"}], "status": "fixed",
                                 "supplier": "x", "future_member": {"a": 1}})"),
                         "v.json");
  EXPECT_OK(r);
}

}  // namespace
}  // namespace patchparty::suppress
