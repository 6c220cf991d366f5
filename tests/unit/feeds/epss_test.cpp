#include "collectors/feeds/epss.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using patchparty::testing::temp_dir;
using patchparty::testing::test_data;
using ::testing::HasSubstr;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_gzip(const std::filesystem::path& p, const std::string& bytes) {
  gzFile gz = gzopen(p.c_str(), "wb9");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(gz), Z_OK);
}

// The rows as the test reads them itself: every non-comment, non-header line, split on `sep`.
std::vector<EpssScore> expected_rows(const std::string& text, char sep) {
  std::vector<EpssScore> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("cve,")) continue;
    std::size_t a = line.find(sep), b = line.find(sep, a + 1);
    EpssScore s;
    s.cve = line.substr(0, a);
    s.probability = std::strtod(line.substr(a + 1, b - a - 1).c_str(), nullptr);
    s.percentile = std::strtod(line.substr(b + 1).c_str(), nullptr);
    rows.push_back(std::move(s));
  }
  return rows;
}

Result<EpssStats> read_all(const std::filesystem::path& p, std::vector<EpssScore>& out) {
  return read_epss(p, [&](EpssScore&& s) -> Result<> {
    out.push_back(std::move(s));
    return {};
  });
}

Result<EpssStats> parse_all(std::string_view csv, std::vector<EpssScore>& out) {
  return parse_epss(csv, [&](EpssScore&& s) -> Result<> {
    out.push_back(std::move(s));
    return {};
  });
}

void expect_same(const std::vector<EpssScore>& got, const std::vector<EpssScore>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].cve, want[i].cve) << "row " << i;
    EXPECT_DOUBLE_EQ(got[i].probability, want[i].probability) << got[i].cve;
    EXPECT_DOUBLE_EQ(got[i].percentile, want[i].percentile) << got[i].cve;
  }
}

TEST(Epss, ReadsTheMirrorLayout) {
  auto path = test_data("epss/epss-emba-subset.csv");
  auto want = expected_rows(slurp(path), ';');
  EXPECT_EQ(want.size(), 20000u);  // the MANIFEST's count
  std::vector<EpssScore> got;
  auto s = read_all(path, got);
  ASSERT_OK(s);
  EXPECT_EQ(s->rows, want.size());
  EXPECT_EQ(s->bytes, std::filesystem::file_size(path));
  EXPECT_TRUE(s->score_date.empty());
  expect_same(got, want);
  for (const auto& g : got) EXPECT_TRUE(g.date.empty());
}

TEST(Epss, ReadsTheOfficialLayoutWithItsComment) {
  auto path = test_data("epss/epss_scores-current.head.csv");
  auto want = expected_rows(slurp(path), ',');
  EXPECT_EQ(want.size(), 20u);  // the MANIFEST's count
  std::vector<EpssScore> got;
  auto s = read_all(path, got);
  ASSERT_OK(s);
  EXPECT_EQ(s->rows, 20u);
  EXPECT_EQ(s->model_version, "v2026.06.15");
  EXPECT_EQ(s->score_date, "2026-09-29");
  expect_same(got, want);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front().cve, "CVE-1999-0001");
  EXPECT_DOUBLE_EQ(got.front().probability, 0.03351);
  EXPECT_DOUBLE_EQ(got.front().percentile, 0.88255);
  for (const auto& g : got) EXPECT_EQ(g.date, "2026-09-29");
}

TEST(Epss, ReadsGzipAsItReadsPlainText) {
  auto dir = temp_dir("gz");
  for (const char* name : {"epss/epss-emba-subset.csv", "epss/epss_scores-current.head.csv"}) {
    std::vector<EpssScore> plain, zipped;
    ASSERT_OK(read_all(test_data(name), plain));
    write_gzip(dir / "scores.csv.gz", slurp(test_data(name)));
    auto s = read_all(dir / "scores.csv.gz", zipped);
    ASSERT_OK(s);
    EXPECT_EQ(s->bytes, std::filesystem::file_size(test_data(name)));
    expect_same(zipped, plain);
  }
}

TEST(Epss, TruncatedGzipIsDataLoss) {
  auto dir = temp_dir("cutgz");
  write_gzip(dir / "full.csv.gz", slurp(test_data("epss/epss-emba-subset.csv")));
  std::string bytes = slurp(dir / "full.csv.gz");
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 4, std::size_t{10}}) {
    std::ofstream(dir / "cut.csv.gz", std::ios::binary) << bytes.substr(0, keep);
    std::vector<EpssScore> got;
    auto r = read_all(dir / "cut.csv.gz", got);
    EXPECT_ERRC(r, Errc::data_loss);
    EXPECT_THAT(r.error().message, HasSubstr("cut.csv.gz"));
  }
}

TEST(Epss, CorruptGzipIsDataLoss) {
  auto dir = temp_dir("badgz");
  write_gzip(dir / "full.csv.gz", slurp(test_data("epss/epss-emba-subset.csv")));
  std::string bytes = slurp(dir / "full.csv.gz");
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 32; ++i) bytes[i] ^= 0x5a;
  std::ofstream(dir / "bad.csv.gz", std::ios::binary) << bytes;
  std::vector<EpssScore> got;
  EXPECT_ERRC(read_all(dir / "bad.csv.gz", got), Errc::data_loss);
}

