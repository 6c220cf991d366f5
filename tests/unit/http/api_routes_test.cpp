// The API's endpoints on a real server over a sample backend: the findings filters, the backlog
// in each format by ?format= and by Accept, health and readiness, and the scan request.
#include "exporters/http/api_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <map>

#include <set>

#include "exporters/backlog/backlog_writers.h"
#include "exporters/http/http_server.h"
#include "tests/support/loopback.h"
#include "tests/support/test_data.h"
#include "tests/unit/http/test_backend.h"

namespace patchparty::http {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ApiRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    add_api_routes(router_, backend_);
    router_.token().set(std::string("tok"));
    auto server = HttpServer::start({.listen = "127.0.0.1:0"}, router_);
    ASSERT_OK(server);
    server_ = std::move(*server);
    port_ = server_->ports().front();
  }

  testing::HttpResponse get(const std::string& path,
                            const std::map<std::string, std::string>& headers = {}) {
    return testing::http_request(port_, "GET", path, headers);
  }

  // vulnerability@package of every finding in a findings/v1 body.
  std::multiset<std::string> finding_keys(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    std::multiset<std::string> out;
    if (doc.HasParseError() || !doc.IsObject()) {
      ADD_FAILURE() << "not JSON: " << body;
      return out;
    }
    EXPECT_STREQ(doc["schema"].GetString(), "patchparty.findings/v1");
    for (const auto& f : doc["findings"].GetArray())
      out.insert(std::string(f["vulnerability"].GetString()) + "@" +
                 f["package"]["name"].GetString());
    return out;
  }

  testing::SampleBackend backend_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(ApiRoutes, FindingsLeaveSuppressedOutByDefault) {
  auto r = get("/api/v1/findings");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  auto keys = finding_keys(r.body);
  EXPECT_EQ(keys.size(), 12u);  // all 13 but the suppressed twig
  EXPECT_FALSE(keys.count("CVE-2024-45411@twig/twig"));
  // The expired suppression does not hide curl.
  EXPECT_TRUE(keys.count("CVE-2024-2398@libcurl4"));
  EXPECT_EQ(finding_keys(get("/api/v1/findings?include_suppressed=true").body).size(), 13u);
}

TEST_F(ApiRoutes, FindingsFilters) {
  EXPECT_EQ(finding_keys(get("/api/v1/findings?kev=true").body),
            (std::multiset<std::string>{"CVE-2023-4863@libwebp7", "CVE-2023-4863@libwebpdemux2"}));
  EXPECT_EQ(finding_keys(get("/api/v1/findings?kev=false").body).size(), 10u);
  EXPECT_EQ(finding_keys(get("/api/v1/findings?severity=critical").body),
            (std::multiset<std::string>{"CVE-2024-5535@libssl3", "CVE-2024-5535@openssl",
                                        "CVE-2023-45853@zlib1g"}));
  EXPECT_EQ(finding_keys(get("/api/v1/findings?severity=critical,high&kev=true").body).size(), 2u);
  EXPECT_EQ(finding_keys(get("/api/v1/findings?project=shop").body),
            (std::multiset<std::string>{"CVE-2022-24894@symfony/http-kernel"}));
  EXPECT_EQ(finding_keys(get("/api/v1/findings?project=shop&include_suppressed=true").body).size(),
            2u);
  // An empty project means the host's own packages.
  EXPECT_EQ(finding_keys(get("/api/v1/findings?project=").body).size(), 9u);
}

TEST_F(ApiRoutes, FindingsRefuseBadFilters) {
  for (const char* q :
       {"?severity=urgent", "?kev=yes", "?include_suppressed=maybe", "?sevrity=high"}) {
    auto r = get(std::string("/api/v1/findings") + q);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_THAT(r.body, StartsWith("{\n  \"error\": ")) << q;
  }
  EXPECT_THAT(get("/api/v1/findings?sevrity=high").body, HasSubstr("unknown parameter 'sevrity'"));
}

