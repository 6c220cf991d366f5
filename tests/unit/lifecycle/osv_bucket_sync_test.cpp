// Incremental OSV sync end to end: a real SQLite store and a loopback HTTP server laid out as an
// ecosystem's folder of OSV's bucket, built from 3,057 real npm records. The server logs every
// request and the bytes it answered, which is what a sync costs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "collectors/feeds/builtin_feeds.h"
#include "core/store/advisory_tables.h"
#include "daemon/lifecycle/feed_job.h"
#include "tests/support/http_test_server.h"
#include "tests/support/osv_bucket.h"
#include "tests/support/test_data.h"

namespace patchparty::lifecycle {
namespace {

using ::testing::HasSubstr;
using testing::HttpTestServer;
using testing::OsvBucket;
using testing::Route;
using ::testing::StartsWith;
namespace fs = std::filesystem;

constexpr std::string_view kFolder = "/npm/";
// Later than every record of the data set.
constexpr std::int64_t kChangeTime = 1893456000;  // 2030-01-01

// What a feed holds, row for row: the records as stored, and the package index.
struct FeedRows {
  std::vector<std::string> advisories, packages;
  bool operator==(const FeedRows&) const = default;
};

FeedRows rows_of(store::Store& store, const std::string& feed) {
  FeedRows out;
  auto& db = store.database();
  auto a = db.prepare(
      "SELECT advisory_id, modified, withdrawn, aliases, record FROM advisories WHERE feed = ?1 "
      "ORDER BY advisory_id");
  EXPECT_TRUE(a.has_value());
  EXPECT_TRUE(a->bind_text(1, feed).has_value());
  while (a->step().value_or(false))
    out.advisories.push_back(a->column_text(0) + "|" + a->column_text(1) + "|" + a->column_text(2) +
                             "|" + a->column_text(3) + "|" + a->column_text(4));
  auto p = db.prepare(
      "SELECT a.advisory_id, p.ecosystem, p.name FROM advisory_packages p JOIN advisories a ON "
      "a.id = p.advisory WHERE a.feed = ?1 ORDER BY 1, 2, 3");
  EXPECT_TRUE(p.has_value());
  EXPECT_TRUE(p->bind_text(1, feed).has_value());
  while (p->step().value_or(false))
    out.packages.push_back(p->column_text(0) + "|" + p->column_text(1) + "|" + p->column_text(2));
  return out;
}

class OsvBucketSyncTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    feeds::register_builtin_feeds();
    bucket_ = new OsvBucket(OsvBucket::from_folder(testing::test_data("osv/npm-malicious")));
  }
  static void TearDownTestSuite() { delete bucket_; }

  void SetUp() override {
    dir_ = testing::temp_dir("osv-bucket-sync");
    server_ = std::make_unique<HttpTestServer>();
    bucket_->serve(*server_, std::string(kFolder));
  }

  struct Host {
    std::optional<store::Store> store;
    std::optional<feeds::Fetcher> fetcher;
  };
  Host host(const std::string& name) {
    Host h;
    auto s = store::Store::open(dir_ / name);
    EXPECT_TRUE(s.has_value());
    h.store.emplace(std::move(*s));
    h.fetcher.emplace(dir_ / name / "downloads", user_agent());
    return h;
  }
  std::unique_ptr<feeds::Feed> feed(std::string url, double share = 0.1) {
    config::FeedConfig c;
    c.name = "osv-npm";
    c.kind = "osv";
    c.url = std::move(url);
    c.timeout = std::chrono::seconds(30);
    c.max_changed_share = share;
    auto f = feeds::make_feed(c);
    EXPECT_TRUE(f.has_value());
    return std::move(*f);
  }
  std::unique_ptr<feeds::Feed> feed() { return feed(server_->url(std::string(kFolder))); }
  // Requests for one file of the folder since the server started (set() does not reset this).
  long requests_to(std::string_view file) {
    const auto seen = server_->requests();
    return std::count_if(seen.begin(), seen.end(), [&](const testing::SeenRequest& r) {
      return r.path == std::string(kFolder) + std::string(file);
    });
  }
  static store::FeedStatus status(Host& h) {
    auto s = store::feed_status(h.store->database(), "osv-npm");
    EXPECT_TRUE(s && s->has_value());
    return s && *s ? **s : store::FeedStatus{};
  }
  // Three records changed and one withdrawn, after the first sync.
  OsvBucket changed_bucket() const {
    OsvBucket b = *bucket_;
    const auto ids = b.ids();
    b.change(ids[10], kChangeTime);
    b.change(ids[500], kChangeTime + 60);
    b.change(ids[2000], kChangeTime + 120);
    b.change(ids[3000], kChangeTime + 180, /*withdraw=*/true);
    return b;
  }

  static inline OsvBucket* bucket_ = nullptr;
  fs::path dir_;
  std::unique_ptr<HttpTestServer> server_;
};

