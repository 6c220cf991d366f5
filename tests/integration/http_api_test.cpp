// patchpartyd's HTTP API over loopback: the real daemon with a Debian 9 host whose dpkg status
// is a FIFO (so its first inventory waits until the test feeds it, and /readyz is seen to go
// from 503 to 200), and Debian's real DLA-3008-1 OSV record as the feed, which makes the
// installed openssl a finding that must show in /api/v1/findings and /api/v1/backlog.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <fstream>
#include <thread>

#include "tests/support/json_string.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::json_string;
using testing::poll_get;
using testing::write_file;

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

constexpr const char* kDpkgStatus =
    "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\n"
    "Version: 1.1.0l-1~deb9u5\n\n"
    "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
    "Version: 2.24-11+deb9u4\nSource: glibc\n\n";

TEST(HttpApi, ServesTheDaemonsFindingsBacklogAndFeeds) {
  auto dir = testing::temp_dir("http-api");
  const fs::path record = testing::test_data("debian/osv/DLA-3008-1.json");
  write_file(dir / "root/etc/os-release", "ID=debian\nVERSION_ID=\"9\"\n");
  fs::create_directories(dir / "root/var/lib/dpkg");
  const fs::path status = dir / "root/var/lib/dpkg/status";
  ASSERT_EQ(::mkfifo(status.c_str(), 0600), 0);
  write_file(dir / "api.token", "first-token\n");
  const int port = testing::free_port();
  write_file(dir / "pp.yml",
             "log_level: debug\nhost_name: web-1\nshutdown_timeout: 2s\n"
             "listen: 127.0.0.1:" +
                 std::to_string(port) + "\ninventory:\n  root: " + (dir / "root").string() +
                 "\nfeeds:\n  - kind: osv\n    url: file://" + record.string() +
                 "\napi:\n  token_file: " + (dir / "api.token").string() + "\n");
  testing::Subprocess d = testing::start_patchpartyd(dir);
  ASSERT_GT(d.pid(), 0);

  // The first inventory blocks on the FIFO: alive, serving, not ready.
  auto ready = poll_get(port, "/readyz", [](const auto& r) { return r.status != 0; });
  ASSERT_EQ(ready.status, 503) << d.err();
  EXPECT_EQ(ready.headers["content-type"], "application/json");
  EXPECT_THAT(ready.body, HasSubstr("\"reason\": \"waiting for the first scan since start\""));
  auto health = testing::http_get(port, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "{\n  \"status\": \"ok\"\n}\n");
  EXPECT_EQ(testing::http_get(port, "/nope").status, 404);

  // POST: no token, a wrong one, the right one; a body over the 1 MiB default refused unread.
  auto no_token = testing::http_request(port, "POST", "/api/v1/scan");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(no_token.headers["www-authenticate"], "Bearer realm=\"patchparty\"");
  EXPECT_EQ(testing::http_request(port, "POST", "/api/v1/scan",
                                  {{"Authorization", "Bearer second-token"}})
                .status,
            401);
  auto accepted = testing::http_request(port, "POST", "/api/v1/scan",
                                        {{"Authorization", "Bearer first-token"}});
  EXPECT_EQ(accepted.status, 202) << accepted.body;
  auto too_big = testing::http_raw(port,
                                   "POST /api/v1/scan HTTP/1.1\r\nHost: x\r\n"
                                   "Authorization: Bearer first-token\r\n"
                                   "Content-Length: 1048577\r\n\r\n",
                                   true);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_THAT(too_big.body, HasSubstr("\"error\": \"request body over 1048576 bytes\""));

  {  // Feed the FIFO: the inventory finishes and the first scan follows.
    int fd = ::open(status.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    // The requested scan runs the inventory again as soon as this one ends: it must find a
    // regular file there, so the FIFO goes (its reader holds it open) before the data does.
    fs::remove(status);
    write_file(status, kDpkgStatus);
    ASSERT_EQ(::write(fd, kDpkgStatus, std::strlen(kDpkgStatus)),
              static_cast<ssize_t>(std::strlen(kDpkgStatus)));
    ::close(fd);
  }
  ready = poll_get(port, "/readyz", [](const auto& r) { return r.status == 200; });
  ASSERT_EQ(ready.status, 200) << ready.body << "\n" << d.err();
  EXPECT_EQ(ready.body, "{\n  \"status\": \"ready\"\n}\n");

  // The feed's rescan makes openssl a finding.
  auto findings = poll_get(port, "/api/v1/findings", [](const auto& r) {
    return r.body.find("DLA-3008-1") != std::string::npos;
  });
  ASSERT_EQ(findings.status, 200) << d.err();
  ASSERT_THAT(findings.body, HasSubstr("DLA-3008-1")) << d.err();
  rapidjson::Document doc;
  doc.Parse(findings.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << findings.body;
  EXPECT_EQ(json_string(doc["schema"]), "patchparty.findings/v1");
  ASSERT_EQ(doc["findings"].Size(), 1u) << findings.body;
  const auto& f = doc["findings"][0];
  EXPECT_EQ(json_string(f["host"]), "web-1");
  EXPECT_EQ(json_string(f["package"]["name"]), "openssl");
  EXPECT_EQ(json_string(f["package"]["ecosystem"]), "Debian:9");
  EXPECT_EQ(json_string(f["package"]["installed"]), "1.1.0l-1~deb9u5");
  EXPECT_EQ(json_string(f["fixed_version"]), "1.1.0l-1~deb9u6");
  EXPECT_EQ(testing::http_get(port, "/api/v1/findings?kev=true").body.find("DLA-3008-1"),
            std::string::npos);
  EXPECT_EQ(testing::http_get(port, "/api/v1/findings?severity=bogus").status, 400);

  // The backlog in its three formats, by ?format= and by Accept.
  auto json = testing::http_get(port, "/api/v1/backlog");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.headers["content-type"], "application/json");
  rapidjson::Document backlog;
  backlog.Parse(json.body.c_str());
  ASSERT_FALSE(backlog.HasParseError()) << json.body;
  EXPECT_EQ(json_string(backlog["schema"]), "patchparty.backlog/v1");
  ASSERT_EQ(backlog["tasks"].Size(), 1u) << json.body;
  EXPECT_EQ(json_string(backlog["tasks"][0]["package"]), "openssl");
  EXPECT_EQ(json_string(backlog["tasks"][0]["target_version"]), "1.1.0l-1~deb9u6");

  auto csv = testing::http_request(port, "GET", "/api/v1/backlog", {{"Accept", "text/csv"}});
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8; header=present");
  EXPECT_THAT(csv.body, HasSubstr("openssl"));
  EXPECT_THAT(csv.body, HasSubstr("1.1.0l-1~deb9u6"));
  EXPECT_EQ(count(csv.body, "\r\n"), 2u) << csv.body;  // the header and one task

  auto md = testing::http_get(port, "/api/v1/backlog?format=md");
  EXPECT_EQ(md.status, 200);
  EXPECT_EQ(md.headers["content-type"], "text/markdown; charset=utf-8");
  EXPECT_THAT(md.body, HasSubstr("- [ ]"));
  EXPECT_THAT(md.body, HasSubstr("openssl"));
  EXPECT_EQ(testing::http_request(port, "GET", "/api/v1/backlog", {{"Accept", "text/html"}}).status,
            406);
  EXPECT_EQ(testing::http_get(port, "/api/v1/backlog?format=pdf").status, 400);

  auto feeds = testing::http_get(port, "/api/v1/feeds");
  ASSERT_EQ(feeds.status, 200);
  rapidjson::Document fdoc;
  fdoc.Parse(feeds.body.c_str());
  ASSERT_FALSE(fdoc.HasParseError()) << feeds.body;
  EXPECT_EQ(json_string(fdoc["schema"]), "patchparty.feeds/v1");
  ASSERT_EQ(fdoc["feeds"].Size(), 1u);
  EXPECT_EQ(json_string(fdoc["feeds"][0]["feed"]), "osv");
  EXPECT_EQ(fdoc["feeds"][0]["records"].GetInt64(), 1);
  EXPECT_EQ(fdoc["feeds"][0]["failures"].GetInt64(), 0);
  EXPECT_GT(fdoc["feeds"][0]["last_success_at"].GetInt64(), 0);

  // The POST accepted while the first inventory was blocked ran it once more.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (count(d.err(), "job inventory: done") < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_GE(count(d.err(), "job inventory: done"), 2u) << d.err();

  // /metrics is served by the same server.
  auto metrics = testing::http_get(port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(metrics.body, HasSubstr("patchparty_inventory_packages{source=\"dpkg\"} 2"));

  // A new token takes effect on SIGHUP; the old one stops working.
  write_file(dir / "api.token", "second-token\n");
  d.signal(SIGHUP);
  auto rotated = testing::HttpResponse{};
  const auto hup_deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < hup_deadline) {
    rotated = testing::http_request(port, "POST", "/api/v1/scan",
                                    {{"Authorization", "Bearer second-token"}});
    if (rotated.status == 202) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(rotated.status, 202) << d.err();
  EXPECT_EQ(
      testing::http_request(port, "POST", "/api/v1/scan", {{"Authorization", "Bearer first-token"}})
          .status,
      401);

  d.signal(SIGTERM);
  auto code = d.wait(10s);
  ASSERT_TRUE(code.has_value()) << "patchpartyd did not stop";
  EXPECT_EQ(*code, 0) << d.err();
  fs::remove_all(dir);
}

TEST(HttpApi, UnreadableTokenFileRefusesToStart) {
  auto dir = testing::temp_dir("http-api-token");
  write_file(dir / "pp.yml", "listen: 127.0.0.1:" + std::to_string(testing::free_port()) +
                                 "\napi:\n  token_file: " + (dir / "missing.token").string() +
                                 "\ninventory:\n  root: " + (dir / "root").string() + "\n");
  auto r = testing::run(testing::patchpartyd_argv(dir), dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("api.token_file"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty
