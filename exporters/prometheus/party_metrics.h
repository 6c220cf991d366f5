// The party's families: when the next party starts, the remediation deadlines, the backlog as it
// would be exported now, by priority, and which packages it asks to upgrade (bounded).
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "core/base/result.h"
#include "core/model/finding.h"
#include "exporters/prometheus/gauge_series.h"

namespace patchparty::exporters {

class PartyMetrics {
 public:
  explicit PartyMetrics(prometheus::Registry& registry);
  [[nodiscard]] Result<> update(const std::vector<Finding>& findings, const config::Config& config,
                                std::int64_t now);

 private:
  // Declared in the order the families are registered, which is the order /metrics shows.
  GaugeSeries next_party_;
  prometheus::Family<prometheus::Gauge>& sla_seconds_;  // every severity, always: no GaugeSeries
  GaugeSeries backlog_tasks_;
  GaugeSeries upgrade_pending_;
  prometheus::Gauge& upgrade_pending_dropped_;
};

}  // namespace patchparty::exporters
