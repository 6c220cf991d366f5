#include "daemon/lifecycle/daemon_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "tests/support/metric_value.h"

namespace patchparty::lifecycle {
namespace {

using ::testing::HasSubstr;
using testing::metric_value;

std::string text(const prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(DaemonMetrics, BuildInfoAndEveryFixedFamilyAreThereBeforeTheFirstJob) {
  prometheus::Registry registry;
  auto metrics = DaemonMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  EXPECT_EQ(metric_value(registry, "patchparty_build_info", {{"version", PP_VERSION}}), 1);
  EXPECT_EQ(metric_value(registry, "patchparty_scan_duration_seconds"), 0);
  EXPECT_EQ(metric_value(registry, "patchparty_patch_events_total", {{"kind", "deploy"}}), 0);
  EXPECT_THAT(text(registry), HasSubstr("# HELP patchparty_build_info "));
  EXPECT_THAT(text(registry), HasSubstr("# TYPE patchparty_scan_duration_seconds histogram"));
}

TEST(DaemonMetrics, ScanDurationsGoIntoTheHistogram) {
  prometheus::Registry registry;
  auto metrics = DaemonMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  (*metrics)->observe_scan(0.03);
  (*metrics)->observe_scan(42);
  EXPECT_EQ(metric_value(registry, "patchparty_scan_duration_seconds"), 2);
  EXPECT_THAT(text(registry), HasSubstr("patchparty_scan_duration_seconds_bucket{le=\"0.05\"} 1"));
}

TEST(DaemonMetrics, PatchEventsAreCountedByKind) {
  prometheus::Registry registry;
  auto metrics = DaemonMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  (*metrics)->count_patch_event("upgrade");
  (*metrics)->count_patch_event("upgrade");
  EXPECT_EQ(metric_value(registry, "patchparty_patch_events_total", {{"kind", "upgrade"}}), 2);
  EXPECT_EQ(metric_value(registry, "patchparty_patch_events_total", {{"kind", "remove"}}), 0);
}

}  // namespace
}  // namespace patchparty::lifecycle
