// The nvd feed against a real HTTP server on loopback replaying NVD's API pages, and against
// NVD JSON files on disk: which pages it asks for, how it paces and retries, the windows of an
// incremental sync, the API key header, and the scores it hands the store.
#include "collectors/feeds/nvd_feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "collectors/feeds/builtin_feeds.h"
#include "core/base/rfc3339_time.h"
#include "core/base/unix_time.h"
#include "tests/support/http_test_server.h"
#include "tests/support/nvd_pages.h"
#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpTestServer;
using ::testing::Not;
using testing::nvd_cve_json;
using testing::nvd_page_json;
using testing::NvdMetric;
using testing::Route;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// One test's share of the suite's server (civetweb takes seconds to stop): a path of its own,
// and only the requests made to it.
class Api {
 public:
  Api(HttpTestServer& server, std::string path) : server_(server), path_(std::move(path)) {}
  // The route for requests with exactly `query`; empty: for every query without its own.
  void set(const std::string& query, Route r) {
    server_.set(query.empty() ? path_ : path_ + "?" + query, std::move(r));
  }
  std::string url() const { return server_.url(path_); }
  std::vector<testing::SeenRequest> requests() const {
    std::vector<testing::SeenRequest> out;
    for (auto& r : server_.requests())
      if (r.path == path_) out.push_back(std::move(r));
    return out;
  }

 private:
  HttpTestServer& server_;
  std::string path_;
};

NvdMetric nvd31(std::string_view vector, std::string score) {
  return NvdMetric{"3.1", "nvd@nist.gov", "Primary", vector, std::move(score)};
}
NvdMetric cna31(std::string_view vector, std::string score) {
  return NvdMetric{"3.1", "cna@example.org", "Secondary", vector, std::move(score)};
}

std::string full_query(int start) {
  return "startIndex=" + std::to_string(start) + "&resultsPerPage=2000";
}

// The query's parameters, percent-decoded as far as NVD's dates need ("%2B" is '+').
std::map<std::string, std::string> params(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while (at <= query.size()) {
    std::size_t amp = query.find('&', at);
    if (amp == std::string::npos) amp = query.size();
    const std::string kv = query.substr(at, amp - at);
    const std::size_t eq = kv.find('=');
    std::string value = eq == std::string::npos ? "" : kv.substr(eq + 1);
    for (std::size_t p; (p = value.find("%2B")) != std::string::npos;) value.replace(p, 3, "+");
    out[kv.substr(0, eq)] = value;
    at = amp + 1;
  }
  return out;
}

// What a refresh handed its sinks.
struct Collected {
  std::vector<CveScores> scores;
  int update_in_place = 0;
  bool update_first = false;  // update_in_place came before any score
  FeedSinks sinks() {
    FeedSinks s;
    s.scores = [this](CveScores&& c) -> Result<> {
      scores.push_back(std::move(c));
      return {};
    };
    s.update_in_place = [this]() -> Result<> {
      if (update_in_place++ == 0) update_first = scores.empty();
      return {};
    };
    return s;
  }
  std::vector<std::string> cves() const {
    std::vector<std::string> out;
    for (const auto& s : scores) out.push_back(s.cve);
    return out;
  }
};

class NvdFeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    register_builtin_feeds();
    server_ = new HttpTestServer();
  }
  static void TearDownTestSuite() { delete server_; }
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    api_.emplace(*server_, "/" + test + "/rest/json/cves/2.0");
    dir_ = testing::temp_dir("nvd");
    fetcher_.emplace(dir_ / "downloads", "patchparty-test");
  }
  void TearDown() override { fs::remove_all(dir_); }

  config::FeedConfig config(std::string url) {
    config::FeedConfig c;
    c.name = "nvd";
    c.kind = "nvd";
    c.url = std::move(url);
    c.timeout = 20s;
    c.request_interval = 10ms;
    return c;
  }
  Result<RefreshResult> refresh(const config::FeedConfig& c, const FetchState& previous,
                                Collected& out, std::stop_token stop = {}) {
    auto feed = make_feed(c);
    if (!feed) return tl::make_unexpected(feed.error());
    return (*feed)->refresh(*fetcher_, previous, out.sinks(), stop);
  }
  std::vector<std::string> queries() {
    std::vector<std::string> out;
    for (const auto& r : api_->requests()) out.push_back(r.query);
    return out;
  }

  static inline HttpTestServer* server_ = nullptr;
  std::optional<Api> api_;
  fs::path dir_;
  std::optional<Fetcher> fetcher_;
};

