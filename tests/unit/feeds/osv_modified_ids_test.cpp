#include "collectors/feeds/osv_modified_ids.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "core/base/rfc3339_time.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

namespace fs = std::filesystem;
using testing::test_data;

// The index OSV would publish for a folder of real records: "<modified>,<id>" rows, newest first.
std::vector<std::pair<std::string, std::string>> index_of(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    if (doc.HasParseError() || !doc.HasMember("modified")) continue;
    rows.emplace_back(doc["modified"].GetString(), doc["id"].GetString());
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return *parse_rfc3339(a.first) > *parse_rfc3339(b.first);
  });
  return rows;
}

std::string csv_of(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out;
  for (const auto& [time, id] : rows) out += time + "," + id + "\n";
  return out;
}

TEST(OsvModifiedIds, ReadsDownToTheCursorOnARealEcosystemsIndex) {
  const auto rows = index_of(test_data("osv/npm-malicious"));
  ASSERT_GT(rows.size(), 3000u);
  const std::string csv = csv_of(rows);
  // The cursor a sync kept: the 100th newest record's time.
  const std::int64_t cursor = *parse_rfc3339(rows[99].first);
  std::size_t expected = 0;
  for (const auto& [time, id] : rows) expected += *parse_rfc3339(time) >= cursor ? 1 : 0;
  auto r = read_modified_since(csv, cursor, 100000, "modified_id.csv");
  ASSERT_OK(r);
  EXPECT_EQ(r->changed.size(), expected);
  EXPECT_GE(r->changed.size(), 100u);
  EXPECT_TRUE(r->reached_cursor);
  EXPECT_FALSE(r->over_limit);
  EXPECT_EQ(r->newest, *parse_rfc3339(rows.front().first));
  EXPECT_EQ(r->changed.front().id, rows.front().second);
  for (const auto& m : r->changed) EXPECT_GE(m.modified, cursor) << m.id;
}

TEST(OsvModifiedIds, TheCursorsOwnSecondIsReadAgainAndIdsOnce) {
  const std::string csv =
      "2026-12-07T10:00:05.9Z,GHSA-c\r\n"
      "2026-12-07T10:00:03.2Z,GHSA-b\r\n"
      "2026-12-07T10:00:03.1Z,GHSA-b\r\n"
      "2026-12-07T10:00:03Z,PYSEC-2026-1\r\n"
      "2026-12-07T10:00:02Z,GHSA-a\r\n";
  auto r = read_modified_since(csv, *parse_rfc3339("2026-12-07T10:00:03Z"), 100, "x.csv");
  ASSERT_OK(r);
  std::vector<std::string> ids;
  for (const auto& m : r->changed) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"GHSA-c", "GHSA-b", "PYSEC-2026-1"}));
  EXPECT_TRUE(r->reached_cursor);
  EXPECT_EQ(r->newest, *parse_rfc3339("2026-12-07T10:00:05Z"));
}

TEST(OsvModifiedIds, AnIndexThatNoLongerReachesTheCursorSaysSo) {
  auto r = read_modified_since("2026-12-07T10:00:00Z,A-1\n2026-12-06T10:00:00Z,A-2\n",
                               *parse_rfc3339("2020-01-01T00:00:00Z"), 100, "x.csv");
  ASSERT_OK(r);
  EXPECT_EQ(r->changed.size(), 2u);
  EXPECT_FALSE(r->reached_cursor);
}

TEST(OsvModifiedIds, MoreChangesThanTheLimitStopReading) {
  std::string csv;
  for (int i = 59; i >= 0; --i)
    csv += "2026-12-07T10:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "Z,ID-" +
           std::to_string(i) + "\n";
  auto r = read_modified_since(csv, 0, 10, "x.csv");
  ASSERT_OK(r);
  EXPECT_TRUE(r->over_limit);
  EXPECT_EQ(r->changed.size(), 10u);
}

