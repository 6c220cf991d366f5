#include "collectors/feeds/fetcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/http_test_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::Route;

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = patchparty::testing::temp_dir("fetch");
    kev_ = patchparty::testing::Subprocess::slurp(
        patchparty::testing::test_data("kev/known_exploited_vulnerabilities.json"));
    ASSERT_GT(kev_.size(), 1000u);
    fetcher_ = std::make_unique<Fetcher>(dir_ / "downloads", "patchparty/test");
  }
  // One server for the whole binary: civetweb takes seconds to shut down.
  static void SetUpTestSuite() { server_ = new testing::HttpTestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  FetchOptions fast() {
    FetchOptions o;
    o.backoff = 10ms;
    o.total_timeout = 20s;
    o.connect_timeout = 2s;
    return o;
  }
  std::string read(const std::filesystem::path& p) {
    return patchparty::testing::Subprocess::slurp(p);
  }
  std::filesystem::path dir_;
  std::string kev_;
  static inline testing::HttpTestServer* server_ = nullptr;
  std::unique_ptr<Fetcher> fetcher_;
};

TEST_F(FetcherTest, DownloadsAndRenamesWhenComplete) {
  server_->set("/kev.json", Route{.body = kev_, .etag = "\"v1\""});
  Fetcher f(dir_ / "downloads", "patchparty/" PP_VERSION);
  auto r = f.fetch(server_->url("/kev.json"), "kev", {}, fast());
  ASSERT_OK(r);
  EXPECT_FALSE(r->not_modified);
  EXPECT_EQ(r->http_status, 200);
  EXPECT_EQ(r->path, dir_ / "downloads" / "kev");
  EXPECT_TRUE(read(r->path) == kev_);
  EXPECT_EQ(r->validators.etag, "\"v1\"");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "downloads" / "kev.part"));
  EXPECT_THAT(server_->requests().back().user_agent, HasSubstr("patchparty/" PP_VERSION));
}

TEST_F(FetcherTest, ConditionalGetGives304WithoutABody) {
  server_->set(
      "/kev.json",
      Route{.body = kev_, .etag = "\"v1\"", .last_modified = "Mon, 25 Aug 2025 10:00:00 GMT"});
  Fetcher f(dir_ / "downloads", "ua");
  auto first = f.fetch(server_->url("/kev.json"), "kev", {}, fast());
  ASSERT_OK(first);
  auto second = f.fetch(server_->url("/kev.json"), "kev", first->validators, fast());
  ASSERT_OK(second);
  EXPECT_TRUE(second->not_modified);
  EXPECT_EQ(second->http_status, 304);
  EXPECT_TRUE(second->path.empty());
  EXPECT_EQ(server_->requests().back().if_none_match, "\"v1\"");
  EXPECT_EQ(server_->requests().back().if_modified_since, "Mon, 25 Aug 2025 10:00:00 GMT");
  // The last good download is still where it was.
  EXPECT_TRUE(read(dir_ / "downloads" / "kev") == kev_);
}

TEST_F(FetcherTest, DecodesGzip) {
  server_->set("/kev.json", Route{.body = kev_, .gzip = true});
  auto r = fetcher_->fetch(server_->url("/kev.json"), "kev", {}, fast());
  ASSERT_OK(r);
  EXPECT_THAT(server_->requests().back().accept_encoding, HasSubstr("gzip"));
  EXPECT_TRUE(read(r->path) == kev_);
  EXPECT_EQ(r->bytes, kev_.size());
}

TEST_F(FetcherTest, RetriesServerErrorsWithBackoff) {
  server_->set("/flaky", Route{.body = "ok", .fail_first = 2});
  auto r = fetcher_->fetch(server_->url("/flaky"), "flaky", {}, fast());
  ASSERT_OK(r);
  EXPECT_EQ(r->attempts, 3);
  EXPECT_EQ(server_->hits("/flaky"), 3);
}

TEST_F(FetcherTest, GivesUpAfterMaxAttempts) {
  server_->set("/down", Route{.body = "never", .fail_first = 100});
  auto o = fast();
  o.max_attempts = 3;
  auto r = fetcher_->fetch(server_->url("/down"), "down", {}, o);
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_THAT(r.error().message, HasSubstr("HTTP 503"));
  EXPECT_EQ(server_->hits("/down"), 3);
}

