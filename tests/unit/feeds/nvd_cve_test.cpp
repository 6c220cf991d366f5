#include "collectors/feeds/nvd_cve.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using patchparty::testing::expect_error;
using ::testing::HasSubstr;

// Pages written from NVD's response schema (cve_api_json_2.0); scores are those the FIRST
// calculators give for the vectors.
constexpr std::string_view kV31Critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";  // 9.8
constexpr std::string_view kV31High = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";      // 7.5
constexpr std::string_view kV31Local = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H";     // 7.8
constexpr std::string_view kV30Critical = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";  // 9.8
constexpr std::string_view kV2High = "AV:N/AC:L/Au:N/C:P/I:P/A:P";                         // 7.5
constexpr std::string_view kV2Medium = "AV:N/AC:M/Au:N/C:N/I:P/A:N";                       // 4.3

std::string v3(std::string_view version, std::string_view source, std::string_view type,
               std::string_view vector, std::string score, std::string_view severity = "HIGH") {
  return R"({"source": ")" + std::string(source) + R"(", "type": ")" + std::string(type) +
         R"(", "cvssData": {"version": ")" + std::string(version) + R"(", "vectorString": ")" +
         std::string(vector) + R"(", "baseScore": )" + score + R"(, "baseSeverity": ")" +
         std::string(severity) + R"("}, "exploitabilityScore": 3.9, "impactScore": 5.9})";
}

std::string v2(std::string_view source, std::string_view type, std::string_view vector,
               std::string score, std::string_view severity = "HIGH") {
  return R"({"source": ")" + std::string(source) + R"(", "type": ")" + std::string(type) +
         R"(", "cvssData": {"version": "2.0", "vectorString": ")" + std::string(vector) +
         R"(", "baseScore": )" + score + R"(}, "baseSeverity": ")" + std::string(severity) +
         R"(", "exploitabilityScore": 10.0, "impactScore": 6.4, "acInsufInfo": false})";
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

struct Metrics {
  std::vector<std::string> v31, v30, v2;
};

std::string metrics_json(const Metrics& m) {
  std::string out = "{";
  auto add = [&](const char* key, const std::vector<std::string>& items) {
    if (items.empty()) return;
    if (out.size() > 1) out += ",";
    out += std::string("\"") + key + "\": " + json_list(items);
  };
  add("cvssMetricV31", m.v31);
  add("cvssMetricV30", m.v30);
  add("cvssMetricV2", m.v2);
  return out + "}";
}

std::string cve(std::string_view id, const Metrics& m, std::string_view status = "Analyzed") {
  return R"({"cve": {"id": ")" + std::string(id) +
         R"(", "sourceIdentifier": "cve@mitre.org", "published": "2024-01-02T03:04:05.678",
            "lastModified": "2024-02-14T20:15:46.330", "vulnStatus": ")" +
         std::string(status) + R"(", "descriptions": [{"lang": "en", "value": "d"}], "metrics": )" +
         metrics_json(m) + R"(, "references": []}})";
}

std::string page(const std::vector<std::string>& entries, std::int64_t total = -1,
                 std::int64_t start = 0, std::int64_t per_page = 2000,
                 std::string_view format = "NVD_CVE", std::string_view version = "2.0") {
  if (total < 0) total = start + static_cast<std::int64_t>(entries.size());
  return R"({"resultsPerPage": )" + std::to_string(per_page) + R"(, "startIndex": )" +
         std::to_string(start) + R"(, "totalResults": )" + std::to_string(total) +
         R"(, "format": ")" + std::string(format) + R"(", "version": ")" + std::string(version) +
         R"(", "timestamp": "2024-03-01T12:00:00.123", "vulnerabilities": )" + json_list(entries) +
         "}";
}

std::string good_cve(std::string_view id = "CVE-2024-1000") {
  return cve(id, {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", kV31Critical, "9.8")}});
}

// The five CVEs the schema's cases call for, plus a broken one.
std::string documented_page() {
  return page({
      cve("CVE-2024-0001",
          {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", kV31Critical, "9.8", "CRITICAL"),
                   v3("3.1", "cna@example.com", "Secondary", kV31High, "7.5")}}),
      cve("CVE-2010-0002", {.v2 = {v2("nvd@nist.gov", "Primary", kV2High, "7.5")}}),
      cve("CVE-2017-0003",
          {.v30 = {v3("3.0", "nvd@nist.gov", "Primary", kV30Critical, "9.8", "CRITICAL")},
           .v2 = {v2("nvd@nist.gov", "Primary", kV2Medium, "4.3", "MEDIUM")}}),
      cve("CVE-2023-0004", {}, "Rejected"),
      cve("CVE-2024-0005", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary",
                                       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "9.8")}}),
  });
}

