// The fleet's party on real parts: six real patchpartyd on loopback ports (three Debian 11 hosts
// in three waves, an AlmaLinux 8 and a RHEL 8.6 host with real rpmdbs, a Debian 12 host with a
// Composer project), each with its own root and the same file:// feeds and read token; a real
// Prometheus finds them through file_sd; `patchparty fleet` asks Prometheus for its targets and
// merges the hosts' backlogs. One daemon is stopped midway and a wrong token is tried.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/base/http_client.h"
#include "tests/support/eventually.h"
#include "tests/support/grafana_dashboard.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::write_file;

using testing::eventually;

struct Host {
  std::string name, wave;
  int port = 0;
  fs::path dir;
  std::set<std::string> packages;  // the names in its package database, read by the test
  std::unique_ptr<testing::Subprocess> daemon;
  std::string instance() const { return "127.0.0.1:" + std::to_string(port); }
};

// Package names of a dpkg status file.
std::set<std::string> dpkg_names(const fs::path& status) {
  std::set<std::string> out;
  std::ifstream in(status);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("Package: ")) out.insert(line.substr(9));
  return out;
}

class Fleet : public ::testing::Test {
 protected:
  void SetUp() override {
    prometheus_bin_ = testing::find_on_path("prometheus");
    ASSERT_FALSE(prometheus_bin_.empty()) << "prometheus not found: apt-get install prometheus";
    dir_ = testing::temp_dir("fleet");
    write_file(dir_ / "read.token", "fleet-reader-7f3a\n");
    write_file(dir_ / "wrong.token", "not-the-token\n");
    const std::string feeds =
        "feeds:\n"
        "  - kind: debian-dsa-list\n    only: [bullseye]\n    url: file://" +
        testing::test_data("debian/DSA-list.txt").string() + "\n  - kind: kev\n    url: file://" +
        testing::test_data("kev/known_exploited_vulnerabilities.json").string() +
        "\n  - kind: friendsofphp\n    url: file://" + testing::test_data("friendsofphp").string() +
        "\n  - kind: osv\n    name: almalinux\n    url: file://" +
        testing::test_data("osv/distros/almalinux/almalinux8").string() +
        "\n  - kind: osv\n    name: redhat\n    url: file://" +
        testing::test_data("osv/distros/redhat").string() + "\n";

    const std::pair<const char*, const char*> debian[] = {
        {"deb-b", "1"}, {"deb-a", "canary"}, {"deb-c", "2"}};
    for (auto [name, wave] : debian) {
      Host& h = add_host(name, wave);
      testing::write_bullseye_root(h.dir / "root");
      h.packages = dpkg_names(h.dir / "root/var/lib/dpkg/status");
    }
    Host& alma = add_host("alma-1", "1");
    fs::create_directories(alma.dir / "root/var/lib/rpm");
    fs::copy_file(testing::test_data("rpmdb/libuuid-el8/Packages"),
                  alma.dir / "root/var/lib/rpm/Packages");
    fs::permissions(alma.dir / "root/var/lib/rpm/Packages",
                    fs::perms::owner_read | fs::perms::owner_write);
    write_file(alma.dir / "root/etc/os-release", "ID=almalinux\nVERSION_ID=8.8\n");
    alma.packages = {"libuuid"};  // rpmdb/libuuid-el8/expected-packages.tsv
    // A RHEL 8.6 host (the real ubi8 Berkeley DB rpmdb, tzdata alone): nothing to upgrade, but
    // it is asked and counted like the others.
    Host& rhel = add_host("rhel-1", "2");
    fs::create_directories(rhel.dir / "root/var/lib/rpm");
    fs::copy_file(testing::test_data("rpmdb/ubi8-tzdata-bdb/Packages"),
                  rhel.dir / "root/var/lib/rpm/Packages");
    fs::permissions(rhel.dir / "root/var/lib/rpm/Packages",
                    fs::perms::owner_read | fs::perms::owner_write);
    write_file(rhel.dir / "root/etc/os-release", "ID=rhel\nVERSION_ID=8.6\n");
    rhel.packages = {"tzdata"};
    Host& app = add_host("app-1", "");
    testing::write_bookworm_root(app.dir / "root");
    fs::create_directories(app.dir / "root/srv/demo");
    fs::copy_file(testing::test_data("lockfiles/symfony-demo-v1.7.1-composer.lock"),
                  app.dir / "root/srv/demo/composer.lock");

    std::string targets;
    for (auto& h : hosts_) {
      write_file(h.dir / "pp.yml",
                 "listen: " + h.instance() + "\nhost_name: " + h.name + "\n" +
                     (h.wave.empty() ? "" : "party:\n  wave: \"" + h.wave + "\"\n") +
                     "inventory:\n  root: " + (h.dir / "root").string() +
                     (h.name == "app-1" ? "\nprojects:\n  - name: demo\n    path: /srv/demo" : "") +
                     "\napi:\n  read_token_file: " + (dir_ / "read.token").string() + "\n" + feeds);
      h.daemon = std::make_unique<testing::Subprocess>(testing::patchpartyd_argv(h.dir),
                                                       std::map<std::string, std::string>{},
                                                       h.dir / "out", h.dir / "err");
      ASSERT_GT(h.daemon->pid(), 0);
      targets += (targets.empty() ? "\"" : ", \"") + h.instance() + "\"";
    }
    // Prometheus finds the daemons in a file_sd file; its own target is another job.
    write_file(dir_ / "targets.json", "[{\"targets\": [" + targets + "], \"labels\": {}}]\n");
    prom_port_ = testing::free_port();
    write_file(dir_ / "prometheus.yml",
               "global:\n  scrape_interval: 1s\nscrape_configs:\n"
               "  - job_name: patchparty\n    file_sd_configs:\n      - files: ['" +
                   (dir_ / "targets.json").string() +
                   "']\n        refresh_interval: 1s\n"
                   "  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:" +
                   std::to_string(prom_port_) + "']\n");
    prometheus_ = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{prometheus_bin_,
                                 "--config.file=" + (dir_ / "prometheus.yml").string(),
                                 "--storage.tsdb.path=" + (dir_ / "tsdb").string(),
                                 "--web.listen-address=127.0.0.1:" + std::to_string(prom_port_)},
        std::map<std::string, std::string>{}, dir_ / "prometheus.out", dir_ / "prometheus.err");
    ASSERT_TRUE(eventually(20s, [&] {
      return testing::http_get(prom_port_, "/-/ready").status == 200;
    })) << prometheus_->err();
    // Every daemon has scanned once (its readyz) and Prometheus lists all six targets.
    for (auto& h : hosts_)
      ASSERT_TRUE(
          eventually(90s, [&] { return testing::http_get(h.port, "/readyz").status == 200; }))
          << h.name << ": " << h.daemon->err();
    ASSERT_TRUE(eventually(30s, [&] {
      auto r = testing::http_get(prom_port_, "/api/v1/targets?state=active");
      rapidjson::Document doc;
      doc.Parse(r.body.c_str());
      return !doc.HasParseError() && doc.IsObject() && doc.HasMember("data") &&
             doc["data"]["activeTargets"].Size() == hosts_.size() + 1;
    }));
  }

  void TearDown() override {
    if (prometheus_ && prometheus_->pid() > 0) {
      prometheus_->signal(SIGTERM);
      EXPECT_TRUE(prometheus_->wait(15s).has_value());
    }
    for (auto& h : hosts_)
      if (h.daemon && h.daemon->running()) testing::stop_patchpartyd(*h.daemon, 10s);
    if (!HasFailure()) fs::remove_all(dir_);
  }

  Host& add_host(const std::string& name, const std::string& wave) {
    Host h;
    h.name = name;
    h.wave = wave;
    h.port = testing::free_port();
    h.dir = dir_ / name;
    fs::create_directories(h.dir);
    hosts_.push_back(std::move(h));
    return hosts_.back();
  }

  Host& host(std::string_view name) {
    for (auto& h : hosts_)
      if (h.name == name) return h;
    throw std::out_of_range(std::string(name));
  }

  testing::RunResult fleet(std::vector<std::string> args) {
    std::vector<std::string> argv = {PATCHPARTY_BIN, "fleet"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, dir_, std::nullopt, {}, 60s);
  }

  std::string prometheus_url() const { return "http://127.0.0.1:" + std::to_string(prom_port_); }

  std::string prometheus_bin_;
  fs::path dir_;
  int prom_port_ = 0;
  std::vector<Host> hosts_;
  std::unique_ptr<testing::Subprocess> prometheus_;
};

