// The whole patch watch with real parts: a real systemd user manager on a private D-Bus runs a
// small HTTP service unit and the rollback units, patchpartyd probes the service over HTTP,
// `patchparty deploy` reports each patch, and a real Alertmanager (Debian's
// prometheus-alertmanager) forwards patchparty's alerts to a webhook receiver of the test's own.
//
// One daemon watches five targets at once:
//   web     a deploy breaks it (bad config + restart); the rollback unit restores the config
//           and restarts it; health recovers; Alertmanager sends firing, then resolved.
//   broken  its rollback unit fails: reported, paged, and not started a second time.
//   before  its check was failing before the deploy: the deploy is not blamed.
//   flap    after the deploy its check fails every other probe, below the limits: no rollback.
//   meta    a deploy whose version carries shell metacharacters is refused at the API; a
//           dpkg.log line with such a version is stored, and its rollback is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/alertmanager_process.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/post_collector.h"
#include "tests/support/subprocess.h"
#include "tests/support/systemd_user_manager.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::write_file;
using SteadyClock = std::chrono::steady_clock;

// Alertmanager's webhook notifications, flattened: one entry per alert per notification.
struct Notified {
  std::string status, alertname, target;
};

std::string log_time() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::vector<Notified> notified(const std::vector<testing::Posted>& posts) {
  std::vector<Notified> out;
  for (const auto& p : posts) {
    rapidjson::Document d;
    d.Parse(p.body.c_str());
    if (!d.IsObject() || !d.HasMember("alerts")) continue;
    for (const auto& a : d["alerts"].GetArray()) {
      const auto& l = a["labels"];
      out.push_back({a["status"].GetString(),
                     l.HasMember("alertname") ? l["alertname"].GetString() : "",
                     l.HasMember("target") ? l["target"].GetString() : ""});
    }
  }
  return out;
}

bool was_notified(const std::vector<testing::Posted>& posts, std::string_view status,
                  std::string_view alertname, std::string_view target) {
  for (const auto& n : notified(posts))
    if (n.status == status && n.alertname == alertname && n.target == target) return true;
  return false;
}

// The service: answers every request with the status its config file held when it started.
constexpr const char* kApp = R"(import http.server, sys
port, conf = int(sys.argv[1]), sys.argv[2]
status = int(open(conf).read().strip())
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
)";

// A check that flaps once armed: healthy, failing, healthy, ... (so the baseline is healthy and
// the flapping is judged, not excused as "failing before").
constexpr const char* kFlap = R"(import os, sys
state, armed = sys.argv[1], sys.argv[2]
if not os.path.exists(armed):
    sys.exit(0)
n = int(open(state).read()) if os.path.exists(state) else 0
open(state, "w").write(str(n + 1))
sys.exit(n % 2)
)";

class PatchWatch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("patchwatch");
    std::string why;
    sd_ = testing::SystemdUserManager::start(dir_ / "sd", why);
    ASSERT_TRUE(sd_) << "no systemd user manager: " << why;
    am_bin_ = testing::find_on_path("prometheus-alertmanager");
    ASSERT_FALSE(am_bin_.empty()) << "apt-get install prometheus-alertmanager";
  }

  void TearDown() override {
    if (daemon_) testing::stop_patchpartyd(*daemon_, 15s);
    if (am_) {
      am_->signal(SIGTERM);
      am_->wait(5s);
    }
    sd_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string unit_env() const {
    std::string s;
    for (const auto& [k, v] : sd_->env()) s += "Environment=" + k + "=" + v + "\n";
    return s;
  }

  void write_units() {
    const std::string d = dir_.string();
    write_file(dir_ / "app.py", kApp);
    write_file(dir_ / "flap.py", kFlap);
    write_file(dir_ / "web.conf", "200\n");
    write_file(dir_ / "web.good", "200\n");
    write_file(sd_->unit_dir() / "web.service", "[Service]\nExecStart=/usr/bin/python3 " + d +
                                                    "/app.py " + std::to_string(web_port_) + " " +
                                                    d + "/web.conf\n");
    // The rollback: the instance names the target; restore its config, restart it.
    write_file(sd_->unit_dir() / "patchparty-rollback@.service",
               "[Service]\nType=oneshot\n" + unit_env() + "ExecStart=/bin/cp " + d + "/%i.good " +
                   d + "/%i.conf\nExecStart=/bin/systemctl --user restart %i.service\n");
    // A rollback that always fails, and records each time it was started.
    write_file(sd_->unit_dir() / "failing-rollback@.service",
               "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo run >> " + d +
                   "/%i.rollbacks; exit 1'\n");
    ASSERT_EQ(sd_->run({"systemctl", "--user", "daemon-reload"}).code, 0);
    ASSERT_EQ(sd_->run({"systemctl", "--user", "start", "web.service"}).code, 0);
  }

  void start_alertmanager() {
    am_port_ = testing::free_port();
    am_ = testing::start_alertmanager(am_bin_, dir_, am_port_, hook_.url("/hook"));
    testing::wait_alertmanager_ready(*am_, am_port_, 15s);
  }

  std::string target(const std::string& name, const std::string& packages, const std::string& check,
                     const std::string& window, const std::string& rollback,
                     int failure_threshold = 4) const {
    return "  - name: " + name + "\n    packages: [" + packages + "]\n    checks: [" + check +
           "]\n    watch: {window: " + window +
           ", baseline: 1m, failure_threshold: " + std::to_string(failure_threshold) +
           ", consecutive_failures: 2, "
           "recovery_successes: 2}\n    rollback: " +
           rollback + "\n";
  }

  void start_daemon() {
    const std::string d = dir_.string();
    daemon_port_ = testing::free_port();
    write_file(dir_ / "root/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    write_file(dir_ / "root/var/log/dpkg.log", "");
    write_file(dir_ / "token", "s3cret-token\n");
    const std::string unit_rb =
        "{enabled: true, systemd_unit: \"patchparty-rollback@{target}.service\", bus: user, "
        "timeout: 30s}";
    write_file(
        dir_ / "pp.yml",
        "listen: 127.0.0.1:" + std::to_string(daemon_port_) +
            "\nhost_name: test-host\njitter: 0\nshutdown_timeout: 5s\ninventory:\n  root: " + d +
            "/root\n  dpkg_log:\n    interval: 1s\nfeeds: []\napi:\n  token_file: " + d +
            "/token\nalerting:\n"
            "  alertmanagers: [http://127.0.0.1:" +
            std::to_string(am_port_) +
            "]\n  resend_interval: 2s\n  timeout: 2s\nhealth:\n  history: 300\n  checks:\n"
            "    - {name: web, kind: http, url: \"http://127.0.0.1:" +
            std::to_string(web_port_) +
            "/healthz\", interval: 1s, timeout: 1s}\n"
            "    - {name: broken, kind: command, command: [/usr/bin/test, -e, " +
            d +
            "/broken.ok], interval: 1s}\n"
            "    - {name: before, kind: command, command: [/usr/bin/test, -e, " +
            d +
            "/before.ok], interval: 1s}\n"
            "    - {name: flap, kind: command, command: [/usr/bin/python3, " +
            d + "/flap.py, " + d + "/flap.state, " + d +
            "/flap.armed], interval: 1s}\n"
            "    - {name: meta, kind: command, command: [/usr/bin/test, -e, " +
            d +
            "/meta.ok], interval: 1s}\n"
            "targets:\n" +
            target("web", "", "web", "1m", unit_rb) +
            target("broken", "", "broken", "1m",
                   "{enabled: true, systemd_unit: \"failing-rollback@{target}.service\", bus: "
                   "user, timeout: 30s}") +
            target("before", "", "before", "8s", unit_rb) +
            target("flap", "", "flap", "8s", unit_rb, /*failure_threshold=*/7) +
            target("meta", "metapkg", "meta", "1m",
                   "{enabled: true, command: [/usr/bin/touch, \"" + d +
                       "/meta-{from_version}\"], timeout: 10s}"));
    write_file(dir_ / "broken.ok", "");
    write_file(dir_ / "meta.ok", "");
    daemon_ = std::make_unique<testing::Subprocess>(testing::patchpartyd_argv(dir_),
                                                    std::map<std::string, std::string>{},
                                                    dir_ / "pp.out", dir_ / "pp.err");
    ASSERT_GT(daemon_->pid(), 0);
  }

  testing::RunResult deploy(const std::string& target, const std::string& version) {
    return testing::run({PATCHPARTY_BIN, "deploy", "--config", (dir_ / "pp.yml").string(),
                         "--target", target, "--version", version, "--previous", "1"},
                        dir_);
  }

  // `patchparty events --json`, by target: the newest event's verdict and rollback.
  std::map<std::string, std::pair<std::string, std::string>> events() {
    auto r = testing::run({PATCHPARTY_BIN, "events", "--json", "--config",
                           (dir_ / "pp.yml").string(), "--state-dir", (dir_ / "state").string()},
                          dir_);
    std::map<std::string, std::pair<std::string, std::string>> out;
    rapidjson::Document d;
    d.Parse(r.out.c_str());
    if (!d.IsObject() || !d.HasMember("events")) return out;
    for (const auto& e : d["events"].GetArray()) {
      const std::string t = e["target"].GetString();
      if (out.count(t)) continue;  // newest first
      out[t] = {e["verdict"].IsString() ? e["verdict"].GetString() : "",
                e["rollback"].IsString() ? e["rollback"].GetString() : ""};
    }
    return out;
  }

  template <class Pred>
  bool eventually(Pred done, std::chrono::seconds limit) {
    const auto deadline = SteadyClock::now() + limit;
    while (SteadyClock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  fs::path dir_;
  std::unique_ptr<testing::SystemdUserManager> sd_;
  std::string am_bin_;
  int am_port_ = 0, daemon_port_ = 0, web_port_ = testing::free_port();
  testing::PostCollector hook_;
  std::unique_ptr<testing::Subprocess> am_, daemon_;
};

TEST_F(PatchWatch, EndToEnd) {
  write_units();
  start_alertmanager();
  start_daemon();
  // A baseline first: every check probed a few times before any patch.
  ASSERT_TRUE(eventually(
      [&] {
        auto m = testing::http_get(daemon_port_, "/metrics").body;
        return m.find("patchparty_health_check_up{check=\"web\"} 1") != std::string::npos &&
               m.find("patchparty_health_check_up{check=\"before\"} 0") != std::string::npos;
      },
      30s))
      << daemon_->err();
  std::this_thread::sleep_for(2500ms);
  auto m = testing::http_get(daemon_port_, "/metrics").body;
  EXPECT_THAT(m, HasSubstr("patchparty_rollbacks_total{outcome=\"failed\",target=\"web\"} 0"));

  // The patches, each reported first, as a deploy tool would, then applied.
  const auto patched = SteadyClock::now();
  ASSERT_EQ(deploy("web", "2").code, 0);
  write_file(dir_ / "web.conf", "500\n");
  ASSERT_EQ(sd_->run({"systemctl", "--user", "restart", "web.service"}).code, 0);
  ASSERT_EQ(deploy("broken", "2").code, 0);
  fs::remove(dir_ / "broken.ok");
  ASSERT_EQ(deploy("before", "2").code, 0);
  ASSERT_EQ(deploy("flap", "2").code, 0);
  write_file(dir_ / "flap.armed", "");
  auto refused = deploy("meta", "2$(id)");
  EXPECT_NE(refused.code, 0);
  EXPECT_THAT(refused.err, HasSubstr("only letters, digits"));
  {
    std::ofstream log(dir_ / "root/var/log/dpkg.log", std::ios::app);
    log << log_time() << " upgrade metapkg:amd64 1.0$(id) 2.0\n";
  }
  ASSERT_TRUE(eventually([&] { return events().count("metapkg") > 0; }, 20s)) << daemon_->err();
  fs::remove(dir_ / "meta.ok");

  // web: regression pages, the rollback unit runs, the recovery is verified.
  ASSERT_TRUE(hook_.wait_for(
      [](const auto& p) { return was_notified(p, "firing", "PatchPartyPatchRegressed", "web"); },
      60s))
      << daemon_->err();
  std::pair<std::string, std::string> web;
  ASSERT_TRUE(eventually(
      [&] {
        web = events()["web"];
        return web.second.starts_with("succeeded:");
      },
      60s))
      << web.first << " / " << web.second << "\n"
      << daemon_->err();
  const auto recovered = SteadyClock::now();
  EXPECT_THAT(web.first, HasSubstr("regressed: web:"));
  EXPECT_THAT(web.second, HasSubstr("patchparty-rollback@web.service"));
  std::ifstream conf(dir_ / "web.conf");
  std::string status;
  conf >> status;
  EXPECT_EQ(status, "200");
  EXPECT_EQ(testing::http_get(web_port_, "/healthz").status, 200);
  ASSERT_TRUE(hook_.wait_for(
      [](const auto& p) { return was_notified(p, "resolved", "PatchPartyPatchRegressed", "web"); },
      30s));
  const auto resolved = SteadyClock::now();
  std::printf(
      "patch event -> verified recovery: %.1f s; -> resolved at Alertmanager's "
      "receiver: %.1f s\n",
      std::chrono::duration<double>(recovered - patched).count(),
      std::chrono::duration<double>(resolved - patched).count());

  // broken: the failed rollback is reported and paged, and not started again.
  std::pair<std::string, std::string> broken;
  ASSERT_TRUE(eventually(
      [&] {
        broken = events()["broken"];
        return broken.second.starts_with("failed:");
      },
      30s))
      << broken.second;
  EXPECT_THAT(broken.second, HasSubstr("failing-rollback@broken.service"));
  EXPECT_TRUE(hook_.wait_for(
      [](const auto& p) { return was_notified(p, "firing", "PatchPartyRollbackFailed", "broken"); },
      30s));

  // meta: refused before anything ran.
  std::pair<std::string, std::string> meta;
  ASSERT_TRUE(eventually(
      [&] {
        meta = events()["metapkg"];
        return meta.second.starts_with("refused:");
      },
      30s))
      << meta.second;
  EXPECT_THAT(meta.second, HasSubstr("{from_version}"));
  EXPECT_TRUE(hook_.wait_for(
      [](const auto& p) { return was_notified(p, "firing", "PatchPartyRollbackFailed", "meta"); },
      30s));

  // before and flap: their windows pass without blame.
  std::map<std::string, std::pair<std::string, std::string>> all;
  ASSERT_TRUE(eventually(
      [&] {
        all = events();
        return all["before"].first.starts_with("passed") && all["flap"].first.starts_with("passed");
      },
      30s))
      << all["before"].first << " / " << all["flap"].first;
  EXPECT_THAT(all["before"].first, HasSubstr("before was already failing before the patch"));
  EXPECT_TRUE(all["before"].second.empty()) << all["before"].second;
  EXPECT_TRUE(all["flap"].second.empty()) << all["flap"].second;
  EXPECT_FALSE(fs::exists(dir_ / "before.conf"));  // its rollback unit never ran
  EXPECT_FALSE(fs::exists(dir_ / "flap.conf"));
  std::ifstream flap_state(dir_ / "flap.state");
  int flap_probes = 0;
  flap_state >> flap_probes;
  EXPECT_GE(flap_probes, 6) << "the flapping check failed every other probe in the window";
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_FALSE(e.path().filename().string().starts_with("meta-")) << e.path();

  // Still one run of the failing rollback, a while later.
  std::this_thread::sleep_for(3s);
  std::ifstream runs_file(dir_ / "broken.rollbacks");
  int runs = 0;
  for (std::string line; std::getline(runs_file, line);) ++runs;
  EXPECT_EQ(runs, 1);

  m = testing::http_get(daemon_port_, "/metrics").body;
  EXPECT_THAT(m, HasSubstr("patchparty_rollbacks_total{outcome=\"succeeded\",target=\"web\"} 1"));
  EXPECT_THAT(m, HasSubstr("patchparty_rollbacks_total{outcome=\"failed\",target=\"broken\"} 1"));
  EXPECT_THAT(m, HasSubstr("patchparty_rollbacks_total{outcome=\"refused\",target=\"meta\"} 1"));
  EXPECT_THAT(m,
              HasSubstr("patchparty_rollbacks_total{outcome=\"succeeded\",target=\"before\"} 0"));
  EXPECT_THAT(m, HasSubstr("patchparty_patch_events_total{kind=\"deploy\"} 4"));
  EXPECT_THAT(m, HasSubstr("patchparty_patch_events_total{kind=\"upgrade\"} 1"));
  for (const auto& n : notified(hook_.posts()))
    EXPECT_TRUE(n.target != "before" && n.target != "flap") << n.alertname << " " << n.target;
  // The timeline as the daemon logged it, for the reader of the test's output.
  std::istringstream log(daemon_->err());
  for (std::string line; std::getline(log, line);)
    if (line.find("watch") != std::string::npos || line.find("rollback") != std::string::npos)
      std::printf("%s\n", line.c_str());
}

}  // namespace
}  // namespace patchparty
