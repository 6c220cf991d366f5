// patchpartyd runs its configured health checks: /metrics and GET /api/v1/health show each
// check's last probe, a SIGHUP with a changed health: section replaces the checks (a removed
// check's series go away), and SIGTERM stops the checks with the daemon.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <thread>

#include "tests/support/http_test_server.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;
using testing::poll_get;

std::string config(int port, const fs::path& dir, const std::string& checks) {
  return "log_level: debug\nshutdown_timeout: 2s\nlisten: 127.0.0.1:" + std::to_string(port) +
         "\ninventory:\n  root: " + (dir / "root").string() +
         "\nfeeds: []\nhealth:\n  history: 10\n  checks:\n" + checks;
}

TEST(HealthChecks, DaemonProbesExportsAndReloadsItsChecks) {
  auto dir = testing::temp_dir("health");
  fs::create_directories(dir / "root/etc");
  std::ofstream(dir / "root/etc/os-release") << "ID=debian\nVERSION_ID=\"12\"\n";
  std::ofstream(dir / "backup.tar") << "x";
  testing::HttpTestServer web;
  web.set("/healthz", {.status = 200, .body = "ok"});
  const int port = testing::free_port();
  const std::string first =
      "    - {name: ok, kind: command, command: [/bin/true], interval: 1s}\n"
      "    - {name: web, kind: http, url: \"" +
      web.url("/healthz") +
      "\", interval: 1s}\n"
      "    - {name: nightly, kind: backup, file: " +
      (dir / "backup.tar").string() + ", max_age: 1h, interval: 1s}\n";
  std::ofstream(dir / "pp.yml") << config(port, dir, first);
  testing::Subprocess d = testing::start_patchpartyd(dir);
  ASSERT_GT(d.pid(), 0);

  auto m = poll_get(port, "/metrics", [](const auto& r) {
    return r.body.find("patchparty_health_check_up{check=\"ok\"} 1") != std::string::npos &&
           r.body.find("patchparty_health_check_up{check=\"web\"} 1") != std::string::npos &&
           r.body.find("patchparty_backup_age_seconds{check=\"nightly\"}") != std::string::npos;
  });
  EXPECT_THAT(m.body, HasSubstr("patchparty_health_check_up{check=\"nightly\"} 1")) << d.err();
  EXPECT_THAT(m.body, HasSubstr("patchparty_health_check_latency_seconds{check=\"web\"}"));
  EXPECT_GE(web.hits("/healthz"), 1);

  auto api = testing::http_get(port, "/api/v1/health");
  ASSERT_EQ(api.status, 200);
  rapidjson::Document doc;
  doc.Parse(api.body.c_str());
  ASSERT_TRUE(doc.IsObject()) << api.body;
  EXPECT_STREQ(doc["schema"].GetString(), "patchparty.health/v1");
  ASSERT_EQ(doc["checks"].Size(), 3u) << api.body;
  EXPECT_STREQ(doc["checks"][1]["name"].GetString(), "web");
  EXPECT_STREQ(doc["checks"][1]["kind"].GetString(), "http");
  EXPECT_TRUE(doc["checks"][1]["healthy"].GetBool());
  EXPECT_EQ(doc["checks"][1]["value"].GetDouble(), 200);

  // Reload: "ok" goes, "broken" comes; the monitor is replaced.
  std::ofstream(dir / "pp.yml") << config(
      port, dir,
      "    - {name: broken, kind: command, command: [/bin/false], interval: 1s}\n"
      "    - {name: web, kind: http, url: \"" +
          web.url("/healthz") + "\", interval: 1s}\n");
  d.signal(SIGHUP);
  m = poll_get(port, "/metrics", [](const auto& r) {
    return r.body.find("patchparty_health_check_up{check=\"broken\"} 0") != std::string::npos;
  });
  EXPECT_THAT(m.body, HasSubstr("patchparty_health_check_up{check=\"broken\"} 0")) << d.err();
  EXPECT_THAT(m.body, Not(HasSubstr("check=\"ok\"")));
  EXPECT_THAT(m.body, Not(HasSubstr("patchparty_backup_age_seconds{")));
  m = poll_get(port, "/metrics", [](const auto& r) {
    return r.body.find("patchparty_health_check_up{check=\"web\"} 1") != std::string::npos;
  });
  EXPECT_THAT(m.body, HasSubstr("patchparty_health_check_up{check=\"web\"} 1"));

  const auto stopping = std::chrono::steady_clock::now();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(10s), 0) << d.err();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 5s);
  EXPECT_THAT(d.err(), HasSubstr("health: 3 check(s) running"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty
