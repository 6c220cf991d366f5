// PrometheusQueryCheck against a real Prometheus that scrapes itself.
#include "collectors/health/prometheus_query_check.h"

#include <gtest/gtest.h>

#include <fstream>

#include "collectors/health/baseline.h"
#include "tests/support/loopback.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::health {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class PrometheusQueryCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string bin = testing::find_on_path("prometheus");
    ASSERT_FALSE(bin.empty()) << "prometheus not found: apt-get install prometheus";
    dir_ = testing::temp_dir("prometheus");
    port_ = testing::free_port();
    const std::string self = "127.0.0.1:" + std::to_string(port_);
    std::ofstream(dir_ / "prometheus.yml")
        << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
           "scrape_configs:\n  - job_name: self\n    static_configs: [{targets: ['"
        << self << "']}]\n";
    prometheus_ = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{bin, "--config.file=" + (dir_ / "prometheus.yml").string(),
                                 "--storage.tsdb.path=" + (dir_ / "data").string(),
                                 "--web.listen-address=" + self},
        std::map<std::string, std::string>{}, dir_ / "prometheus.out", dir_ / "prometheus.err");
    ASSERT_GT(prometheus_->pid(), 0);
    // Ready once it has scraped itself: up{job="self"} has a sample.
    config::HealthCheckConfig probe_up = query_config("up{job=\"self\"}");
    probe_up.threshold = config::Threshold{config::Threshold::Op::ge, 1};
    PrometheusQueryCheck up(probe_up);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline && !up.probe({}).healthy) {
      ASSERT_TRUE(prometheus_->running()) << prometheus_->err();
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(up.probe({}).healthy) << prometheus_->err();
  }
  void TearDown() override {
    if (prometheus_ && prometheus_->pid() > 0) {
      prometheus_->signal(SIGTERM);
      EXPECT_TRUE(prometheus_->wait(15s).has_value());
    }
    prometheus_.reset();
    fs::remove_all(dir_);
  }

  config::HealthCheckConfig query_config(std::string query) const {
    config::HealthCheckConfig c;
    c.name = "prom";
    c.kind = "prometheus_query";
    c.url = "http://127.0.0.1:" + std::to_string(port_) + "/";
    c.query = std::move(query);
    c.timeout = 5s;
    return c;
  }

  fs::path dir_;
  int port_ = 0;
  std::unique_ptr<testing::Subprocess> prometheus_;
};

TEST_F(PrometheusQueryCheckTest, ThresholdHoldsAndFails) {
  auto c = query_config("up{job=\"self\"}");
  c.threshold = config::Threshold{config::Threshold::Op::ge, 1};
  PrometheusQueryCheck ok(c);
  Probe p = ok.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.value, 1);
  c.threshold = config::Threshold{config::Threshold::Op::lt, 1};
  PrometheusQueryCheck bad(c);
  p = bad.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_EQ(p.value, 1);
  EXPECT_NE(p.detail.find("not < 1"), std::string::npos) << p.detail;
}

TEST_F(PrometheusQueryCheckTest, ScalarResult) {
  auto c = query_config("scalar(count(prometheus_build_info)) * 3");
  c.threshold = config::Threshold{config::Threshold::Op::le, 3};
  PrometheusQueryCheck check(c);
  Probe p = check.probe({});
  EXPECT_TRUE(p.healthy) << p.detail;
  EXPECT_EQ(p.value, 3);
}

TEST_F(PrometheusQueryCheckTest, BadQueryCarriesPrometheusError) {
  auto c = query_config("sum(up{job=");
  c.threshold = config::Threshold{config::Threshold::Op::lt, 1};
  PrometheusQueryCheck check(c);
  Probe p = check.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("HTTP 400"), std::string::npos) << p.detail;
  EXPECT_NE(p.detail.find("bad_data"), std::string::npos) << p.detail;
  EXPECT_NE(p.detail.find("parse error"), std::string::npos) << p.detail;
}

TEST_F(PrometheusQueryCheckTest, EmptyOrManySamplesAreUnhealthy) {
  auto c = query_config("up{job=\"nonexistent\"}");
  c.threshold = config::Threshold{config::Threshold::Op::lt, 1};
  PrometheusQueryCheck none(c);
  Probe p = none.probe({});
  EXPECT_FALSE(p.healthy);
  EXPECT_NE(p.detail.find("0 samples"), std::string::npos) << p.detail;
}

TEST(PrometheusQueryResponse, ParsesVectorAndScalar) {
  auto v = parse_query_response(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.25"]}]}})");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(*v, 0.25);
  auto s = parse_query_response(
      R"({"status":"success","data":{"resultType":"scalar","result":[1,"7"]}})");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, 7);
  EXPECT_FALSE(parse_query_response("not json").has_value());
}

TEST(Baseline, MedianOfValuesBeforeTheWindow) {
  const auto t0 = WallClock::now();
  std::vector<Probe> h;
  for (double v : {5.0, 1.0, 3.0, 100.0}) {
    Probe p;
    p.at = t0 + std::chrono::seconds(h.size());
    p.value = v;
    h.push_back(p);
  }
  EXPECT_EQ(baseline_median(h, t0 + 3s), 3.0);   // 5, 1, 3: the spike at t0+3s is after
  EXPECT_EQ(baseline_median(h, t0 + 10s), 4.0);  // 1, 3, 5, 100
  EXPECT_FALSE(baseline_median(h, t0).has_value());
  EXPECT_TRUE(within_ratio(5.9, 3.0, 2.0));
  EXPECT_FALSE(within_ratio(6.1, 3.0, 2.0));
}

}  // namespace
}  // namespace patchparty::health