TEST(NvdCveScores, PreferredFirstThenEveryOtherMetricInPageOrder) {
  NvdCve cve{
      "CVE-2024-0001",
      "2024-02-14T20:15:46.330",
      "Analyzed",
      {{"3.1", "cna@example.org", "Secondary", 7.5, std::string(testing::kNvdV31High), "HIGH"},
       {"3.1", "nvd@nist.gov", "Primary", 9.8, std::string(testing::kNvdV31Critical), "CRITICAL"},
       {"2.0", "nvd@nist.gov", "Primary", 7.5, std::string(testing::kNvdV2High), "HIGH"}}};
  const CveScores s = nvd_cve_scores(cve);
  EXPECT_EQ(s.cve, "CVE-2024-0001");
  EXPECT_EQ(s.status, "Analyzed");
  EXPECT_EQ(s.last_modified, "2024-02-14T20:15:46.330");
  ASSERT_EQ(s.metrics.size(), 3u);
  EXPECT_EQ(s.metrics[0].source, "nvd@nist.gov");  // v3.1 Primary: the preferred one
  EXPECT_EQ(s.metrics[0].base_score, 9.8);
  EXPECT_EQ(s.metrics[0].severity, "CRITICAL");
  EXPECT_EQ(s.metrics[1].source, "cna@example.org");  // then the rest, in the page's order
  EXPECT_EQ(s.metrics[2].version, "2.0");
  EXPECT_EQ(s.metrics[2].vector, testing::kNvdV2High);
  // No metrics: nothing to prefer, and the CVE is still named.
  const CveScores none = nvd_cve_scores(NvdCve{"CVE-2024-0002", "2024-02-14T20:15:46.330", "", {}});
  EXPECT_EQ(none.cve, "CVE-2024-0002");
  EXPECT_TRUE(none.metrics.empty());
}

TEST(NvdRequestInterval, FollowsNvdsAdviceUnlessSet) {
  config::FeedConfig c;
  EXPECT_EQ(nvd_request_interval(c), 6s);
  c.api_key_file = "/etc/patchparty/nvd.key";
  EXPECT_EQ(nvd_request_interval(c), 600ms);
  c.request_interval = 2s;
  EXPECT_EQ(nvd_request_interval(c), 2s);
}

TEST_F(NvdFeedTest, FirstSyncPagesThroughEveryCveAndReplaces) {
  // Five CVEs, two a page (NVD's own resultsPerPage stands, whatever was asked for); the fourth
  // has no score yet.
  const auto c = [](int i) { return "CVE-2024-000" + std::to_string(i); };
  const std::string critical(testing::kNvdV31Critical), medium(testing::kNvdV31Medium);
  const std::string pages[] = {
      nvd_page_json({nvd_cve_json(c(1), {nvd31(critical, "9.8")}),
                     nvd_cve_json(c(2), {nvd31(medium, "5.3")})},
                    5, 0, 2),
      nvd_page_json({nvd_cve_json(c(3), {nvd31(critical, "9.8")}), nvd_cve_json(c(4), {})}, 5, 2,
                    2),
      nvd_page_json({nvd_cve_json(c(5), {nvd31(medium, "5.3")})}, 5, 4, 2)};
  for (int i = 0; i < 3; ++i) api_->set(full_query(2 * i), Route{.body = pages[i]});
  Collected out;
  const std::int64_t before = unix_now();
  auto r = refresh(config(api_->url()), {}, out);
  const std::int64_t after = unix_now();
  ASSERT_OK(r);
  EXPECT_THAT(queries(), ElementsAre(full_query(0), full_query(2), full_query(4)));
  EXPECT_EQ(out.update_in_place, 0);  // a full sync replaces the feed's rows
  // A CVE without a score has nothing to replace in a full sync.
  EXPECT_THAT(out.cves(), ElementsAre(c(1), c(2), c(3), c(5)));
  EXPECT_EQ(out.scores[1].metrics.at(0).base_score, 5.3);
  EXPECT_EQ(r->sync_mode, "full");
  EXPECT_EQ(r->stats.records, 5u);
  EXPECT_EQ(r->attempts, 3);
  EXPECT_EQ(r->bytes, pages[0].size() + pages[1].size() + pages[2].size());
  // The cursor is the sync's start, less the overlap.
  auto cursor = parse_rfc3339(r->validators.cursor);
  ASSERT_TRUE(cursor) << r->validators.cursor;
  EXPECT_GE(*cursor, before - kNvdCursorOverlap.count());
  EXPECT_LE(*cursor, after - kNvdCursorOverlap.count());
  for (const auto& req : api_->requests()) EXPECT_EQ(req.headers.count("apiKey"), 0u);
}

TEST_F(NvdFeedTest, RequestsArePacedByTheRequestInterval) {
  api_->set(
      full_query(0),
      Route{.body = nvd_page_json(
                {nvd_cve_json("CVE-2024-0001", {nvd31(testing::kNvdV31High, "7.5")})}, 2, 0, 1)});
  api_->set(
      full_query(1),
      Route{.body = nvd_page_json(
                {nvd_cve_json("CVE-2024-0002", {nvd31(testing::kNvdV31High, "7.5")})}, 2, 1, 1)});
  auto c = config(api_->url());
  c.request_interval = 700ms;
  Collected out;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_OK(refresh(c, {}, out));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 700ms);
  EXPECT_EQ(out.scores.size(), 2u);
}

TEST_F(NvdFeedTest, A403IsRetriedAfterAPauseThenTheSyncGoesOn) {
  api_->set(full_query(0), Route{.body = nvd_page_json({nvd_cve_json(
                                     "CVE-2024-0001", {nvd31(testing::kNvdV31High, "7.5")})}),
                                 .fail_first = 1,
                                 .fail_status = 403});
  auto c = config(api_->url());
  c.request_interval = 200ms;  // the first retry waits twice that
  Collected out;
  const auto started = std::chrono::steady_clock::now();
  auto r = refresh(c, {}, out);
  ASSERT_OK(r);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms);
  EXPECT_EQ(api_->requests().size(), 2u);
  EXPECT_EQ(r->attempts, 2);
  EXPECT_THAT(out.cves(), ElementsAre("CVE-2024-0001"));
}

TEST_F(NvdFeedTest, A503WithRetryAfterWaitsAsLongAsAsked) {
  api_->set(full_query(0), Route{.body = nvd_page_json({}), .fail_first = 1, .retry_after = "1"});
  Collected out;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_OK(refresh(config(api_->url()), {}, out));
  // The backoff alone would be 20 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(api_->requests().size(), 2u);
}

TEST_F(NvdFeedTest, GivesUpAfterFiveAttemptsWithTheLastAnswer) {
  api_->set("", Route{.body = nvd_page_json({}), .fail_first = 100, .fail_status = 403});
  Collected out;
  auto r = refresh(config(api_->url()), {}, out);
  testing::expect_error(r, Errc::unavailable, "HTTP 403 after 5 attempts");
  EXPECT_THAT(r.error().message, HasSubstr("feed nvd: "));
  EXPECT_EQ(api_->requests().size(), 5u);
  EXPECT_TRUE(out.scores.empty());
}

TEST_F(NvdFeedTest, ARetryAfterBeyondTheCapEndsTheRefreshAtOnce) {
  api_->set("", Route{.body = nvd_page_json({}), .fail_first = 100, .retry_after = "3600"});
  Collected out;
  const auto started = std::chrono::steady_clock::now();
  auto r = refresh(config(api_->url()), {}, out);
  testing::expect_error(r, Errc::unavailable, "Retry-After asks for 3600 s");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(api_->requests().size(), 1u);
}

TEST_F(NvdFeedTest, OtherClientErrorsAreNotRetried) {
  api_->set("", Route{.status = 400, .body = "bad parameter"});
  Collected out;
  auto r = refresh(config(api_->url()), {}, out);
  testing::expect_error(r, Errc::failed_precondition, "HTTP 400");
  EXPECT_EQ(api_->requests().size(), 1u);
}

