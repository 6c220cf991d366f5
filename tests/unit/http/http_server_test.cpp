// HttpServer and Router on a real loopback port: binding, routing, methods, the body limit and
// the bearer token, all as a client sees them over HTTP.
#include "exporters/http/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>

#include <chrono>
#include <fstream>

#include "exporters/http/api_routes.h"
#include "tests/support/loopback.h"
#include "tests/support/test_data.h"

namespace patchparty::http {
namespace {

using ::testing::HasSubstr;
using testing::http_raw;
using testing::http_request;

constexpr const char* kToken = "s3cr3t-t0ken";

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.get("/hello", [](const Request& r) {
      return json_response("{\"hello\": \"" + std::string(r.param("name").value_or("world")) +
                           "\"}\n");
    });
    router_.post("/echo", [](const Request& r) {
      Response out;
      out.content_type = "text/plain";
      out.body = r.body;
      return out;
    });
    router_.get("/boom", [](const Request&) -> Response { throw std::runtime_error("kaput"); });
    router_.set_max_body_bytes(1024);
    router_.token().set(std::string(kToken));
    auto server = HttpServer::start({.listen = "127.0.0.1:0"}, router_);
    ASSERT_OK(server);
    server_ = std::move(*server);
    ASSERT_EQ(server_->ports().size(), 1u);
    port_ = server_->ports().front();
  }

  std::map<std::string, std::string> bearer(std::string token = kToken) {
    return {{"Authorization", "Bearer " + token}};
  }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST(HttpServer, BindsAtOnceAndReportsATakenPort) {
  Router router;
  auto first = HttpServer::start({.listen = "127.0.0.1:0"}, router);
  ASSERT_OK(first);
  ASSERT_EQ((*first)->ports().size(), 1u);
  const int port = (*first)->ports().front();
  EXPECT_GT(port, 0);

  auto second = HttpServer::start({.listen = "127.0.0.1:" + std::to_string(port)}, router);
  EXPECT_ERRC(second, Errc::unavailable);
  EXPECT_NE(second.error().message.find(std::to_string(port)), std::string::npos);
}

TEST(HttpServer, ServesMetricsInTheTextFormat) {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter()
      .Name("pp_test_total")
      .Help("t")
      .Register(*registry)
      .Add({})
      .Increment();
  Router router;
  add_metrics_route(router, registry);
  auto server = HttpServer::start({.listen = "127.0.0.1:0"}, router);
  ASSERT_OK(server);
  auto r = testing::http_get((*server)->ports().front(), "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("pp_test_total 1"));
  EXPECT_EQ(r.headers["content-length"], std::to_string(r.body.size()));

  registry.reset();  // the daemon owns it; once it is gone the route says so
  r = testing::http_get((*server)->ports().front(), "/metrics");
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr("\"error\": \"metrics are unavailable\""));
}

TEST_F(HttpServerTest, RoutesGetWithDecodedQuery) {
  auto r = testing::http_get(port_, "/hello?name=party%20time");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["cache-control"], "no-store");
  EXPECT_EQ(r.body, "{\"hello\": \"party time\"}\n");
}

TEST_F(HttpServerTest, HeadAnswersLikeGetWithoutTheBody) {
  auto r = http_request(port_, "HEAD", "/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-length"], "19");  // {"hello": "world"}\n
  EXPECT_EQ(r.body, "");
}

TEST_F(HttpServerTest, UnknownPathIsAJson404) {
  for (const char* path : {"/", "/nope", "/hello/more", "/index.html", "/../etc/passwd"}) {
    auto r = testing::http_get(port_, path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.headers["content-type"], "application/json") << path;
    EXPECT_THAT(r.body, HasSubstr("\"error\": \"no such endpoint")) << path;
  }
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  auto r = http_request(port_, "POST", "/hello", bearer());
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET, HEAD");
  EXPECT_THAT(r.body, HasSubstr("\"error\": \"POST is not allowed on /hello\""));
  for (const char* method : {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    r = http_request(port_, method, "/echo");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.headers["allow"], "POST") << method;
  }
}