TEST(OsvModifiedIds, WhatCannotBeReadInFullIsDataLossNamingTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "x.csv: empty"},
      {"2026-12-07T10:00:00Z GHSA-1\n", "line 1: no comma"},
      {"2026-12-07,GHSA-1\n", "line 1: '2026-12-07' is not an RFC 3339 time"},
      {"2026-12-07T10:00:00Z,../../etc/passwd\n", "is not an OSV id"},
      {"2026-12-07T10:00:00Z,PyPI/GHSA-1\n", "is not an OSV id"},
      {"2026-12-07T10:00:00Z,GHSA 1\n", "is not an OSV id"},
      {"2026-12-07T10:00:00Z,\n", "is not an OSV id"},
      {"2026-12-07T10:00:00Z,A-1\n2026-12-08T10:00:00Z,A-2\n", "line 2: newer than the row before"},
      {"2026-12-07T10:00:00Z,A-1\n\n2026-12-06T10:00:00Z,A-2\n", "line 2: an empty line"},
  };
  for (const auto& [csv, message] : cases) {
    SCOPED_TRACE(csv);
    auto r = read_modified_since(csv, 0, 100, "x.csv");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::data_loss);
    EXPECT_NE(r.error().message.find(message), std::string::npos) << r.error().message;
  }
}

TEST(OsvIndexCursor, ReadsAndWritesTheStoreSpelling) {
  auto c = parse_index_cursor("2030-01-01T00:03:00Z MAL-1 GHSA-abcd-efgh-ijkl");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->time, 1893456180);
  EXPECT_EQ(c->ids, (std::vector<std::string>{"MAL-1", "GHSA-abcd-efgh-ijkl"}));
  EXPECT_EQ(format_index_cursor(*c), "2030-01-01T00:03:00Z MAL-1 GHSA-abcd-efgh-ijkl");
  auto bare = parse_index_cursor("2030-01-01T00:03:00Z");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->ids.empty());
  EXPECT_FALSE(parse_index_cursor(""));
  EXPECT_FALSE(parse_index_cursor("yesterday"));
  EXPECT_FALSE(parse_index_cursor("2030-01-01T00:03:00Z ../x"));
  // More ids than a cursor keeps: the second is then read again in full, which is still right.
  IndexCursor many{1893456180, {}};
  for (std::size_t i = 0; i <= kMaxCursorIds; ++i) many.ids.push_back("A-" + std::to_string(i));
  EXPECT_EQ(format_index_cursor(many), "2030-01-01T00:03:00Z");
}

TEST(OsvIndexCursor, SkipsWhatTheCursorHoldsAndCarriesItsSecondForward) {
  const std::string csv =
      "2030-01-01T00:05:00Z,C\n2030-01-01T00:05:00Z,D\n2030-01-01T00:03:00Z,A\n"
      "2030-01-01T00:03:00Z,B\n2030-01-01T00:03:00Z,E\n2030-01-01T00:02:00Z,F\n";
  const IndexCursor cursor{1893456180, {"A", "B"}};  // 00:03:00, A and B applied
  auto since = read_modified_since(csv, cursor.time, 100, "x.csv");
  ASSERT_OK(since);
  auto changes = changes_after(*since, cursor);
  std::vector<std::string> ids;
  for (const auto& row : changes.to_fetch) ids.push_back(row.id);
  // E came in the cursor's second after the last sync read it.
  EXPECT_EQ(ids, (std::vector<std::string>{"C", "D", "E"}));
  EXPECT_EQ(format_index_cursor(changes.next), "2030-01-01T00:05:00Z C D");

  // Nothing newer: the cursor keeps its second and learns E.
  auto quiet =
      read_modified_since(csv.substr(csv.find("2030-01-01T00:03")), cursor.time, 100, "x.csv");
  ASSERT_OK(quiet);
  auto same = changes_after(*quiet, cursor);
  ASSERT_EQ(same.to_fetch.size(), 1u);
  EXPECT_EQ(same.to_fetch[0].id, "E");
  EXPECT_EQ(format_index_cursor(same.next), "2030-01-01T00:03:00Z A B E");
}

}  // namespace
}  // namespace patchparty::feeds
