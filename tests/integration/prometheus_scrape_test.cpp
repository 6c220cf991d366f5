// The real patchpartyd scraped by a real Prometheus 2.42 that loads
// exporters/prometheus/alerts.yml: the values Prometheus stores agree with the daemon's SQLite
// state and `patchparty feeds status`, every query of the Grafana dashboard evaluates, and every
// alerting rule is healthy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/base/c_handles.h"
#include "tests/support/eventually.h"
#include "tests/support/grafana_dashboard.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::write_file;

std::string url_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// A Prometheus HTTP API answer: "status" and "data" (or "error").
struct ApiResult {
  int http = 0;
  std::string status, error, body;
  rapidjson::Document doc;
};

ApiResult api_get(int port, const std::string& path) {
  ApiResult r;
  auto resp = testing::http_get(port, path);
  r.http = resp.status;
  r.body = resp.body;
  r.doc.Parse(resp.body.c_str());
  if (r.doc.HasParseError() || !r.doc.IsObject()) return r;
  if (r.doc.HasMember("status") && r.doc["status"].IsString())
    r.status = r.doc["status"].GetString();
  if (r.doc.HasMember("error") && r.doc["error"].IsString()) r.error = r.doc["error"].GetString();
  return r;
}

ApiResult query(int port, const std::string& expr) {
  return api_get(port, "/api/v1/query?query=" + url_encode(expr));
}

// label value (of `by`, or "" for a single series) -> sample value, from an instant vector.
std::map<std::string, double> vector_values(const ApiResult& r, const char* by = nullptr) {
  std::map<std::string, double> out;
  if (r.status != "success" || !r.doc["data"]["result"].IsArray()) return out;
  for (const auto& s : r.doc["data"]["result"].GetArray()) {
    std::string key;
    if (by && s["metric"].HasMember(by)) key = s["metric"][by].GetString();
    out[key] = std::stod(s["value"][1].GetString());
  }
  return out;
}

std::size_t result_size(const ApiResult& r) {
  if (r.status != "success" || !r.doc["data"].HasMember("result")) return 0;
  const auto& result = r.doc["data"]["result"];
  return result.IsArray() ? result.Size() : 1;  // scalars and strings are one value
}

// Rows of a one- or two-column query against the daemon's database, opened read-only while the
// daemon writes (WAL): key -> count.
std::map<std::string, double> sql_counts(const fs::path& db_file, const char* sql) {
  std::map<std::string, double> out;
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(raw);
    ADD_FAILURE() << "cannot open " << db_file;
    return out;
  }
  SqliteDb db(raw);
  sqlite3_busy_timeout(db.get(), 2000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db.get());
    return out;
  }
  SqliteStmt stmt(st);
  while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
    const bool keyed = sqlite3_column_count(stmt.get()) == 2;
    std::string key;
    if (keyed) key = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    out[key] = sqlite3_column_double(stmt.get(), keyed ? 1 : 0);
  }
  return out;
}

// Open findings nobody has suppressed: what every patchparty_findings series counts.
constexpr const char* kOpenBySeverity =
    "SELECT severity, count(*) FROM findings WHERE resolved_at IS NULL AND "
    "json_extract(detail, '$.suppression') IS NULL GROUP BY severity";
constexpr const char* kOpenKev =
    "SELECT count(*) FROM findings WHERE resolved_at IS NULL AND "
    "json_extract(detail, '$.suppression') IS NULL AND json_extract(detail, '$.kev') = 1";

// Packages in the lockfile (packages + packages-dev), read here rather than by patchparty.
std::size_t lockfile_package_count(const fs::path& lock) {
  rapidjson::Document doc;
  doc.Parse(testing::read_text(lock).c_str());
  std::size_t n = 0;
  for (const char* section : {"packages", "packages-dev"})
    if (doc.IsObject() && doc.HasMember(section)) n += doc[section].Size();
  return n;
}

using testing::eventually;

// Metric families patchpartyd declares but does not set yet: their panels may be empty.
const std::set<std::string> kReserved = {"patchparty_health_check_up",
                                         "patchparty_rollbacks_total"};

