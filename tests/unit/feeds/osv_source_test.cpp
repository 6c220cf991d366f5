#include "collectors/feeds/osv_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/support/zip_writer.h"

namespace patchparty::feeds {
namespace {

using ::testing::HasSubstr;

// Writes a zip of every file in `dir` (named by their file names), as all.zip is laid out.
std::size_t write_zip(const std::filesystem::path& dir, const std::filesystem::path& zip) {
  patchparty::testing::ZipWriter out(zip);
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    out.add(e.path().filename(), patchparty::testing::Subprocess::slurp(e.path()));
    ++n;
  }
  return n;
}

Result<OsvReadStats> read_all(const std::filesystem::path& p, std::vector<Advisory>& out,
                              OsvReadOptions options = {}) {
  return read_osv(p, options, [&](Advisory&& a) -> Result<> {
    out.push_back(std::move(a));
    return {};
  });
}

TEST(OsvSource, ReadsADirectory) {
  std::vector<Advisory> got;
  auto s = read_all(patchparty::testing::test_data("osv/Packagist"), got);
  ASSERT_OK(s);
  EXPECT_EQ(s->records, 413u);
  EXPECT_EQ(got.size(), 413u);
  EXPECT_EQ(s->skipped, 0u);
}

TEST(OsvSource, ReadsAnAllZipMemberByMember) {
  auto dir = patchparty::testing::temp_dir("zip");
  auto files = write_zip(patchparty::testing::test_data("osv/npm-malicious"), dir / "all.zip");
  ASSERT_EQ(files, 3057u);
  std::vector<Advisory> got;
  std::uint64_t last_progress = 0;
  OsvReadOptions o;
  o.progress = [&](std::uint64_t done, std::uint64_t) { last_progress = done; };
  auto s = read_all(dir / "all.zip", got, o);
  ASSERT_OK(s);
  EXPECT_EQ(s->records, 3057u);
  EXPECT_EQ(got.front().affected.front().ecosystem, "npm");
  EXPECT_GT(last_progress, 0u);
}

TEST(OsvSource, FiltersByEcosystem) {
  std::vector<Advisory> got;
  OsvReadOptions o;
  o.only_ecosystems = {"PyPI"};
  auto s = read_all(patchparty::testing::test_data("osv/other"), got, o);
  ASSERT_OK(s);
  ASSERT_GT(got.size(), 0u);
  for (const auto& a : got) {
    bool pypi = false;
    for (const auto& af : a.affected) pypi = pypi || af.ecosystem == "PyPI";
    EXPECT_TRUE(pypi) << a.id;
  }
  EXPECT_GT(s->skipped, 0u);
}

TEST(OsvSource, SkipsAndCountsSchemaBreaksButKeepsTheRest) {
  std::vector<Advisory> got;
  auto s = read_all(patchparty::testing::test_data("osv-schema/examples/osv-linter"), got);
  ASSERT_OK(s);
  EXPECT_EQ(s->skipped, 1u);
  ASSERT_EQ(s->skipped_examples.size(), 1u);
  EXPECT_THAT(s->skipped_examples[0], HasSubstr("nointroduced-CVE-2023-41045.json"));
  EXPECT_EQ(s->records, got.size());
}

TEST(OsvSource, CorruptZipMemberIsDataLoss) {
  auto dir = patchparty::testing::temp_dir("corrupt");
  write_zip(patchparty::testing::test_data("osv/Packagist"), dir / "all.zip");
  std::string bytes = patchparty::testing::Subprocess::slurp(dir / "all.zip");
  // Flip bytes in the middle of the archive: a member's compressed data no longer inflates or
  // no longer matches its CRC.
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] ^= 0x5a;
  std::ofstream(dir / "bad.zip", std::ios::binary) << bytes;
  std::vector<Advisory> got;
  auto s = read_all(dir / "bad.zip", got);
  EXPECT_ERRC(s, Errc::data_loss);
}

TEST(OsvSource, TruncatedZipIsDataLoss) {
  auto dir = patchparty::testing::temp_dir("cut");
  write_zip(patchparty::testing::test_data("osv/Packagist"), dir / "all.zip");
  std::string bytes = patchparty::testing::Subprocess::slurp(dir / "all.zip");
  std::ofstream(dir / "cut.zip", std::ios::binary) << bytes.substr(0, bytes.size() * 2 / 3);
  std::vector<Advisory> got;
  EXPECT_ERRC(read_all(dir / "cut.zip", got), Errc::data_loss);
}

TEST(OsvSource, MalformedJsonFileIsDataLoss) {
  auto dir = patchparty::testing::temp_dir("badjson");
  std::ofstream(dir / "a.json") << "{\"id\": \"GHSA-x\", \"modified\": \"2024";
  std::vector<Advisory> got;
  auto s = read_all(dir, got);
  EXPECT_ERRC(s, Errc::data_loss);
  EXPECT_THAT(s.error().message, HasSubstr("a.json"));
}

TEST(OsvSource, SinkErrorStopsTheRead) {
  int calls = 0;
  auto s =
      read_osv(patchparty::testing::test_data("osv/Packagist"), {}, [&](Advisory&&) -> Result<> {
        if (++calls == 3) return fail(Errc::resource_exhausted, "disk full");
        return {};
      });
  EXPECT_ERRC(s, Errc::resource_exhausted);
  EXPECT_EQ(calls, 3);
}

TEST(OsvSource, JsonArrayOfRecords) {
  auto dir = patchparty::testing::temp_dir("array");
  std::string a = patchparty::testing::Subprocess::slurp(
      patchparty::testing::test_data("osv/npm/GHSA-whgm-jr23-g3j9.json"));
  std::string b = patchparty::testing::Subprocess::slurp(
      patchparty::testing::test_data("osv/npm/lbsa-20201130.osv.json"));
  std::ofstream(dir / "records.json") << "[" << a << "," << b << "]";
  std::vector<Advisory> got;
  auto s = read_all(dir / "records.json", got);
  ASSERT_OK(s);
  EXPECT_EQ(got.size(), 2u);
}

}  // namespace
}  // namespace patchparty::feeds
