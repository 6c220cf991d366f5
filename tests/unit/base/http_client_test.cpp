// The HTTP client against a real civetweb server on loopback.
#include "core/base/http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "tests/support/http_test_server.h"
#include "tests/support/loopback.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::Route;
using Clock = std::chrono::steady_clock;

class HttpClientTest : public ::testing::Test {
 protected:
  // One server for the whole binary: civetweb takes seconds to shut down.
  static void SetUpTestSuite() { server_ = new testing::HttpTestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static HttpRequest get(const std::string& path) {
    HttpRequest r;
    r.url = server_->url(path);
    r.timeout = 10s;
    return r;
  }
  static testing::SeenRequest last_seen(const std::string& path) {
    auto seen = server_->requests();
    for (auto it = seen.rbegin(); it != seen.rend(); ++it)
      if (it->path == path) return *it;
    ADD_FAILURE() << "no request for " << path;
    return {};
  }
  static inline testing::HttpTestServer* server_ = nullptr;
};

// Keeps what it is given, and counts the restarts before each attempt.
class StringSink final : public HttpSink {
 public:
  Result<void> restart() override {
    ++restarts;
    data.clear();
    return {};
  }
  Result<void> write(std::string_view bytes) override {
    if (refuse) return fail(Errc::failed_precondition, "disk full, as the test says");
    data.append(bytes);
    return {};
  }
  int restarts = 0;
  bool refuse = false;
  std::string data;
};

TEST_F(HttpClientTest, GetReturnsStatusBodyAndValidators) {
  server_->set(
      "/doc",
      Route{.body = "hello", .etag = "\"v1\"", .last_modified = "Mon, 25 Aug 2025 10:00:00 GMT"});
  auto req = get("/doc");
  req.headers = {"X-Probe: one", "If-None-Match: \"v0\""};
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->bytes, 5u);
  EXPECT_EQ(r->etag, "\"v1\"");
  EXPECT_EQ(r->last_modified, "Mon, 25 Aug 2025 10:00:00 GMT");
  EXPECT_EQ(r->attempts, 1);
  EXPECT_FALSE(r->truncated);
  const auto seen = last_seen("/doc");
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.headers.at("X-Probe"), "one");
  EXPECT_EQ(seen.if_none_match, "\"v0\"");
}

TEST_F(HttpClientTest, NotModifiedIsAResponse) {
  server_->set("/doc", Route{.body = "hello", .etag = "\"v1\""});
  auto req = get("/doc");
  req.headers = {"If-None-Match: \"v1\""};
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->body, "");
}

TEST_F(HttpClientTest, PostSendsBodyAndHeaders) {
  server_->set("/post", Route{.status = 201, .body = "{\"id\":1}"});
  auto req = get("/post");
  req.method = HttpMethod::post;
  req.body = R"({"target":"shop"})";
  req.headers = {"Content-Type: application/json", "Authorization: Bearer secret"};
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "{\"id\":1}");
  const auto seen = last_seen("/post");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, R"({"target":"shop"})");
  EXPECT_EQ(seen.headers.at("Content-Type"), "application/json");
  EXPECT_EQ(seen.headers.at("Authorization"), "Bearer secret");
}

TEST_F(HttpClientTest, UserAgentDefaultsToPatchpartyAndVersion) {
  server_->set("/ua", Route{.body = "x"});
  ASSERT_OK(http_send(get("/ua")));
  EXPECT_EQ(last_seen("/ua").user_agent, "patchparty/" PP_VERSION);
  auto req = get("/ua");
  req.user_agent = "patchparty-health/" PP_VERSION;
  ASSERT_OK(http_send(req));
  EXPECT_EQ(last_seen("/ua").user_agent, "patchparty-health/" PP_VERSION);
}

TEST_F(HttpClientTest, BodyOverTheCapIsResourceExhausted) {
  server_->set("/big", Route{.body = std::string(100000, 'a') + "MARKER"});
  auto req = get("/big");
  req.max_body_bytes = 1024;
  auto r = http_send(req);
  EXPECT_ERRC(r, Errc::resource_exhausted);
  EXPECT_THAT(r.error().message, HasSubstr("1024"));
  req.max_body_bytes = 200000;
  auto whole = http_send(req);
  ASSERT_OK(whole);
  EXPECT_EQ(whole->bytes, 100006u);
}

TEST_F(HttpClientTest, TruncateKeepsTheStartOfTheBody) {
  server_->set("/big", Route{.status = 203, .body = std::string(100000, 'a') + "MARKER"});
  auto req = get("/big");
  req.max_body_bytes = 1024;
  req.over_cap = HttpOverCap::truncate;
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 203);
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->body, std::string(1024, 'a'));
}