const rapidjson::Value* task_of(const rapidjson::Document& doc, std::string_view package) {
  for (const auto& t : doc["tasks"].GetArray())
    if (t["package"].GetString() == package) return &t;
  return nullptr;
}

std::vector<std::string> task_hosts(const rapidjson::Value& task) {
  std::vector<std::string> out;
  for (const auto& h : task["hosts"].GetArray())
    out.push_back(std::string(h["host"].GetString()) + "@" +
                  (h["wave"].IsNull() ? "-" : h["wave"].GetString()));
  return out;
}

TEST_F(Fleet, MergesEveryHostPrometheusFindsAndSaysWhichAreMissing) {
  const std::string token = "--token-file=" + (dir_ / "read.token").string();
  // Without the token every host refuses: none is included, and the exit code says partial.
  auto refused = fleet({"backlog", "--prometheus", prometheus_url(), "--token-file",
                        (dir_ / "wrong.token").string(), "--format", "json"});
  EXPECT_EQ(refused.code, 3) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("401: wrong bearer token"));

  auto run = fleet({"backlog", "--prometheus", prometheus_url(), token, "--format", "json", "-o",
                    (dir_ / "fleet.json").string()});
  ASSERT_EQ(run.code, 1) << run.err;
  rapidjson::Document doc;
  doc.Parse(testing::file_bytes(dir_ / "fleet.json").c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["schema"].GetString(), "patchparty.fleet-backlog/v1");
  EXPECT_EQ(doc["summary"]["hosts"].GetInt(), 6);
  bool rhel_counted = false;
  for (const auto& h : doc["hosts"].GetArray())
    if (std::string_view(h["host"].GetString()) == "rhel-1")
      rhel_counted = h["tasks"].GetInt() == 0 && std::string_view(h["wave"].GetString()) == "2";
  EXPECT_TRUE(rhel_counted);
  EXPECT_EQ(doc["hosts_not_included"].Size(), 0u);

  // policykit-1 on the three Debian 11 hosts is one task, its hosts by wave, canary first.
  const rapidjson::Value* polkit = task_of(doc, "policykit-1");
  ASSERT_NE(polkit, nullptr) << run.out;
  EXPECT_THAT(task_hosts(*polkit), ElementsAre("deb-a@canary", "deb-b@1", "deb-c@2"));
  EXPECT_EQ((*polkit)["host_count"].GetInt(), 3);
  EXPECT_TRUE((*polkit)["kev"].GetBool());  // CVE-2021-4034
  EXPECT_EQ((*polkit)["rank"].GetInt(), 1);
  EXPECT_STREQ((*polkit)["ecosystem"].GetString(), "Debian:11");
  // The AlmaLinux host's util-linux and the project's packages are tasks of their own.
  const rapidjson::Value* util_linux = task_of(doc, "util-linux");
  ASSERT_NE(util_linux, nullptr);
  EXPECT_THAT(task_hosts(*util_linux), ElementsAre("alma-1@1"));
  std::size_t project_tasks = 0;
  for (const auto& t : doc["tasks"].GetArray()) {
    if (t["project"].IsNull()) continue;
    ++project_tasks;
    EXPECT_STREQ(t["project"].GetString(), "demo");
    EXPECT_THAT(task_hosts(t), ElementsAre("app-1@-"));
  }
  EXPECT_GT(project_tasks, 0u);

  // Every command names packages that host really has, with its own package manager.
  for (const auto& t : doc["tasks"].GetArray()) {
    for (const auto& h : t["hosts"].GetArray()) {
      const Host& owner = host(h["host"].GetString());
      ASSERT_TRUE(h["command"].IsObject()) << t["title"].GetString();
      std::vector<std::string> argv;
      for (const auto& a : h["command"]["argv"].GetArray()) argv.push_back(a.GetString());
      ASSERT_FALSE(argv.empty());
      if (argv[0] == "apt-get") {
        ASSERT_GE(argv.size(), 4u);
        for (std::size_t i = 3; i < argv.size(); ++i)
          EXPECT_TRUE(owner.packages.count(argv[i].substr(0, argv[i].find('='))))
              << argv[i] << " is not installed on " << owner.name;
      } else if (argv[0] == "dnf") {
        EXPECT_EQ(owner.name, "alma-1");
        const std::string last = argv.back();
        EXPECT_TRUE(last.starts_with("--advisory=ALSA-") || last.starts_with("libuuid-")) << last;
      } else {
        EXPECT_EQ(argv[0], "composer");
        EXPECT_EQ(owner.name, "app-1");
        EXPECT_STREQ(h["command"]["directory"].GetString(), "/srv/demo");
      }
    }
  }

  // The same merge, for the party: Markdown from the static list and from file_sd agree.
  auto md =
      fleet({"backlog", "--file-sd", (dir_ / "targets.json").string(), token, "--format", "md"});
  ASSERT_EQ(md.code, 1) << md.err;
  EXPECT_THAT(md.out, HasSubstr("# Fleet patch party backlog"));
  EXPECT_THAT(md.out, HasSubstr("Upgrade `policykit-1`"));
  std::cout << "---- fleet backlog (Markdown) ----\n" << md.out << "----\n";

  auto status = fleet({"status", "--prometheus", prometheus_url(), token, "--format", "json"});
  EXPECT_EQ(status.code, 0) << status.err << status.out;
  rapidjson::Document st;
  st.Parse(status.out.c_str());
  ASSERT_FALSE(st.HasParseError()) << status.out;
  ASSERT_EQ(st["hosts"].Size(), 6u);
  for (const auto& h : st["hosts"].GetArray()) {
    EXPECT_TRUE(h["reachable"].GetBool());
    EXPECT_STREQ(h["version"].GetString(), PP_VERSION);
    EXPECT_FALSE(h["stale"].GetBool()) << h["host"].GetString();
  }

  // The fleet dashboard's every query evaluates on this Prometheus, and the packages pending on
  // the most hosts put policykit-1 (three hosts) first.
  rapidjson::Document dashboard;
  dashboard.Parse(
      testing::read_text(fs::path(PP_SOURCE_DIR) / "exporters/grafana/patchparty-fleet.json")
          .c_str());
  ASSERT_FALSE(dashboard.HasParseError());
  const auto queries = testing::dashboard_queries(dashboard);
  ASSERT_GE(queries.size(), 10u);
  auto query = [&](const std::string& expr) {
    rapidjson::Document doc;
    auto r = testing::http_get(prom_port_, "/api/v1/query?query=" + url_escape(expr));
    doc.Parse(r.body.c_str());
    return std::pair{r, std::move(doc)};
  };
  for (const auto& q : queries) {
    auto [r, doc] = query(testing::substitute_variables(q.expr, {{"job", "patchparty.*"}}));
    EXPECT_EQ(r.status, 200) << q.panel << ": " << q.expr << "\n" << r.body;
  }
  std::string top;
  EXPECT_TRUE(eventually(20s, [&] {
    auto [r, doc] =
        query("topk(1, count by (package) (patchparty_upgrade_pending{job=\"patchparty\"}))");
    if (doc.HasParseError() || !doc.IsObject() || doc["data"]["result"].Empty()) return false;
    top = std::string(doc["data"]["result"][0]["metric"]["package"].GetString()) + "=" +
          doc["data"]["result"][0]["value"][1].GetString();
    return top == "policykit-1=3";
  })) << top;

  // A sixth daemon keeps the fleet's plan itself (fleet: from the same file_sd): it serves it
  // and writes it for its next party, due every minute here.
  const fs::path planner = dir_ / "planner";
  testing::write_bookworm_root(planner / "root");
  const int planner_port = testing::free_port();
  write_file(planner / "pp.yml",
             "listen: 127.0.0.1:" + std::to_string(planner_port) + "\nhost_name: planner\n" +
                 "inventory:\n  root: " + (planner / "root").string() +
                 "\nfeeds:\n  - kind: kev\n    url: file://" +
                 testing::test_data("kev/known_exploited_vulnerabilities.json").string() +
                 "\nparty:\n  schedule: \"* * * * *\"\n  time_zone: UTC\n  export_dir: " +
                 (planner / "exports").string() +
                 "\nfleet:\n  file_sd: " + (dir_ / "targets.json").string() +
                 "\n  token_file: " + (dir_ / "read.token").string() +
                 "\napi:\n  read_token_file: " + (dir_ / "read.token").string() + "\n");
  testing::Subprocess planner_daemon = testing::start_patchpartyd(planner);
  const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer fleet-reader-7f3a"}};
  testing::HttpResponse served;
  ASSERT_TRUE(eventually(60s,
                         [&] {
                           served = testing::http_request(planner_port, "GET",
                                                          "/api/v1/fleet/backlog", bearer);
                           return served.status == 200;
                         }))
      << served.status << " " << served.body << planner_daemon.err();
  rapidjson::Document fleet_doc;
  fleet_doc.Parse(served.body.c_str());
  ASSERT_FALSE(fleet_doc.HasParseError());
  EXPECT_STREQ(fleet_doc["schema"].GetString(), "patchparty.fleet-backlog/v1");
  EXPECT_EQ(fleet_doc["summary"]["hosts"].GetInt(), 6);
  EXPECT_THAT(task_hosts(*task_of(fleet_doc, "policykit-1")),
              ElementsAre("deb-a@canary", "deb-b@1", "deb-c@2"));
  EXPECT_EQ(testing::http_request(planner_port, "GET", "/api/v1/fleet/backlog").status, 401);
  auto md_served =
      testing::http_request(planner_port, "GET", "/api/v1/fleet/backlog?format=md", bearer);
  EXPECT_THAT(md_served.body, HasSubstr("# Fleet patch party backlog"));
  auto status_served = testing::http_request(planner_port, "GET", "/api/v1/fleet/status", bearer);
  EXPECT_EQ(status_served.status, 200);
  EXPECT_THAT(status_served.body, HasSubstr("patchparty.fleet-status/v1"));
  ASSERT_TRUE(eventually(30s, [&] {
    return fs::exists(planner / "exports/fleet-backlog.md") &&
           fs::exists(planner / "exports/fleet-backlog.json");
  })) << planner_daemon.err();
  EXPECT_THAT(testing::file_bytes(planner / "exports/fleet-backlog.md"),
              HasSubstr("Upgrade `policykit-1`"));
  testing::stop_patchpartyd(planner_daemon, 10s);

  // One daemon stops: the rest is merged, it is listed with the reason, exit 3.
  Host& gone = host("deb-c");
  testing::stop_patchpartyd(*gone.daemon, 10s);
  auto partial = fleet({"backlog", "--prometheus", prometheus_url(), token, "--format", "json"});
  EXPECT_EQ(partial.code, 3) << partial.err;
  rapidjson::Document p;
  p.Parse(partial.out.c_str());
  ASSERT_FALSE(p.HasParseError()) << partial.out;
  ASSERT_EQ(p["hosts_not_included"].Size(), 1u);
  EXPECT_EQ(p["hosts_not_included"][0]["instance"].GetString(), gone.instance());
  EXPECT_THAT(p["hosts_not_included"][0]["reason"].GetString(), HasSubstr("onnect"));
  const rapidjson::Value* two = task_of(p, "policykit-1");
  ASSERT_NE(two, nullptr);
  EXPECT_THAT(task_hosts(*two), ElementsAre("deb-a@canary", "deb-b@1"));

  auto findings = fleet({"findings", "--hosts",
                         "http://" + host("deb-a").instance() + ",http://" + gone.instance(), token,
                         "--format", "csv"});
  EXPECT_EQ(findings.code, 3) << findings.err;
  EXPECT_THAT(findings.out,
              HasSubstr("deb-a," + host("deb-a").instance() + ",,Debian:11,policykit-1"));
  auto down = fleet({"status", "--hosts", "http://" + gone.instance(), token});
  EXPECT_EQ(down.code, 3);
  EXPECT_THAT(down.out, HasSubstr(" no "));
}