TEST_F(OsvBucketSyncTest, FirstSyncLoadsTheZipAndSetsTheCursorToTheNewestRecord) {
  auto h = host("first");
  auto f = feed();
  auto r = run_feed(*f, *h.fetcher, *h.store, {});
  ASSERT_OK(r);
  EXPECT_EQ(r->records, 3057);
  auto s = status(h);
  EXPECT_EQ(s.sync_mode, "full");
  EXPECT_EQ(s.record_count, 3057);
  // The newest `modified` of the records and the records of that second, computed here from the
  // index the bucket serves.
  const std::string index = bucket_->index();
  const std::string newest = index.substr(0, index.find(','));
  std::string expected = newest;
  for (std::size_t at = 0; index.compare(at, newest.size(), newest) == 0;) {
    const std::size_t end = index.find('\n', at);
    expected += " " + index.substr(at + newest.size() + 1, end - at - newest.size() - 1);
    at = end + 1;
  }
  EXPECT_EQ(s.cursor, expected);
  EXPECT_EQ(requests_to("all.zip"), 1);
  EXPECT_EQ(requests_to("modified_id.csv"), 0);
}

TEST_F(OsvBucketSyncTest, ThreeChangesAndAWithdrawalCostUnderOnePercentAndEqualAFreshSync) {
  auto h = host("incremental");
  auto f = feed();
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  const std::uint64_t zip_bytes = server_->bytes_sent();
  const std::size_t requests_before = server_->requests().size();

  OsvBucket changed = changed_bucket();
  changed.serve(*server_, std::string(kFolder));
  auto r = run_feed(*f, *h.fetcher, *h.store, {});
  ASSERT_OK(r);
  auto s = status(h);
  EXPECT_EQ(s.sync_mode, "incremental");
  const std::string withdrawn_id = changed.ids()[3000];
  EXPECT_EQ(s.cursor, "2030-01-01T00:03:00Z " + withdrawn_id);
  EXPECT_EQ(r->records, 4);  // written: the four changed records
  EXPECT_EQ(s.record_count, 3057);

  const auto seen = server_->requests();
  std::uint64_t sync_bytes = 0;
  std::vector<std::string> paths;
  for (std::size_t i = requests_before; i < seen.size(); ++i) {
    sync_bytes += seen[i].bytes_sent;
    paths.push_back(seen[i].path);
  }
  EXPECT_EQ(requests_to("all.zip"), 1) << "no second zip download";
  EXPECT_THAT(paths, ::testing::Contains(std::string(kFolder) + "modified_id.csv"));
  EXPECT_EQ(std::count_if(paths.begin(), paths.end(),
                          [](const std::string& p) { return p.ends_with(".json"); }),
            4);
  EXPECT_LT(sync_bytes * 100, zip_bytes)
      << sync_bytes << " bytes for the incremental sync, " << zip_bytes << " for all.zip";
  std::cout << "[ figures ] all.zip " << zip_bytes << " bytes; incremental sync of 4 changes "
            << sync_bytes << " bytes in " << paths.size() << " requests ("
            << static_cast<double>(sync_bytes) * 100 / static_cast<double>(zip_bytes)
            << "% of all.zip)\n";

  // A host that syncs the changed bucket from scratch holds exactly the same rows.
  auto fresh = host("fresh");
  auto g = feed();
  ASSERT_OK(run_feed(*g, *fresh.fetcher, *fresh.store, {}));
  EXPECT_EQ(status(fresh).sync_mode, "full");
  const FeedRows incremental = rows_of(*h.store, "osv-npm"),
                 full = rows_of(*fresh.store, "osv-npm");
  ASSERT_EQ(incremental.advisories.size(), 3057u);
  EXPECT_TRUE(incremental == full);
  EXPECT_EQ(status(fresh).cursor, s.cursor);
  // The withdrawn record is kept, marked withdrawn.
  EXPECT_THAT(incremental.advisories,
              ::testing::Contains(StartsWith(withdrawn_id + "|2030-01-01T00:03:00Z|1|")));
}

TEST_F(OsvBucketSyncTest, NothingChangedCostsOneSmallRangeAndKeepsTheCursor) {
  auto h = host("quiet");
  auto f = feed();
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  const std::string cursor = status(h).cursor;
  const std::size_t before = server_->requests().size();
  auto r = run_feed(*f, *h.fetcher, *h.store, {});
  ASSERT_OK(r);
  const auto seen = server_->requests();
  ASSERT_EQ(seen.size(), before + 1);
  EXPECT_EQ(seen.back().path, std::string(kFolder) + "modified_id.csv");
  EXPECT_EQ(seen.back().headers.at("Range"), "bytes=0-4095");
  EXPECT_LE(seen.back().bytes_sent, 4096u);
  EXPECT_EQ(status(h).cursor, cursor);
  EXPECT_EQ(status(h).sync_mode, "incremental");
  EXPECT_EQ(status(h).record_count, 3057);
}

