// The findings' families: open findings by severity, fix and KEV; the age of the oldest open
// finding per severity; and, when metrics.per_finding is on, one info series per finding.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "core/model/finding.h"
#include "exporters/prometheus/gauge_series.h"

namespace patchparty::exporters {

class FindingMetrics {
 public:
  explicit FindingMetrics(prometheus::Registry& registry);
  // `findings`: every stored finding, resolved and suppressed ones included.
  void update(const std::vector<Finding>& findings, const config::Config& config, std::int64_t now);

 private:
  void update_counts(const std::vector<const Finding*>& open, std::int64_t now);
  void update_info(std::vector<const Finding*> open, const config::Config& config);

  // Declared in the order the families are registered, which is the order /metrics shows.
  GaugeSeries findings_, oldest_open_age_, info_;
  prometheus::Family<prometheus::Counter>& info_dropped_;
  prometheus::Counter& dropped_;
};

}  // namespace patchparty::exporters
