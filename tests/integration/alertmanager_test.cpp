// patchpartyd against the real Alertmanager (Debian's prometheus-alertmanager): a KEV finding
// fires, fixing the package resolves it, and an Alertmanager that starts late still gets it.
// Alertmanager's notifications go to a webhook receiver of the test's own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <memory>
#include <thread>

#include "tests/support/alertmanager_process.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/post_collector.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::write_file;

// PwnKit: DSA-5059-1 fixed it in bullseye's policykit-1 0.105-31+deb11u1, and CISA lists it.
constexpr std::string_view kCve = "CVE-2021-4034";
constexpr std::string_view kVulnerable = "0.105-31";
constexpr std::string_view kFixed = "0.105-31+deb11u1";

std::string str(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

// One alert of one webhook notification, flattened.
struct Notified {
  std::string status;  // "firing" or "resolved"
  std::map<std::string, std::string> labels;
};

std::vector<Notified> notified(const std::vector<testing::Posted>& posts) {
  std::vector<Notified> out;
  for (const auto& p : posts) {
    rapidjson::Document d;
    d.Parse(p.body.c_str(), p.body.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("alerts")) continue;
    for (const auto& a : d["alerts"].GetArray()) {
      Notified n{str(a, "status"), {}};
      for (const auto& l : a["labels"].GetObject())
        n.labels[l.name.GetString()] = l.value.GetString();
      out.push_back(std::move(n));
    }
  }
  return out;
}

bool has(const std::vector<testing::Posted>& posts, std::string_view status) {
  for (const auto& n : notified(posts))
    if (n.status == status && n.labels.count("vulnerability") &&
        n.labels.at("vulnerability") == kCve)
      return true;
  return false;
}

class AlertmanagerIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    alertmanager_bin_ = testing::find_on_path("prometheus-alertmanager");
    ASSERT_FALSE(alertmanager_bin_.empty())
        << "prometheus-alertmanager not found: apt-get install prometheus-alertmanager";
    dir_ = testing::temp_dir("alertmanager");
    am_port_ = testing::free_port();
    write_file(dir_ / "root/etc/os-release", "ID=debian\nVERSION_ID=\"11\"\n");
    set_policykit(kVulnerable);
  }

  void TearDown() override {
    if (daemon_) testing::stop_patchpartyd(*daemon_, 10s);
    if (am_) {
      am_->signal(SIGTERM);
      am_->wait(5s);
    }
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void set_policykit(std::string_view version) {
    write_file(dir_ / "root/var/lib/dpkg/status",
               "Package: policykit-1\nStatus: install ok installed\nArchitecture: amd64\n"
               "Version: " +
                   std::string(version) + "\n\n");
  }

  void start_alertmanager() {
    am_ = testing::start_alertmanager(alertmanager_bin_, dir_, am_port_, hook_.url("/hook"));
    ASSERT_GT(am_->pid(), 0);
    testing::wait_alertmanager_ready(*am_, am_port_, 10s);
  }

  void start_daemon(std::string_view resend_interval) {
    daemon_port_ = testing::free_port();
    const auto dsa = testing::test_data("debian/DSA-list.txt");
    const auto kev = testing::test_data("kev/known_exploited_vulnerabilities.json");
    write_file(
        dir_ / "pp.yml",
        "listen: 127.0.0.1:" + std::to_string(daemon_port_) +
            "\nhost_name: test-host\njitter: 0\ninventory:\n  root: " + (dir_ / "root").string() +
            "\nfeeds:\n  - kind: debian-dsa-list\n    url: file://" + dsa.string() +
            "\n  - kind: kev\n    url: file://" + kev.string() +
            "\nalerting:\n  alertmanagers: [http://127.0.0.1:" + std::to_string(am_port_) +
            "]\n  resend_interval: " + std::string(resend_interval) + "\n  timeout: 2s\n");
    daemon_ = std::make_unique<testing::Subprocess>(testing::patchpartyd_argv(dir_),
                                                    std::map<std::string, std::string>{},
                                                    dir_ / "pp.out", dir_ / "pp.err");
    ASSERT_GT(daemon_->pid(), 0);
  }

  std::string alertmanager_bin_;
  std::filesystem::path dir_;
  int am_port_ = 0, daemon_port_ = 0;
  testing::PostCollector hook_;
  std::unique_ptr<testing::Subprocess> am_, daemon_;
};