const NvdCve* find(const NvdPage& p, std::string_view id) {
  for (const auto& c : p.cves)
    if (c.id == id) return &c;
  return nullptr;
}

TEST(NvdCve, ReadsEveryFieldOfTheDocumentedPage) {
  auto p = parse_nvd_page(documented_page(), "page");
  ASSERT_OK(p);
  EXPECT_EQ(p->results_per_page, 2000);
  EXPECT_EQ(p->start_index, 0);
  EXPECT_EQ(p->total_results, 5);
  EXPECT_EQ(p->timestamp, "2024-03-01T12:00:00.123");
  ASSERT_EQ(p->cves.size(), 4u);
  EXPECT_EQ(p->cves[0].id, "CVE-2024-0001");
  EXPECT_EQ(p->cves[1].id, "CVE-2010-0002");
  EXPECT_EQ(p->cves[2].id, "CVE-2017-0003");
  EXPECT_EQ(p->cves[3].id, "CVE-2023-0004");

  const NvdCve& a = p->cves[0];
  EXPECT_EQ(a.last_modified, "2024-02-14T20:15:46.330");
  EXPECT_EQ(a.status, "Analyzed");
  ASSERT_EQ(a.metrics.size(), 2u);
  EXPECT_EQ(a.metrics[0].version, "3.1");
  EXPECT_EQ(a.metrics[0].source, "nvd@nist.gov");
  EXPECT_EQ(a.metrics[0].type, "Primary");
  EXPECT_DOUBLE_EQ(a.metrics[0].base_score, 9.8);
  EXPECT_EQ(a.metrics[0].vector, kV31Critical);
  EXPECT_EQ(a.metrics[0].severity, "CRITICAL");
  EXPECT_EQ(a.metrics[1].source, "cna@example.com");
  EXPECT_EQ(a.metrics[1].type, "Secondary");
  EXPECT_DOUBLE_EQ(a.metrics[1].base_score, 7.5);
  EXPECT_EQ(a.metrics[1].vector, kV31High);

  const NvdCve& b = p->cves[1];
  ASSERT_EQ(b.metrics.size(), 1u);
  EXPECT_EQ(b.metrics[0].version, "2.0");
  EXPECT_DOUBLE_EQ(b.metrics[0].base_score, 7.5);
  EXPECT_EQ(b.metrics[0].vector, kV2High);
  EXPECT_EQ(b.metrics[0].severity, "HIGH");  // v2's sits beside cvssData

  const NvdCve& c = p->cves[2];
  ASSERT_EQ(c.metrics.size(), 2u);
  EXPECT_EQ(c.metrics[0].version, "3.0");
  EXPECT_EQ(c.metrics[0].vector, kV30Critical);
  EXPECT_EQ(c.metrics[1].version, "2.0");
  EXPECT_DOUBLE_EQ(c.metrics[1].base_score, 4.3);
  EXPECT_EQ(c.metrics[1].severity, "MEDIUM");

  EXPECT_EQ(p->skipped, 1);
  ASSERT_EQ(p->skip_reasons.size(), 1u);
  EXPECT_THAT(p->skip_reasons[0], HasSubstr("vulnerabilities[4] (CVE-2024-0005)"));
  EXPECT_THAT(p->skip_reasons[0], HasSubstr("missing base metric A"));
}

TEST(NvdCve, KeepsRejectedCvesWithTheirStatus) {
  auto p = parse_nvd_page(documented_page(), "page");
  ASSERT_OK(p);
  const NvdCve* d = find(*p, "CVE-2023-0004");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status, "Rejected");
  EXPECT_TRUE(d->metrics.empty());
}

TEST(NvdCve, EmptyPageIsTheLastPage) {
  auto p = parse_nvd_page(page({}, 0), "empty");
  ASSERT_OK(p);
  EXPECT_EQ(p->total_results, 0);
  EXPECT_TRUE(p->cves.empty());
  EXPECT_EQ(p->skipped, 0);
  EXPECT_EQ(next_start_index(*p), -1);
}

TEST(NvdCve, CveWithoutMetricsIsKept) {
  std::string entry =
      R"({"cve": {"id": "CVE-2024-99999", "lastModified": "2024-02-14T20:15:46.330"}})";
  auto p = parse_nvd_page(page({entry}), "page");
  ASSERT_OK(p);
  ASSERT_EQ(p->cves.size(), 1u);
  EXPECT_EQ(p->cves[0].id, "CVE-2024-99999");
  EXPECT_EQ(p->cves[0].status, "");
  EXPECT_TRUE(p->cves[0].metrics.empty());
  EXPECT_FALSE(preferred_score(p->cves[0]).has_value());
  EXPECT_TRUE(distinct_scores(p->cves[0]).empty());
}

// Each entry breaks one rule; it is skipped with a reason, and the good CVE beside it stays.
TEST(NvdCve, SkipsACveThatBreaksARuleAndKeepsThePage) {
  const std::string v31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  struct Case {
    std::string entry;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {R"({"cve": {"lastModified": "2024-02-14T20:15:46.330"}})", "missing id"},
      {cve("CVE-2024-123", {}), "not a CVE id"},
      {cve("GHSA-abcd-efgh-ijkl", {}), "not a CVE id"},
      {cve("cve-2024-12345", {}), "not a CVE id"},
      {R"({"cve": {"id": "CVE-2024-1001"}})", "missing lastModified"},
      {R"({"cve": {"id": "CVE-2024-1001", "lastModified": "yesterday"}})",
       "lastModified is not a date-time"},
      {R"({"cve": {"id": 2024, "lastModified": "2024-02-14T20:15:46.330"}})",
       "id: expected a string"},
      {R"({"vuln": {}})", "cve: expected an object"},
      {R"("CVE-2024-1001")", "expected an object"},
      {R"({"cve": {"id": "CVE-2024-1001", "lastModified": "2024-02-14T20:15:46.330",
                   "metrics": []}})",
       "metrics: expected an object"},
      {R"({"cve": {"id": "CVE-2024-1001", "lastModified": "2024-02-14T20:15:46.330",
                   "metrics": {"cvssMetricV31": {}}}})",
       "cvssMetricV31: expected a list"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", v31, "10.5")}}),
       "baseScore outside [0, 10]"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", v31, "-1")}}),
       "baseScore outside [0, 10]"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", v31, "\"9.8\"")}}),
       "baseScore: expected a number"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", v31, "9.7")}}),
       "baseScore 9.7 disagrees with the vector's 9.8"},
      {cve("CVE-2024-1001", {.v2 = {v2("nvd@nist.gov", "Primary", kV2High, "5.0")}}),
       "baseScore 5.0 disagrees with the vector's 7.5"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", kV30Critical, "9.8")}}),
       "is not a v3.1 vector"},
      {cve("CVE-2024-1001", {.v30 = {v3("3.0", "nvd@nist.gov", "Primary", v31, "9.8")}}),
       "is not a v3.0 vector"},
      {cve("CVE-2024-1001", {.v2 = {v2("nvd@nist.gov", "Primary", v31, "9.8")}}),
       "is not a v2.0 vector"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.0", "nvd@nist.gov", "Primary", v31, "9.8")}}),
       "cvssData.version 3.0 in the v3.1 list"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Tertiary", v31, "9.8")}}),
       "type is neither Primary nor Secondary"},
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary",
                                        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8")}}),
       "bad value AV:X"},
      {cve("CVE-2024-1001",
           {.v2 = {v2("nvd@nist.gov", "Primary", "AV:N/AC:L/Au:N/C:P/I:P", "7.5")}}),
       "missing base metric A"},
      {cve("CVE-2024-1001",
           {.v2 = {v2("nvd@nist.gov", "Primary", "AV:N/AC:L/Au:Q/C:P/I:P/A:P", "7.5")}}),
       "bad value Au:Q"},
      {cve("CVE-2024-1001",
           {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", v31 + std::string(300, 'A'), "9.8")}}),
       "vectorString longer than 256 characters"},
      // One bad metric costs the CVE even when a good one precedes it.
      {cve("CVE-2024-1001", {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", v31, "9.8"),
                                     v3("3.1", "cna@example.com", "Secondary", v31, "11")}}),
       "cvssMetricV31[1]: baseScore outside [0, 10]"},
      {R"({"cve": {"id": "CVE-2024-1001", "lastModified": "2024-02-14T20:15:46.330",
                   "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary"}]}}})",
       "cvssData: expected an object"},
      {R"({"cve": {"id": "CVE-2024-1001", "lastModified": "2024-02-14T20:15:46.330",
                   "vulnStatus": 3}})",
       "vulnStatus: expected a string"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.entry);
    auto p = parse_nvd_page(page({good_cve(), c.entry}), "page");
    ASSERT_OK(p);
    ASSERT_EQ(p->cves.size(), 1u);
    EXPECT_EQ(p->cves[0].id, "CVE-2024-1000");
    EXPECT_EQ(p->skipped, 1);
    ASSERT_EQ(p->skip_reasons.size(), 1u);
    EXPECT_THAT(p->skip_reasons[0], HasSubstr("vulnerabilities[1]"));
    EXPECT_THAT(p->skip_reasons[0], HasSubstr(c.reason));
  }
}

TEST(NvdCve, AcceptsTheLongestIdsAndScoresWithinRounding) {
  auto p = parse_nvd_page(
      page({cve("CVE-2021-1234567",
                {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", kV31Local, "7.8")}}),
            cve("CVE-2021-0001",
                {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", kV31Local, "7.81")}})}),
      "page");
  ASSERT_OK(p);
  EXPECT_EQ(p->skipped, 0) << (p->skip_reasons.empty() ? "" : p->skip_reasons[0]);
  ASSERT_EQ(p->cves.size(), 2u);
  EXPECT_EQ(p->cves[0].id, "CVE-2021-1234567");
  EXPECT_DOUBLE_EQ(p->cves[1].metrics[0].base_score, 7.81);  // kept as published
}

TEST(NvdCve, KeepsOnlyTheFirstFewSkipReasons) {
  std::vector<std::string> entries;
  for (int i = 0; i < 8; ++i) entries.push_back(cve("CVE-2024-" + std::to_string(i), {}));
  auto p = parse_nvd_page(page(entries), "page");
  ASSERT_OK(p);
  EXPECT_TRUE(p->cves.empty());
  EXPECT_EQ(p->skipped, 8);
  ASSERT_EQ(p->skip_reasons.size(), kMaxNvdSkipReasons);
  EXPECT_THAT(p->skip_reasons.front(), HasSubstr("vulnerabilities[0] (CVE-2024-0)"));
  EXPECT_THAT(p->skip_reasons.back(), HasSubstr("vulnerabilities[4] (CVE-2024-4)"));
}

TEST(NvdCve, InvalidJsonIsDataLossWithItsOffset) {
  const std::string json = page({good_cve()});
  expect_error(parse_nvd_page(std::string_view(json).substr(0, json.size() / 2), "p.json"),
               Errc::data_loss, "p.json: invalid JSON at byte ");
  expect_error(parse_nvd_page("{\"format\": ]", "p"), Errc::data_loss, "invalid JSON at byte 11");
  expect_error(parse_nvd_page("", "p"), Errc::data_loss, "invalid JSON");
}

TEST(NvdCve, InvalidUtf8IsDataLoss) {
  std::string json = page({cve("CVE-2024-0001", {}, "Analy\xff\xfezed")});
  EXPECT_ERRC(parse_nvd_page(json, "p"), Errc::data_loss);
}

TEST(NvdCve, AnotherApiOrVersionIsFailedPrecondition) {
  expect_error(parse_nvd_page(page({}, 0, 0, 2000, "NVD_CPE"), "p"), Errc::failed_precondition,
               "format 'NVD_CPE'");
  expect_error(parse_nvd_page(page({}, 0, 0, 2000, "NVD_CVE", "2.1"), "p"),
               Errc::failed_precondition, "version '2.1'");
  // A CPE API page has no "vulnerabilities": the format says why, before the missing member.
  expect_error(parse_nvd_page(R"({"resultsPerPage": 0, "startIndex": 0, "totalResults": 0,
                                  "format": "NVD_CPE", "version": "2.0",
                                  "timestamp": "2024-03-01T12:00:00.123", "products": []})",
                              "p"),
               Errc::failed_precondition, "expected 'NVD_CVE' '2.0'");
}

TEST(NvdCve, PageShapeErrorsAreInvalidArgument) {
  const std::string ok = page({good_cve()});
  auto without = [&](std::string_view member) {
    std::string j = ok;
    auto at = j.find("\"" + std::string(member) + "\"");
    EXPECT_NE(at, std::string::npos) << member;
    j.replace(at, member.size() + 2, "\"x" + std::string(member) + "\"");
    return j;
  };
  expect_error(parse_nvd_page("[]", "p"), Errc::invalid_argument, "p: expected a JSON object");
  expect_error(parse_nvd_page(without("vulnerabilities"), "p"), Errc::invalid_argument,
               "\"vulnerabilities\" must be a list");
  expect_error(parse_nvd_page(without("totalResults"), "p"), Errc::invalid_argument,
               "\"totalResults\" must be a non-negative integer");
  expect_error(parse_nvd_page(without("startIndex"), "p"), Errc::invalid_argument,
               "\"startIndex\" must be a non-negative integer");
  expect_error(parse_nvd_page(without("resultsPerPage"), "p"), Errc::invalid_argument,
               "\"resultsPerPage\" must be a non-negative integer");
  expect_error(parse_nvd_page(without("timestamp"), "p"), Errc::invalid_argument,
               "\"timestamp\" must be a string");
  expect_error(parse_nvd_page(without("format"), "p"), Errc::invalid_argument,
               "\"format\" must be a string");
  expect_error(parse_nvd_page(without("version"), "p"), Errc::invalid_argument,
               "\"version\" must be a string");
  std::string list_as_object = ok;
  list_as_object.replace(list_as_object.find("\"vulnerabilities\": ["),
                         std::string("\"vulnerabilities\": [").size(),
                         "\"vulnerabilities\": {\"a\": [");
  list_as_object.insert(list_as_object.size() - 1, "}");
  expect_error(parse_nvd_page(list_as_object, "p"), Errc::invalid_argument,
               "\"vulnerabilities\" must be a list");
  std::string negative = ok;
  negative.replace(negative.find("\"totalResults\": 1"), 17, "\"totalResults\": -3");
  expect_error(parse_nvd_page(negative, "p"), Errc::invalid_argument,
               "\"totalResults\" must be a non-negative integer");
  std::string fractional = ok;
  fractional.replace(fractional.find("\"startIndex\": 0"), 15, "\"startIndex\": 0.5");
  expect_error(parse_nvd_page(fractional, "p"), Errc::invalid_argument,
               "\"startIndex\" must be a non-negative integer");
  std::string stamp = ok;
  stamp.replace(stamp.find("2024-03-01T12:00:00.123"), 23, "now");
  expect_error(parse_nvd_page(stamp, "p"), Errc::invalid_argument,
               "\"timestamp\" is not a date-time");
}

TEST(NvdCve, CountsThatContradictTheEntriesAreInvalidArgument) {
  expect_error(parse_nvd_page(page({good_cve(), good_cve("CVE-2024-1001")}, 10, 0, 1), "p"),
               Errc::invalid_argument, "2 entries on a page of resultsPerPage 1");
  expect_error(parse_nvd_page(page({good_cve(), good_cve("CVE-2024-1001")}, 5, 4), "p"),
               Errc::invalid_argument, "2 entries from startIndex 4 run past totalResults 5");
  // Exactly reaching totalResults is the last page, and valid.
  EXPECT_OK(parse_nvd_page(page({good_cve(), good_cve("CVE-2024-1001")}, 6, 4), "p"));
}

TEST(NvdCve, ReadsAPageFromAFile) {
  auto dir = patchparty::testing::temp_dir("nvd");
  auto file = dir / "page.json";
  {
    std::ofstream out(file, std::ios::binary);
    out << documented_page();
  }
  auto p = read_nvd_page(file);
  ASSERT_OK(p);
  EXPECT_EQ(p->cves.size(), 4u);
  EXPECT_EQ(p->skipped, 1);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "{";
  }
  expect_error(read_nvd_page(file), Errc::data_loss, file.string() + ": invalid JSON");
  EXPECT_ERRC(read_nvd_page(dir / "missing.json"), Errc::not_found);
  std::filesystem::remove_all(dir);
}

TEST(NvdCve, PrefersNvdsPrimaryScoreOfTheNewestVersion) {
  auto p = parse_nvd_page(documented_page(), "page");
  ASSERT_OK(p);
  auto a = preferred_score(*find(*p, "CVE-2024-0001"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->source, "nvd@nist.gov");
  EXPECT_EQ(a->type, "Primary");
  EXPECT_DOUBLE_EQ(a->base_score, 9.8);
  auto b = preferred_score(*find(*p, "CVE-2010-0002"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->version, "2.0");
  EXPECT_DOUBLE_EQ(b->base_score, 7.5);
  auto c = preferred_score(*find(*p, "CVE-2017-0003"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->version, "3.0");  // over the v2 score of the same CVE
  EXPECT_DOUBLE_EQ(c->base_score, 9.8);
  EXPECT_FALSE(preferred_score(*find(*p, "CVE-2023-0004")).has_value());
}

TEST(NvdCve, PrimaryWinsWhereverItSitsInTheList) {
  auto p =
      parse_nvd_page(page({cve("CVE-2024-0001",
                               {.v31 = {v3("3.1", "cna@example.com", "Secondary", kV31High, "7.5"),
                                        v3("3.1", "nvd@nist.gov", "Primary", kV31Local, "7.8")}})}),
                     "page");
  ASSERT_OK(p);
  ASSERT_EQ(p->cves.size(), 1u);
  auto s = preferred_score(p->cves[0]);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->source, "nvd@nist.gov");
  EXPECT_EQ(s->vector, kV31Local);
}

TEST(NvdCve, ANewerVersionFromACnaWinsOverNvdsOlderOne) {
  auto p = parse_nvd_page(
      page({cve("CVE-2019-0001",
                {.v31 = {v3("3.1", "cna@example.com", "Secondary", kV31High, "7.5")},
                 .v2 = {v2("nvd@nist.gov", "Primary", kV2Medium, "4.3", "MEDIUM")}})}),
      "page");
  ASSERT_OK(p);
  ASSERT_EQ(p->cves.size(), 1u);
  auto s = preferred_score(p->cves[0]);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->version, "3.1");
  EXPECT_EQ(s->source, "cna@example.com");
  EXPECT_EQ(s->type, "Secondary");
}

TEST(NvdCve, DistinctScoresKeepADifferingCnaScore) {
  auto p = parse_nvd_page(documented_page(), "page");
  ASSERT_OK(p);
  auto a = distinct_scores(*find(*p, "CVE-2024-0001"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].source, "nvd@nist.gov");
  EXPECT_DOUBLE_EQ(a[0].base_score, 9.8);
  EXPECT_EQ(a[1].source, "cna@example.com");
  EXPECT_DOUBLE_EQ(a[1].base_score, 7.5);
  // NVD's own v2 score is not another source's.
  auto c = distinct_scores(*find(*p, "CVE-2017-0003"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].version, "3.0");
  EXPECT_TRUE(distinct_scores(*find(*p, "CVE-2023-0004")).empty());
}

TEST(NvdCve, DistinctScoresDropAgreeingSourcesAndTakeEachSourcesBest) {
  auto p = parse_nvd_page(
      page({cve("CVE-2024-0001",
                {.v31 = {v3("3.1", "nvd@nist.gov", "Primary", kV31Critical, "9.8"),
                         v3("3.1", "agrees@example.com", "Secondary", kV31Critical, "9.8")},
                 .v30 = {v3("3.0", "older@example.com", "Secondary", kV30Critical, "9.8")},
                 .v2 = {v2("older@example.com", "Secondary", kV2Medium, "4.3"),
                        v2("v2only@example.com", "Secondary", kV2High, "7.5")}})}),
      "page");
  ASSERT_OK(p);
  ASSERT_EQ(p->cves.size(), 1u);
  auto s = distinct_scores(p->cves[0]);
  // agrees@ matches 9.8; older@'s best is its v3.0 9.8, not its v2 4.3; v2only@'s 7.5 differs.
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].source, "nvd@nist.gov");
  EXPECT_EQ(s[1].source, "v2only@example.com");
  EXPECT_DOUBLE_EQ(s[1].base_score, 7.5);
}

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t k2024 = 1704067200;  // 2024-01-01T00:00:00Z

TEST(NvdCve, WindowsOf250DaysSplit120And120And10) {
  auto w = nvd_windows(k2024, k2024 + 250 * kDay);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].start_unix, k2024);
  EXPECT_EQ(w[0].end_unix, k2024 + 120 * kDay);
  EXPECT_EQ(w[1].start_unix, k2024 + 120 * kDay);
  EXPECT_EQ(w[1].end_unix, k2024 + 240 * kDay);
  EXPECT_EQ(w[2].start_unix, k2024 + 240 * kDay);
  EXPECT_EQ(w[2].end_unix, k2024 + 250 * kDay);
}

