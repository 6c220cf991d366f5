// exporters/grafana/patchparty.json is importable and queries only what patchpartyd exports: its
// structure is checked here, and every metric family it names is looked up in the registry the
// daemon serves. tests/integration/prometheus_scrape_test.cpp evaluates the queries for real.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "exporters/prometheus/exposition.h"
#include "exporters/prometheus/store_metrics.h"
#include "tests/support/grafana_dashboard.h"
#include "tests/support/test_data.h"

namespace patchparty::exporters {
namespace {

using ::testing::HasSubstr;

class GrafanaDashboard : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text = testing::read_text(testing::dashboard_path());
    ASSERT_FALSE(text.empty()) << "cannot read " << testing::dashboard_path();
    doc_.Parse(text.c_str());
    ASSERT_FALSE(doc_.HasParseError()) << "JSON error at offset " << doc_.GetErrorOffset();
    ASSERT_TRUE(doc_.IsObject());
    ASSERT_TRUE(doc_.HasMember("panels") && doc_["panels"].IsArray());
  }
  rapidjson::Document doc_;
};

std::string str(const rapidjson::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

TEST_F(GrafanaDashboard, IsAnImportableDashboard) {
  ASSERT_TRUE(doc_.HasMember("schemaVersion") && doc_["schemaVersion"].IsInt());
  EXPECT_THAT(doc_["schemaVersion"].GetInt(), ::testing::AnyOf(37, 38));
  EXPECT_EQ(str(doc_, "uid"), "patchparty");
  EXPECT_FALSE(str(doc_, "title").empty());
  // Importing keeps the file's id only when it is null; a number would overwrite another
  // dashboard with that id.
  EXPECT_TRUE(doc_.HasMember("id") && doc_["id"].IsNull());

  ASSERT_TRUE(doc_.HasMember("templating") && doc_["templating"]["list"].IsArray());
  std::map<std::string, const rapidjson::Value*> vars;
  for (const auto& v : doc_["templating"]["list"].GetArray()) vars[str(v, "name")] = &v;
  ASSERT_TRUE(vars.count("DS_PROMETHEUS")) << "no data source variable";
  EXPECT_EQ(str(*vars["DS_PROMETHEUS"], "type"), "datasource");
  EXPECT_EQ(str(*vars["DS_PROMETHEUS"], "query"), "prometheus");
  ASSERT_TRUE(vars.count("instance")) << "no instance variable";
  const auto& instance = *vars["instance"];
  EXPECT_EQ(str(instance, "type"), "query");
  EXPECT_EQ(str(instance, "definition"), "label_values(patchparty_build_info, instance)");
  EXPECT_EQ(str(instance["query"], "query"), "label_values(patchparty_build_info, instance)");
  EXPECT_EQ(str(instance["datasource"], "uid"), "${DS_PROMETHEUS}");
}

TEST_F(GrafanaDashboard, PanelsHaveUniqueIdsPlacesAndQueries) {
  std::set<int> ids;
  std::set<std::pair<int, int>> cells;  // (x, y) of every grid cell a panel covers
  for (const auto& p : doc_["panels"].GetArray()) {
    const std::string title = str(p, "title");
    SCOPED_TRACE(title);
    EXPECT_FALSE(title.empty());
    ASSERT_TRUE(p.HasMember("id") && p["id"].IsInt());
    EXPECT_TRUE(ids.insert(p["id"].GetInt()).second) << "duplicate id " << p["id"].GetInt();
    EXPECT_EQ(str(p["datasource"], "uid"), "${DS_PROMETHEUS}");

    ASSERT_TRUE(p.HasMember("gridPos") && p["gridPos"].IsObject());
    const auto& g = p["gridPos"];
    for (const char* k : {"x", "y", "w", "h"}) ASSERT_TRUE(g.HasMember(k) && g[k].IsInt()) << k;
    const int x = g["x"].GetInt(), y = g["y"].GetInt(), w = g["w"].GetInt(), h = g["h"].GetInt();
    EXPECT_GE(x, 0);
    EXPECT_GT(w, 0);
    EXPECT_GT(h, 0);
    EXPECT_LE(x + w, 24) << "wider than Grafana's 24 columns";
    for (int cx = x; cx < x + w; ++cx)
      for (int cy = y; cy < y + h; ++cy)
        EXPECT_TRUE(cells.emplace(cx, cy).second)
            << "overlaps another panel at " << cx << "," << cy;

    ASSERT_TRUE(p.HasMember("targets") && p["targets"].IsArray());
    EXPECT_GT(p["targets"].Size(), 0u);
    std::set<std::string> ref_ids;
    for (const auto& t : p["targets"].GetArray()) {
      EXPECT_FALSE(str(t, "expr").empty());
      EXPECT_TRUE(ref_ids.insert(str(t, "refId")).second) << "duplicate refId";
    }
  }
  EXPECT_GE(ids.size(), 12u);
}

TEST_F(GrafanaDashboard, HasTheRequiredPanels) {
  std::map<std::string, std::string> by_title;  // title -> every expr of the panel
  for (const auto& q : testing::dashboard_queries(doc_)) by_title[q.panel] += q.expr + "\n";
  const std::map<std::string, std::vector<std::string>> required = {
      {"patchpartyd up", {"up{job=~\"patchparty.*\""}},
      {"Open findings by severity", {"sum by (severity) (patchparty_findings"}},
      {"KEV findings", {"patchparty_findings{", "kev=\"true\""}},
      {"Oldest open finding age / SLA",
       {"patchparty_oldest_open_finding_age_seconds", "/ on (instance, job, severity)",
        "patchparty_sla_seconds"}},
      {"Feed age", {"time() - ", "patchparty_feed_last_success_timestamp_seconds"}},
      {"Feed fetch failures", {"rate(patchparty_feed_fetch_failures_total"}},
      {"Backlog by priority", {"by (priority)", "patchparty_backlog_tasks"}},
      {"Next party in", {"patchparty_next_party_timestamp_seconds", "- time()"}},
      {"Health checks", {"patchparty_health_check_up"}},
      {"Rollbacks by outcome",
       {"increase(patchparty_rollbacks_total", "[$__range]", "by (outcome)"}},
      {"Scan duration p50 / p99",
       {"histogram_quantile(0.5,", "histogram_quantile(0.99,",
        "patchparty_scan_duration_seconds_bucket"}},
      {"Alerts sent by outcome", {"patchparty_alerts_sent_total", "by (outcome)"}},
  };
  for (const auto& [title, fragments] : required) {
    ASSERT_TRUE(by_title.count(title)) << "missing panel: " << title;
    for (const auto& f : fragments) EXPECT_THAT(by_title[title], HasSubstr(f)) << title;
  }
  // Every query is limited to the hosts chosen in the instance variable.
  for (const auto& q : testing::dashboard_queries(doc_))
    EXPECT_THAT(q.expr, HasSubstr("instance=~\"$instance\"")) << q.panel;
}

// The families patchpartyd builds, read from the source: each component declares its own
// (exporters/prometheus/metrics.cpp, collectors/health/health_metrics.cpp, ...), and
// prometheus-cpp leaves a family without series out of a scrape.
std::set<std::string> declared_families() {
  static const std::regex name(R"re(\.Name\("(patchparty_[a-z_]+)"\))re");
  std::set<std::string> out;
  for (const char* layer : {"core", "collectors", "exporters", "daemon"}) {
    const auto dir = std::filesystem::path(PP_SOURCE_DIR) / layer;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".cpp") continue;
      const std::string source = testing::read_text(e.path());
      for (std::sregex_iterator it(source.begin(), source.end(), name), end; it != end; ++it)
        out.insert((*it)[1].str());
    }
  }
  return out;
}

