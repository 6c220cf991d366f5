// HttpCheck against a real civetweb server on loopback.
#include "collectors/health/http_check.h"

#include <gtest/gtest.h>

#include "tests/support/http_test_server.h"
#include "tests/support/loopback.h"

namespace patchparty::health {
namespace {

using namespace std::chrono_literals;

config::HealthCheckConfig http_config(std::string url) {
  config::HealthCheckConfig c;
  c.name = "web";
  c.kind = "http";
  c.url = std::move(url);
  c.timeout = 5s;
  return c;
}

TEST(HttpCheck, HealthyOnExpectedStatusAndBody) {
  testing::HttpTestServer server;
  server.set("/health", {.status = 200, .body = "{\"status\":\"ok\"}"});
  auto c = http_config(server.url("/health"));
  c.body_regex = "\"status\":\\s*\"ok\"";
  HttpCheck check(c);
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.value, 200);
  EXPECT_GT(p.latency.count(), 0);
  EXPECT_EQ(server.hits("/health"), 1);
}

TEST(HttpCheck, StatusMismatchIsUnhealthy) {
  testing::HttpTestServer server;
  server.set("/health", {.status = 503, .body = "down"});
  HttpCheck check(http_config(server.url("/health")));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_EQ(p.value, 503);
  EXPECT_NE(p.detail.find("unexpected status"), std::string::npos) << p.detail;
}

TEST(HttpCheck, StatusRangeAndListAreAccepted) {
  testing::HttpTestServer server;
  server.set("/a", {.status = 204});
  server.set("/b", {.status = 302, .location = "/elsewhere"});
  auto c = http_config(server.url("/a"));
  c.expected_status = {{200, 299}, {302, 302}};
  HttpCheck a(c);
  EXPECT_TRUE(a.probe({}).healthy);
  c.url = server.url("/b");
  HttpCheck b(c);
  Probe p = b.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.value, 302);  // not followed
}

TEST(HttpCheck, SlowerThanMaxLatencyIsUnhealthy) {
  testing::HttpTestServer server;
  server.set("/slow", {.status = 200, .body = "ok", .delay = 300ms});
  auto c = http_config(server.url("/slow"));
  c.max_latency = 100ms;
  HttpCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_GE(p.latency, 300ms);
  EXPECT_NE(p.detail.find("slower than 100ms"), std::string::npos) << p.detail;
}

TEST(HttpCheck, TimeoutIsUnhealthy) {
  testing::HttpTestServer server;
  server.set("/hang", {.status = 200, .delay = 2s});
  auto c = http_config(server.url("/hang"));
  c.timeout = 200ms;
  HttpCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_LT(p.latency, 1500ms);
  EXPECT_FALSE(p.value.has_value());
}

TEST(HttpCheck, BodyRegexMismatchIsUnhealthy) {
  testing::HttpTestServer server;
  server.set("/health", {.status = 200, .body = "{\"status\":\"degraded\"}"});
  auto c = http_config(server.url("/health"));
  c.body_regex = "\"status\":\"ok\"";
  HttpCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("body does not match"), std::string::npos) << p.detail;
}

TEST(HttpCheck, BodyIsReadOnlyUpToTheBound) {
  testing::HttpTestServer server;
  server.set("/big", {.status = 200, .body = std::string(100000, 'a') + "MARKER"});
  auto c = http_config(server.url("/big"));
  c.body_regex = "MARKER";
  c.max_body_bytes = 1024;
  HttpCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);  // the marker lies past the bound
  EXPECT_NE(p.detail.find("first 1024 bytes"), std::string::npos) << p.detail;
  c.body_regex = "^a+$";
  HttpCheck prefix(c);
  EXPECT_TRUE(prefix.probe({}).healthy);
}

TEST(HttpCheck, ConnectionRefusedIsUnhealthy) {
  const int port = testing::free_port();
  HttpCheck check(http_config("http://127.0.0.1:" + std::to_string(port) + "/health"));
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_FALSE(p.value.has_value());
  EXPECT_NE(p.detail.find("127.0.0.1"), std::string::npos) << p.detail;
}

TEST(HttpCheck, TlsHandshakeFailureIsUnhealthy) {
  // civetweb here speaks plain HTTP; an https:// URL to it fails the TLS handshake.
  testing::HttpTestServer server;
  server.set("/health", {.status = 200});
  std::string url = server.url("/health");
  url.replace(0, 4, "https");
  auto c = http_config(url);
  c.insecure_skip_verify = true;
  HttpCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_FALSE(p.detail.empty());
}

}  // namespace
}  // namespace patchparty::health