class PrometheusScrape : public ::testing::Test {
 protected:
  void SetUp() override {
    prometheus_bin_ = testing::find_on_path("prometheus");
    ASSERT_FALSE(prometheus_bin_.empty()) << "prometheus not found: apt-get install prometheus";
    dir_ = testing::temp_dir("prom-scrape");
    lock_ = testing::test_data("lockfiles/symfony-demo-v1.7.1-composer.lock");

    // A Debian 11 host whose policykit-1 predates the fix of CVE-2021-4034, and one Composer
    // project, checked against the DSA list, FriendsOfPHP and KEV from files, plus a feed whose
    // directory is missing, so a failure is counted.
    const fs::path root = dir_ / "root";
    testing::write_bullseye_root(root);
    fs::create_directories(root / "srv/demo");
    fs::copy_file(lock_, root / "srv/demo/composer.lock");
    daemon_port_ = testing::free_port();
    write_file(dir_ / "pp.yml",
               "listen: 127.0.0.1:" + std::to_string(daemon_port_) +
                   "\nhost_name: prom-test\ninventory:\n  root: " + root.string() +
                   "\nprojects:\n  - name: demo\n    path: /srv/demo\n"
                   "feeds:\n"
                   "  - kind: debian-dsa-list\n    only: [bullseye]\n    url: file://" +
                   testing::test_data("debian/DSA-list.txt").string() +
                   "\n  - kind: friendsofphp\n    url: file://" +
                   testing::test_data("friendsofphp").string() +
                   "\n  - kind: kev\n    url: file://" +
                   testing::test_data("kev/known_exploited_vulnerabilities.json").string() +
                   "\n  - kind: osv\n    name: broken\n    url: file://" +
                   (dir_ / "missing/osv").string() + "\n");
    daemon_ = std::make_unique<testing::Subprocess>(testing::patchpartyd_argv(dir_),
                                                    std::map<std::string, std::string>{},
                                                    dir_ / "daemon.out", dir_ / "daemon.err");
    ASSERT_GT(daemon_->pid(), 0);

    prom_port_ = testing::free_port();
    instance_ = "127.0.0.1:" + std::to_string(daemon_port_);
    write_file(dir_ / "prometheus.yml",
               "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
               "rule_files:\n  - " +
                   (fs::path(PP_SOURCE_DIR) / "exporters/prometheus/alerts.yml").string() +
                   "\nscrape_configs:\n  - job_name: patchparty\n    static_configs:\n"
                   "      - targets: ['" +
                   instance_ + "']\n");
    prometheus_ = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{prometheus_bin_,
                                 "--config.file=" + (dir_ / "prometheus.yml").string(),
                                 "--storage.tsdb.path=" + (dir_ / "tsdb").string(),
                                 "--web.listen-address=127.0.0.1:" + std::to_string(prom_port_)},
        std::map<std::string, std::string>{}, dir_ / "prometheus.out", dir_ / "prometheus.err");
    ASSERT_GT(prometheus_->pid(), 0);
    ASSERT_TRUE(eventually(10s, [&] {
      return testing::http_get(prom_port_, "/-/ready").status == 200;
    })) << prometheus_->err();
  }

  void TearDown() override {
    // Prometheus flushes its head block on SIGTERM (about 2 s); SIGKILL only if it hangs.
    if (prometheus_ && prometheus_->pid() > 0) {
      prometheus_->signal(SIGTERM);
      EXPECT_TRUE(prometheus_->wait(15s).has_value()) << "prometheus did not stop on SIGTERM";
    }
    if (daemon_ && daemon_->pid() > 0) testing::stop_patchpartyd(*daemon_, 10s);
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string prometheus_bin_;
  fs::path dir_, lock_;
  int daemon_port_ = 0, prom_port_ = 0;
  std::string instance_;
  std::unique_ptr<testing::Subprocess> daemon_, prometheus_;
};

