#include "exporters/backlog/backlog_writers.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/report/json_output.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::exporters {
namespace {

using testing::kLastParty;
using testing::kNextParty;
using testing::kNow;

Backlog sample_backlog() {
  BacklogOptions o;
  o.host = "web-1";
  o.now = kNow;
  o.last_party = kLastParty;
  o.next_party = kNextParty;
  return build_backlog(testing::sample_findings(), config::SlaConfig{}, o);
}

// A strict RFC 4180 reader: the test's own, so the writer is not checked against itself.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field";
      in_quotes = quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\r') {
      EXPECT_EQ(i + 1 < text.size() ? text[i + 1] : '\0', '\n') << "bare CR";
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      quoted = false;
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes";
      field += c;
    }
  }
  EXPECT_FALSE(in_quotes);
  EXPECT_TRUE(field.empty() && row.empty() && !quoted) << "last record without CRLF";
  return rows;
}

TEST(BacklogCsv, OneRowPerTaskUnderTheDocumentedHeader) {
  const Backlog b = sample_backlog();
  const auto rows = parse_csv(backlog_csv(b));
  ASSERT_EQ(rows.size(), b.tasks.size() + 1);
  const std::vector<std::string> header(std::begin(kBacklogCsvColumns),
                                        std::end(kBacklogCsvColumns));
  EXPECT_EQ(rows[0], header);
  for (const auto& r : rows) EXPECT_EQ(r.size(), header.size());
  EXPECT_EQ(rows[1][0], "1");
  EXPECT_EQ(rows[1][1], "now");
  EXPECT_EQ(rows[1][5], "libwebp");
  EXPECT_EQ(rows[1][6], "libwebp7 libwebpdemux2");
  EXPECT_EQ(rows[1][8], "1.2.4-0.2+deb12u1");
  EXPECT_EQ(rows[1][9], "CVE-2023-4863");
  EXPECT_EQ(rows[1][12], "95.2");
  EXPECT_EQ(rows[1][13], "true");
  EXPECT_EQ(rows[1][16], "2023-10-04");
  EXPECT_EQ(rows[1][17], "true");
}

TEST(BacklogCsv, QuotesCommasQuotesAndLineBreaks) {
  Finding f =
      testing::make_finding(testing::app_package("npm", "shop, \"main\"\nsite", "pkg,with\"quote",
                                                 "1.0.0", "npm", "node_modules/x"),
                            "CVE-1", "1.0.1", SeverityLevel::high, 10, kNow);
  f.suppression = SuppressionMatch{"rules.yml:1\r\nsecond line", "", "", "", std::nullopt, true};
  BacklogOptions o;
  o.host = "web-1";
  o.now = kNow;
  const std::string csv = backlog_csv(build_backlog(std::vector<Finding>{f}, {}, o));
  EXPECT_NE(csv.find("\"shop, \"\"main\"\"\nsite\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"pkg,with\"\"quote\""), std::string::npos) << csv;
  const auto rows = parse_csv(csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][3], "shop, \"main\"\nsite");
  EXPECT_EQ(rows[1][5], "pkg,with\"quote");
  EXPECT_EQ(rows[1][20], "suppression expired (rules.yml:1\r\nsecond line)");
}

TEST(BacklogCsv, CellsASpreadsheetWouldEvaluateAreDefused) {
  Finding f = testing::make_finding(
      testing::app_package("npm", "=HYPERLINK(\"http://x\")", "@evil", "1.0.0", "npm", "x"),
      "CVE-1", "1.0.1", SeverityLevel::high, 10, kNow);
  BacklogOptions o;
  o.host = "web-1";
  o.now = kNow;
  const auto rows = parse_csv(backlog_csv(build_backlog(std::vector<Finding>{f}, {}, o)));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][3], "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(rows[1][5], "'@evil");
}