TEST(NvdCve, WindowEdges) {
  auto exact = nvd_windows(k2024, k2024 + 120 * kDay);
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].end_unix, k2024 + 120 * kDay);
  auto over = nvd_windows(k2024, k2024 + 120 * kDay + 1);
  ASSERT_EQ(over.size(), 2u);
  EXPECT_EQ(over[0].end_unix, k2024 + 120 * kDay);
  EXPECT_EQ(over[1].start_unix, k2024 + 120 * kDay);
  EXPECT_EQ(over[1].end_unix, k2024 + 120 * kDay + 1);
  auto instant = nvd_windows(k2024, k2024);
  ASSERT_EQ(instant.size(), 1u);
  EXPECT_EQ(instant[0].start_unix, k2024);
  EXPECT_EQ(instant[0].end_unix, k2024);
  EXPECT_TRUE(nvd_windows(k2024 + 1, k2024).empty());
  for (const auto& win : nvd_windows(0, 1000 * kDay + 7))
    EXPECT_LE(win.end_unix - win.start_unix, kMaxNvdWindowSeconds);
}

TEST(NvdCve, PageQueryIsExact) {
  NvdWindow w{k2024, k2024 + 120 * kDay};
  EXPECT_EQ(nvd_page_query(w, 0, 2000),
            "lastModStartDate=2024-01-01T00:00:00.000%2B00:00"
            "&lastModEndDate=2024-04-30T00:00:00.000%2B00:00&startIndex=0&resultsPerPage=2000");
  // Leap day, last second of it.
  NvdWindow leap{1709251199 - kDay, 1709251199};
  EXPECT_EQ(nvd_page_query(leap, 4000, 500),
            "lastModStartDate=2024-02-28T23:59:59.000%2B00:00"
            "&lastModEndDate=2024-02-29T23:59:59.000%2B00:00&startIndex=4000&resultsPerPage=500");
}

