#include "exporters/alertmanager/alert_metrics.h"

#include <gtest/gtest.h>

#include "tests/support/metric_value.h"

namespace patchparty::exporters {
namespace {

using testing::metric_value;

TEST(AlertMetrics, PostsAreCountedByOutcome) {
  prometheus::Registry registry;
  auto metrics = AlertMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  EXPECT_EQ(metric_value(registry, "patchparty_alerts_sent_total", {{"outcome", "failure"}}), 0)
      << "both outcomes exist before the first POST";
  (*metrics)->count_sent("success");
  (*metrics)->count_sent("success");
  (*metrics)->count_sent("failure");
  EXPECT_EQ(metric_value(registry, "patchparty_alerts_sent_total", {{"outcome", "success"}}), 2);
  EXPECT_EQ(metric_value(registry, "patchparty_alerts_sent_total", {{"outcome", "failure"}}), 1);
}

}  // namespace
}  // namespace patchparty::exporters
