// A gauge family with the children of the last update: names and help as given, and a child the
// update no longer sets is removed rather than left at its old value.
#include "exporters/prometheus/gauge_series.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "exporters/prometheus/exposition.h"
#include "tests/support/metric_value.h"

namespace patchparty::exporters {
namespace {

using testing::metric_value;
using testing::series_count;

TEST(GaugeSeries, RegistersTheFamilyItIsGiven) {
  prometheus::Registry registry;
  GaugeSeries series(
      registry, prometheus::BuildGauge().Name("patchparty_test_things").Help("Things, by kind."));
  series.replace({{{{"kind", "a"}}, 2}});
  EXPECT_THAT(serialize_metrics(registry),
              ::testing::HasSubstr("# HELP patchparty_test_things Things, by kind.\n"
                                   "# TYPE patchparty_test_things gauge\n"));
  EXPECT_EQ(metric_value(registry, "patchparty_test_things", {{"kind", "a"}}), 2);
}

TEST(GaugeSeries, AnUpdateReplacesTheWholeSet) {
  prometheus::Registry registry;
  GaugeSeries series(
      registry, prometheus::BuildGauge().Name("patchparty_test_things").Help("Things, by kind."));
  series.replace({{{{"kind", "a"}}, 2}, {{{"kind", "b"}}, 3}});
  series.replace({{{{"kind", "b"}}, 5}});
  EXPECT_EQ(series_count(registry, "patchparty_test_things"), 1u);
  EXPECT_EQ(metric_value(registry, "patchparty_test_things", {{"kind", "a"}}), std::nullopt);
  EXPECT_EQ(metric_value(registry, "patchparty_test_things", {{"kind", "b"}}), 5);
}

TEST(GaugeSeries, ABadNameThrowsAsTheBuilderDoes) {
  prometheus::Registry registry;
  EXPECT_THROW(GaugeSeries(registry, prometheus::BuildGauge().Name("patchparty test").Help("bad")),
               std::invalid_argument);
}

}  // namespace
}  // namespace patchparty::exporters
