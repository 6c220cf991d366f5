// The nvd feed end to end: a real SQLite store and a loopback HTTP server replaying NVD's API.
// A first sync replaces, a later one updates only the CVEs it is told about, and a sync that
// fails after its retries leaves the old rows and the old cursor together.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/feeds/nvd_feed.h"
#include "core/base/rfc3339_time.h"
#include "core/base/unix_time.h"
#include "core/store/advisory_tables.h"
#include "core/store/cve_facts.h"
#include "daemon/lifecycle/feed_job.h"
#include "tests/support/http_test_server.h"
#include "tests/support/nvd_pages.h"
#include "tests/support/test_data.h"

namespace patchparty::lifecycle {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpTestServer;
using testing::nvd_cve_json;
using testing::nvd_page_json;
using testing::NvdMetric;
using testing::Route;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kApi = "/rest/json/cves/2.0";
constexpr const char* kFirstPage = "startIndex=0&resultsPerPage=2000";

NvdMetric nvd31(std::string_view vector, std::string score) {
  return NvdMetric{"3.1", "nvd@nist.gov", "Primary", vector, std::move(score)};
}

class NvdSyncTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { feeds::register_builtin_feeds(); }
  void SetUp() override {
    dir_ = testing::temp_dir("nvd-sync");
    auto s = store::Store::open(dir_ / "state");
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
    fetcher_.emplace(dir_ / "state" / "downloads", user_agent());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<feeds::Feed> feed() {
    config::FeedConfig c;
    c.name = "nvd";
    c.kind = "nvd";
    c.url = server_.url(kApi);
    c.timeout = 20s;
    c.request_interval = 10ms;
    auto f = feeds::make_feed(c);
    EXPECT_TRUE(f.has_value());
    return std::move(*f);
  }
  store::FeedStatus status() {
    auto s = store::feed_status(store_->database(), "nvd");
    EXPECT_TRUE(s && s->has_value());
    return s && *s ? **s : store::FeedStatus{};
  }
  // "CVE score vector" per row of cve_scores, in key order: every row, not just seq 0.
  std::vector<std::string> rows() {
    std::vector<std::string> out;
    auto st = store_->database().prepare(
        "SELECT cve, seq, score, vector FROM cve_scores WHERE feed = 'nvd' ORDER BY cve, seq");
    EXPECT_TRUE(st.has_value());
    while (st->step().value_or(false)) {
      char score[16];
      std::snprintf(score, sizeof score, "%.1f", st->column_double(2));
      out.push_back(st->column_text(0) + " " + std::to_string(st->column_int64(1)) + " " + score);
    }
    return out;
  }
  std::optional<CvssMetric> preferred(std::string_view cve) {
    auto st = store_->database().prepare(store::kPreferredScoreByCve);
    EXPECT_TRUE(st.has_value());
    auto m = store::query_preferred_score(*st, cve);
    EXPECT_TRUE(m.has_value());
    return m ? *m : std::nullopt;
  }
  // The first sync: three CVEs, the second with NVD's and a CNA's score.
  void first_sync() {
    first_page_ = nvd_page_json(
        {nvd_cve_json("CVE-2024-0001", {nvd31(testing::kNvdV31High, "7.5")}),
         nvd_cve_json("CVE-2024-0002", {nvd31(testing::kNvdV31Critical, "9.8"),
                                        NvdMetric{"3.1", "cna@example.org", "Secondary",
                                                  testing::kNvdV31Medium, "5.3"}}),
         nvd_cve_json("CVE-2024-0003", {nvd31(testing::kNvdV31Medium, "5.3")})});
    server_.set(std::string(kApi) + "?" + kFirstPage, Route{.body = first_page_});
    auto f = feed();
    auto r = run_feed(*f, *fetcher_, *store_, {});
    ASSERT_OK(r);
    ASSERT_EQ(rows(), (std::vector<std::string>{"CVE-2024-0001 0 7.5", "CVE-2024-0002 0 9.8",
                                                "CVE-2024-0002 1 5.3", "CVE-2024-0003 0 5.3"}));
  }

  HttpTestServer server_;
  std::string first_page_;
  fs::path dir_;
  std::optional<store::Store> store_;
  std::optional<feeds::Fetcher> fetcher_;
};

TEST_F(NvdSyncTest, AFirstSyncStoresEveryScoreAndACursor) {
  const std::int64_t before = unix_now();
  first_sync();
  auto s = status();
  EXPECT_EQ(s.sync_mode, "full");
  EXPECT_EQ(s.record_count, 3);
  auto cursor = parse_rfc3339(s.cursor);
  ASSERT_TRUE(cursor) << s.cursor;
  EXPECT_GE(*cursor, before - feeds::kNvdCursorOverlap.count());
  EXPECT_EQ(s.download_bytes, static_cast<std::int64_t>(first_page_.size()));
  auto m = preferred("CVE-2024-0002");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->base_score, 9.8);
  EXPECT_EQ(m->vector, testing::kNvdV31Critical);
  EXPECT_EQ(m->source, "nvd@nist.gov");
  EXPECT_EQ(m->version, "3.1");
  EXPECT_FALSE(preferred("CVE-2024-9999"));
}

