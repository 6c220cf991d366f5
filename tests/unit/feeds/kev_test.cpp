#include "collectors/feeds/kev.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using patchparty::testing::test_data;
using ::testing::HasSubstr;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// RFC 4180 records: quoted fields may hold commas, doubled quotes and newlines.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

Result<KevCatalog> parse_all(std::string_view json, std::vector<KevEntry>& out) {
  return parse_kev(json, [&](KevEntry&& e) -> Result<> {
    out.push_back(std::move(e));
    return {};
  });
}

std::string entry_json(std::string_view cve, std::string_view added = "2024-01-02") {
  return R"({"cveID": ")" + std::string(cve) +
         R"(", "vendorProject": "Acme", "product": "Widget", "vulnerabilityName": "Widget RCE",
            "dateAdded": ")" +
         std::string(added) + R"(", "shortDescription": "d", "requiredAction": "Patch.",
            "dueDate": "2024-01-23", "knownRansomwareCampaignUse": "Known", "notes": "",
            "cwes": ["CWE-78"]})";
}

std::string catalogue(const std::vector<std::string>& entries, std::size_t count) {
  std::string json = R"({"title": "t", "catalogVersion": "2024.01.02",
      "dateReleased": "2024-01-02T10:00:00.000Z", "count": )" +
                     std::to_string(count) + R"(, "vulnerabilities": [)";
  for (std::size_t i = 0; i < entries.size(); ++i) json += (i ? "," : "") + entries[i];
  return json + "]}";
}

TEST(Kev, ReadsTheCatalogueAndAgreesWithItsCsv) {
  std::vector<KevEntry> got;
  auto catalog = read_kev(test_data("kev/known_exploited_vulnerabilities.json"),
                          [&](KevEntry&& e) -> Result<> {
                            got.push_back(std::move(e));
                            return {};
                          });
  ASSERT_OK(catalog);
  auto csv = parse_csv(slurp(test_data("kev/known_exploited_vulnerabilities.csv")));
  ASSERT_GT(csv.size(), 1u);
  const auto& header = csv.front();
  const std::size_t rows = csv.size() - 1;
  EXPECT_EQ(rows, 1404u);  // the MANIFEST's count
  EXPECT_EQ(catalog->count, rows);
  ASSERT_EQ(got.size(), rows);
  EXPECT_EQ(catalog->catalog_version, "2025.08.25");

  const auto cve = column(header, "cveID"), vendor = column(header, "vendorProject"),
             product = column(header, "product"), name = column(header, "vulnerabilityName"),
             added = column(header, "dateAdded"), due = column(header, "dueDate"),
             action = column(header, "requiredAction"),
             ransomware = column(header, "knownRansomwareCampaignUse");
  std::uint64_t known = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const auto& r = csv[i + 1];
    ASSERT_EQ(r.size(), header.size()) << "csv row " << i + 1;
    const auto& e = got[i];
    EXPECT_EQ(e.cve, r[cve]);
    EXPECT_EQ(e.vendor, r[vendor]) << e.cve;
    EXPECT_EQ(e.product, r[product]) << e.cve;
    EXPECT_EQ(e.name, r[name]) << e.cve;
    EXPECT_EQ(e.date_added, r[added]) << e.cve;
    EXPECT_EQ(e.due_date, r[due]) << e.cve;
    EXPECT_EQ(e.required_action, r[action]) << e.cve;
    EXPECT_EQ(e.known_ransomware, r[ransomware] == "Known") << e.cve;
    if (r[ransomware] == "Known") ++known;
  }
  EXPECT_EQ(known, 293u);  // the MANIFEST's count
  EXPECT_EQ(catalog->known_ransomware, known);
}

TEST(Kev, TruncatedFileIsDataLoss) {
  std::string json = slurp(test_data("kev/known_exploited_vulnerabilities.json"));
  std::vector<KevEntry> got;
  EXPECT_ERRC(parse_all(std::string_view(json).substr(0, json.size() * 2 / 3), got),
              Errc::data_loss);
  EXPECT_TRUE(got.empty());
}