TEST_F(PrometheusScrape, StoresWhatTheDaemonKnowsAndEvaluatesDashboardAndRules) {
  const std::string job = "job=\"patchparty\"";
  // (a) The target is up.
  ASSERT_TRUE(eventually(15s,
                         [&] {
                           return vector_values(query(prom_port_, "up{" + job + "}")) ==
                                  std::map<std::string, double>{{"", 1}};
                         }))
      << query(prom_port_, "up").body << "\n"
      << prometheus_->err();
  auto targets = api_get(prom_port_, "/api/v1/targets?state=active");
  ASSERT_EQ(targets.status, "success") << targets.body;
  ASSERT_EQ(targets.doc["data"]["activeTargets"].Size(), 1u);
  EXPECT_STREQ(targets.doc["data"]["activeTargets"][0]["health"].GetString(), "up");

  // (b) Open findings, per severity and in all, as Prometheus stored them and as the daemon's
  // database holds them. The daemon rescans after each feed, so the two are compared until they
  // agree; each round reads both again.
  const fs::path db_file = dir_ / "state/patchparty.db";
  std::map<std::string, double> stored, scraped;
  const bool agreed = eventually(25s, [&] {
    if (!fs::exists(db_file)) return false;
    stored = sql_counts(db_file, kOpenBySeverity);
    scraped = vector_values(
        query(prom_port_, "sum by (severity) (patchparty_findings{" + job + "}) > 0"), "severity");
    // Both feeds in and scanned: FriendsOfPHP yields findings in the demo project.
    return !stored.empty() && stored == scraped &&
           vector_values(query(prom_port_, "patchparty_feed_advisories{feed=\"kev\"}")).size() == 1;
  });
  EXPECT_TRUE(agreed) << "never agreed; daemon log:\n" << daemon_->err();
  EXPECT_EQ(scraped, stored);
  double total = 0;
  for (const auto& [severity, n] : stored) total += n;
  EXPECT_GT(total, 5) << "the symfony demo v1.7.1 has known advisories";
  EXPECT_EQ(vector_values(query(prom_port_, "sum(patchparty_findings{" + job + "})")),
            (std::map<std::string, double>{{"", total}}));
  const auto kev = sql_counts(db_file, kOpenKev);
  EXPECT_EQ(kev, (std::map<std::string, double>{{"", 1}})) << "policykit-1: CVE-2021-4034";
  EXPECT_EQ(vector_values(query(prom_port_, "sum(patchparty_findings{" + job + ", kev=\"true\"})")),
            kev);

  // The backlog as `patchparty backlog` builds it from the same database.
  auto bl = testing::run({PATCHPARTY_BIN, "backlog", "--format", "json", "-c",
                          (dir_ / "pp.yml").string(), "--state-dir", (dir_ / "state").string()},
                         dir_);
  EXPECT_EQ(bl.code, 1) << "open findings are tasks\n" << bl.err;
  rapidjson::Document backlog;
  backlog.Parse(bl.out.c_str());
  ASSERT_FALSE(backlog.HasParseError()) << bl.out;
  const auto& summary = backlog["summary"];
  std::map<std::string, double> by_priority;
  for (const char* p : {"now", "next", "later"})
    by_priority[p] = static_cast<double>(summary["tasks_by_priority"][p].GetInt64());
  EXPECT_GT(summary["tasks"].GetInt64(), 0);
  EXPECT_EQ(static_cast<double>(summary["findings"].GetInt64()), total);
  EXPECT_EQ(vector_values(query(prom_port_, "patchparty_backlog_tasks{" + job + "}"), "priority"),
            by_priority);

  // Inventory: the two dpkg entries written above, and every package of the lockfile.
  EXPECT_EQ(
      vector_values(query(prom_port_, "patchparty_inventory_packages{" + job + "}"), "source"),
      (std::map<std::string, double>{
          {"dpkg", 2}, {"composer", static_cast<double>(lockfile_package_count(lock_))}}));

  // Feeds: records and failures as `patchparty feeds status --json` reports them.
  auto st = testing::run({PATCHPARTY_BIN, "feeds", "status", "--json", "-c",
                          (dir_ / "pp.yml").string(), "--state-dir", (dir_ / "state").string()},
                         dir_);
  EXPECT_EQ(st.code, 1) << "the broken feed makes status exit 1\n" << st.err;
  rapidjson::Document status;
  status.Parse(st.out.c_str());
  ASSERT_FALSE(status.HasParseError()) << st.out;
  std::map<std::string, double> records, failures;
  for (const auto& f : status["feeds"].GetArray()) {
    records[f["feed"].GetString()] = static_cast<double>(f["records"].GetInt64());
    failures[f["feed"].GetString()] = static_cast<double>(f["failures"].GetInt64());
  }
  EXPECT_EQ(records.size(), 4u);
  EXPECT_GT(records["debian-dsa-list"], 100);
  EXPECT_GT(records["friendsofphp"], 400);
  EXPECT_GT(records["kev"], 1000);
  EXPECT_EQ(records["broken"], 0);
  EXPECT_EQ(vector_values(query(prom_port_, "patchparty_feed_advisories{" + job + "}"), "feed"),
            records);
  EXPECT_EQ(failures["broken"], 1);
  EXPECT_EQ(vector_values(query(
                prom_port_, "patchparty_feed_fetch_failures_total{" + job + ", feed=\"broken\"}")),
            (std::map<std::string, double>{{"", 1}}));
  // The broken feed never succeeded, so it has no last-success series; the others have.
  EXPECT_EQ(vector_values(query(prom_port_,
                                "patchparty_feed_last_success_timestamp_seconds{" + job + "} > 0"),
                          "feed")
                .size(),
            3u);

  // Correlation runs: one histogram observation per row of the scans table.
  EXPECT_TRUE(eventually(5s, [&] {
    return vector_values(
               query(prom_port_, "patchparty_scan_duration_seconds_count{" + job + "}")) ==
           sql_counts(db_file, "SELECT count(*) FROM scans");
  })) << query(prom_port_, "patchparty_scan_duration_seconds_count").body;

  // (c) Every dashboard query, with Grafana's variables filled in, evaluates; those over metrics
  // with series return some. Rates need two samples inside $__rate_interval (1 s scrapes).
  rapidjson::Document dashboard;
  dashboard.Parse(testing::read_text(testing::dashboard_path()).c_str());
  ASSERT_FALSE(dashboard.HasParseError());
  const auto queries = testing::dashboard_queries(dashboard);
  // The comparisons above can finish within the first scrape; rates and ranges need more.
  ASSERT_TRUE(eventually(10s, [&] {
    auto n = vector_values(query(prom_port_, "count_over_time(up{" + job + "}[1m])"));
    return n.count("") && n[""] >= 4;
  }));
  ASSERT_GE(queries.size(), 12u);
  const std::map<std::string, std::string> variables = {
      {"__range", "5m"}, {"__rate_interval", "10s"}, {"__interval", "2s"}, {"instance", instance_}};
  for (const auto& q : queries) {
    const std::string expr = testing::substitute_variables(q.expr, variables);
    SCOPED_TRACE(q.panel + ": " + expr);
    EXPECT_EQ(expr.find('$'), std::string::npos) << "a variable left unsubstituted";
    const auto families = testing::patchparty_families(expr, {"patchparty_scan_duration_seconds"});
    const bool reserved = std::any_of(families.begin(), families.end(),
                                      [](const std::string& f) { return kReserved.count(f) > 0; });
    ApiResult r;
    const bool ok = eventually(5s, [&] {
      r = query(prom_port_, expr);
      return r.status == "success" && (reserved || result_size(r) > 0);
    });
    EXPECT_EQ(r.status, "success") << r.error << r.body;
    if (!reserved) {
      EXPECT_TRUE(ok) << "no series: " << r.body;
    }
    // Time series panels ask for a range: the last 30 s at Grafana's 1 s step.
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto range = api_get(prom_port_, "/api/v1/query_range?query=" + url_encode(expr) +
                                         "&start=" + std::to_string(now - 30) +
                                         "&end=" + std::to_string(now) + "&step=1");
    EXPECT_EQ(range.status, "success") << range.error << range.body;
    if (!reserved) {
      EXPECT_GT(result_size(range), 0u) << range.body;
    }
  }

  // (d) Prometheus loaded alerts.yml, and every rule has been evaluated without error.
  std::map<std::string, std::string> health;
  const bool evaluated = eventually(10s, [&] {
    health.clear();
    auto rules = api_get(prom_port_, "/api/v1/rules?type=alert");
    if (rules.status != "success") return false;
    for (const auto& g : rules.doc["data"]["groups"].GetArray())
      for (const auto& rule : g["rules"].GetArray())
        health[rule["name"].GetString()] = rule["health"].GetString();
    return !health.empty() && std::all_of(health.begin(), health.end(),
                                          [](const auto& h) { return h.second != "unknown"; });
  });
  EXPECT_TRUE(evaluated);
  const std::set<std::string> expected = {"PatchPartyDown",
                                          "PatchPartyScanSlow",
                                          "PatchPartyFeedStale",
                                          "PatchPartyFeedFailing",
                                          "PatchPartyInventorySourceFailing",
                                          "PatchPartySLABreached",
                                          "PatchPartyRollbackFailed"};
  std::set<std::string> loaded;
  for (const auto& [name, h] : health) {
    loaded.insert(name);
    EXPECT_EQ(h, "ok") << name;
  }
  EXPECT_EQ(loaded, expected);

  // The rules see the real series: the broken feed, failing and never refreshed, is pending
  // (for: 15m), and the daemon, being up, raises no PatchPartyDown.
  EXPECT_TRUE(eventually(5s, [&] {
    return vector_values(
               query(prom_port_,
                     "ALERTS{alertname=\"PatchPartyFeedFailing\", alertstate=\"pending\"}"),
               "feed") == std::map<std::string, double>{{"broken", 1}};
  })) << query(prom_port_, "ALERTS").body;
  EXPECT_EQ(result_size(query(prom_port_, "ALERTS{alertname=\"PatchPartyDown\"}")), 0u);
  // Findings first seen seconds ago are within every SLA (the shortest is an hour).
  EXPECT_EQ(result_size(query(prom_port_, "ALERTS{alertname=\"PatchPartySLABreached\"}")), 0u);
}

}  // namespace
}  // namespace patchparty
