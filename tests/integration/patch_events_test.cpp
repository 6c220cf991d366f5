// Patch events from the real daemon: dpkg.log lines, the deploy API, `patchparty deploy`, and an
// inventory diff, each read back with `patchparty events --json` and counted in /metrics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <thread>

#include "tests/support/json_string.h"
#include "tests/support/loopback.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::json_string;
using testing::write_file;

void append(const fs::path& p, std::string_view text) {
  std::ofstream(p, std::ios::app) << text;
}

std::string status_file(std::string_view ssl, std::string_view curl) {
  return "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nVersion: " +
         std::string(ssl) +
         "\nSource: openssl\n\n"
         "Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: " +
         std::string(curl) + "\n\n";
}

// "YYYY-MM-DD HH:MM:SS" in UTC (the daemon runs with TZ=UTC), `offset` seconds from now.
std::string log_time(int offset = 0) {
  std::time_t t = std::time(nullptr) + offset;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

struct Event {
  std::int64_t id = 0;
  std::string origin, kind, target, from, to, note;
};

class PatchEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(root_ / "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    write_file(root_ / "var/lib/dpkg/status", status_file("3.0.11-1~deb12u2", "7.88.1-10"));
    // History from before the daemon's first start: never replayed.
    write_file(log_, "2025-06-24 14:00:00 upgrade zlib1g:amd64 1:1.2.13.dfsg-1 1:1.2.13.dfsg-2\n");
    write_file(dir_ / "api.token", "deploy-token\n");
    write_file(config_, "log_level: debug\nshutdown_timeout: 2s\nlisten: 127.0.0.1:" +
                            std::to_string(port_) +
                            "\ninventory:\n  interval: 1h\n  root: " + root_.string() +
                            "\n  dpkg_log:\n    interval: 1s\nfeeds: []\napi:\n  token_file: " +
                            (dir_ / "api.token").string() + "\n");
  }

  std::vector<Event> events() {
    auto r = testing::run({PATCHPARTY_BIN, "events", "--json", "--limit", "0", "--state-dir",
                           (dir_ / "state").string()},
                          dir_);
    EXPECT_EQ(r.code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    std::vector<Event> out;
    if (doc.HasParseError() || !doc.IsObject()) {
      ADD_FAILURE() << r.out;
      return out;
    }
    EXPECT_EQ(json_string(doc["schema"]), "patchparty.events/v1");
    for (const auto& e : doc["events"].GetArray())
      out.push_back(Event{e["id"].GetInt64(), json_string(e["origin"]), json_string(e["kind"]),
                          json_string(e["target"]), json_string(e["from_version"]),
                          json_string(e["to_version"]), json_string(e["note"])});
    return out;
  }

  template <class Pred>
  std::vector<Event> events_until(Pred done, std::chrono::seconds timeout = 30s) {
    std::vector<Event> e;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      e = events();
      if (done(e)) break;
      std::this_thread::sleep_for(100ms);
    }
    return e;
  }

  static std::size_t count(const std::vector<Event>& events, std::string_view origin,
                           std::string_view target) {
    return std::count_if(events.begin(), events.end(),
                         [&](const Event& e) { return e.origin == origin && e.target == target; });
  }

  fs::path dir_ = testing::temp_dir("patch-events");
  fs::path root_ = dir_ / "root";
  fs::path log_ = root_ / "var/log/dpkg.log";
  fs::path config_ = dir_ / "pp.yml";
  int port_ = testing::free_port();
};