// A host whose API speaks only mutual TLS, with a CA from the openssl command line: the fleet
// reaches it with the CA and a client certificate, and is refused without the certificate.
TEST(FleetTls, ReachesAMutualTlsHostOnlyWithAClientCertificate) {
  auto dir = testing::temp_dir("fleet-tls");
  testing::make_test_certificates(dir);
  write_file(dir / "read.token", "tls-reader\n");
  testing::write_bookworm_root(dir / "root");
  const int port = testing::free_port();
  auto config = [&](const std::string& key) {
    write_file(dir / "pp.yml",
               "listen: 127.0.0.1:" + std::to_string(port) +
                   "\nhost_name: tls-1\ninventory:\n  root: " + (dir / "root").string() +
                   "\nfeeds:\n  - kind: kev\n    url: file://" +
                   testing::test_data("kev/known_exploited_vulnerabilities.json").string() +
                   "\napi:\n  read_token_file: " + (dir / "read.token").string() +
                   "\n  tls:\n    cert_file: " + (dir / "server.pem").string() +
                   "\n    key_file: " + (dir / key).string() +
                   "\n    client_ca_file: " + (dir / "ca.pem").string() + "\n");
  };
  // A key that is not the certificate's: the daemon refuses to start.
  config("client.key");
  testing::Subprocess refused(testing::patchpartyd_argv(dir), {}, dir / "refused.out",
                              dir / "refused.err");
  EXPECT_EQ(refused.wait(20s), 2) << refused.err();
  EXPECT_THAT(refused.err(), HasSubstr("api.tls"));

  config("server.key");
  testing::Subprocess d = testing::start_patchpartyd(dir);
  const std::string url = "https://127.0.0.1:" + std::to_string(port);
  std::vector<std::string> status = {PATCHPARTY_BIN,
                                     "fleet",
                                     "status",
                                     "--hosts",
                                     url,
                                     "--token-file",
                                     (dir / "read.token").string(),
                                     "--ca-file",
                                     (dir / "ca.pem").string(),
                                     "--format",
                                     "json"};
  testing::RunResult with_cert;
  auto with_client_cert = status;
  with_client_cert.insert(with_client_cert.end(), {"--cert-file", (dir / "client.pem").string(),
                                                   "--key-file", (dir / "client.key").string()});
  ASSERT_TRUE(eventually(60s,
                         [&] {
                           with_cert = testing::run(with_client_cert, dir);
                           return with_cert.code == 0;
                         }))
      << with_cert.out << with_cert.err << d.err();
  EXPECT_THAT(with_cert.out, HasSubstr("\"host\": \"tls-1\""));
  auto without_cert = testing::run(status, dir);
  EXPECT_EQ(without_cert.code, 3) << without_cert.out;
  EXPECT_THAT(without_cert.out, HasSubstr("\"reachable\": false"));
  // The host's certificate is not trusted without its CA either.
  auto no_ca =
      testing::run({PATCHPARTY_BIN, "fleet", "backlog", "--hosts", url, "--token-file",
                    (dir / "read.token").string(), "--cert-file", (dir / "client.pem").string(),
                    "--key-file", (dir / "client.key").string()},
                   dir);
  EXPECT_EQ(no_ca.code, 3) << no_ca.err;
  EXPECT_THAT(no_ca.err, HasSubstr("not included"));
  testing::stop_patchpartyd(d, 10s);
}

}  // namespace
}  // namespace patchparty
