#include "collectors/fleet_hosts/fleet_targets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/test_data.h"

namespace patchparty::fleet {
namespace {

std::vector<std::string> urls(const std::vector<FleetTarget>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) out.push_back(t.instance + "=" + t.url);
  return out;
}

// The shape of Prometheus 2.x's GET /api/v1/targets?state=active.
constexpr const char* kTargets = R"({"status":"success","data":{"activeTargets":[
 {"discoveredLabels":{"__address__":"10.0.0.1:9877","__scheme__":"http"},
  "labels":{"instance":"web-1","job":"patchparty"},"scrapePool":"patchparty",
  "scrapeUrl":"http://10.0.0.1:9877/metrics","health":"up"},
 {"labels":{"instance":"10.0.0.2:9877","job":"patchparty-eu"},
  "scrapeUrl":"https://10.0.0.2:9877/metrics","health":"down"},
 {"labels":{"instance":"node-1","job":"node"},"scrapeUrl":"http://10.0.0.1:9100/metrics"},
 {"labels":{"instance":"x","job":"not-patchparty"},"scrapeUrl":"http://10.0.0.9:1/metrics"},
 {"labels":{"instance":"dup","job":"patchparty"},"scrapeUrl":"http://10.0.0.1:9877/metrics"}
],"droppedTargets":[]}})";

TEST(PrometheusTargets, KeepsTheJobsMatchingWholeAtTheirScrapeAddress) {
  auto t = parse_prometheus_targets(kTargets, "patchparty.*");
  ASSERT_OK(t);
  // "not-patchparty" does not match whole; the second web-1 URL is asked once.
  EXPECT_THAT(urls(*t), ::testing::ElementsAre("10.0.0.2:9877=https://10.0.0.2:9877",
                                               "dup=http://10.0.0.1:9877"));
  auto only = parse_prometheus_targets(kTargets, "patchparty");
  ASSERT_OK(only);
  EXPECT_EQ(only->size(), 1u);
}

TEST(PrometheusTargets, RefusesABadRegexAndAnAnswerThatIsNotPrometheus) {
  EXPECT_ERRC(parse_prometheus_targets(kTargets, "patch(party"), Errc::invalid_argument);
  EXPECT_ERRC(parse_prometheus_targets(R"({"status":"error"})", ".*"), Errc::data_loss);
  EXPECT_ERRC(parse_prometheus_targets("<html>", ".*"), Errc::data_loss);
  EXPECT_ERRC(parse_prometheus_targets(R"({"status":"success","data":{}})", ".*"), Errc::data_loss);
}

TEST(FileSd, ReadsTargetsWithTheirGroupsScheme) {
  auto t = parse_file_sd(R"([{"targets":["10.0.0.5:9877","10.0.0.6:9877"],"labels":{"env":"prod"}},
                             {"targets":["db-1:9877"],"labels":{"__scheme__":"https"}}])");
  ASSERT_OK(t);
  EXPECT_THAT(urls(*t), ::testing::ElementsAre("10.0.0.5:9877=http://10.0.0.5:9877",
                                               "10.0.0.6:9877=http://10.0.0.6:9877",
                                               "db-1:9877=https://db-1:9877"));
}

TEST(FileSd, RefusesWhatIsNotAListOfTargetGroups) {
  EXPECT_ERRC(parse_file_sd(R"({"targets":["a:1"]})"), Errc::invalid_argument);
  EXPECT_ERRC(parse_file_sd(R"([{"labels":{}}])"), Errc::invalid_argument);
  EXPECT_ERRC(parse_file_sd(R"([{"targets":[1]}])"), Errc::invalid_argument);
  EXPECT_ERRC(parse_file_sd(R"([{"targets":["a:1"],"labels":{"__scheme__":"ftp"}}])"),
              Errc::invalid_argument);
  EXPECT_ERRC(parse_file_sd(R"([{"targets":["user@evil:1"]}])"), Errc::invalid_argument);
}

TEST(TargetFromUrl, TakesHttpBaseUrlsOnly) {
  auto t = target_from_url("http://10.0.0.5:9877/");
  ASSERT_OK(t);
  EXPECT_EQ(t->instance, "10.0.0.5:9877");
  EXPECT_EQ(t->url, "http://10.0.0.5:9877");
  EXPECT_ERRC(target_from_url("10.0.0.5:9877"), Errc::invalid_argument);
  EXPECT_ERRC(target_from_url("file:///etc/passwd"), Errc::invalid_argument);
  EXPECT_ERRC(target_from_url("http://a:1/api/v1/"), Errc::invalid_argument);
  EXPECT_ERRC(target_from_url("http://"), Errc::invalid_argument);
}

}  // namespace
}  // namespace patchparty::fleet