TEST_F(HttpClientTest, TimeoutIsDeadlineExceeded) {
  server_->set("/slow", Route{.body = "late", .delay = 2s});
  auto req = get("/slow");
  req.timeout = 300ms;
  const auto started = Clock::now();
  auto r = http_send(req);
  EXPECT_ERRC(r, Errc::deadline_exceeded);
  EXPECT_THAT(r.error().message, HasSubstr(req.url));
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST_F(HttpClientTest, ConnectionRefusedIsUnavailable) {
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(testing::free_port()) + "/x";
  req.timeout = 5s;
  auto r = http_send(req);
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_THAT(r.error().message, HasSubstr("127.0.0.1"));
}

TEST_F(HttpClientTest, RetriesA503HonouringRetryAfter) {
  server_->set("/flaky", Route{.body = "ok", .fail_first = 1, .retry_after = "1"});
  auto req = get("/flaky");
  req.retry = HttpRetry{.max_attempts = 3, .backoff = 10ms};
  auto started = Clock::now();
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(r->attempts, 2);
  EXPECT_EQ(server_->hits("/flaky"), 2);
  EXPECT_GE(Clock::now() - started, 950ms);  // the server's second, not the 10 ms backoff

  server_->set("/flaky", Route{.body = "ok", .fail_first = 1, .retry_after = "1"});
  req.retry.honour_retry_after = false;
  started = Clock::now();
  ASSERT_OK(http_send(req));
  EXPECT_LT(Clock::now() - started, 900ms);
}

TEST_F(HttpClientTest, GivesUpWithTheLastStatusAfterMaxAttempts) {
  server_->set("/down", Route{.body = "never", .fail_first = 100});
  auto req = get("/down");
  req.retry = HttpRetry{.max_attempts = 3, .backoff = 10ms};
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->attempts, 3);
  EXPECT_EQ(server_->hits("/down"), 3);
  EXPECT_ERRC(Result<void>(tl::make_unexpected(http_status_error(req.url, r->status))),
              Errc::unavailable);
}

