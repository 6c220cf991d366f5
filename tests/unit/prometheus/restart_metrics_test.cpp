// The restart-needed families, set from the report the restart job stores, and checked by
// promtool as Prometheus would read them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

#include "core/store/restart_store.h"
#include "exporters/prometheus/exposition.h"
#include "tests/support/metric_value.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/unit/prometheus/store_metrics_fixture.h"

namespace patchparty::exporters {
namespace {

using testing::metric_value;
using testing::series_count;

RestartReport report(int units, bool reboot) {
  RestartReport r;
  r.taken_at = kNow;
  r.reboot_required = reboot;
  for (int i = 0; i < units; ++i)
    r.units.push_back(RestartUnit{"svc" + std::to_string(i) + ".service", {100 + i}, {"/l.so"}});
  r.processes.push_back(StaleProcess{7, "bash", "session-1.scope", {}});
  r.stale_processes = units + 1;
  return r;
}

using RestartMetricsFromStore = StoreMetricsFixture;

TEST_F(RestartMetricsFromStore, AbsentBeforeTheFirstCheck) {
  update();
  EXPECT_FALSE(metric_value(reg(), "patchparty_reboot_required").has_value());
  EXPECT_EQ(series_count(reg(), "patchparty_restart_required"), 0u);
}

TEST_F(RestartMetricsFromStore, StoredReportSetsEveryFamily) {
  ASSERT_OK(restart::save_restart_report(store_->database(), report(2, true)));
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_reboot_required"), 1);
  EXPECT_EQ(metric_value(reg(), "patchparty_restart_required_units"), 2);
  EXPECT_EQ(metric_value(reg(), "patchparty_restart_required_processes"), 3);
  EXPECT_EQ(metric_value(reg(), "patchparty_restart_required", {{"unit", "svc1.service"}}), 1);
  EXPECT_EQ(metric_value(reg(), "patchparty_restart_required_units_omitted"), 0);

  // Restarted: the unit's series goes, it does not stay at a stale 1.
  ASSERT_OK(restart::save_restart_report(store_->database(), report(1, false)));
  update();
  EXPECT_EQ(metric_value(reg(), "patchparty_reboot_required"), 0);
  EXPECT_EQ(series_count(reg(), "patchparty_restart_required"), 1u);
  EXPECT_FALSE(metric_value(reg(), "patchparty_restart_required", {{"unit", "svc1.service"}}));

  config_.restart.enabled = false;
  update();
  EXPECT_FALSE(metric_value(reg(), "patchparty_restart_required_units").has_value());
}

TEST_F(RestartMetricsFromStore, PerUnitSeriesAreCappedAndTheRestCounted) {
  config_.restart.metrics_unit_limit = 3;
  ASSERT_OK(restart::save_restart_report(store_->database(), report(5, false)));
  update();
  EXPECT_EQ(series_count(reg(), "patchparty_restart_required"), 3u);
  EXPECT_EQ(metric_value(reg(), "patchparty_restart_required_units"), 5);
  EXPECT_EQ(metric_value(reg(), "patchparty_restart_required_units_omitted"), 2);
}

TEST_F(RestartMetricsFromStore, PromtoolAcceptsTheExposition) {
  ASSERT_OK(restart::save_restart_report(store_->database(), report(2, true)));
  update();
  const std::string text = serialize_metrics(reg());
  EXPECT_THAT(text, ::testing::HasSubstr("# HELP patchparty_reboot_required "));
  std::ofstream(dir_ / "metrics.txt") << text;
  testing::Subprocess p({"/usr/bin/promtool", "check", "metrics"}, {}, dir_ / "out", dir_ / "err",
                        dir_ / "metrics.txt");
  auto code = p.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code.has_value());
  const std::string complaints = p.out() + p.err();
  // promtool judges every family; none of ours may draw a remark.
  EXPECT_THAT(complaints, ::testing::Not(::testing::HasSubstr("restart_required")));
  EXPECT_THAT(complaints, ::testing::Not(::testing::HasSubstr("reboot_required")));
}

}  // namespace
}  // namespace patchparty::exporters