TEST_F(ApiRoutes, BacklogInEveryFormat) {
  auto b = *backend_.backlog(0, false);
  struct Case {
    std::string path;
    std::map<std::string, std::string> headers;
    exporters::BacklogFormat format;
    std::string type;
  };
  const std::vector<Case> cases = {
      {"/api/v1/backlog", {}, exporters::BacklogFormat::json, "application/json"},
      {"/api/v1/backlog?format=json", {}, exporters::BacklogFormat::json, "application/json"},
      {"/api/v1/backlog?format=csv",
       {},
       exporters::BacklogFormat::csv,
       "text/csv; charset=utf-8; header=present"},
      {"/api/v1/backlog?format=md",
       {},
       exporters::BacklogFormat::markdown,
       "text/markdown; charset=utf-8"},
      {"/api/v1/backlog",
       {{"Accept", "text/csv"}},
       exporters::BacklogFormat::csv,
       "text/csv; charset=utf-8; header=present"},
      {"/api/v1/backlog",
       {{"Accept", "text/markdown"}},
       exporters::BacklogFormat::markdown,
       "text/markdown; charset=utf-8"},
      {"/api/v1/backlog",
       {{"Accept", "text/html, application/json;q=0.9"}},
       exporters::BacklogFormat::json,
       "application/json"},
      {"/api/v1/backlog", {{"Accept", "*/*"}}, exporters::BacklogFormat::json, "application/json"},
      // ?format= is explicit and wins over Accept.
      {"/api/v1/backlog?format=csv",
       {{"Accept", "application/json"}},
       exporters::BacklogFormat::csv,
       "text/csv; charset=utf-8; header=present"},
  };
  for (const auto& c : cases) {
    auto r = get(c.path, c.headers);
    EXPECT_EQ(r.status, 200) << c.path;
    EXPECT_EQ(r.headers["content-type"], c.type) << c.path;
    EXPECT_EQ(r.headers["vary"], "Accept") << c.path;
    EXPECT_EQ(r.body, exporters::render_backlog(b, c.format)) << c.path;
  }
  EXPECT_THAT(get("/api/v1/backlog?format=csv").body, StartsWith("rank,priority,host,"));
}

TEST_F(ApiRoutes, BacklogRefusesWhatItCannotProduce) {
  auto bad_format = get("/api/v1/backlog?format=xml");
  EXPECT_EQ(bad_format.status, 400);
  EXPECT_THAT(bad_format.body, HasSubstr("format: 'xml' is not one of json, csv, md"));
  for (const char* accept : {"text/html", "application/xml, image/*", "application/json;q=0"}) {
    auto r = get("/api/v1/backlog", {{"Accept", accept}});
    EXPECT_EQ(r.status, 406) << accept;
    EXPECT_EQ(r.headers["content-type"], "application/json") << accept;
    EXPECT_THAT(r.body, HasSubstr("\"error\": \"cannot produce")) << accept;
  }
  EXPECT_EQ(get("/api/v1/backlog?fromat=csv").status, 400);
}

TEST_F(ApiRoutes, BacklogSinceLastParty) {
  auto all = get("/api/v1/backlog?format=json");
  auto since = get("/api/v1/backlog?format=json&since_last_party=true");
  ASSERT_EQ(since.status, 200);
  EXPECT_EQ(since.body,
            exporters::render_backlog(*backend_.backlog(0, true), exporters::BacklogFormat::json));
  EXPECT_NE(since.body, all.body);
}

TEST_F(ApiRoutes, HealthAndReadiness) {
  auto h = get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "{\n  \"status\": \"ok\"\n}\n");
  auto ready = get("/readyz");
  EXPECT_EQ(ready.status, 200);

  backend_.alive_ = false;
  backend_.ready_ = false;
  h = get("/healthz");
  EXPECT_EQ(h.status, 503);
  EXPECT_THAT(h.body, HasSubstr("the worker loop is not running"));
  ready = get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_THAT(ready.body, HasSubstr("\"reason\": \"waiting for the first scan since start\""));
  // Before the first snapshot the data endpoints say so rather than answer empty.
  auto findings = get("/api/v1/findings");
  EXPECT_EQ(findings.status, 503);
  EXPECT_THAT(findings.body, HasSubstr("no data yet"));
}

TEST_F(ApiRoutes, FeedsComeFromTheBackend) {
  auto r = get("/api/v1/feeds");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("patchparty.feeds/v1"));
  EXPECT_EQ(get("/api/v1/feeds?x=1").status, 400);
}

