// `patchparty feeds update/status` on real files, and a kill -9 in the middle of an ingest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "tests/support/http_test_server.h"
#include "tests/support/osv_bucket.h"
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

// kill -9 during an ingest: the store holds either the previous feed or the new one, whole, never
// a mix. The kill can land after the commit (the process still closing the store); such an
// attempt proves nothing about atomicity, so the test restores the old feed and tries again until
// one kill has landed inside the transaction.
TEST(FeedsCli, KillNineMidIngestKeepsTheLastGoodData) {
  auto dir = testing::temp_dir("kill9");
  auto config = dir / "pp.yml";
  auto update = [&](const std::string& feed_dir) {
    write_config(config, feed_dir);
    return testing::run({PATCHPARTY_BIN, "feeds", "update", "-c", config.string(), "--state-dir",
                         (dir / "state").string()},
                        dir);
  };
  const std::string packagist = testing::test_data("osv/Packagist").string();
  // A larger source: 3,057 records take long enough to be caught in the middle.
  const std::string npm = testing::test_data("osv/npm-malicious").string();
  auto counted = [&]() -> std::int64_t {
    auto store = store::Store::open_read_only(dir / "state");
    EXPECT_TRUE(store.has_value());
    if (!store) return -1;
    auto check = store->database().query_int64(
        "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'");
    EXPECT_TRUE(check.has_value());
    EXPECT_EQ(check.value_or(-1), 0);
    auto count = store::advisory_count(store->database(), "osv-local");
    EXPECT_TRUE(count.has_value());
    return count.value_or(-1);
  };
  auto first = update(packagist);
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(counted(), 413);

  auto wal = dir / "state" / "patchparty.db-wal";
  int killed_inside = 0, finished_first = 0;
  for (int attempt = 0; attempt < 30 && killed_inside == 0; ++attempt) {
    write_config(config, npm);
    auto before = std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0;
    testing::Subprocess p({PATCHPARTY_BIN, "feeds", "update", "-c", config.string(), "--state-dir",
                           (dir / "state").string()},
                          {}, dir / "out", dir / "err");
    // Wait until the transaction has written pages, then kill without warning.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && p.running()) {
      auto now = std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0;
      if (now > before + 200 * 1024) break;
      std::this_thread::sleep_for(1ms);
    }
    bool killed = false;
    if (p.running()) {
      p.signal(SIGKILL);
      killed = p.wait(5s) == 128 + SIGKILL;
    } else {
      p.wait(5s);
    }
    std::int64_t n = counted();
    // All of the old feed or all of the new one: nothing else is a good state.
    ASSERT_TRUE(n == 413 || n == 3057) << "attempt " << attempt << ": " << n << " records";
    if (n == 3057) {
      ++finished_first;
      auto restore = update(packagist);
      ASSERT_EQ(restore.code, 0) << restore.err;
      ASSERT_EQ(counted(), 413);
    } else if (killed) {
      ++killed_inside;  // the Packagist rows, none of the interrupted npm ones
    }
  }
  EXPECT_EQ(killed_inside, 1) << "every kill landed after the commit (" << finished_first
                              << " attempts)";
}