TEST(BacklogJson, ParsesBackWithTheVersionedSchema) {
  const Backlog b = sample_backlog();
  rapidjson::Document d;
  d.Parse(backlog_json(b).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["schema"].GetString(), "patchparty.backlog/v1");
  EXPECT_STREQ(d["host"].GetString(), "web-1");
  EXPECT_STREQ(d["generated_at"].GetString(), "2026-11-26T10:00:00Z");
  EXPECT_STREQ(d["last_party"].GetString(), "2026-11-03T09:00:00Z");
  EXPECT_STREQ(d["next_party"].GetString(), "2026-12-01T09:00:00Z");
  EXPECT_EQ(d["summary"]["tasks"].GetInt(), 6);
  EXPECT_EQ(d["summary"]["tasks_by_priority"]["now"].GetInt(), 3);
  EXPECT_EQ(d["summary"]["watch"].GetInt(), 1);
  EXPECT_EQ(d["summary"]["suppressed"].GetInt(), 1);

  const auto& t = d["tasks"][0];
  EXPECT_EQ(t["rank"].GetInt(), 1);
  EXPECT_STREQ(t["title"].GetString(), "upgrade libwebp (host web-1) to >= 1.2.4-0.2+deb12u1");
  EXPECT_STREQ(t["priority"].GetString(), "now");
  EXPECT_TRUE(t["project"].IsNull());
  EXPECT_STREQ(t["package"].GetString(), "libwebp");
  EXPECT_EQ(t["binaries"].Size(), 2u);
  EXPECT_STREQ(t["target_version"].GetString(), "1.2.4-0.2+deb12u1");
  EXPECT_DOUBLE_EQ(t["max_risk"].GetDouble(), 95.2);
  EXPECT_STREQ(t["max_severity"].GetString(), "high");
  EXPECT_TRUE(t["kev"].GetBool());
  EXPECT_TRUE(t["overdue"].GetBool());
  EXPECT_TRUE(t["new_since_last_party"].GetBool());
  EXPECT_STREQ(t["due"].GetString(), "2023-10-04T23:59:59Z");
  EXPECT_STREQ(t["fix_status"].GetString(), "fixed");
  const auto& v = t["vulnerabilities"][0];
  EXPECT_STREQ(v["id"].GetString(), "CVE-2023-4863");
  EXPECT_EQ(v["aliases"].Size(), 2u);
  EXPECT_DOUBLE_EQ(v["cvss"].GetDouble(), 8.8);
  EXPECT_STREQ(v["url"].GetString(), "https://security-tracker.debian.org/tracker/CVE-2023-4863");

  EXPECT_STREQ(d["tasks"][3]["project"].GetString(), "storefront");
  EXPECT_FALSE(d["tasks"][1]["new_since_last_party"].GetBool());  // openssl: seen before
  EXPECT_STREQ(d["tasks"][2]["notes"][0].GetString(),
               "suppression expired on 2026-11-01 (suppressions.yml:4)");

  const auto& w = d["watch"][0];
  EXPECT_STREQ(w["package"].GetString(), "zlib");
  EXPECT_STREQ(w["fix_statuses"][0].GetString(), "ignored");
  EXPECT_TRUE(w["vulnerabilities"][0]["fixed_version"].IsNull());

  const auto& s = d["suppressed"][0];
  EXPECT_STREQ(s["package"].GetString(), "twig/twig");
  EXPECT_STREQ(s["rule"].GetString(), "suppressions.yml:12");
  EXPECT_STREQ(s["reason"].GetString(), "the shop does not use the sandbox");
  EXPECT_STREQ(s["vex_status"].GetString(), "not_affected");
  EXPECT_STREQ(s["expires"].GetString(), "2027-01-31T00:00:00Z");
}