TEST_F(HttpServerTest, PostNeedsTheBearerToken) {
  auto missing = http_request(port_, "POST", "/echo", {}, "hi");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.headers["www-authenticate"], "Bearer realm=\"patchparty\"");
  EXPECT_THAT(missing.body, HasSubstr("\"error\": \"missing bearer token\""));

  for (const std::string& wrong : {std::string("s3cr3t-t0kem"), std::string("s3cr3t-t0ken2"),
                                   std::string("s3cr3t"), std::string("")}) {
    auto r = http_request(port_, "POST", "/echo", bearer(wrong), "hi");
    EXPECT_EQ(r.status, 401) << wrong;
    EXPECT_THAT(r.headers["www-authenticate"], HasSubstr("error=\"invalid_token\"")) << wrong;
  }
  auto basic = http_request(port_, "POST", "/echo", {{"Authorization", "Basic czNjcjN0"}}, "hi");
  EXPECT_EQ(basic.status, 401);

  auto ok = http_request(port_, "POST", "/echo", bearer(), "hi there");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "hi there");
  // The scheme is case-insensitive (RFC 7235).
  auto lower = http_request(port_, "POST", "/echo",
                            {{"Authorization", "bearer " + std::string(kToken)}}, "x");
  EXPECT_EQ(lower.status, 200);
}

TEST_F(HttpServerTest, PostIsForbiddenWithoutAConfiguredToken) {
  router_.token().set(std::nullopt);
  auto r = http_request(port_, "POST", "/echo", bearer(), "hi");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body,
            "{\n  \"error\": \"POST endpoints are disabled: api.token_file is not set\"\n}\n");
  router_.token().set(std::string("rotated"));
  EXPECT_EQ(http_request(port_, "POST", "/echo", bearer(), "hi").status, 401);
  EXPECT_EQ(http_request(port_, "POST", "/echo", bearer("rotated"), "hi").status, 200);
}

TEST_F(HttpServerTest, OversizedBodyIs413BeforeItIsSent) {
  // Only the head goes out, announcing 1 GiB, and the client then stops sending: a server that
  // read the body before deciding would find it cut short (400) instead of refusing it (413).
  const auto started = std::chrono::steady_clock::now();
  auto r = http_raw(port_,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        std::string(kToken) + "\r\nContent-Length: 1073741824\r\n\r\n",
                    true);
  EXPECT_EQ(r.status, 413);
  EXPECT_THAT(r.body, HasSubstr("\"error\": \"request body over 1024 bytes\""));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));

  // Just over and just at the limit, with the body sent.
  EXPECT_EQ(http_request(port_, "POST", "/echo", bearer(), std::string(1025, 'x')).status, 413);
  auto at = http_request(port_, "POST", "/echo", bearer(), std::string(1024, 'x'));
  EXPECT_EQ(at.status, 200);
  EXPECT_EQ(at.body.size(), 1024u);
  // The limit applies before the token check, and to every method.
  EXPECT_EQ(http_request(port_, "POST", "/echo", {}, std::string(2000, 'x')).status, 413);
}

TEST_F(HttpServerTest, ChunkedBodyIsCutAtTheLimit) {
  const std::string chunk(800, 'y');
  auto chunked = [&](int chunks) {
    std::string req = "POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                      std::string(kToken) + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < chunks; ++i) req += "320\r\n" + chunk + "\r\n";
    return http_raw(port_, req + "0\r\n\r\n");
  };
  auto small = chunked(1);
  EXPECT_EQ(small.status, 200);
  EXPECT_EQ(small.body, chunk);
  auto big = chunked(2);
  EXPECT_EQ(big.status, 413);
}

TEST_F(HttpServerTest, HandlerExceptionIsAJson500) {
  auto r = testing::http_get(port_, "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_THAT(r.body, HasSubstr("\"error\": \"internal error: kaput\""));
}

TEST_F(HttpServerTest, MalformedQueryIs400) {
  auto r = testing::http_get(port_, "/hello?name=%zz");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("malformed query string"));
}

TEST_F(HttpServerTest, MaxBodyBytesCanChangeWhileServing) {
  router_.set_max_body_bytes(4096);
  EXPECT_EQ(http_request(port_, "POST", "/echo", bearer(), std::string(2000, 'x')).status, 200);
}

TEST(ListensBeyondLoopback, OnlyLoopbackAddressesStayOnTheMachine) {
  EXPECT_FALSE(listens_beyond_loopback("127.0.0.1:9877"));
  EXPECT_FALSE(listens_beyond_loopback("127.0.1.1:9877"));
  EXPECT_FALSE(listens_beyond_loopback("localhost:9877"));
  EXPECT_FALSE(listens_beyond_loopback("[::1]:9877"));
  EXPECT_TRUE(listens_beyond_loopback("0.0.0.0:9877"));
  EXPECT_TRUE(listens_beyond_loopback(":9877"));
  EXPECT_TRUE(listens_beyond_loopback("10.0.0.5:9877"));
  EXPECT_TRUE(listens_beyond_loopback("128.0.0.1:9877"));
}

}  // namespace
}  // namespace patchparty::http