TEST_F(ApiRoutes, ScanRequestIsAcceptedWithTheToken) {
  auto denied = testing::http_request(port_, "POST", "/api/v1/scan");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(backend_.scans_requested_, 0);
  auto r = testing::http_request(port_, "POST", "/api/v1/scan", {{"Authorization", "Bearer tok"}});
  EXPECT_EQ(r.status, 202);
  EXPECT_THAT(r.body, HasSubstr("\"status\": \"accepted\""));
  EXPECT_EQ(backend_.scans_requested_, 1);
  EXPECT_EQ(get("/api/v1/scan").status, 405);
}

TEST_F(ApiRoutes, ReadTokenGuardsEveryApiReadAndMetricsOnlyWhenAskedTo) {
  add_metrics_route(router_, std::weak_ptr<prometheus::Registry>{});
  EXPECT_EQ(get("/api/v1/backlog").status, 200);  // no read token: reads are open
  router_.read_token().set(std::string("reader"));
  for (const char* path : {"/api/v1/findings", "/api/v1/backlog", "/api/v1/feeds"}) {
    SCOPED_TRACE(path);
    auto missing = get(path);
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.headers["www-authenticate"], "Bearer realm=\"patchparty\"");
    auto wrong = get(path, {{"Authorization", "Bearer readers"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_THAT(wrong.headers["www-authenticate"], HasSubstr("invalid_token"));
    EXPECT_EQ(get(path, {{"Authorization", "Bearer reader"}}).status, 200);
    // Whoever may write may read.
    EXPECT_EQ(get(path, {{"Authorization", "Bearer tok"}}).status, 200);
  }
  // The read token opens no POST.
  EXPECT_EQ(
      testing::http_request(port_, "POST", "/api/v1/scan", {{"Authorization", "Bearer reader"}})
          .status,
      401);
  // /healthz and /metrics (503 here: no registry) stay open until protect_metrics.
  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_NE(get("/metrics").status, 401);
  router_.set_protect_metrics(true);
  EXPECT_EQ(get("/healthz").status, 401);
  EXPECT_EQ(get("/metrics").status, 401);
  EXPECT_EQ(get("/readyz", {{"Authorization", "Bearer reader"}}).status,
            get("/readyz", {{"Authorization", "Bearer tok"}}).status);
  EXPECT_NE(get("/healthz", {{"Authorization", "Bearer reader"}}).status, 401);
}

TEST_F(ApiRoutes, DeploysAreValidatedStoredAndAnswered) {
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer tok"}};
  const std::string body = R"({"target":"shop","version":"2.4.1","previous_version":"2.4.0"})";
  EXPECT_EQ(testing::http_request(port_, "POST", "/api/v1/deploys", {}, body).status, 401);
  auto created = testing::http_request(port_, "POST", "/api/v1/deploys", auth, body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_THAT(created.body, HasSubstr("\"id\":1"));
  EXPECT_THAT(created.body, HasSubstr("\"kind\":\"deploy\""));
  EXPECT_THAT(created.body, HasSubstr("\"from_version\":\"2.4.0\""));
  {
    std::lock_guard lock(backend_.mu_);
    ASSERT_EQ(backend_.deploys_.size(), 1u);
    EXPECT_EQ(backend_.deploys_[0].target, "shop");
    EXPECT_EQ(backend_.deploys_[0].origin, events::Origin::api);
    EXPECT_GT(backend_.deploys_[0].at, 0);
  }
  for (std::string_view bad :
       {std::string_view("not json"), std::string_view(R"j({"target":"$(id)","version":"1"})j"),
        std::string_view(R"j({"target":"shop"})j"),
        std::string_view(R"j({"target":"shop","version":"1","x":1})j")}) {
    auto r = testing::http_request(port_, "POST", "/api/v1/deploys", auth, bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_THAT(r.body, HasSubstr("\"error\"")) << bad;
  }
  EXPECT_EQ(testing::http_request(port_, "POST", "/api/v1/deploys?x=1", auth, body).status, 400);
  {
    std::lock_guard lock(backend_.mu_);
    EXPECT_EQ(backend_.deploys_.size(), 1u);
    backend_.queue_deploys_ = true;
  }
  auto queued = testing::http_request(port_, "POST", "/api/v1/deploys", auth, body);
  EXPECT_EQ(queued.status, 202);
  EXPECT_THAT(queued.body, HasSubstr("\"status\": \"queued\""));
  EXPECT_EQ(get("/api/v1/deploys").status, 405);
}

}  // namespace
}  // namespace patchparty::http