TEST(BacklogJson, InvalidUtf8FromAFeedStillParses) {
  Finding f = testing::make_finding(testing::debian_package("foo", "foo", "1"), "CVE-1", "2",
                                    SeverityLevel::low, 1, kNow);
  f.summary = std::string("bad \xC3\x28 byte, overlong \xC0\xAF, cut \xE2\x82");
  BacklogOptions o;
  o.now = kNow;
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(
      backlog_json(build_backlog(std::vector<Finding>{f}, {}, o)).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(
      std::string(d["tasks"][0]["vulnerabilities"][0]["summary"].GetString()),
      "bad \xEF\xBF\xBD( byte, overlong \xEF\xBF\xBD\xEF\xBF\xBD, cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(utf8_or_replacement("h\xC3\xA9 \xF0\x9F\x8E\x89"), "h\xC3\xA9 \xF0\x9F\x8E\x89");
}

TEST(BacklogMarkdown, ChecklistWithDueDatesKevMarkersAndLinks) {
  const std::string md = backlog_markdown(sample_backlog());
  EXPECT_NE(md.find("- [ ] **1. Upgrade `libwebp` to >= `1.2.4-0.2+deb12u1`** on host web-1"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- [ ] **5. Upgrade `symfony/http-kernel` to >= `6.2.6`** on project shop / "
                    "host web-1"),
            std::string::npos);
  EXPECT_NE(md.find("**KEV**"), std::string::npos);
  EXPECT_NE(md.find("due 2023-10-04"), std::string::npos);
  EXPECT_NE(md.find("[CVE-2023-4863](https://security-tracker.debian.org/tracker/CVE-2023-4863)"),
            std::string::npos);
  EXPECT_NE(md.find("## Watch / mitigate"), std::string::npos);
  EXPECT_NE(md.find("## Suppressed"), std::string::npos);
  EXPECT_NE(md.find("the shop does not use the sandbox"), std::string::npos);
}

TEST(BacklogMarkdown, UntrustedTextCannotAddMarkup) {
  Finding f = testing::make_finding(testing::debian_package("foo", "foo", "1"), "CVE-1", "2",
                                    SeverityLevel::low, 1, kNow);
  f.summary = "click [here](http://evil) <script>\n# heading";
  f.references = {"javascript:alert(1)", "https://example.org/a b)"};
  BacklogOptions o;
  o.host = "web-1";
  o.now = kNow;
  const std::string md = backlog_markdown(build_backlog(std::vector<Finding>{f}, {}, o));
  EXPECT_NE(md.find("click \\[here\\](http://evil) \\<script\\> \\# heading"), std::string::npos)
      << md;
  EXPECT_NE(md.find("[CVE-1](https://example.org/a%20b%29)"), std::string::npos) << md;
  EXPECT_EQ(md.find("javascript:"), std::string::npos);
}

TEST(BacklogTable, AlignedColumnsAndSections) {
  const std::string table = backlog_table(sample_backlog());
  EXPECT_EQ(table.rfind("Upgrade tasks: 6\n#  PRIORITY", 0), 0u) << table;
  EXPECT_NE(table.find("NEW,THIRD-PARTY"), std::string::npos) << table;
  EXPECT_NE(table.find("from nginx"), std::string::npos) << table;
  EXPECT_NE(table.find("KEV,OVERDUE,NEW"), std::string::npos);
  EXPECT_NE(table.find("Watch / mitigate (no fix yet): 1"), std::string::npos);
  EXPECT_NE(table.find("Suppressed: 1"), std::string::npos);
}

TEST(BacklogFormat, NamesFilesAndDispatch) {
  EXPECT_EQ(parse_backlog_format("md"), BacklogFormat::markdown);
  EXPECT_EQ(parse_backlog_format("markdown"), BacklogFormat::markdown);
  EXPECT_EQ(parse_backlog_format("csv"), BacklogFormat::csv);
  EXPECT_EQ(parse_backlog_format("json"), BacklogFormat::json);
  EXPECT_EQ(parse_backlog_format("table"), BacklogFormat::table);
  EXPECT_FALSE(parse_backlog_format("sarif"));
  EXPECT_FALSE(parse_backlog_format(""));
  EXPECT_EQ(backlog_file_name(BacklogFormat::markdown), "backlog.md");
  EXPECT_EQ(backlog_file_name(BacklogFormat::table), "backlog.txt");
  const Backlog b = sample_backlog();
  EXPECT_EQ(render_backlog(b, BacklogFormat::csv), backlog_csv(b));
  EXPECT_EQ(render_backlog(b, BacklogFormat::json), backlog_json(b));
  EXPECT_EQ(render_backlog(b, BacklogFormat::markdown), backlog_markdown(b));
  EXPECT_EQ(render_backlog(b, BacklogFormat::table), backlog_table(b));
}

}  // namespace
}  // namespace patchparty::exporters