// kill -9 during an incremental OSV sync, at every stage: while the changed records download
// (slowly, so the kill lands there), then right as the last one arrives (around the apply). Each
// time the store is intact and its cursor tells the truth: the old cursor with every old record,
// or the new cursor with every changed one; a later sync then completes incrementally.
TEST(FeedsCli, KillNineDuringAnIncrementalSyncKeepsCursorAndRowsTogether) {
  auto dir = testing::temp_dir("kill9-incremental");
  testing::HttpTestServer server;
  auto bucket = testing::OsvBucket::from_folder(testing::test_data("osv/npm-malicious"));
  bucket.serve(server, "/npm/");
  const auto config = dir / "pp.yml";
  std::ofstream(config) << "inventory: {dpkg: {enabled: false}}\nfeeds:\n  - kind: osv\n"
                           "    name: osv-npm\n    max_changed_share: 0.2\n    url: "
                        << server.url("/npm/") << "\n";
  const std::vector<std::string> update = {
      PATCHPARTY_BIN,          "feeds", "update", "-c", config.string(), "--state-dir",
      (dir / "state").string()};
  auto first = testing::run(update, dir);
  ASSERT_EQ(first.code, 0) << first.err;

  // 300 changed records, all modified in 2030.
  auto changed = bucket;
  const auto ids = bucket.ids();
  std::vector<std::string> changed_ids;
  for (std::size_t i = 0; i < ids.size(); i += 10) {
    changed.change(ids[i], 1893456000 + static_cast<std::int64_t>(i));
    changed_ids.push_back(ids[i]);
  }
  // cursor, and how many of the changed records the store holds in their 2030 version
  auto state = [&]() -> std::pair<std::string, std::int64_t> {
    auto store = store::Store::open_read_only(dir / "state");
    EXPECT_TRUE(store.has_value());
    if (!store) return {"", -1};
    auto check = store->database().query_int64(
        "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'");
    EXPECT_EQ(check.value_or(-1), 0);
    auto status = store::feed_status(store->database(), "osv-npm");
    EXPECT_TRUE(status && *status);
    auto newer = store->database().query_int64(
        "SELECT COUNT(*) FROM advisories WHERE feed = 'osv-npm' AND modified LIKE '2030-%'");
    EXPECT_EQ(store::advisory_count(store->database(), "osv-npm").value_or(-1), 3057);
    return {status && *status ? (*status)->cursor : "", newer.value_or(-1)};
  };
  const auto [old_cursor, old_newer] = state();
  ASSERT_EQ(old_newer, 0);
  const std::int64_t all_new = static_cast<std::int64_t>(changed_ids.size());

  int killed_before_commit = 0;
  for (int attempt = 0; attempt < 12; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    changed.serve(server, "/npm/");
    // The first attempts download slowly, so the kill lands among the record requests; the later
    // ones at full speed, killed as the last record arrives.
    const bool slow = attempt < 2;
    if (slow) {
      for (const auto& id : changed_ids)
        server.set("/npm/" + id + ".json",
                   testing::Route{.body = "{}", .delay = std::chrono::milliseconds(400)});
    }
    const std::size_t seen_before = server.requests().size();
    testing::Subprocess p(update, {}, dir / "out", dir / "err");
    const std::size_t wanted = slow ? 5 : changed_ids.size();
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline && p.running()) {
      const auto seen = server.requests();
      const auto records =
          std::count_if(seen.begin() + static_cast<std::ptrdiff_t>(seen_before), seen.end(),
                        [](const testing::SeenRequest& r) { return r.path.ends_with(".json"); });
      if (static_cast<std::size_t>(records) >= wanted) break;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (p.running()) p.signal(SIGKILL);
    p.wait(10s);
    const auto [cursor, newer] = state();
    if (cursor == old_cursor) {
      EXPECT_EQ(newer, 0) << "old cursor with changed rows";
      ++killed_before_commit;
    } else {
      EXPECT_EQ(newer, all_new) << "new cursor " << cursor << " without every changed row";
      break;  // committed: the last attempt
    }
  }
  EXPECT_GE(killed_before_commit, 2);
  // Whatever the kills left, a sync completes, incrementally.
  changed.serve(server, "/npm/");
  auto last = testing::run(update, dir);
  ASSERT_EQ(last.code, 0) << last.err;
  const auto [cursor, newer] = state();
  EXPECT_EQ(newer, all_new);
  EXPECT_NE(cursor, old_cursor);
  auto status = testing::run({PATCHPARTY_BIN, "feeds", "status", "-c", config.string(),
                              "--state-dir", (dir / "state").string()},
                             dir);
  EXPECT_THAT(status.out, HasSubstr("incremental"));
  EXPECT_THAT(status.out, HasSubstr(cursor.substr(0, cursor.find(' '))));
}

}  // namespace
}  // namespace patchparty