TEST_F(HttpClientTest, DoesNotRetryA404OrUnlessAsked) {
  auto req = get("/missing");
  req.retry = HttpRetry{.max_attempts = 3, .backoff = 10ms};
  auto r = http_send(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(server_->hits("/missing"), 1);

  server_->set("/flaky", Route{.body = "ok", .fail_first = 1});
  auto once = http_send(get("/flaky"));
  ASSERT_OK(once);
  EXPECT_EQ(once->status, 503);
  EXPECT_EQ(server_->hits("/flaky"), 1);
}

TEST_F(HttpClientTest, RetriesATruncatedBodyAndRestartsTheSink) {
  const std::string body(4000, 'b');
  server_->set("/cut", Route{.body = body, .truncate = true});
  auto req = get("/cut");
  req.retry = HttpRetry{.max_attempts = 2, .backoff = 10ms};
  StringSink sink;
  auto r = http_send(req, {}, &sink);
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_EQ(server_->hits("/cut"), 2);
  EXPECT_EQ(sink.restarts, 2);
  EXPECT_EQ(sink.data, body.substr(0, body.size() / 2));  // the second attempt's bytes only
}

TEST_F(HttpClientTest, SinkTakesTheBodyAndItsErrorEndsTheTransfer) {
  server_->set("/doc", Route{.body = "streamed"});
  StringSink sink;
  auto r = http_send(get("/doc"), {}, &sink);
  ASSERT_OK(r);
  EXPECT_EQ(sink.data, "streamed");
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(r->bytes, 8u);
  sink.refuse = true;
  auto refused = http_send(get("/doc"), {}, &sink);
  EXPECT_ERRC(refused, Errc::failed_precondition);
  EXPECT_THAT(refused.error().message, HasSubstr("disk full"));
}

TEST_F(HttpClientTest, RedirectsAreFollowedOnlyWhenAsked) {
  server_->set("/old", Route{.status = 301, .location = "/new"});
  server_->set("/new", Route{.body = "moved"});
  auto r = http_send(get("/old"));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(server_->hits("/new"), 0);
  auto req = get("/old");
  req.max_redirects = 5;
  auto followed = http_send(req);
  ASSERT_OK(followed);
  EXPECT_EQ(followed->status, 200);
  EXPECT_EQ(followed->body, "moved");
  EXPECT_EQ(server_->hits("/new"), 1);
}

TEST_F(HttpClientTest, RedirectLoopIsRefused) {
  server_->set("/a", Route{.status = 302, .location = "/b"});
  server_->set("/b", Route{.status = 302, .location = "/a"});
  auto req = get("/a");
  req.max_redirects = 3;
  auto r = http_send(req);
  EXPECT_ERRC(r, Errc::failed_precondition);
  EXPECT_THAT(r.error().message, HasSubstr("redirect"));
}

TEST_F(HttpClientTest, NeverGoesToFileUrls) {
  const auto target = testing::temp_dir("http-client") / "secret";
  std::ofstream(target) << "local secret";
  server_->set("/to-file", Route{.status = 302, .location = "file://" + target.string()});
  auto req = get("/to-file");
  req.max_redirects = 5;
  auto r = http_send(req);
  EXPECT_ERRC(r, Errc::failed_precondition);
  HttpRequest direct;
  direct.url = "file://" + target.string();
  auto d = http_send(direct);
  EXPECT_ERRC(d, Errc::failed_precondition);
}

TEST_F(HttpClientTest, HttpOnlyRefusesHttps) {
  HttpRequest req;
  req.url = "https://127.0.0.1:1/x";
  req.protocols = HttpProtocols::http_only;
  EXPECT_ERRC(http_send(req), Errc::failed_precondition);
}

TEST_F(HttpClientTest, StopTokenCancelsAHangingRequest) {
  server_->set("/hang", Route{.body = "late", .delay = 5s});
  std::stop_source stop;
  std::jthread canceller([&] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  const auto started = Clock::now();
  auto r = http_send(get("/hang"), stop.get_token());
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_THAT(r.error().message, HasSubstr("cancelled"));
  EXPECT_LT(Clock::now() - started, 2s);
}

TEST_F(HttpClientTest, StopTokenCancelsABackoffWait) {
  server_->set("/busy", Route{.body = "ok", .fail_first = 100, .retry_after = "30"});
  auto req = get("/busy");
  req.timeout = 60s;
  req.retry = HttpRetry{.max_attempts = 3, .backoff = 10ms};
  std::stop_source stop;
  std::jthread canceller([&] {
    std::this_thread::sleep_for(300ms);
    stop.request_stop();
  });
  const auto started = Clock::now();
  auto r = http_send(req, stop.get_token());
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_THAT(r.error().message, HasSubstr("cancelled"));
  EXPECT_LT(Clock::now() - started, 2s);
  EXPECT_EQ(server_->hits("/busy"), 1);
}

TEST_F(HttpClientTest, ReportsProgress) {
  const std::string body(200000, 'p');
  server_->set("/big", Route{.body = body});
  std::uint64_t last = 0;
  auto r = http_send(get("/big"), {}, nullptr,
                     [&](std::uint64_t done, std::uint64_t) { last = std::max(last, done); });
  ASSERT_OK(r);
  EXPECT_EQ(last, body.size());
}

TEST_F(HttpClientTest, DecodesContentOnlyWhenAsked) {
  const std::string body(5000, 'z');
  server_->set("/gz", Route{.body = body, .gzip = true});
  auto plain = http_send(get("/gz"));
  ASSERT_OK(plain);
  EXPECT_EQ(last_seen("/gz").accept_encoding, "");
  auto req = get("/gz");
  req.decode_content = true;
  auto decoded = http_send(req);
  ASSERT_OK(decoded);
  EXPECT_THAT(last_seen("/gz").accept_encoding, HasSubstr("gzip"));
  EXPECT_EQ(decoded->body, body);
}

TEST_F(HttpClientTest, ProxyNoneIgnoresTheEnvironment) {
  // A proxy from the environment that refuses every connection.
  const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(testing::free_port());
  ::setenv("http_proxy", dead_proxy.c_str(), 1);
  ::unsetenv("no_proxy");
  ::unsetenv("NO_PROXY");
  server_->set("/direct", Route{.body = "direct"});
  auto via_env = http_send(get("/direct"));
  auto req = get("/direct");
  req.proxy = HttpProxy::none;
  auto direct = http_send(req);
  ::unsetenv("http_proxy");
  EXPECT_ERRC(via_env, Errc::unavailable);
  ASSERT_OK(direct);
  EXPECT_EQ(direct->body, "direct");
}

TEST(HttpStatusError, ReadsTheUsualMeanings) {
  EXPECT_EQ(http_status_error("u", 404).code, Errc::not_found);
  EXPECT_EQ(http_status_error("u", 410).code, Errc::not_found);
  EXPECT_EQ(http_status_error("u", 429).code, Errc::unavailable);
  EXPECT_EQ(http_status_error("u", 502).code, Errc::unavailable);
  EXPECT_EQ(http_status_error("u", 403).code, Errc::failed_precondition);
  EXPECT_EQ(http_status_error("u", 301).code, Errc::failed_precondition);
  EXPECT_EQ(http_status_error("http://h/x", 503).message, "http://h/x: HTTP 503");
}

TEST(UrlEscape, EncodesAllButUnreserved) {
  EXPECT_EQ(url_escape("up{job=\"self\"}"), "up%7Bjob%3D%22self%22%7D");
  EXPECT_EQ(url_escape("a-b.c_d~e 1/2"), "a-b.c_d~e%201%2F2");
}

}  // namespace
}  // namespace patchparty