TEST_F(OsvBucketSyncTest, MalformedIndexFallsBackToTheZip) {
  auto h = host("malformed");
  auto f = feed();
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  OsvBucket changed = changed_bucket();
  changed.serve(*server_, std::string(kFolder));
  server_->set(std::string(kFolder) + "modified_id.csv",
               Route{.body = "2030-01-01T00:03:00Z,MAL-1\nnot a row\n"});
  auto r = run_feed(*f, *h.fetcher, *h.store, {});
  ASSERT_OK(r);
  auto s = status(h);
  EXPECT_THAT(s.sync_mode, StartsWith("full (fallback: modified_id.csv:"));
  EXPECT_THAT(s.sync_mode, HasSubstr("line 2"));
  EXPECT_EQ(requests_to("all.zip"), 2);
  // The zip brought the changes, and the cursor is the newest record it held.
  EXPECT_THAT(s.cursor, StartsWith("2030-01-01T00:03:00Z "));
  auto fresh = host("malformed-fresh");
  auto g = feed();
  changed.serve(*server_, std::string(kFolder));
  ASSERT_OK(run_feed(*g, *fresh.fetcher, *fresh.store, {}));
  EXPECT_TRUE(rows_of(*h.store, "osv-npm") == rows_of(*fresh.store, "osv-npm"));
}

TEST_F(OsvBucketSyncTest, MissingIndexFallsBackToTheZip) {
  auto h = host("missing");
  auto f = feed();
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  server_->set(std::string(kFolder) + "modified_id.csv", Route{.status = 404});
  changed_bucket().serve(*server_, std::string(kFolder));
  server_->set(std::string(kFolder) + "modified_id.csv", Route{.status = 404});
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  EXPECT_THAT(status(h).sync_mode, StartsWith("full (fallback: modified_id.csv:"));
  EXPECT_THAT(status(h).cursor, StartsWith("2030-01-01T00:03:00Z "));
}

TEST_F(OsvBucketSyncTest, FailingRecordFetchFallsBackToTheZip) {
  auto h = host("failing");
  auto f = feed();
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  OsvBucket changed = changed_bucket();
  changed.serve(*server_, std::string(kFolder));
  const std::string broken = std::string(kFolder) + changed.ids()[500] + ".json";
  server_->set(broken, Route{.status = 404});
  auto r = run_feed(*f, *h.fetcher, *h.store, {});
  ASSERT_OK(r);
  auto s = status(h);
  EXPECT_THAT(s.sync_mode, StartsWith("full (fallback: record " + changed.ids()[500]));
  EXPECT_EQ(requests_to("all.zip"), 2);
  EXPECT_THAT(s.cursor, StartsWith("2030-01-01T00:03:00Z "));
  // No record fetched before the failure was applied on its own: the zip replaced everything.
  EXPECT_FALSE(fs::exists(dir_ / "failing" / "downloads" / "osv-npm.changes"));
}

TEST_F(OsvBucketSyncTest, TooManyChangesFallBackToTheZip) {
  auto h = host("share");
  auto f = feed(server_->url(std::string(kFolder)), /*share=*/0.001);  // 3 of 3,057
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  changed_bucket().serve(*server_, std::string(kFolder));
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  EXPECT_EQ(status(h).sync_mode,
            "full (fallback: more than 3 records changed, max_changed_share of 3057)");
  EXPECT_EQ(requests_to("all.zip"), 2);
}

TEST_F(OsvBucketSyncTest, CancelledSyncKeepsTheOldCursorAndRows) {
  auto h = host("cancel");
  auto f = feed();
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  const auto before = rows_of(*h.store, "osv-npm");
  const std::string cursor = status(h).cursor;
  OsvBucket changed = changed_bucket();
  changed.serve(*server_, std::string(kFolder));
  for (const auto& id : changed.ids())
    server_->set(std::string(kFolder) + id + ".json",
                 Route{.body = "{}", .delay = std::chrono::milliseconds(3000)});
  std::stop_source stop;
  std::jthread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop.request_stop();
  });
  auto r = run_feed(*f, *h.fetcher, *h.store, stop.get_token());
  EXPECT_FALSE(r.has_value());
  EXPECT_EQ(status(h).cursor, cursor);
  EXPECT_EQ(status(h).sync_mode, "full");
  EXPECT_TRUE(rows_of(*h.store, "osv-npm") == before);
}

TEST_F(OsvBucketSyncTest, LocalFolderSyncsIncrementallyToo) {
  auto h = host("local");
  const fs::path folder = dir_ / "bucket" / "npm";
  bucket_->write(folder);
  auto f = feed("file://" + folder.string() + "/");
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  EXPECT_EQ(status(h).sync_mode, "full");
  changed_bucket().write(folder);
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  EXPECT_EQ(status(h).sync_mode, "incremental");
  EXPECT_THAT(status(h).cursor, StartsWith("2030-01-01T00:03:00Z "));
  EXPECT_EQ(status(h).record_count, 3057);
}

// A local folder of loose records, with or without a trailing '/', stays a folder of records.
TEST_F(OsvBucketSyncTest, LocalFolderWithoutZipIsReadAsRecords) {
  auto h = host("loose");
  auto f = feed("file://" + testing::test_data("osv/npm").string() + "/");
  ASSERT_OK(run_feed(*f, *h.fetcher, *h.store, {}));
  EXPECT_EQ(status(h).sync_mode, "");
  EXPECT_EQ(status(h).record_count, 2);
}

}  // namespace
}  // namespace patchparty::lifecycle