TEST_F(GrafanaDashboard, NamesOnlyMetricsThatPatchpartydExports) {
  const auto declared = declared_families();
  ASSERT_GE(declared.size(), 15u) << "the source no longer declares families as .Name(\"...\")";
  // The registry agrees with the source for the families that always have series.
  prometheus::Registry registry;
  auto metrics = StoreMetrics::create(registry);
  ASSERT_OK(metrics);
  const std::string exposition = serialize_metrics(registry);
  for (const char* always : {"patchparty_finding_info_dropped_total"}) {
    EXPECT_TRUE(declared.count(always)) << always;
    EXPECT_THAT(exposition, HasSubstr(std::string("# TYPE ") + always + " ")) << always;
  }

  std::set<std::string> named;
  for (const auto& q : testing::dashboard_queries(doc_))
    for (const auto& family :
         testing::patchparty_families(q.expr, {"patchparty_scan_duration_seconds"})) {
      named.insert(family);
      EXPECT_TRUE(declared.count(family))
          << q.panel << ": " << family << " is not a patchpartyd metric";
    }
  // The extractor itself works: the dashboard names the core families.
  EXPECT_TRUE(named.count("patchparty_findings"));
  EXPECT_TRUE(named.count("patchparty_scan_duration_seconds"));
  EXPECT_TRUE(named.count("patchparty_rollbacks_total"));
}

TEST(GrafanaDashboardVariables, SubstitutesLongestNameFirst) {
  const std::map<std::string, std::string> vars = {
      {"__range", "1h"}, {"__rate_interval", "1m"}, {"instance", "a:1"}};
  EXPECT_EQ(
      testing::substitute_variables(
          "rate(x{instance=~\"$instance\"}[$__rate_interval]) + y[${__range}] + z[$__range]", vars),
      "rate(x{instance=~\"a:1\"}[1m]) + y[1h] + z[1h]");
}

}  // namespace
}  // namespace patchparty::exporters