TEST_F(FetcherTest, DoesNotRetryClientErrors) {
  server_->set("/gone", Route{.status = 403, .body = "no"});
  auto r = fetcher_->fetch(server_->url("/gone"), "gone", {}, fast());
  EXPECT_ERRC(r, Errc::failed_precondition);
  EXPECT_EQ(server_->hits("/gone"), 1);
  auto missing = fetcher_->fetch(server_->url("/missing"), "missing", {}, fast());
  EXPECT_ERRC(missing, Errc::not_found);
  EXPECT_EQ(server_->hits("/missing"), 1);
}

TEST_F(FetcherTest, RefusesBodiesOverTheLimit) {
  server_->set("/big", Route{.body = std::string(100000, 'x')});
  auto o = fast();
  o.max_bytes = 50000;
  auto r = fetcher_->fetch(server_->url("/big"), "big", {}, o);
  EXPECT_ERRC(r, Errc::resource_exhausted);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "downloads" / "big"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "downloads" / "big.part"));
}

TEST_F(FetcherTest, TruncatedBodyIsDataLossAndKeepsThePreviousFile) {
  server_->set("/cut.json", Route{.body = kev_});
  ASSERT_OK(fetcher_->fetch(server_->url("/cut.json"), "kev", {}, fast()));
  server_->set("/cut.json",
               Route{.body = "{\"vulnerabilities\": [" + std::string(5000, ' '), .truncate = true});
  auto o = fast();
  o.max_attempts = 2;
  auto r = fetcher_->fetch(server_->url("/cut.json"), "kev", {}, o);
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_EQ(server_->hits("/cut.json"), 2);  // the cut body is retried once
  EXPECT_TRUE(read(dir_ / "downloads" / "kev") == kev_);
}

TEST_F(FetcherTest, RedirectLoopIsRefused) {
  server_->set("/a", Route{.status = 302, .location = "/b"});
  server_->set("/b", Route{.status = 302, .location = "/a"});
  auto r = fetcher_->fetch(server_->url("/a"), "loop", {}, fast());
  EXPECT_ERRC(r, Errc::failed_precondition);
  EXPECT_THAT(r.error().message, HasSubstr("redirect"));
}

TEST_F(FetcherTest, FollowsARedirect) {
  server_->set("/old", Route{.status = 301, .location = "/new"});
  server_->set("/new", Route{.body = "moved"});
  auto r = fetcher_->fetch(server_->url("/old"), "moved", {}, fast());
  ASSERT_OK(r);
  EXPECT_EQ(read(r->path), "moved");
}

TEST_F(FetcherTest, TotalTimeoutIsDeadlineExceeded) {
  server_->set("/slow", Route{.body = "late", .delay = 3s});
  auto o = fast();
  o.total_timeout = 500ms;
  auto started = std::chrono::steady_clock::now();
  auto r = fetcher_->fetch(server_->url("/slow"), "slow", {}, o);
  EXPECT_ERRC(r, Errc::deadline_exceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2900ms);
}

TEST_F(FetcherTest, UnreachableHostIsUnavailable) {
  auto o = fast();
  o.max_attempts = 2;
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto r = fetcher_->fetch("http://127.0.0.1:1/x", "x", {}, o);
  EXPECT_ERRC(r, Errc::unavailable);
}