TEST(Kev, CatalogueCutAndReclosedIsDataLoss) {
  rapidjson::Document doc;
  doc.Parse(slurp(test_data("kev/known_exploited_vulnerabilities.json")).c_str());
  ASSERT_FALSE(doc.HasParseError());
  auto& list = doc["vulnerabilities"];
  while (list.Size() > 1000) list.PopBack();
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  doc.Accept(w);
  std::vector<KevEntry> got;
  auto r = parse_all(std::string_view(buf.GetString(), buf.GetSize()), got);
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_THAT(r.error().message, HasSubstr("1404"));
  EXPECT_TRUE(got.empty()) << "nothing reaches the sink before the count is checked";
}

TEST(Kev, ReadsASyntheticCatalogue) {
  std::vector<KevEntry> got;
  auto r =
      parse_all(catalogue({entry_json("CVE-2024-1234"), entry_json("CVE-2023-1234567")}, 2), got);
  ASSERT_OK(r);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].cve, "CVE-2024-1234");
  EXPECT_EQ(got[0].vendor, "Acme");
  EXPECT_EQ(got[0].product, "Widget");
  EXPECT_EQ(got[0].name, "Widget RCE");
  EXPECT_EQ(got[0].date_added, "2024-01-02");
  EXPECT_EQ(got[0].due_date, "2024-01-23");
  EXPECT_EQ(got[0].required_action, "Patch.");
  EXPECT_TRUE(got[0].known_ransomware);
  EXPECT_EQ(r->known_ransomware, 2u);
  EXPECT_EQ(r->date_released, "2024-01-02T10:00:00.000Z");
}

TEST(Kev, MalformedCveIdIsRefusedNamingTheEntry) {
  std::vector<KevEntry> got;
  for (std::string bad : {"CVE-24-1234", "CVE-2024-123", "cve-2024-1234", "CVE-2024-1234 ",
                          "GHSA-xxxx-yyyy-zzzz", "CVE-2024-12345678901234567890"}) {
    auto r = parse_all(catalogue({entry_json("CVE-2024-0001"), entry_json(bad)}, 2), got);
    EXPECT_ERRC(r, Errc::invalid_argument);
    EXPECT_THAT(r.error().message, HasSubstr("vulnerabilities[1]")) << bad;
  }
}

TEST(Kev, MalformedDateIsRefused) {
  std::vector<KevEntry> got;
  EXPECT_ERRC(parse_all(catalogue({entry_json("CVE-2024-0001", "2024-13-01")}, 1), got),
              Errc::invalid_argument);
  EXPECT_ERRC(parse_all(catalogue({entry_json("CVE-2024-0001", "02/01/2024")}, 1), got),
              Errc::invalid_argument);
}

TEST(Kev, WrongShapeIsInvalidArgument) {
  std::vector<KevEntry> got;
  EXPECT_ERRC(parse_all("[]", got), Errc::invalid_argument);
  EXPECT_ERRC(parse_all(R"({"count": 0})", got), Errc::invalid_argument);
  EXPECT_ERRC(parse_all(R"({"count": "1", "vulnerabilities": []})", got), Errc::invalid_argument);
  EXPECT_ERRC(parse_all(R"({"count": 1, "vulnerabilities": [{"cveID": "CVE-2024-0001"}]})", got),
              Errc::invalid_argument);
}

TEST(Kev, NotJsonIsDataLoss) {
  std::vector<KevEntry> got;
  EXPECT_ERRC(parse_all("", got), Errc::data_loss);
  EXPECT_ERRC(parse_all("<html>503</html>", got), Errc::data_loss);
  EXPECT_ERRC(parse_all(catalogue({entry_json("CVE-2024-0001")}, 1) + "}", got), Errc::data_loss);
  EXPECT_ERRC(parse_all(std::string(100000, '['), got), Errc::data_loss);
}

TEST(Kev, SinkErrorStopsTheParse) {
  int calls = 0;
  auto r = parse_kev(catalogue({entry_json("CVE-2024-0001"), entry_json("CVE-2024-0002"),
                                entry_json("CVE-2024-0003")},
                               3),
                     [&](KevEntry&&) -> Result<> {
                       if (++calls == 2) return fail(Errc::resource_exhausted, "disk full");
                       return {};
                     });
  EXPECT_ERRC(r, Errc::resource_exhausted);
  EXPECT_EQ(calls, 2);
}

TEST(Kev, MissingFileIsNotFound) {
  auto r = read_kev("/nonexistent/kev.json", [](KevEntry&&) -> Result<> { return {}; });
  EXPECT_ERRC(r, Errc::not_found);
}

}  // namespace
}  // namespace patchparty::feeds