TEST(Epss, BadRowIsDataLossNamingTheLine) {
  const std::string head =
      "#model_version:v1,score_date:2025-08-25T00:00:00+0000\n"
      "cve,epss,percentile\nCVE-2020-0001,0.1,0.2\n";
  for (std::string bad :
       {"CVE-2020-0002,0.1,1.5", "CVE-2020-0002,-0.1,0.5", "CVE-2020-0002,0.1",
        "CVE-2020-0002,0.1,0.2,0.3", "CVE-20-0002,0.1,0.2", "CVE-2020-0002,0.1x,0.2",
        "CVE-2020-0002,nan,0.2", "CVE-2020-0002,,0.2", "CVE-2020-0002;0.1;0.2"}) {
    std::vector<EpssScore> got;
    auto r = parse_all(head + bad + "\nCVE-2020-0003,0.1,0.2\n", got);
    EXPECT_ERRC(r, Errc::data_loss);
    EXPECT_THAT(r.error().message, HasSubstr("line 4")) << bad;
    EXPECT_EQ(got.size(), 1u) << bad;
  }
}

TEST(Epss, BadRowInAFileNamesFileAndLine) {
  auto dir = temp_dir("badrow");
  std::ofstream(dir / "e.csv")
      << "cve,epss,percentile\nCVE-2020-0001,0.1,0.2\nCVE-2020-0002,2,0.2\n";
  std::vector<EpssScore> got;
  auto r = read_all(dir / "e.csv", got);
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_THAT(r.error().message, HasSubstr("e.csv"));
  EXPECT_THAT(r.error().message, HasSubstr("line 3"));
}

TEST(Epss, MissingTrailingNewlineAndCrlfAreFine) {
  std::vector<EpssScore> got;
  auto r = parse_all("cve,epss,percentile\r\nCVE-2020-0001,0.1,0.2\r\nCVE-2020-0002,1,0", got);
  ASSERT_OK(r);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].cve, "CVE-2020-0002");
  EXPECT_DOUBLE_EQ(got[1].probability, 1.0);
  EXPECT_DOUBLE_EQ(got[1].percentile, 0.0);
}

TEST(Epss, CrlfFileReadsAsTheSameRows) {
  // Rows cross the reader's buffer boundaries at every offset, "\r" and "\n" included.
  std::string text = slurp(test_data("epss/epss-emba-subset.csv")), crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto dir = temp_dir("crlf");
  std::ofstream(dir / "crlf.csv", std::ios::binary) << crlf;
  std::vector<EpssScore> plain, got;
  ASSERT_OK(read_all(test_data("epss/epss-emba-subset.csv"), plain));
  ASSERT_OK(read_all(dir / "crlf.csv", got));
  expect_same(got, plain);
}

TEST(Epss, MissingHeaderIsDataLoss) {
  std::vector<EpssScore> got;
  EXPECT_ERRC(parse_all("", got), Errc::data_loss);
  EXPECT_ERRC(parse_all("\n\n", got), Errc::data_loss);
  EXPECT_ERRC(parse_all("#model_version:v1,score_date:2025-08-25T00:00:00+0000\n", got),
              Errc::data_loss);
  EXPECT_ERRC(parse_all("CVE-2020-0001,0.1,0.2\n", got), Errc::data_loss);
  EXPECT_ERRC(parse_all("cve,percentile,epss\nCVE-2020-0001,0.1,0.2\n", got), Errc::data_loss);
  EXPECT_ERRC(parse_all("<html>404</html>", got), Errc::data_loss);
  EXPECT_TRUE(got.empty());
}

TEST(Epss, MalformedScoreDateIsDataLoss) {
  std::vector<EpssScore> got;
  EXPECT_ERRC(parse_all("#score_date:25-08-2025\ncve,epss,percentile\n", got), Errc::data_loss);
}

TEST(Epss, OverlongLineIsDataLoss) {
  std::vector<EpssScore> got;
  auto r =
      parse_all("cve,epss,percentile\nCVE-2020-0001,0.1," + std::string(5000, '0') + "\n", got);
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_THAT(r.error().message, HasSubstr("line 2"));
}

TEST(Epss, SinkErrorStopsTheRead) {
  int calls = 0;
  auto r = read_epss(test_data("epss/epss-emba-subset.csv"), [&](EpssScore&&) -> Result<> {
    if (++calls == 5) return fail(Errc::resource_exhausted, "disk full");
    return {};
  });
  EXPECT_ERRC(r, Errc::resource_exhausted);
  EXPECT_EQ(calls, 5);
}

TEST(Epss, MissingFileIsNotFound) {
  std::vector<EpssScore> got;
  EXPECT_ERRC(read_all("/nonexistent/epss.csv.gz", got), Errc::not_found);
}

}  // namespace
}  // namespace patchparty::feeds