TEST_F(NvdSyncTest, ALaterSyncUpdatesOnlyTheCvesItIsToldAbout) {
  first_sync();
  const std::string first_cursor = status().cursor;
  // Modified since: CVE-1 rescored, CVE-2 lost its scores, CVE-4 is new; CVE-3 is not named.
  server_.set(kApi,
              Route{.body = nvd_page_json(
                        {nvd_cve_json("CVE-2024-0001", {nvd31(testing::kNvdV31Critical, "9.8")}),
                         nvd_cve_json("CVE-2024-0002", {}),
                         nvd_cve_json("CVE-2024-0004", {nvd31(testing::kNvdV31High, "7.5")})})});
  const std::size_t asked = server_.requests().size();
  auto f = feed();
  auto r = run_feed(*f, *fetcher_, *store_, {});
  ASSERT_OK(r);
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), asked + 1);
  EXPECT_THAT(requests.back().query, HasSubstr("lastModStartDate="));
  EXPECT_EQ(rows(), (std::vector<std::string>{"CVE-2024-0001 0 9.8", "CVE-2024-0003 0 5.3",
                                              "CVE-2024-0004 0 7.5"}));
  auto s = status();
  EXPECT_EQ(s.sync_mode, "incremental");
  EXPECT_EQ(s.record_count, 3);  // counted from the table: the CVEs with a score
  EXPECT_GE(s.cursor, first_cursor);
}

TEST_F(NvdSyncTest, AFailureAfterTheRetriesKeepsTheRowsAndTheCursor) {
  first_sync();
  const store::FeedStatus good = status();
  // NVD throttles every request of the update.
  server_.set(kApi, Route{.body = nvd_page_json({}), .fail_first = 100, .fail_status = 403});
  auto f = feed();
  auto r = run_feed(*f, *fetcher_, *store_, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_THAT(r.error().message, HasSubstr("HTTP 403 after 5 attempts"));
  EXPECT_EQ(rows(), (std::vector<std::string>{"CVE-2024-0001 0 7.5", "CVE-2024-0002 0 9.8",
                                              "CVE-2024-0002 1 5.3", "CVE-2024-0003 0 5.3"}));
  const store::FeedStatus after = status();
  EXPECT_EQ(after.cursor, good.cursor);
  EXPECT_EQ(after.sync_mode, good.sync_mode);
  EXPECT_EQ(after.record_count, 3);
  EXPECT_EQ(after.failures, 1);
  EXPECT_THAT(after.last_error, HasSubstr("HTTP 403"));
}

TEST_F(NvdSyncTest, AFailureOnALaterPageRollsBackTheEarlierOnes) {
  first_sync();
  const store::FeedStatus good = status();
  // The update's first page would rescore CVE-1, but its second page never comes.
  server_.set(
      kApi, Route{.body = nvd_page_json(
                      {nvd_cve_json("CVE-2024-0001", {nvd31(testing::kNvdV31Critical, "9.8")})}, 2,
                      0, 1)});
  auto f = feed();
  auto r = run_feed(*f, *fetcher_, *store_, {});
  ASSERT_FALSE(r);  // the path's route answers startIndex 0 to the request for startIndex 1
  EXPECT_EQ(r.error().code, Errc::data_loss);
  EXPECT_EQ(rows()[0], "CVE-2024-0001 0 7.5");
  EXPECT_EQ(status().cursor, good.cursor);
}

}  // namespace
}  // namespace patchparty::lifecycle