TEST_F(PatchEvents, FromDpkgLogDeploysAndInventoryDiffs) {
  testing::Subprocess d(
      {PATCHPARTYD_BIN, "--config", config_.string(), "--state-dir", (dir_ / "state").string()},
      {{"TZ", "UTC"}}, dir_ / "out", dir_ / "err");
  ASSERT_GT(d.pid(), 0);
  testing::HttpResponse ready;
  for (auto deadline = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    ready = testing::http_get(port_, "/readyz");
    if (ready.status == 200) break;
  }
  ASSERT_EQ(ready.status, 200) << d.err();
  EXPECT_TRUE(events().empty()) << "neither the first snapshot nor old log lines are events";

  // dpkg.log: an upgrade and an install, written as dpkg does, status lines between.
  const auto started = std::chrono::steady_clock::now();
  append(log_, log_time(-60) + " startup archives unpack\n" + log_time(-60) +
                   " upgrade libssl3:amd64 3.0.11-1~deb12u2 3.0.13-1~deb12u1\n" + log_time(-60) +
                   " status half-configured libssl3:amd64 3.0.13-1~deb12u1\n" + log_time(-59) +
                   " install jq:amd64 <none> 1.6-2.1\n");
  auto seen = events_until([](const auto& e) { return e.size() >= 2; });
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  ASSERT_EQ(seen.size(), 2u) << d.err();
  std::cout << "dpkg.log line to stored event: " << latency.count() << " ms\n";
  EXPECT_EQ(seen[1].origin, "dpkg_log");
  EXPECT_EQ(seen[1].kind, "upgrade");
  EXPECT_EQ(seen[1].target, "libssl3");
  EXPECT_EQ(seen[1].from, "3.0.11-1~deb12u2");
  EXPECT_EQ(seen[1].to, "3.0.13-1~deb12u1");
  EXPECT_EQ(seen[0].kind, "install");
  EXPECT_EQ(seen[0].target, "jq");

  // The deploy API: token required, input validated, the stored event answered.
  const std::string body = R"({"target":"shop","version":"2.4.1","previous_version":"2.4.0",)"
                           R"("note":"argocd abc123"})";
  EXPECT_EQ(testing::http_request(port_, "POST", "/api/v1/deploys", {}, body).status, 401);
  auto bad = testing::http_request(port_, "POST", "/api/v1/deploys",
                                   {{"Authorization", "Bearer deploy-token"}},
                                   R"({"target":"shop;reboot","version":"1"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("\"error\""));
  const auto posted = std::chrono::steady_clock::now();
  auto created = testing::http_request(port_, "POST", "/api/v1/deploys",
                                       {{"Authorization", "Bearer deploy-token"}}, body);
  std::cout << "POST /api/v1/deploys to 201: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - posted)
                   .count()
            << " ms\n";
  ASSERT_EQ(created.status, 201) << created.body << d.err();
  rapidjson::Document doc;
  doc.Parse(created.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << created.body;
  EXPECT_GT(doc["id"].GetInt64(), 0);
  EXPECT_EQ(json_string(doc["origin"]), "api");
  EXPECT_EQ(json_string(doc["kind"]), "deploy");
  EXPECT_EQ(json_string(doc["target"]), "shop");
  EXPECT_EQ(json_string(doc["to_version"]), "2.4.1");
  EXPECT_TRUE(doc["verdict"].IsNull());

  // The CLI, through the same endpoint with the token from api.token_file.
  auto cli = testing::run({PATCHPARTY_BIN, "deploy", "--target", "shop", "--version", "2.4.2",
                           "--previous", "2.4.1", "--note", "manual", "-c", config_.string()},
                          dir_);
  ASSERT_EQ(cli.code, 0) << cli.err;
  EXPECT_THAT(cli.out, HasSubstr("\"origin\":\"cli\""));
  auto refused = testing::run(
      {PATCHPARTY_BIN, "deploy", "--target", "-rf", "--version", "1", "-c", config_.string()},
      dir_);
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("target"));

  // The inventory: libssl3's upgrade is dpkg.log's already; curl changed with no log line.
  write_file(root_ / "var/lib/dpkg/status", status_file("3.0.13-1~deb12u1", "7.88.1-10+deb12u5"));
  EXPECT_EQ(testing::http_request(port_, "POST", "/api/v1/scan",
                                  {{"Authorization", "Bearer deploy-token"}})
                .status,
            202);
  seen = events_until([](const auto& e) { return count(e, "inventory", "curl") > 0; });
  EXPECT_EQ(count(seen, "inventory", "curl"), 1u) << d.err();
  EXPECT_EQ(count(seen, "inventory", "libssl3"), 0u) << "one upgrade, one event";
  EXPECT_EQ(count(seen, "dpkg_log", "libssl3"), 1u);
  EXPECT_EQ(count(seen, "api", "shop"), 1u);
  EXPECT_EQ(count(seen, "cli", "shop"), 1u);
  EXPECT_EQ(seen.size(), 5u);

  auto table =
      testing::run({PATCHPARTY_BIN, "events", "--state-dir", (dir_ / "state").string()}, dir_);
  EXPECT_EQ(table.code, 0);
  EXPECT_THAT(table.out, HasSubstr("VERDICT"));
  EXPECT_THAT(table.out, HasSubstr("libssl3:amd64"));
  EXPECT_THAT(table.out, HasSubstr("7.88.1-10 -> 7.88.1-10+deb12u5"));

  auto metrics = testing::http_get(port_, "/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("patchparty_patch_events_total{kind=\"upgrade\"} 2"));
  EXPECT_THAT(metrics.body, HasSubstr("patchparty_patch_events_total{kind=\"install\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("patchparty_patch_events_total{kind=\"deploy\"} 2"));
  EXPECT_THAT(metrics.body, HasSubstr("patchparty_patch_events_total{kind=\"remove\"} 0"));

  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(10s), 0);

  // After a restart nothing is read twice.
  testing::Subprocess again(
      {PATCHPARTYD_BIN, "--config", config_.string(), "--state-dir", (dir_ / "state").string()},
      {{"TZ", "UTC"}}, dir_ / "out2", dir_ / "err2");
  for (auto deadline = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    if (testing::http_get(port_, "/readyz").status == 200) break;
  }
  append(log_, log_time() + " remove jq:amd64 1.6-2.1 <none>\n");
  seen = events_until([](const auto& e) { return e.size() >= 6; });
  ASSERT_EQ(seen.size(), 6u) << again.err();
  EXPECT_EQ(seen[0].kind, "remove");
  EXPECT_EQ(count(seen, "dpkg_log", "libssl3"), 1u);
  again.signal(SIGTERM);
  EXPECT_EQ(again.wait(10s), 0);
}

TEST_F(PatchEvents, DeployCliWithoutADaemonFails) {
  auto r = testing::run(
      {PATCHPARTY_BIN, "deploy", "--target", "shop", "--version", "1", "-c", config_.string()},
      dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("patchparty deploy:"));
}

}  // namespace
}  // namespace patchparty