TEST_F(FetcherTest, StopTokenCancels) {
  server_->set("/slow", Route{.body = "late", .delay = 5s});
  std::stop_source stop;
  std::jthread canceller([&] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  auto r = fetcher_->fetch(server_->url("/slow"), "slow", {}, fast(), {}, stop.get_token());
  EXPECT_FALSE(r);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(FetcherTest, ReportsProgress) {
  server_->set("/kev.json", Route{.body = kev_});
  std::uint64_t last = 0;
  auto r = fetcher_->fetch(server_->url("/kev.json"), "kev", {}, fast(),
                           [&](std::uint64_t done, std::uint64_t) { last = std::max(last, done); });
  ASSERT_OK(r);
  EXPECT_EQ(last, kev_.size());
}

TEST_F(FetcherTest, LocalFilesAreReadInPlaceWithAnMtimeValidator) {
  auto file = patchparty::testing::test_data("kev/known_exploited_vulnerabilities.json");
  auto r = fetcher_->fetch("file://" + file.string(), "kev", {}, fast());
  ASSERT_OK(r);
  EXPECT_EQ(r->path, file);
  EXPECT_FALSE(r->not_modified);
  auto again = fetcher_->fetch("file://" + file.string(), "kev", r->validators, fast());
  ASSERT_OK(again);
  EXPECT_TRUE(again->not_modified);
  auto dir = fetcher_->fetch(patchparty::testing::test_data("osv/npm").string(), "osv", {}, fast());
  ASSERT_OK(dir);
  EXPECT_TRUE(dir->is_directory);
  EXPECT_ERRC(fetcher_->fetch("file:///nonexistent/feed.json", "x", {}, fast()), Errc::not_found);
}

TEST_F(FetcherTest, RejectsOtherSchemes) {
  EXPECT_ERRC(fetcher_->fetch("ftp://example.org/x", "x", {}, fast()), Errc::invalid_argument);
  EXPECT_ERRC(fetcher_->fetch(server_->url("/x"), "../escape", {}, fast()), Errc::invalid_argument);
}

TEST_F(FetcherTest, FetchBytesAsksForARangeAndSaysWhereItEnds) {
  server_->set("/ranged.csv", Route{.body = kev_});
  auto head = fetcher_->fetch_bytes(server_->url("/ranged.csv"), ByteRange{0, 100}, fast());
  ASSERT_OK(head);
  EXPECT_EQ(head->body, kev_.substr(0, 100));
  EXPECT_FALSE(head->reached_end);
  EXPECT_FALSE(head->whole);
  EXPECT_EQ(head->bytes, 100u);
  EXPECT_EQ(server_->requests().back().headers.at("Range"), "bytes=0-99");
  auto tail =
      fetcher_->fetch_bytes(server_->url("/ranged.csv"), ByteRange{kev_.size() - 10, 100}, fast());
  ASSERT_OK(tail);
  EXPECT_EQ(tail->body, kev_.substr(kev_.size() - 10));
  EXPECT_TRUE(tail->reached_end);
  auto past =
      fetcher_->fetch_bytes(server_->url("/ranged.csv"), ByteRange{kev_.size(), 100}, fast());
  ASSERT_OK(past);  // 416: nothing more
  EXPECT_TRUE(past->body.empty());
  EXPECT_TRUE(past->reached_end);
}

// gzip-encoded answers ignore the range here, as object stores do for encoded objects: the whole
// body comes back and says so.
TEST_F(FetcherTest, FetchBytesTakesAWholeBodyWhenTheServerIgnoresTheRange) {
  server_->set("/whole.csv", Route{.body = kev_, .gzip = true});
  auto r = fetcher_->fetch_bytes(server_->url("/whole.csv"), ByteRange{0, 100}, fast());
  ASSERT_OK(r);
  EXPECT_TRUE(r->body == kev_);
  EXPECT_TRUE(r->whole);
  EXPECT_TRUE(r->reached_end);
}

TEST_F(FetcherTest, FetchBytesReadsLocalRangesAndRefusesWhatIsMissingOrTooLarge) {
  const auto file = dir_ / "local.csv";
  std::ofstream(file, std::ios::binary) << kev_;
  auto r = fetcher_->fetch_bytes("file://" + file.string(), ByteRange{10, 20}, fast());
  ASSERT_OK(r);
  EXPECT_EQ(r->body, kev_.substr(10, 20));
  EXPECT_FALSE(r->reached_end);
  auto all = fetcher_->fetch_bytes(file.string(), ByteRange{}, fast());
  ASSERT_OK(all);
  EXPECT_TRUE(all->whole);
  EXPECT_TRUE(all->body == kev_);
  EXPECT_ERRC(fetcher_->fetch_bytes((dir_ / "absent").string(), ByteRange{}, fast()),
              Errc::not_found);
  auto small = fast();
  small.max_bytes = 10;
  EXPECT_ERRC(fetcher_->fetch_bytes(file.string(), ByteRange{}, small), Errc::resource_exhausted);
  server_->set("/gone.json", Route{.status = 404});
  EXPECT_ERRC(fetcher_->fetch_bytes(server_->url("/gone.json"), ByteRange{}, fast()),
              Errc::not_found);
}

}  // namespace
}  // namespace patchparty::feeds