TEST_F(NvdFeedTest, TheApiKeyIsSentAsItsHeaderAndNowhereElse) {
  testing::write_file(dir_ / "nvd.key", "0123-abcd-key\n");
  api_->set(full_query(0), Route{.body = nvd_page_json({nvd_cve_json(
                                     "CVE-2024-0001", {nvd31(testing::kNvdV31High, "7.5")})})});
  auto c = config(api_->url());
  c.api_key_file = dir_ / "nvd.key";
  Collected out;
  ASSERT_OK(refresh(c, {}, out));
  ASSERT_EQ(api_->requests().size(), 1u);
  EXPECT_EQ(api_->requests()[0].headers.at("apiKey"), "0123-abcd-key");
  EXPECT_EQ(api_->requests()[0].query, full_query(0));  // not in the url

  // A failing request's error names the url, never the key.
  api_->set("", Route{.status = 404});
  api_->set(full_query(0), Route{.status = 404});
  auto failed = refresh(c, {}, out);
  testing::expect_error(failed, Errc::not_found, "HTTP 404");
  EXPECT_THAT(failed.error().message, Not(HasSubstr("0123-abcd-key")));
  EXPECT_EQ(api_->requests().back().headers.at("apiKey"), "0123-abcd-key");

  // A key file that cannot be read fails the refresh before any request, naming the setting.
  c.api_key_file = dir_ / "missing.key";
  const auto asked = api_->requests().size();
  auto missing = refresh(c, {}, out);
  testing::expect_error(missing, Errc::not_found, "api_key_file");
  EXPECT_EQ(api_->requests().size(), asked);
}

TEST_F(NvdFeedTest, AnIncrementalSyncWalksWindowsOfAtMost120DaysFromTheCursor) {
  api_->set("", Route{.body = nvd_page_json({})});  // every window: nothing modified
  const std::int64_t from = unix_now() - 300 * 86400;
  Collected out;
  const std::int64_t before = unix_now();
  auto r = refresh(config(api_->url()), FetchState{.cursor = format_rfc3339(from)}, out);
  const std::int64_t after = unix_now();
  ASSERT_OK(r);
  EXPECT_EQ(r->sync_mode, "incremental");
  EXPECT_EQ(out.update_in_place, 1);
  EXPECT_TRUE(out.scores.empty());
  const auto requests = api_->requests();
  ASSERT_EQ(requests.size(), 3u);  // 300 days: 120 + 120 + 60
  std::int64_t expected_start = from;
  for (const auto& req : requests) {
    auto p = params(req.query);
    auto start = parse_rfc3339(p["lastModStartDate"]);
    auto end = parse_rfc3339(p["lastModEndDate"]);
    ASSERT_TRUE(start && end) << req.query;
    EXPECT_EQ(*start, expected_start) << req.query;
    EXPECT_GT(*end, *start);
    EXPECT_LE(*end - *start, 120 * 86400) << req.query;
    EXPECT_EQ(p["startIndex"], "0");
    EXPECT_EQ(p["resultsPerPage"], "2000");
    expected_start = *end;
  }
  // The last window reaches the sync's start.
  EXPECT_GE(expected_start, before);
  EXPECT_LE(expected_start, after);
  // An empty window still moves the cursor on.
  auto cursor = parse_rfc3339(r->validators.cursor);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(*cursor, expected_start - kNvdCursorOverlap.count());
}

TEST_F(NvdFeedTest, AnUpdateSendsCvesThatLostTheirScoreAfterSayingSo) {
  api_->set("", Route{.body = nvd_page_json(
                          {nvd_cve_json("CVE-2024-0001", {nvd31(testing::kNvdV31High, "7.5")}),
                           nvd_cve_json("CVE-2024-0002", {}),
                           nvd_cve_json("CVE-2024-0003", {nvd31(testing::kNvdV31Critical, "9.8"),
                                                          cna31(testing::kNvdV31High, "7.5")})})});
  Collected out;
  auto r =
      refresh(config(api_->url()), FetchState{.cursor = format_rfc3339(unix_now() - 86400)}, out);
  ASSERT_OK(r);
  EXPECT_EQ(api_->requests().size(), 1u);
  EXPECT_TRUE(out.update_first);
  // A CVE whose score went is sent without metrics, so the store drops what it held.
  EXPECT_THAT(out.cves(), ElementsAre("CVE-2024-0001", "CVE-2024-0002", "CVE-2024-0003"));
  EXPECT_TRUE(out.scores[1].metrics.empty());
  ASSERT_EQ(out.scores[2].metrics.size(), 2u);
  EXPECT_EQ(out.scores[2].metrics[1].source, "cna@example.org");
  EXPECT_EQ(r->stats.records, 3u);
}

TEST_F(NvdFeedTest, AnAnswerForAnotherPageIsRefused) {
  // Every request gets the first page, which says there is a second.
  api_->set("", Route{.body = nvd_page_json(
                          {nvd_cve_json("CVE-2024-0001", {}), nvd_cve_json("CVE-2024-0002", {})}, 4,
                          0, 2)});
  Collected out;
  auto r = refresh(config(api_->url()), {}, out);
  testing::expect_error(r, Errc::data_loss, "asked for startIndex 2, the answer starts at 0");
  EXPECT_THAT(queries(), ElementsAre(full_query(0), full_query(2)));
}

TEST_F(NvdFeedTest, AnUnreadableCursorFallsBackToAFullSync) {
  api_->set("", Route{.body = nvd_page_json({})});
  Collected out;
  auto r = refresh(config(api_->url()), FetchState{.cursor = "yesterday"}, out);
  ASSERT_OK(r);
  EXPECT_EQ(r->sync_mode, "full (fallback: unreadable cursor)");
  EXPECT_EQ(out.update_in_place, 0);
  EXPECT_THAT(queries(), ElementsAre(full_query(0)));
}

TEST_F(NvdFeedTest, AStopEndsThePauseBetweenRequests) {
  api_->set(full_query(0),
            Route{.body = nvd_page_json({nvd_cve_json("CVE-2024-0001", {})}, 2, 0, 1)});
  auto c = config(api_->url());
  c.request_interval = 60s;
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stop.request_stop();
  });
  Collected out;
  const auto started = std::chrono::steady_clock::now();
  auto r = refresh(c, {}, out, stop.get_token());
  testing::expect_error(r, Errc::unavailable, "cancelled");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(api_->requests().size(), 1u);
}

TEST_F(NvdFeedTest, AFolderOfFilesIsReadInNameOrderPlainAndGzipped) {
  const std::string critical(testing::kNvdV31Critical), high(testing::kNvdV31High);
  // A year's file, then NVD's "modified" file, which holds a newer score for one of its CVEs.
  testing::write_file(
      dir_ / "files" / "nvdcve-2.0-2024.json.gz",
      testing::gzip_bytes(nvd_page_json({nvd_cve_json("CVE-2024-0001", {nvd31(high, "7.5")}),
                                         nvd_cve_json("CVE-2024-0002", {nvd31(high, "7.5")})})));
  testing::write_file(dir_ / "files" / "nvdcve-2.0-modified.json",
                      nvd_page_json({nvd_cve_json("CVE-2024-0001", {nvd31(critical, "9.8")})}));
  testing::write_file(dir_ / "files" / "README.txt", "not a page");
  Collected out;
  auto r = refresh(config("file://" + (dir_ / "files").string()), {}, out);
  ASSERT_OK(r);
  EXPECT_THAT(out.cves(), ElementsAre("CVE-2024-0001", "CVE-2024-0002", "CVE-2024-0001"));
  EXPECT_EQ(out.scores.back().metrics.at(0).base_score, 9.8);  // the later file wins
  EXPECT_EQ(out.update_in_place, 0);                           // files always replace
  EXPECT_TRUE(api_->requests().empty());

  // One file, by path, and unchanged the second time.
  const fs::path one = dir_ / "files" / "nvdcve-2.0-modified.json";
  Collected single;
  auto s = refresh(config(one.string()), {}, single);
  ASSERT_OK(s);
  EXPECT_THAT(single.cves(), ElementsAre("CVE-2024-0001"));
  Collected unchanged;
  auto again = refresh(config(one.string()), s->validators, unchanged);
  ASSERT_OK(again);
  EXPECT_EQ(again->status, Refresh::not_modified);

  // A folder without a page is a mistake, not a world without CVEs.
  fs::create_directories(dir_ / "empty");
  Collected none;
  testing::expect_error(refresh(config("file://" + (dir_ / "empty").string()), {}, none),
                        Errc::not_found, "no NVD JSON files");
}

TEST_F(NvdFeedTest, APageThatIsNotNvdsFailsTheRefresh) {
  api_->set("", Route{.body = R"({"format": "NVD_CPE", "version": "2.0"})"});
  Collected out;
  testing::expect_error(refresh(config(api_->url()), {}, out), Errc::failed_precondition,
                        "expected 'NVD_CVE' '2.0'");
}

}  // namespace
}  // namespace patchparty::feeds