TEST_F(AlertmanagerIntegration, KevFindingFiresAndFixingItResolves) {
  start_alertmanager();
  // A resend interval far longer than the test: the alert's own endsAt (4 intervals ahead)
  // cannot resolve it, only patchpartyd's resolution can.
  const auto started = std::chrono::steady_clock::now();
  start_daemon("10m");
  ASSERT_TRUE(hook_.wait_for([](const auto& p) { return has(p, "firing"); }, 25s))
      << daemon_->err() << am_->err();
  Notified firing;
  for (auto& n : notified(hook_.posts()))
    if (n.status == "firing") firing = n;
  EXPECT_EQ(firing.labels["alertname"], "PatchPartyVulnerability");
  EXPECT_EQ(firing.labels["host"], "test-host");
  EXPECT_EQ(firing.labels["package"], "policykit-1");
  EXPECT_EQ(firing.labels["ecosystem"], "Debian:11");
  EXPECT_EQ(firing.labels["vulnerability"], kCve);
  EXPECT_TRUE(firing.labels.count("severity"));
  EXPECT_FALSE(firing.labels.count("project")) << "a host package";
  EXPECT_FALSE(has(hook_.posts(), "resolved"));

  // The fix lands; SIGHUP makes the daemon inventory again at once.
  const auto ms = [](auto d) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  RecordProperty("start_to_firing_ms", ms(std::chrono::steady_clock::now() - started));

  set_policykit(kFixed);
  const auto fixed = std::chrono::steady_clock::now();
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(hook_.wait_for([](const auto& p) { return has(p, "resolved"); }, 20s))
      << daemon_->err();
  RecordProperty("sighup_to_resolved_ms", ms(std::chrono::steady_clock::now() - fixed));
  EXPECT_THAT(daemon_->err(), HasSubstr("alerting to 1 Alertmanager(s)"));
}

TEST_F(AlertmanagerIntegration, AlertmanagerDownAtStartGetsTheAlertOnceUp) {
  // Alertmanager's port is chosen but nothing listens on it yet.
  start_daemon("2s");
  auto failures = [&] {
    const std::string body = testing::http_get(daemon_port_, "/metrics").body;
    const std::string prefix = "patchparty_alerts_sent_total{outcome=\"failure\"} ";
    auto at = body.find(prefix);
    return at == std::string::npos ? 0.0 : std::stod(body.substr(at + prefix.size()));
  };
  // The daemon keeps working (its /metrics answers) and counts each failed POST.
  const auto deadline = std::chrono::steady_clock::now() + 25s;
  while (failures() < 2 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(daemon_->running()) << daemon_->err();
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_GE(failures(), 2) << daemon_->err();
  EXPECT_EQ(testing::http_get(daemon_port_, "/metrics").status, 200);
  // One warning for the whole outage, not one per retry.
  const std::string err = daemon_->err();
  std::size_t warnings = 0;
  for (auto at = err.find("alerting: cannot deliver"); at != std::string::npos;
       at = err.find("alerting: cannot deliver", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << err;

  start_alertmanager();
  ASSERT_TRUE(hook_.wait_for([](const auto& p) { return has(p, "firing"); }, 15s))
      << daemon_->err() << am_->err();
  EXPECT_THAT(testing::http_get(daemon_port_, "/metrics").body,
              HasSubstr("patchparty_alerts_sent_total{outcome=\"success\"} "));
  EXPECT_THAT(daemon_->err(), HasSubstr("accepts alerts again"));
}

}  // namespace
}  // namespace patchparty