TEST(NvdCve, PageQueryHoldsCountsToWhatNvdAccepts) {
  NvdWindow w{0, 1};
  EXPECT_EQ(nvd_page_query(w, -5, 5000),
            "lastModStartDate=1970-01-01T00:00:00.000%2B00:00"
            "&lastModEndDate=1970-01-01T00:00:01.000%2B00:00&startIndex=0&resultsPerPage=2000");
  EXPECT_THAT(nvd_page_query(w, 0, 0), ::testing::EndsWith("&resultsPerPage=1"));
  EXPECT_THAT(nvd_page_query(w, 0, 2001), ::testing::EndsWith("&resultsPerPage=2000"));
}

TEST(NvdCve, NextStartIndexCountsSkippedEntries) {
  auto first = parse_nvd_page(page({good_cve(), cve("CVE-2024-1", {})}, 3, 0, 2), "p");
  ASSERT_OK(first);
  EXPECT_EQ(first->cves.size(), 1u);
  EXPECT_EQ(first->skipped, 1);
  EXPECT_EQ(next_start_index(*first), 2);
  auto last = parse_nvd_page(page({good_cve()}, 3, 2, 2), "p");
  ASSERT_OK(last);
  EXPECT_EQ(next_start_index(*last), -1);
  // NVD's count moved under us: an empty page before totalResults ends the window.
  auto hollow = parse_nvd_page(page({}, 10, 4, 2), "p");
  ASSERT_OK(hollow);
  EXPECT_EQ(next_start_index(*hollow), -1);
}

// The fuzz seed is a valid page, so the harness starts from the good path.
TEST(NvdCve, FuzzSeedIsADocumentedPage) {
  auto p =
      read_nvd_page(std::filesystem::path(PP_SOURCE_DIR) / "tests/fuzz/feeds/nvd_page_seed.json");
  ASSERT_OK(p);
  EXPECT_EQ(p->cves.size(), 4u);
  EXPECT_EQ(p->skipped, 1);
  EXPECT_EQ(next_start_index(*p), -1);
}

}  // namespace
}  // namespace patchparty::feeds
