// `patchparty feeds update/status` on real files, and a kill -9 in the middle of an ingest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

void write_config(const std::filesystem::path& file, const std::string& osv_dir) {
  std::ofstream(file) << "inventory: {dpkg: {enabled: false}}\nfeeds:\n  - kind: osv\n"
                         "    name: osv-local\n    url: file://"
                      << osv_dir << "\n";
}

TEST(FeedsCli, UpdateThenStatus) {
  auto dir = testing::temp_dir("feedscli");
  write_config(dir / "pp.yml", testing::test_data("osv/Packagist").string());
  auto up = testing::run({PATCHPARTY_BIN, "feeds", "update", "-c", (dir / "pp.yml").string(),
                          "--state-dir", (dir / "state").string()},
                         dir);
  ASSERT_EQ(up.code, 0) << up.err << up.out;
  EXPECT_THAT(up.out, HasSubstr("osv-local: 413 records"));
  auto st = testing::run({PATCHPARTY_BIN, "feeds", "status", "--json", "-c",
                          (dir / "pp.yml").string(), "--state-dir", (dir / "state").string()},
                         dir);
  ASSERT_EQ(st.code, 0) << st.err;
  rapidjson::Document doc;
  doc.Parse(st.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << st.out;
  ASSERT_EQ(doc["feeds"].Size(), 1u);
  EXPECT_EQ(doc["feeds"][0]["records"].GetInt64(), 413);
  EXPECT_GT(doc["feeds"][0]["last_success_at"].GetInt64(), 0);
  // A feed that fails makes `status` exit 1.
  write_config(dir / "pp.yml", "/nonexistent/osv");
  auto bad = testing::run({PATCHPARTY_BIN, "feeds", "update", "-c", (dir / "pp.yml").string(),
                           "--state-dir", (dir / "state").string()},
                          dir);
  EXPECT_EQ(bad.code, 2);
  auto st2 = testing::run({PATCHPARTY_BIN, "feeds", "status", "-c", (dir / "pp.yml").string(),
                           "--state-dir", (dir / "state").string()},
                          dir);
  EXPECT_EQ(st2.code, 1);
  EXPECT_THAT(st2.out, HasSubstr("413"));
}

// kill -9 while the ingest transaction is open: the previous rows survive intact.
TEST(FeedsCli, KillNineMidIngestKeepsTheLastGoodData) {
  auto dir = testing::temp_dir("kill9");
  write_config(dir / "pp.yml", testing::test_data("osv/Packagist").string());
  auto first = testing::run({PATCHPARTY_BIN, "feeds", "update", "-c", (dir / "pp.yml").string(),
                             "--state-dir", (dir / "state").string()},
                            dir);
  ASSERT_EQ(first.code, 0) << first.err;
  // A larger source: 3,057 records take long enough to be caught in the middle.
  write_config(dir / "pp.yml", testing::test_data("osv/npm-malicious").string());
  auto wal = dir / "state" / "patchparty.db-wal";
  bool killed_mid_write = false;
  for (int attempt = 0; attempt < 20 && !killed_mid_write; ++attempt) {
    auto before = std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0;
    testing::Subprocess p({PATCHPARTY_BIN, "feeds", "update", "-c", (dir / "pp.yml").string(),
                           "--state-dir", (dir / "state").string()},
                          {}, dir / "out", dir / "err");
    // Wait until the transaction has written pages, then kill without warning.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && p.running()) {
      auto now = std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0;
      if (now > before + 200 * 1024) break;
      std::this_thread::sleep_for(1ms);
    }
    if (p.running()) {
      p.signal(SIGKILL);
      killed_mid_write = p.wait(5s) == 128 + SIGKILL;
    }
  }
  ASSERT_TRUE(killed_mid_write) << "the ingest always finished before it could be killed";
  auto store = store::Store::open_read_only(dir / "state");
  ASSERT_OK(store);
  auto check = store->database().query_int64(
      "SELECT COUNT(*) FROM pragma_integrity_check "
      "WHERE integrity_check <> 'ok'");
  ASSERT_OK(check);
  EXPECT_EQ(*check, 0);
  auto count = store::advisory_count(store->database(), "osv-local");
  ASSERT_OK(count);
  EXPECT_EQ(*count, 413);  // the Packagist rows, none of the interrupted npm ones
}

}  // namespace
}  // namespace patchparty
