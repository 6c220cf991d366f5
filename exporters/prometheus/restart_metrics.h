// The restart-needed families, from the latest report the restart job stored.
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>

#include "core/model/restart_report.h"
#include "exporters/prometheus/gauge_series.h"

namespace patchparty::exporters {

class RestartMetrics {
 public:
  explicit RestartMetrics(prometheus::Registry& registry);
  // Null (no check yet, or restart disabled) leaves the families without series. At most
  // `unit_limit` patchparty_restart_required{unit} series, by unit name; the rest are counted
  // in patchparty_restart_required_units_omitted.
  void set(const RestartReport* report, std::int64_t unit_limit);

 private:
  GaugeSeries reboot_required_, units_, unit_, units_omitted_, processes_;
};

}  // namespace patchparty::exporters
