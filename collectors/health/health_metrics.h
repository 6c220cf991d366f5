// The health checks' metric families, owned here beside the code that sets them; the daemon
// builds them on the registry /metrics serves. Thread-safe: each check's thread sets its own
// series, and prometheus-cpp locks each family.
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <string_view>

#include "collectors/health/health_check.h"
#include "core/base/result.h"

namespace patchparty::health {

class HealthMetrics {
 public:
  // A bad family name is a bug, reported here rather than at the first scrape.
  [[nodiscard]] static Result<std::unique_ptr<HealthMetrics>> create(
      prometheus::Registry& registry);

  // One probe's outcome. `backup_age`: the probe's value is a backup file's age in seconds.
  void record(std::string_view check, const Probe& probe, bool backup_age);
  // Drops every series of a check, for a check that went away with a reload.
  void remove(std::string_view check);

 private:
  explicit HealthMetrics(prometheus::Registry& registry);

  prometheus::Family<prometheus::Gauge>& up_;
  prometheus::Family<prometheus::Gauge>& latency_;
  prometheus::Family<prometheus::Gauge>& backup_age_;
};

}  // namespace patchparty::health
